"""The lobby kiosk in a real headless Chromium with touch emulation, portrait 1080 × 1920 (and
landscape): a journey from the start address to the printed receipt and the reset, the on-screen
keypad and the policy scanner, the inactivity countdown, nothing of a patient left after a reset,
a kiosk kept to its own pages, revocation, axe and the size of every touch target on every page."""
import base64
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import axe_serious_violations, demo_people, start_registry
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_site import next_page, wait_for_heading

ROOT = Path(__file__).resolve().parents[2]
# Short enough to watch the reset happen, long enough for a test's steps between two touches.
IDLE_SECONDS = 20


def _registratura(data: str, *arguments: str) -> str:
    binary = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))
    done = subprocess.run([binary, *arguments, "--data-dir", data], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def kiosk_registry(registry):
    """A registry with a short kiosk reset, reading the demo's reference MIS; yields (base URL, data directory)."""
    process, base, data = start_registry({"REGISTRATURA_KIOSK_IDLE_SECONDS": str(IDLE_SECONDS)})
    yield base, data
    process.stop()
    shutil.rmtree(data, ignore_errors=True)


def _register_kiosk(data: str, name: str = "Холл, 1 этаж") -> tuple:
    """Registers a kiosk of clinic 101 from the command line: (kiosk id, start path)."""
    printed = _registratura(data, "kiosks", "register", "--name", name, "--clinic", "101")
    found = re.search(r"Kiosk (\S+) registered\. Open on it: (/kiosk/start\?token=[0-9a-f]{64})", printed)
    assert found, printed
    return found.group(1), found.group(2)


def _kiosk_chrome(width: int, height: int, javascript: bool = True) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    # As a kiosk's browser runs: printing goes straight to the printer, no dialog.
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=ru", "--kiosk-printing"):
        options.add_argument(argument)
    # A touch screen: touch events, no mouse hover to rely on.
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": True, "mobile": False}})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


@pytest.fixture
def portrait():
    driver = _kiosk_chrome(1080, 1920)
    yield driver
    driver.quit()


@pytest.fixture
def landscape():
    driver = _kiosk_chrome(1920, 1080)
    yield driver
    driver.quit()


@pytest.fixture
def portrait_without_javascript():
    driver = _kiosk_chrome(1080, 1920, javascript=False)
    yield driver
    driver.quit()


def tap(driver, element):
    """A finger's touch on the element (pointer type touch), not a mouse click."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    finger = PointerInput(interaction.POINTER_TOUCH, "finger")
    actions = ActionBuilder(driver, mouse=finger)
    actions.pointer_action.move_to(element).pointer_down().pause(0.05).pointer_up()
    actions.perform()


def tap_link(driver, href_part: str):
    tap(driver, driver.find_element(By.CSS_SELECTOR, f"a[href*='{href_part}']"))


def keypad(driver, digits: str):
    for digit in digits:
        tap(driver, driver.find_element(By.CSS_SELECTOR, f"[data-keypad] [data-key='{digit}']"))


def _person(skip: int) -> tuple:
    row = demo_people("--clinic", "101", "--count", "1", "--skip", str(skip))[0]
    return row[0], row[1]


def _identify_by_keypad(driver, base: str, start: str, skip: int) -> tuple:
    policy, birth = _person(skip)
    driver.get(base + start)
    wait_for_heading(driver, "Запись к врачу")
    assert driver.switch_to.active_element.get_attribute("id") == "policy"
    keypad(driver, policy)
    tap(driver, driver.find_element(By.CSS_SELECTOR, "[data-keypad] [data-key='next']"))
    assert driver.switch_to.active_element.get_attribute("id") == "birthDate"
    keypad(driver, birth.replace(".", ""))
    # The keypad writes the dots itself.
    assert driver.find_element(By.ID, "birthDate").get_attribute("value") == birth
    tap(driver, driver.find_element(By.CSS_SELECTOR, "[data-keypad] [data-key='next']"))
    wait_for_heading(driver, "Здравствуйте")
    return policy, birth


def _book_first_free_time(driver):
    """From the menu: book → the first specialty, doctor and time with free time → check → book."""
    tap_link(driver, "/kiosk/book")
    WebDriverWait(driver, 10).until(lambda d: "/kiosk/book/clinics/" in d.current_url or d.find_elements(By.CSS_SELECTOR, "a[href^='/kiosk/book/clinics/']"))
    if "/kiosk/book/clinics/" not in driver.current_url:
        tap_link(driver, "/kiosk/book/clinics/101")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a[href*='/specialties/']"))
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a[href$='/specialties/113']"))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a[href*='/doctors/']"))
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kiosk-choice[href*='/doctors/']"))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a.kiosk-time"))
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kiosk-time"))
    wait_for_heading(driver, "Проверьте запись")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit].kiosk-button--primary"))
    wait_for_heading(driver, "Вы записаны")


def _session_gone(base: str, driver) -> bool:
    """Whether the server still knows the session the browser had (asked with its cookies, outside the browser)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(base + "/kiosk/menu", headers={"Cookie": cookies})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
        return False
    except urllib.error.HTTPError as answer:
        return answer.code == 303 and answer.headers["Location"] == "/kiosk"


def test_a_kiosk_journey_from_start_to_receipt_and_reset(kiosk_registry, portrait):
    base, data = kiosk_registry
    _, start = _register_kiosk(data)
    _identify_by_keypad(portrait, base, start, skip=60)
    name = portrait.find_element(By.CLASS_NAME, "kiosk-header__who").text
    _book_first_free_time(portrait)
    number = portrait.find_element(By.CLASS_NAME, "receipt__number").text
    assert re.match(r"№ \S+", number)
    receipt_url = portrait.current_url
    # The ticket is sent to the printer at once, and the patient is told to take it.
    WebDriverWait(portrait, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-print-status]").is_displayed())

    # On paper (the same receipt printed again, from the list): the 80 mm receipt alone, the number
    # and the time large, one page.
    portrait.get(receipt_url.replace("?print=1", ""))
    wait_for_heading(portrait, "Талон на приём")
    portrait.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert portrait.execute_script("return getComputedStyle(document.querySelector('.kiosk-header')).display") == "none"
    assert portrait.execute_script("return getComputedStyle(document.querySelector('.kiosk-receipt-actions')).display") == "none"
    number_size = portrait.execute_script("return parseFloat(getComputedStyle(document.querySelector('.receipt__number')).fontSize)")
    body_size = portrait.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert number_size >= 2.5 * body_size
    portrait.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(portrait.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})["data"])
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    width = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)", pdf)
    assert width and abs(float(width.group(1)) - 80 / 25.4 * 72) < 3  # 80 mm in points
    portrait.get(receipt_url)
    wait_for_heading(portrait, "Вы записаны")

    # After printing the kiosk counts down and returns to its start, the session ended on the server.
    wait_for_heading(portrait, "Запись к врачу", IDLE_SECONDS + 10)
    assert _session_gone(base, portrait)
    # Back, again and again: nothing of the last patient shows (no page kept, none served again).
    for _ in range(6):
        portrait.back()
        time.sleep(0.4)
        page = portrait.page_source
        assert name not in page and number not in page, portrait.current_url
    portrait.get(receipt_url)
    wait_for_heading(portrait, "Запись к врачу")
    assert portrait.find_element(By.ID, "policy").get_attribute("value") == ""


