"""The clinic's staff in a real browser: an administrator gives a registrar and a head of clinic their
clinics; the registrar reads, prints (A4 portrait) and downloads the day list; the head prints a week
and a month of doctors' schedules (A4 landscape, every doctor starting a page). Every page is checked
with axe, and the day list works without JavaScript."""
import base64
import datetime
import re
import time
import urllib.request
from zoneinfo import ZoneInfo

from conftest import axe_serious_violations
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_operator import PASSWORD, _ensure_account, _registratura, _sign_in_by_keyboard
from test_site import next_page, wait_for_heading


def _last_workday() -> str:
    """The last Monday-to-Friday before today in Moscow: a day of the demo's history."""
    day = datetime.datetime.now(ZoneInfo("Europe/Moscow")).date()
    while True:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            return day.isoformat()


def _pdf(browser) -> bytes:
    return base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "generateDocumentOutline": True})["data"])


def _pdf_objects(pdf: bytes) -> dict:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)}


def _pages(pdf: bytes) -> list:
    """The page objects in reading order, from the page tree: (object number, width, height)."""
    objects = _pdf_objects(pdf)
    root = int(re.search(rb"/Root\s+(\d+) 0 R", pdf).group(1))
    top = int(re.search(rb"/Pages\s+(\d+) 0 R", objects[root]).group(1))
    pages = []

    def walk(number: int):
        body = objects[number]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids and re.search(rb"/Type\s*/Pages", body):
            for kid in re.findall(rb"(\d+) 0 R", kids.group(1)):
                walk(int(kid))
        else:
            box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", body).group(1).split()]
            pages.append((number, box[2] - box[0], box[3] - box[1]))

    walk(top)
    return pages


def _outline(pdf: bytes) -> list:
    """The document outline's entries (the pages' headings): (title, page object number, height on the page)."""
    entries = []
    for body in _pdf_objects(pdf).values():
        title = re.search(rb"/Title\s*<FEFF([0-9A-Fa-f]*)>", body)
        dest = re.search(rb"/Dest\s*\[(\d+) 0 R /XYZ [0-9.\-]+ ([0-9.\-]+)", body)
        if title and dest:
            entries.append((bytes.fromhex(title.group(1).decode()).decode("utf-16-be"), int(dest.group(1)), float(dest.group(2))))
    return entries


def _create_clinic_account(browser, login: str, role_label: str, clinics: list):
    browser.find_element(By.ID, "login").send_keys(login)
    browser.find_element(By.ID, "name").send_keys(f"Сотрудник {login}")
    Select(browser.find_element(By.ID, "role")).select_by_visible_text(role_label)
    for clinic in clinics:
        browser.find_element(By.NAME, f"clinic-{clinic}").click()
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    with next_page(browser, "Учётные записи"):
        browser.find_element(By.XPATH, "//button[text()='Создать']").click()
    assert f"<strong>{login}</strong> создана" in browser.page_source


def _sign_out(browser):
    browser.find_element(By.CSS_SELECTOR, ".desk-nav__button").click()
    wait_for_heading(browser, "Вход для сотрудников")


