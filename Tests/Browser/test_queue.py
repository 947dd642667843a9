"""The bookings that wait for a clinic, handled by its registrar in a real browser against
`registratura demo`: a federal portal's reservation (made through the registry's door, signed as the
portal signs) confirmed with a card opened for the person; an online booking of the demo's clinic 106,
which confirms them, refused with a reason; a booking a closed day displaced, moved to another time.
The portal reads each decision back from its GetChanges; every page is checked with axe."""
import hashlib
import hmac
import os
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

from conftest import ROOT, axe_serious_violations, demo_people
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_operator import PASSWORD, _registratura, _sign_in_by_keyboard
from test_site import wait_for_heading

DOOR_KEY = ("federal-demo", "federal-demo-secret")
BINARY = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))


def _encode(text: str) -> str:
    return urllib.parse.quote(text, safe="-._~")


def _door(registry: str, operation: str, parameters: dict, post: bool = False):
    """One signed call to the door, as the portal makes it: (HTTP status, the answer's payload element)."""
    path = "/federal/serverais"
    pairs = [("op", operation)] + list(parameters.items())
    canonical = "&".join(f"{name}={value}" for name, value in sorted((_encode(n), _encode(v)) for n, v in pairs))
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    method = "POST" if post else "GET"
    signature = hmac.new(DOOR_KEY[1].encode(), "\n".join([method, path, timestamp, nonce, canonical]).encode(), hashlib.sha256).hexdigest()
    headers = {"X-Registry-Key": DOOR_KEY[0], "X-Registry-Timestamp": timestamp, "X-Registry-Nonce": nonce, "X-Registry-Signature": signature}
    encoded = "&".join(f"{_encode(n)}={_encode(v)}" for n, v in pairs)
    if post:
        request = urllib.request.Request(registry + path, data=encoded.encode(), headers={**headers, "Content-Type": "application/x-www-form-urlencoded"}, method="POST")
    else:
        request = urllib.request.Request(registry + path + "?" + encoded, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, list(ElementTree.fromstring(body))[0]


def _portal_slot(registry: str, clinic: str, skip: int = 0):
    """A free time the door publishes in `clinic` of a specialty anyone may book without attachment: (doctor, slot)."""
    _, specialties = _door(registry, "GetSpecialityList", {"clinic": clinic})
    for specialty in specialties:
        if specialty.get("attachedOnly") == "true" or specialty.get("minAge") or specialty.get("maxAge") or int(specialty.get("freeCount")) < 3:
            continue
        _, doctors = _door(registry, "GetDoctorList", {"clinic": clinic, "specialty": specialty.get("id")})
        for doctor in doctors:
            if int(doctor.get("freeCount")) > skip:
                _, slots = _door(registry, "GetAvailableAppointments",
                                 {"clinic": clinic, "doctor": doctor.get("id"), "from": doctor.get("nearestDate"), "to": doctor.get("lastDate")})
                return doctor.get("id"), slots[skip].get("id"), slots[skip].get("start")[:10]
    raise AssertionError("no time published")


def _unified_policy(number: int) -> str:
    first15 = f"7711{number:011d}"
    total = 0
    for position, character in enumerate(reversed(first15)):
        digit = int(character) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return first15 + str((10 - total % 10) % 10)


def _reserve(registry: str, clinic: str, slot: str, last_name: str, number: int):
    status, appointment = _door(registry, "SetAppointment", {
        "clinic": clinic, "slot": slot, "lastName": last_name, "firstName": "Вера", "middleName": "Андреевна", "birthDate": "1984-03-17",
        "sex": "female", "policy": _unified_policy(number), "channel": "federal-portal", "requestId": f"epgu-{secrets.token_hex(8)}", "reserve": "true",
    }, post=True)
    assert status == 200 and appointment.get("status") == "reserved", ElementTree.tostring(appointment)
    return appointment


def _changes(registry: str, clinic: str, cursor: str = "0") -> tuple:
    # The door leaves rows a few seconds young for the next call (PostgreSQL); SQLite answers at once.
    _, changes = _door(registry, "GetChanges", {"clinic": clinic, "cursor": cursor})
    return changes.get("cursor"), [(change.get("kind"), change.get("appointment")) for change in changes]


def test_the_door_passes_the_conformance_check_for_a_portals_door(registry):
    checked = subprocess.run([BINARY, "mis", "conformance", "--url", registry + "/federal/serverais", "--key", ":".join(DOOR_KEY), "--federal",
                              "--schema", str(ROOT / "docs/mis-protocol.xsd")], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and ", 0 failed" in checked.stdout, checked.stdout + checked.stderr
    assert "PASS  reservation round" in checked.stdout and "PASS  staff operations are refused" in checked.stdout


def test_a_registrar_handles_the_portals_reservation_an_online_booking_and_a_lost_one(registry, browser):
    created = _registratura("accounts", "create", "--login", "reg.queue106", "--name", "Регистратор Заречной", "--role", "registrar", "--clinic", "106",
                            password=PASSWORD)
    assert created.returncode == 0 or "taken" in created.stderr, created.stderr

    # The portal reserves two times for people the MIS does not know
    doctor, slot, day = _portal_slot(registry, "106")
    first = _reserve(registry, "106", slot, "Голубева", 1)
    _, other, _ = _portal_slot(registry, "106", skip=1)
    second = _reserve(registry, "106", other, "Комарова", 2)

    # A patient of clinic 106 books online: the clinic confirms its online bookings, so it waits too
    policy, birth, _, _ = demo_people("--clinic", "106", "--count", "1")[0]
    online_doctor, online_slot, _ = _portal_slot(registry, "106", skip=2)
    browser.get(f"{registry}/book?clinic=106&doctor={online_doctor}&slot={online_slot}")
    wait_for_heading(browser, "Вход по полису ОМС")
    browser.find_element(By.ID, "policy").send_keys(policy)
    browser.find_element(By.ID, "birthDate").send_keys(birth)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_heading(browser, "Проверьте запись")
    browser.find_element(By.XPATH, "//button[text()='Записаться']").click()
    wait_for_heading(browser, "Заявка на запись принята")
    assert "это ещё не талон" in browser.page_source
    assert axe_serious_violations(browser) == []
    browser.delete_all_cookies()

    # The registrar's queue: three waiting, oldest first
    _sign_in_by_keyboard(browser, registry, "reg.queue106", "/staff")
    wait_for_heading(browser, "Рабочее место")
    browser.find_element(By.LINK_TEXT, "записи, ждущие решения").click()
    wait_for_heading(browser, "Записи, ждущие решения")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.desk-table tbody tr")
    assert len(rows) == 3 and "Голубева" in rows[0].text and "Госуслуги" in rows[0].text and "сайт" in rows[2].text
    assert axe_serious_violations(browser) == []

    # The portal's first reservation: no card in the clinic, one is opened from the portal's data
    browser.get(f"{registry}/staff/clinics/106/queue/{first.get('id')}")
    wait_for_heading(browser, "Бронь ждёт подтверждения")
    assert "Голубева Вера Андреевна" in browser.page_source
    assert axe_serious_violations(browser) == []
    browser.find_element(By.XPATH, "//button[text()='Создать карту и подтвердить']").click()
    wait_for_heading(browser, "Записи, ждущие решения")
    assert "Бронь подтверждена" in browser.find_element(By.CSS_SELECTOR, ".notice--success").text

    # The second: refused with a reason and a sentence for the patient
    browser.get(f"{registry}/staff/clinics/106/queue/{second.get('id')}")
    wait_for_heading(browser, "Бронь ждёт подтверждения")
    Select(browser.find_element(By.ID, "reason")).select_by_visible_text("Неверные данные пациента")
    browser.find_element(By.ID, "text").send_keys("Полис не найден в ОМС: позвоните в регистратуру.")
    browser.find_element(By.XPATH, "//button[contains(., 'Отклонить')]").click()
    wait_for_heading(browser, "Записи, ждущие решения")
    assert "Бронь отклонена" in browser.page_source

    # The online booking: confirmed with the patient's own card, which the MIS finds
    browser.find_element(By.PARTIAL_LINK_TEXT, "Решить").click()
    wait_for_heading(browser, "Бронь ждёт подтверждения")
    browser.find_element(By.XPATH, "//button[starts-with(., 'Подтвердить с картой')]").click()
    wait_for_heading(browser, "Записи, ждущие решения")
    assert "Подтверждения не ждёт ни одна запись" in browser.page_source

    # The clinic closes the doctor's day in its MIS: the confirmed bookings are displaced, not cancelled
    database = os.path.join(os.environ["REGISTRATURA_TEST_DATA"], "reference-mis.sqlite")
    closed = subprocess.run([BINARY, "mis", "cancel-day", "--database", database, "--doctor", doctor, "--day", day, "--reason", "врач на учёбе"],
                            capture_output=True, text=True, timeout=30)
    assert closed.returncode == 0, closed.stderr
    browser.get(f"{registry}/staff/clinics/106/queue")
    wait_for_heading(browser, "Записи, ждущие решения")
    assert "Выпали из расписания" in browser.page_source and "врач на учёбе" in browser.page_source
    browser.find_element(By.XPATH, f"//a[@href='/staff/clinics/106/queue/{first.get('id')}']").click()
    wait_for_heading(browser, "Запись выпала из расписания")
    assert axe_serious_violations(browser) == []
    assert Select(browser.find_element(By.ID, "slot")).options
    browser.find_element(By.XPATH, "//button[text()='Перенести и сообщить пациенту']").click()
    wait_for_heading(browser, "Записи, ждущие решения")
    assert "Запись перенесена" in browser.page_source

    # The portal reads every decision on its bookings
    deadline = time.time() + 15
    while True:
        _, kinds = _changes(registry, "106")
        if len(kinds) >= 4 or time.time() > deadline:
            break
        time.sleep(1)
    assert ("confirmed", first.get("id")) in kinds and ("refused", second.get("id")) in kinds
    assert ("displaced", first.get("id")) in kinds and ("moved", first.get("id")) in kinds