def test_the_scanner_fills_the_policy_and_moves_on(kiosk_registry, portrait):
    base, data = kiosk_registry
    _, start = _register_kiosk(data)
    policy, birth = _person(61)
    portrait.get(base + start)
    wait_for_heading(portrait, "Запись к врачу")
    # A keyboard-wedge scanner types into the focused policy field and presses Enter: the birth date is next, nothing is sent.
    ActionChains(portrait).send_keys(policy + "\n").perform()
    assert portrait.find_element(By.ID, "policy").get_attribute("value") == policy
    assert portrait.switch_to.active_element.get_attribute("id") == "birthDate"
    assert "/kiosk/menu" not in portrait.current_url
    # Scanned while no field has the focus: it still lands in the policy field.
    portrait.get(base + "/kiosk")
    wait_for_heading(portrait, "Запись к врачу")
    portrait.execute_script("document.activeElement.blur()")
    ActionChains(portrait).send_keys(policy + "\n").perform()
    assert portrait.find_element(By.ID, "policy").get_attribute("value") == policy
    assert portrait.switch_to.active_element.get_attribute("id") == "birthDate"
    ActionChains(portrait).send_keys(birth.replace(".", "") + "\n").perform()
    wait_for_heading(portrait, "Здравствуйте")


def test_the_countdown_is_announced_can_be_cancelled_and_then_resets(kiosk_registry, portrait):
    base, data = kiosk_registry
    _, start = _register_kiosk(data)
    _identify_by_keypad(portrait, base, start, skip=62)
    started = time.monotonic()
    dialog = portrait.find_element(By.CSS_SELECTOR, "[data-countdown]")
    WebDriverWait(portrait, IDLE_SECONDS).until(lambda d: dialog.is_displayed())
    assert dialog.get_attribute("role") == "alertdialog"
    assert "Вы ещё здесь" in portrait.find_element(By.CSS_SELECTOR, "[data-countdown-announce]").get_attribute("textContent")
    assert portrait.switch_to.active_element.get_attribute("data-countdown-cancel") is not None
    left = int(portrait.find_element(By.CSS_SELECTOR, "[data-countdown-left]").text)
    assert 0 < left <= 10
    tap(portrait, portrait.find_element(By.CSS_SELECTOR, "[data-countdown-cancel]"))
    assert not dialog.is_displayed()
    time.sleep(3)
    assert "Здравствуйте" in portrait.find_element(By.TAG_NAME, "h1").text
    # Left alone now: the start screen after the full time, the session gone on the server.
    wait_for_heading(portrait, "Запись к врачу", IDLE_SECONDS + 10)
    assert time.monotonic() - started >= IDLE_SECONDS
    assert _session_gone(base, portrait)


