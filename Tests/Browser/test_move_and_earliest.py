"""Issue 10's patient features in a real browser: signing in from the header and coming back, the
earliest free time (a returning patient's five clicks, on a phone), moving a booking, the ticket on paper."""
from conftest import axe_serious_violations, demo_people
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from test_site import _demo_patient, next_page, wait_for_heading


def _sign_in_from_header(browser, registry, page, person=None):
    """Opens `page`, signs in (as `person`, else the demo patient) through the header's «Войти», and lands back on `page`: two clicks."""
    browser.get(registry + page)
    browser.find_element(By.CSS_SELECTOR, ".site-nav").find_element(By.LINK_TEXT, "Войти").click()
    wait_for_heading(browser, "Вход")
    policy, birth = person or _demo_patient()
    browser.find_element(By.ID, "policy").send_keys(policy)
    browser.find_element(By.ID, "birthDate").send_keys(birth)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url == registry + page)


def test_the_header_signs_in_from_any_page_and_back_and_signs_out(browser, registry):
    _sign_in_from_header(browser, registry, "/clinics/101")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert header.find_element(By.XPATH, ".//button[text()='Выйти']").is_displayed()
    assert "Вы вошли:" in browser.find_element(By.CLASS_NAME, "session-bar").text
    assert axe_serious_violations(browser) == []
    header.find_element(By.XPATH, ".//button[text()='Выйти']").click()
    wait_for_heading(browser, "Запись к врачу онлайн")
    assert browser.find_element(By.CSS_SELECTOR, ".site-nav").find_element(By.LINK_TEXT, "Войти").is_displayed()
    assert not browser.find_elements(By.CLASS_NAME, "session-bar")


def test_a_returning_patient_reaches_a_ticket_in_five_clicks_on_a_phone(phone_browser, registry):
    browser = phone_browser
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    clicks = 0
    browser.get(registry + "/")
    browser.find_element(By.CSS_SELECTOR, ".site-nav").find_element(By.LINK_TEXT, "Войти").click()
    clicks += 1
    policy, birth = _demo_patient()
    browser.find_element(By.ID, "policy").send_keys(policy)
    browser.find_element(By.ID, "birthDate").send_keys(birth)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    clicks += 1
    wait_for_heading(browser, "Здравствуйте")
    earliest = browser.find_elements(By.XPATH, "//h2[text()='Ближайшее свободное время']/following-sibling::ul[1]//a")
    assert earliest and earliest[0].text == "Терапевт участковый"
    earliest[0].click()
    clicks += 1
    wait_for_heading(browser, "Ближайшее время: Терапевт участковый")
    assert axe_serious_violations(browser) == []
    results = browser.find_elements(By.CSS_SELECTOR, "ul.choice-list a.choice__link[href^='/book?']")
    assert results, "no earliest time found"
    starts = [link.find_element(By.TAG_NAME, "time").get_attribute("datetime") for link in results]
    assert starts == sorted(starts)
    results[0].click()
    clicks += 1
    wait_for_heading(browser, "Проверьте запись")
    # The confirm button is on the first screen of the phone, above the optional contacts.
    button = browser.find_element(By.XPATH, "//main//button[text()='Записаться']")
    bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom", button)
    assert bottom <= browser.execute_script("return window.innerHeight"), f"confirm button ends at {bottom} px, below the screen"
    assert axe_serious_violations(browser) == []
    button.click()
    clicks += 1
    wait_for_heading(browser, "Вы записаны")
    assert clicks == 5