def test_a_registrar_and_a_head_made_by_an_administrator_read_print_and_download(registry, browser):
    _ensure_account("clinic.admin", "administrator")
    _sign_in_by_keyboard(browser, registry, "clinic.admin", "/staff/accounts")
    wait_for_heading(browser, "Учётные записи")
    assert axe_serious_violations(browser) == []
    # A registrar needs a clinic: the form says so, on the clinics' group.
    browser.find_element(By.ID, "login").send_keys("reg.noclinic")
    browser.find_element(By.ID, "name").send_keys("Без поликлиники")
    Select(browser.find_element(By.ID, "role")).select_by_visible_text("регистратор поликлиники")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    with next_page(browser, "Учётные записи"):
        browser.find_element(By.XPATH, "//button[text()='Создать']").click()
    assert "отметьте хотя бы одну поликлинику" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert axe_serious_violations(browser) == []
    browser.get(registry + "/staff/accounts")
    wait_for_heading(browser, "Учётные записи")
    _create_clinic_account(browser, "reg.browser", "регистратор поликлиники", ["101"])
    _create_clinic_account(browser, "head.browser", "руководитель поликлиники", ["101", "102"])
    browser.find_element(By.XPATH, "//a[contains(., 'Роль и поликлиники') and contains(., 'reg.browser')]").click()
    wait_for_heading(browser, "Роль и поликлиники")
    assert browser.find_element(By.NAME, "clinic-101").is_selected()
    assert axe_serious_violations(browser) == []
    _sign_out(browser)

    # The registrar: their clinic on the start page, the day list of the last working day.
    _sign_in_by_keyboard(browser, registry, "reg.browser", "/staff")
    wait_for_heading(browser, "Рабочее место")
    assert "Поликлиника № 1" in browser.page_source
    assert axe_serious_violations(browser) == []
    day = _last_workday()
    browser.get(f"{registry}/staff/clinics/101/day?day={day}")
    wait_for_heading(browser, "Список дня")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.staff-day tbody tr")
    assert len(rows) > 5 and "пришёл" in browser.page_source
    assert axe_serious_violations(browser) == []
    # To print: A4 portrait, nothing but the list.
    with next_page(browser, "Список дня: Поликлиника № 1"):
        browser.find_element(By.LINK_TEXT, "Версия для печати").click()
    assert axe_serious_violations(browser) == []
    pages = _pages(_pdf(browser))
    assert pages and all(abs(width - 595.3) < 2 and abs(height - 841.9) < 2 for _, width, height in pages), pages
    # The spreadsheet, as the browser's session downloads it.
    session = browser.get_cookie("staff")["value"]
    request = urllib.request.Request(f"{registry}/staff/clinics/101/day/export?day={day}", headers={"Cookie": f"staff={session}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers["Content-Disposition"] == f'attachment; filename="day-list-101-{day}.csv"'
        text = answer.read().decode("utf-8")
    assert text.startswith('\ufeff"время";"врач"') and text.count("\r\n") == len(rows) + 1
    # Another clinic's list: refused, with what to do.
    browser.get(f"{registry}/staff/clinics/102/day")
    wait_for_heading(browser, "Это не ваша поликлиника")
    assert axe_serious_violations(browser) == []
    _sign_out(browser)

    # The head: a week of every doctor, a sheet each starting its own landscape page.
    _sign_in_by_keyboard(browser, registry, "head.browser", "/staff/clinics/101/schedules")
    wait_for_heading(browser, "Расписание врачей")
    assert axe_serious_violations(browser) == []
    monday = datetime.date.fromisoformat(day) - datetime.timedelta(days=datetime.date.fromisoformat(day).weekday())
    browser.get(f"{registry}/staff/clinics/101/schedules/print?from={monday.isoformat()}&period=week")
    doctors = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "section.staff-sheet h1")]
    assert len(doctors) >= 5
    assert axe_serious_violations(browser) == []
    pdf = _pdf(browser)
    pages = _pages(pdf)
    assert all(width > height and abs(width - 841.9) < 2 for _, width, height in pages), pages
    starts = {title: (page, y) for title, page, y in _outline(pdf) if title in doctors}
    assert sorted(starts) == sorted(doctors), starts
    order = [number for number, _, _ in pages]
    assert len({page for page, _ in starts.values()}) == len(doctors), "every doctor starts a page of their own"
    assert all(y > 594.96 - 80 for _, y in starts.values()), "each doctor's name heads their page"
    assert [order.index(starts[name][0]) for name in doctors] == sorted(order.index(starts[name][0]) for name in doctors)
    # A month of one doctor: still landscape, their name on the first page.
    browser.get(f"{registry}/staff/clinics/101/schedules")
    first = Select(browser.find_element(By.ID, "doctor")).options[1].get_attribute("value")
    browser.get(f"{registry}/staff/clinics/101/schedules/print?from={day}&period=month&doctor={first}")
    pdf = _pdf(browser)
    pages = _pages(pdf)
    assert len(pages) >= 2 and all(width > height for _, width, height in pages)
    name = browser.find_element(By.CSS_SELECTOR, "section.staff-sheet h1").text
    assert [title for title, page, _ in _outline(pdf) if page == pages[0][0]][:1] == [name]


