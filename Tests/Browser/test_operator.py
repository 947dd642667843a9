"""The call centre's workstation in a real browser: staff accounts made on the command line, signing
in by keyboard alone, role boundaries, every page checked with axe; the audit trail verified by its
own command."""
import os
import shutil
import subprocess
from pathlib import Path

from conftest import axe_serious_violations, demo_people
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from test_site import next_page, wait_for_heading

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Рабочий-пароль-2026"


def _registratura(*arguments: str, password: str | None = None) -> subprocess.CompletedProcess:
    binary = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))
    environment = dict(os.environ, REGISTRATURA_PASSWORD_COST="4")
    if password:
        environment["REGISTRATURA_ACCOUNT_PASSWORD"] = password
    return subprocess.run([binary, *arguments, "--data-dir", os.environ["REGISTRATURA_TEST_DATA"]],
                          capture_output=True, text=True, timeout=60, env=environment)


def _ensure_account(login: str, role: str):
    created = _registratura("accounts", "create", "--login", login, "--name", f"Сотрудник {login}", "--role", role, password=PASSWORD)
    assert created.returncode == 0 or "taken" in created.stderr, created.stderr


def _sign_in_by_keyboard(browser, base: str, login: str, target: str = "/operator"):
    browser.get(base + target)
    wait_for_heading(browser, "Вход для сотрудников")
    # The login field has the focus; Tab to the password, Enter sends the form.
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "login"
    active.send_keys(login, Keys.TAB)
    browser.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)


def test_the_first_administrator_comes_from_the_command_line_and_signs_in_by_keyboard(registry, browser):
    _ensure_account("chief", "administrator")
    listed = _registratura("accounts", "list")
    assert "chief\tadministrator\tactive" in listed.stdout
    weak = _registratura("accounts", "create", "--login", "weakling", "--name", "Слабый пароль", password="12345")
    assert weak.returncode != 0 and "too weak" in weak.stderr

    _sign_in_by_keyboard(browser, registry, "chief", "/staff/accounts")
    wait_for_heading(browser, "Учётные записи")
    assert "Сотрудник chief" in browser.page_source
    assert axe_serious_violations(browser) == []
    browser.get(registry + "/staff/password")
    wait_for_heading(browser, "Смена пароля")
    assert axe_serious_violations(browser) == []
    browser.get(registry + "/operator")
    wait_for_heading(browser, "Поиск пациента")
    assert axe_serious_violations(browser) == []


def test_an_operator_meets_the_role_boundary_and_the_trail_holds(registry, browser):
    _ensure_account("operator.one", "operator")
    browser.get(registry + "/staff/sign-in")
    wait_for_heading(browser, "Вход для сотрудников")
    assert axe_serious_violations(browser) == []
    browser.find_element(By.ID, "login").send_keys("operator.one")
    with next_page(browser, "Вход для сотрудников"):
        browser.find_element(By.ID, "password").send_keys("не тот пароль 7", Keys.ENTER)
    assert "Имя для входа или пароль не подходят" in browser.page_source
    assert axe_serious_violations(browser) == []

    _sign_in_by_keyboard(browser, registry, "operator.one")
    wait_for_heading(browser, "Поиск пациента")
    assert "Учётные записи" not in browser.find_element(By.TAG_NAME, "header").text
    browser.get(registry + "/staff/accounts")
    wait_for_heading(browser, "Раздел недоступен")
    assert axe_serious_violations(browser) == []
    # Signing out from the header.
    browser.find_element(By.CSS_SELECTOR, ".desk-nav__button").click()
    wait_for_heading(browser, "Вход для сотрудников")
    assert "Вы вышли" in browser.page_source

    verified = _registratura("audit", "verify")
    assert verified.returncode == 0 and "audit trail intact" in verified.stdout, verified.stdout + verified.stderr