def test_a_kiosk_opens_nothing_outside_its_pages_and_a_revoked_one_is_refused_at_once(kiosk_registry, portrait):
    base, data = kiosk_registry
    kiosk, start = _register_kiosk(data, "Второй вход")
    _identify_by_keypad(portrait, base, start, skip=63)
    for outside in ("/operator", "/staff/sign-in", "/cabinet", "/", "/identify"):
        portrait.get(base + outside)
        wait_for_heading(portrait, "Эта страница недоступна на информате")
    portrait.get(base + "/kiosk/menu")
    wait_for_heading(portrait, "Здравствуйте")
    _registratura(data, "kiosks", "revoke", kiosk)
    portrait.refresh()
    wait_for_heading(portrait, "Информат не подключён")
    portrait.get(base + start)
    wait_for_heading(portrait, "Информат не подключён")


def _small_or_crowded_targets(driver) -> list:
    """Interactive elements on screen smaller than 48 × 48 CSS px, or closer than 8 px to another."""
    return driver.execute_script("""
        const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')]
          .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('[hidden]'); });
        const problems = [];
        const rects = targets.map(e => e.getBoundingClientRect());
        targets.forEach((e, i) => {
          const r = rects[i];
          if (r.width < 48 || r.height < 48) problems.push(`${e.tagName} "${(e.textContent || e.name || '').trim().slice(0, 30)}" is ${Math.round(r.width)}×${Math.round(r.height)}`);
          rects.forEach((o, j) => {
            if (j <= i || targets[j].contains(e) || e.contains(targets[j])) return;
            const gapX = Math.max(o.left - r.right, r.left - o.right), gapY = Math.max(o.top - r.bottom, r.top - o.bottom);
            if (Math.max(gapX, gapY) < 8) problems.push(`${e.tagName} "${(e.textContent || '').trim().slice(0, 20)}" touches ${targets[j].tagName} "${(targets[j].textContent || '').trim().slice(0, 20)}"`);
          });
        });
        return problems;
    """)