def test_a_booking_moves_to_another_time_from_its_ticket(browser, registry):
    _sign_in_from_header(browser, registry, "/clinics/101/specialties/113")
    browser.find_element(By.CSS_SELECTOR, "a.choice__link[href*='/doctors/']").click()
    browser.find_element(By.CSS_SELECTOR, "a.choice__link[href*='/days/']").click()
    browser.find_element(By.CSS_SELECTOR, "button.time").click()
    wait_for_heading(browser, "Проверьте запись")
    browser.find_element(By.XPATH, "//main//button[text()='Записаться']").click()
    wait_for_heading(browser, "Вы записаны")
    old_ticket = browser.current_url
    browser.find_element(By.LINK_TEXT, "Перенести запись").click()
    wait_for_heading(browser, "Перенос записи")
    assert "ваш врач по этой записи" in browser.find_element(By.TAG_NAME, "main").text
    assert axe_serious_violations(browser) == []
    browser.find_element(By.CSS_SELECTOR, "button.time").click()
    wait_for_heading(browser, "Перенести запись?")
    summary = browser.find_element(By.CSS_SELECTOR, "dl.summary").text
    assert "Было" in summary and "Станет" in summary
    assert axe_serious_violations(browser) == []
    browser.find_element(By.XPATH, "//main//button[text()='Перенести']").click()
    wait_for_heading(browser, "Вы записаны")
    assert "Запись перенесена с" in browser.find_element(By.TAG_NAME, "main").text
    new_ticket = browser.current_url
    assert new_ticket != old_ticket
    browser.get(old_ticket)
    wait_for_heading(browser, "Запись перенесена")
    browser.find_element(By.LINK_TEXT, "Новый талон").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(new_ticket))
    assert axe_serious_violations(browser) == []
    # Cancelled again, so that the surgeon's day is free for the other journeys of this patient.
    browser.find_element(By.LINK_TEXT, "Отменить запись").click()
    wait_for_heading(browser, "Отменить запись?")
    browser.find_element(By.XPATH, "//button[text()='Отменить запись']").click()
    wait_for_heading(browser, "Мои записи")


def test_on_paper_the_header_starts_where_the_ticket_does(browser, registry):
    _sign_in_from_header(browser, registry, "/districts")
    browser.get(registry + "/cabinet")
    links = browser.find_elements(By.CSS_SELECTOR, "main a.choice__link[href^='/tickets/']")
    assert links, "the journeys above left a booking"
    links[0].click()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    left = browser.execute_script("""
        const name = document.querySelector('.site-header__name').getBoundingClientRect().left;
        const content = document.querySelector('main h1').getBoundingClientRect().left;
        return name - content;
    """)
    assert abs(left) < 1, f"the header is indented {left} px against the content on paper"


def _demo_referral():
    """A demo patient's valid referral of clinic 101: (policy, birth date as typed, number, specialty)."""
    policy, birth, _, _, number, specialty = demo_people("--clinic", "101", "--referral", "--count", "1")[0]
    return policy, birth, number, specialty


def test_a_referral_number_books_a_specialist(browser, registry):
    policy, birth, number, specialty = _demo_referral()
    _sign_in_from_header(browser, registry, f"/clinics/101/specialties/{specialty}", person=(policy, birth))
    browser.find_element(By.CSS_SELECTOR, "a.choice__link[href*='/doctors/']").click()
    browser.find_element(By.CSS_SELECTOR, "a.choice__link[href*='/days/']").click()
    browser.find_element(By.CSS_SELECTOR, "button.time").click()
    wait_for_heading(browser, "Проверьте запись")
    assert axe_serious_violations(browser) == []
    # A wrong number is explained next to its field, the page kept.
    browser.find_element(By.ID, "referral").send_keys("101-999999")
    with next_page(browser, "Проверьте запись"):
        browser.find_element(By.XPATH, "//main//button[text()='Записаться']").click()
    assert "Направления с таким номером" in browser.find_element(By.ID, "referral-error").text
    assert axe_serious_violations(browser) == []
    field = browser.find_element(By.ID, "referral")
    field.clear()
    field.send_keys(number)
    browser.find_element(By.XPATH, "//main//button[text()='Записаться']").click()
    wait_for_heading(browser, "Вы записаны")
    # Cancelled again, so that the other journeys of this patient find their days free.
    browser.find_element(By.LINK_TEXT, "Отменить запись").click()
    wait_for_heading(browser, "Отменить запись?")
    browser.find_element(By.XPATH, "//button[text()='Отменить запись']").click()
    wait_for_heading(browser, "Мои записи")