def test_an_operator_finds_a_caller_by_keyboard_alone(registry, browser):
    _ensure_account("operator.two", "operator")
    policy, birth = demo_people("--clinic", "101", "--count", "1")[0][:2]
    _sign_in_by_keyboard(browser, registry, "operator.two")
    wait_for_heading(browser, "Поиск пациента")
    # The number field has the focus: type the policy the caller reads out and press Enter.
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "number"
    with next_page(browser, "Поиск пациента"):
        active.send_keys(policy, Keys.ENTER)
    results = browser.find_element(By.ID, "results-heading")
    assert results.text == "Найдено: 1"
    assert birth in browser.find_element(By.CSS_SELECTOR, ".desk-table tbody").text
    assert policy not in browser.current_url
    assert axe_serious_violations(browser) == []
    # Open the caller's card from the keyboard, check it, let the caller go.
    name = browser.find_element(By.CSS_SELECTOR, ".desk-table tbody th").text
    browser.find_element(By.CSS_SELECTOR, "form[action='/operator/caller/choose'] button").send_keys(Keys.ENTER)
    wait_for_heading(browser, name)
    assert "Предстоящие записи" in browser.page_source
    assert axe_serious_violations(browser) == []
    browser.find_element(By.CSS_SELECTOR, ".desk-end button").send_keys(Keys.ENTER)
    wait_for_heading(browser, "Поиск пациента")
    # A mistyped SNILS is explained next to the field.
    field = browser.find_element(By.ID, "number")
    field.clear()
    with next_page(browser, "Поиск пациента"):
        field.send_keys("112-233-445 96", Keys.ENTER)
    assert "контрольное число не сходится" in browser.find_element(By.ID, "number-error").text
    assert axe_serious_violations(browser) == []


class Keyboard:
    """Presses keys in the focused element of `browser` and counts every key pressed."""

    def __init__(self, browser):
        self.browser = browser
        self.count = 0

    def type(self, text: str):
        self.browser.switch_to.active_element.send_keys(text)
        self.count += len(text)

    def press(self, key):
        self.browser.switch_to.active_element.send_keys(key)
        self.count += 1

    def access_key(self, key: str):
        # Chromium on Linux: Alt and the access key.
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.browser).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()
        self.count += 2


def test_an_operator_books_for_a_caller_by_keyboard_alone(registry, browser):
    _ensure_account("operator.three", "operator")
    policy, birth = demo_people("--clinic", "101", "--count", "1", "--skip", "3")[0][:2]
    _sign_in_by_keyboard(browser, registry, "operator.three")
    wait_for_heading(browser, "Поиск пациента")
    keys = Keyboard(browser)
    keys.type(policy)
    with next_page(browser, "Поиск пациента"):
        keys.press(Keys.ENTER)
    name = browser.find_element(By.CSS_SELECTOR, ".desk-table tbody th").text
    keys.access_key("1")                      # the first caller's card
    wait_for_heading(browser, name)
    keys.access_key("b")                      # «Записать на приём»
    wait_for_heading(browser, "Поликлиника")
    assert axe_serious_violations(browser) == []
    keys.press(Keys.TAB)                      # the caller's own clinic comes first
    keys.press(Keys.ENTER)
    wait_for_heading(browser, "Поликлиника № 1")
    keys.type("хирург")                       # the list filters as one types
    keys.press(Keys.TAB)
    keys.press(Keys.ENTER)
    wait_for_heading(browser, "Хирург")
    keys.press(Keys.TAB)
    keys.press(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "a.time"))
    assert axe_serious_violations(browser) == []
    keys.press(Keys.ENTER)                    # the earliest time has the focus
    wait_for_heading(browser, "Проверка записи")
    assert axe_serious_violations(browser) == []
    keys.press(Keys.ENTER)                    # «Записать» has the focus
    wait_for_heading(browser, "Записан")
    readback = browser.find_element(By.ID, "readback").text
    assert "кабинет" in readback and "полис ОМС и паспорт" in readback
    assert axe_serious_violations(browser) == []
    print(f"\nkeystrokes from the search to the read-back: {keys.count} (the policy's {len(policy)} characters included)")
    assert keys.count <= 40