def _check_page(driver, label: str):
    assert axe_serious_violations(driver) == [], label
    assert _small_or_crowded_targets(driver) == [], label


def _every_kiosk_page(driver, base: str, start: str, skip: int):
    """Walks every kiosk page a patient meets, checking each (`_check_page`)."""
    _identify_by_keypad(driver, base, start, skip=skip)
    _check_page(driver, "menu")
    driver.get(base + "/kiosk")
    driver.get(base + "/kiosk/book")
    _check_page(driver, "clinics")
    driver.get(base + "/kiosk/book/clinics/101")
    _check_page(driver, "specialties")
    driver.get(base + "/kiosk/book/clinics/101/specialties/113")
    _check_page(driver, "doctors")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kiosk-choice[href*='/doctors/']"))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a.kiosk-time"))
    _check_page(driver, "doctor")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a.kiosk-time"))
    wait_for_heading(driver, "Проверьте запись")
    _check_page(driver, "check")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit].kiosk-button--primary"))
    wait_for_heading(driver, "Вы записаны")
    _check_page(driver, "receipt")
    driver.get(base + "/kiosk/appointments")
    wait_for_heading(driver, "Мои записи")
    _check_page(driver, "appointments")
    tap_link(driver, "/cancel")
    wait_for_heading(driver, "Отменить запись?")
    _check_page(driver, "cancel")
    driver.get(base + "/kiosk/earliest")
    _check_page(driver, "earliest specialties")
    tap(driver, driver.find_element(By.CSS_SELECTOR, "a[href*='/kiosk/earliest?specialty=']"))
    wait_for_heading(driver, "Ближайшее время:", 20)
    _check_page(driver, "earliest times")
    driver.get(base + "/operator")
    _check_page(driver, "outside")
    driver.get(base + "/kiosk/book/check?clinic=101&doctor=1&slot=1")
    _check_page(driver, "refusal or error")


def test_every_kiosk_page_passes_axe_with_big_far_apart_targets_in_portrait(kiosk_registry, portrait):
    base, data = kiosk_registry
    _, start = _register_kiosk(data)
    portrait.get(base + start)
    wait_for_heading(portrait, "Запись к врачу")
    _check_page(portrait, "start")
    # The identification form with its errors.
    with next_page(portrait, "Запись к врачу"):
        tap(portrait, portrait.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert portrait.find_elements(By.CLASS_NAME, "error-summary")
    _check_page(portrait, "start with errors")
    _every_kiosk_page(portrait, base, start, skip=64)


def test_every_kiosk_page_passes_in_landscape_too(kiosk_registry, landscape):
    base, data = kiosk_registry
    _, start = _register_kiosk(data)
    landscape.get(base + start)
    wait_for_heading(landscape, "Запись к врачу")
    _check_page(landscape, "start")
    # The keypad stands beside the fields.
    keypad_box = landscape.find_element(By.CSS_SELECTOR, "[data-keypad]").rect
    field_box = landscape.find_element(By.ID, "policy").rect
    assert keypad_box["x"] > field_box["x"] + field_box["width"]
    _every_kiosk_page(landscape, base, start, skip=65)


def test_the_kiosk_works_without_javascript(kiosk_registry, portrait_without_javascript):
    driver = portrait_without_javascript
    base, data = kiosk_registry
    _, start = _register_kiosk(data)
    policy, birth = _person(66)
    driver.get(base + start)
    wait_for_heading(driver, "Запись к врачу")
    # No keypad without a script: the fields take the screen's own keyboard.
    assert not driver.find_element(By.CSS_SELECTOR, "[data-keypad]").is_displayed()
    driver.find_element(By.ID, "policy").send_keys(policy)
    driver.find_element(By.ID, "birthDate").send_keys(birth)
    tap(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    wait_for_heading(driver, "Здравствуйте")
    _book_first_free_time(driver)
    assert driver.find_element(By.CLASS_NAME, "receipt__number").text.startswith("№")
    tap(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Готово']"))
    wait_for_heading(driver, "Запись к врачу")
    assert _session_gone(base, driver)