def test_the_day_list_works_without_javascript(registry, browser_without_javascript):
    browser = browser_without_javascript
    assert _ensure_registrar("reg.nojs")
    day = _last_workday()
    _sign_in_by_keyboard(browser, registry, "reg.nojs", f"/staff/clinics/101/day?day={day}")
    wait_for_heading(browser, "Список дня")
    assert browser.find_element(By.ID, "day").get_attribute("value") == day
    Select(browser.find_element(By.ID, "doctor")).select_by_index(1)
    chosen = Select(browser.find_element(By.ID, "doctor")).first_selected_option.text.split(" — ")[0]
    with next_page(browser, "Список дня"):
        browser.find_element(By.XPATH, "//button[text()='Показать']").click()
    assert f"day={day}" in browser.current_url and "doctor=" in browser.current_url
    doctors = {cell.text.split("\n")[0] for cell in browser.find_elements(By.CSS_SELECTOR, "table.staff-day tbody td:nth-child(2)")}
    assert doctors <= {chosen}
    # The next day, by its link.
    with next_page(browser, "Список дня"):
        browser.find_element(By.PARTIAL_LINK_TEXT, "Следующий день").click()
    assert f"day={(datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()}" in browser.current_url


def _ensure_registrar(login: str) -> bool:
    created = _registratura("accounts", "create", "--login", login, "--name", f"Сотрудник {login}", "--role", "registrar", "--clinic", "101", password=PASSWORD)
    return created.returncode == 0 or "taken" in created.stderr


def test_a_supervisor_reads_the_regions_statistics_as_charts_tables_and_csv(registry, browser, browser_without_javascript):
    _ensure_account("chief.stats", "supervisor")
    _sign_in_by_keyboard(browser, registry, "chief.stats", "/staff/statistics?period=range&from=" + _last_workday() + "&to=" + _last_workday())
    wait_for_heading(browser, "Статистика")
    # The registry fills its figures from the MIS soon after it starts: wait for them.
    for _ in range(60):
        if browser.find_elements(By.CSS_SELECTOR, "#channels svg rect"):
            break
        time.sleep(1)
        browser.refresh()
        wait_for_heading(browser, "Статистика")
    bars = browser.find_elements(By.CSS_SELECTOR, "#channels svg rect")
    rows = browser.find_elements(By.CSS_SELECTOR, "#channels table tbody tr")
    assert bars and len(bars) == len(rows)
    # The chart is drawn (a real box on the page) and named for a screen reader.
    svg = browser.find_element(By.CSS_SELECTOR, "#channels svg")
    assert svg.size["width"] > 300 and svg.get_attribute("role") == "img"
    assert browser.find_element(By.ID, "chart-channels-title").get_attribute("textContent") == "Записи по каналам"
    assert axe_serious_violations(browser) == []
    # The same page without JavaScript: another basis chosen by the form.
    plain = browser_without_javascript
    _sign_in_by_keyboard(plain, registry, "chief.stats", "/staff/statistics")
    wait_for_heading(plain, "Статистика")
    Select(plain.find_element(By.ID, "basis")).select_by_visible_text("по дню приёма")
    with next_page(plain, "Статистика"):
        plain.find_element(By.XPATH, "//button[text()='Показать']").click()
    assert "basis=visit" in plain.current_url and "Считается по дню приёма" in plain.page_source