def _search(browser, registry, **fields):
    """Fills the search form (a fresh one) with `fields` and sends it; returns the results heading."""
    browser.get(registry + "/operator")
    wait_for_heading(browser, "Поиск пациента")
    for name, value in fields.items():
        browser.find_element(By.ID, name).send_keys(value)
    with next_page(browser, "Поиск пациента"):
        browser.find_element(By.ID, "number").send_keys(Keys.ENTER) if "number" in fields else browser.find_element(By.ID, "birthDate").send_keys(Keys.ENTER)
    return browser.find_element(By.ID, "results-heading").text


def test_an_operator_finds_a_caller_by_each_key_and_a_supervisor_sees_it(registry, browser):
    _ensure_account("operator.four", "operator")
    _ensure_account("chief.two", "supervisor")
    row = demo_people("--clinic", "101", "--count", "1", "--skip", "5", "--keys")[0]
    policy, birth, snils, document, last_name, first_name = row[0], row[1], row[4], row[5], row[6], row[7]
    _sign_in_by_keyboard(browser, registry, "operator.four")
    wait_for_heading(browser, "Поиск пациента")
    snils_typed = f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
    for fields in ({"number": snils_typed}, {"number": document}, {"lastName": last_name, "firstName": first_name, "birthDate": birth}):
        heading = _search(browser, registry, **fields)
        assert heading.startswith("Найдено"), (fields, heading)
        assert birth in browser.find_element(By.CSS_SELECTOR, ".desk-table tbody").text
    assert axe_serious_violations(browser) == []
    browser.find_element(By.CSS_SELECTOR, ".desk-nav__button").click()
    wait_for_heading(browser, "Вход для сотрудников")

    # The supervisor finds those searches in the trail, by the operator and by the patient.
    _sign_in_by_keyboard(browser, registry, "chief.two", "/staff/audit")
    wait_for_heading(browser, "Журнал действий")
    assert axe_serious_violations(browser) == []
    browser.find_element(By.ID, "policy").send_keys(policy)
    with next_page(browser, "Журнал действий"):
        browser.find_element(By.ID, "birthDate").send_keys(birth, Keys.ENTER)
    table = browser.find_element(By.CSS_SELECTOR, ".desk-table tbody").text
    assert table.count("пациент в результатах поиска") == 3 and "operator.four" in table
    # The results name the patient by their key only (the form keeps what the supervisor typed).
    assert policy not in table
    assert axe_serious_violations(browser) == []


def test_an_operator_books_the_earliest_time_moves_it_is_refused_and_cancels(registry, browser):
    from selenium.webdriver.support.ui import Select
    _ensure_account("operator.five", "operator")
    policy = demo_people("--clinic", "101", "--count", "1", "--skip", "7")[0][0]
    _sign_in_by_keyboard(browser, registry, "operator.five")
    wait_for_heading(browser, "Поиск пациента")
    keys = Keyboard(browser)
    keys.type(policy)
    with next_page(browser, "Поиск пациента"):
        keys.press(Keys.ENTER)
    name = browser.find_element(By.CSS_SELECTOR, ".desk-table tbody th").text
    keys.access_key("1")
    wait_for_heading(browser, name)
    # The earliest surgeon in any of the caller's clinics.
    keys.access_key("t")
    wait_for_heading(browser, "Ближайшее свободное время")
    Select(browser.find_element(By.ID, "specialty")).select_by_visible_text("Хирург")
    keys.press(Keys.TAB)                                     # to «Найти»
    with next_page(browser, "Ближайшее свободное время"):
        keys.press(Keys.ENTER)
    assert axe_serious_violations(browser) == []
    keys.press(Keys.ENTER)                                   # the earliest time has the focus
    wait_for_heading(browser, "Проверка записи")
    keys.press(Keys.ENTER)
    wait_for_heading(browser, "Записан")

    # Moved to another time, with the caller's reason.
    browser.find_element(By.CSS_SELECTOR, ".desk-caller a").click()
    wait_for_heading(browser, name)
    browser.find_element(By.PARTIAL_LINK_TEXT, "Перенести").click()
    wait_for_heading(browser, "Перенос записи")
    assert axe_serious_violations(browser) == []
    # To the next day with free times: the rest of today may hold no other surgeon's time late in the day.
    days = browser.find_elements(By.CSS_SELECTOR, ".desk-day")
    assert len(days) > 1, "the surgeon has free times on one day only"
    booked_day = days[1].get_attribute("aria-labelledby")
    days[1].find_elements(By.CSS_SELECTOR, "a.time")[0].click()
    wait_for_heading(browser, "Проверка переноса")
    assert axe_serious_violations(browser) == []
    browser.switch_to.active_element.send_keys("просит позже", Keys.ENTER)
    wait_for_heading(browser, "Записан")

    # Another surgeon's time that day is refused by the same rule as on the site, in the operator's words.
    browser.find_element(By.CSS_SELECTOR, ".desk-caller a").click()
    wait_for_heading(browser, name)
    browser.get(registry + "/operator/book")
    wait_for_heading(browser, "Поликлиника")
    browser.find_element(By.CSS_SELECTOR, "#desk-choices a").click()
    browser.find_element(By.PARTIAL_LINK_TEXT, "Хирург").click()
    # The first surgeon with free times that day, found by the day's key (the same on every doctor's page).
    surgeons = [link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, "#desk-choices a")]
    section = None
    for surgeon in surgeons:
        browser.get(surgeon)  # a page rendered on the server: loaded when get returns
        section = next((s for s in browser.find_elements(By.CSS_SELECTOR, ".desk-day")
                        if s.get_attribute("aria-labelledby") == booked_day and s.find_elements(By.CSS_SELECTOR, "a.time")), None)
        if section:
            break
    assert section, f"no surgeon has a free time on {booked_day}"
    section.find_elements(By.CSS_SELECTOR, "a.time")[0].click()
    wait_for_heading(browser, "Записать нельзя")
    assert "У пациента уже есть запись" in browser.page_source
    assert axe_serious_violations(browser) == []

    # Cancelled from the card, with the reason.
    browser.find_element(By.CSS_SELECTOR, ".desk-caller a").click()
    wait_for_heading(browser, name)
    browser.find_element(By.PARTIAL_LINK_TEXT, "Отменить").click()
    wait_for_heading(browser, "Отменить запись?")
    assert axe_serious_violations(browser) == []
    browser.switch_to.active_element.send_keys("заболел", Keys.ENTER)
    wait_for_heading(browser, name)
    assert "Запись отменена" in browser.page_source
    assert axe_serious_violations(browser) == []

    # A supervisor finds each of those actions of this operator in the trail.
    browser.find_element(By.CSS_SELECTOR, ".desk-nav__button").click()
    wait_for_heading(browser, "Вход для сотрудников")
    _ensure_account("chief.three", "supervisor")
    _sign_in_by_keyboard(browser, registry, "chief.three", "/staff/audit")
    wait_for_heading(browser, "Журнал действий")
    for action in ("запись на приём", "перенос записи", "отмена записи"):
        Select(browser.find_element(By.ID, "account")).select_by_visible_text("Сотрудник operator.five (operator.five)")
        Select(browser.find_element(By.ID, "action")).select_by_visible_text(action)
        with next_page(browser, "Журнал действий"):
            browser.find_element(By.CSS_SELECTOR, "form.desk-search button[accesskey=f]").click()
        table = browser.find_element(By.CSS_SELECTOR, ".desk-table tbody").text
        assert action in table and "operator.five" in table, (action, table)
    assert axe_serious_violations(browser) == []


def _copy_of_the_registry() -> Path:
    """The running registry's database, its audit key and checkpoints, copied to a folder of their own."""
    import sqlite3
    import tempfile
    copy = Path(tempfile.mkdtemp(prefix="registratura-tamper-"))
    data = Path(os.environ["REGISTRATURA_TEST_DATA"])
    source = sqlite3.connect(data / "registry.sqlite")
    target = sqlite3.connect(copy / "registry.sqlite")
    source.backup(target)
    source.close()
    target.close()
    shutil.copy(data / "audit.key", copy / "audit.key")
    return copy


def _plain_hash(line: dict, previous: str) -> str:
    """The line's hash as someone without the audit key can recompute it (SHA-256 of the fields)."""
    import hashlib
    fields = [str(line["sequence"]), str(line["at_ms"]), line["actor"], line["action"], line["patient_key"] or "\0", line["detail"], line["address"] or "\0", previous]
    return hashlib.sha256("|".join(f"{len(field.encode())}:{field}" for field in fields).encode()).hexdigest()


def test_a_line_changed_behind_the_stores_back_breaks_the_chain(registry):
    """A copy of the running registry's database, one audit line edited around the trigger: `audit verify` names it."""
    import sqlite3
    copy = _copy_of_the_registry()
    intact = _registratura_in(copy, "audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout, intact.stdout + intact.stderr
    target = sqlite3.connect(copy / "registry.sqlite")
    target.execute("DROP TRIGGER audit_append_only_update")
    target.execute("UPDATE audit SET detail = 'changed' WHERE sequence = 2")
    target.commit()
    target.close()
    broken = _registratura_in(copy, "audit", "verify")
    assert broken.returncode == 1 and "broken at line 2: its content was changed" in broken.stdout, broken.stdout + broken.stderr


def test_a_rewritten_or_cut_trail_is_caught_by_its_key_and_its_checkpoints(registry):
    """Rewriting a line and recomputing every later hash, or deleting the newest lines, leaves a chain that
    holds together — the audit key and a checkpoint recorded outside the store catch both."""
    import sqlite3
    copy = _copy_of_the_registry()
    recorded = _registratura_in(copy, "audit", "checkpoint")
    assert recorded.returncode == 0 and "checkpoint recorded" in recorded.stdout, recorded.stdout + recorded.stderr
    database = sqlite3.connect(copy / "registry.sqlite")
    database.row_factory = sqlite3.Row
    database.execute("DROP TRIGGER audit_append_only_update")
    database.execute("DROP TRIGGER audit_append_only_delete")
    lines = [dict(row) for row in database.execute("SELECT * FROM audit ORDER BY sequence")]
    assert len(lines) >= 4 and all(line["hash"].startswith("hmac:") for line in lines), "the running registry keys its chain"

    # Cut: the newest two lines deleted. What is left holds together; the checkpoint names the lost head.
    database.execute("DELETE FROM audit WHERE sequence > ?", (lines[-3]["sequence"],))
    database.commit()
    cut = _registratura_in(copy, "audit", "verify")
    assert cut.returncode == 1 and "lines were deleted" in cut.stdout, cut.stdout + cut.stderr

    # Rewritten: line 2 changed and every later hash recomputed, without the key.
    previous = lines[0]["hash"]
    for line in lines[1:-2]:
        if line["sequence"] == 2:
            line["detail"] = "changed"
        line["previous_hash"] = previous
        line["hash"] = _plain_hash(line, previous)
        database.execute("UPDATE audit SET detail = ?, previous_hash = ?, hash = ? WHERE sequence = ?", (line["detail"], line["previous_hash"], line["hash"], line["sequence"]))
        previous = line["hash"]
    database.commit()
    database.close()
    rewritten = _registratura_in(copy, "audit", "verify", "--checkpoints", str(copy / "none"))
    assert rewritten.returncode == 1 and "broken at line 2" in rewritten.stdout, rewritten.stdout + rewritten.stderr


def _registratura_in(data: Path, *arguments: str) -> subprocess.CompletedProcess:
    binary = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))
    return subprocess.run([binary, *arguments, "--data-dir", str(data)], capture_output=True, text=True, timeout=60)
