"""Browser tests: a real registry process and a real headless Chromium driven through WebDriver."""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import importlib.util

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from registry_launcher import BINARY, RegistryProcess, free_port  # noqa: E402


@pytest.fixture(scope="session")
def registry():
    """Starts the whole system — the reference MIS with its demo region and the registry reading it
    (`registratura demo`) — and yields its base URL; stops it afterwards."""
    data = tempfile.mkdtemp(prefix="registratura-browser-")
    mis_port = free_port()
    # /districts answers only once the reference MIS behind the registry is up and seeded.
    process = RegistryProcess(Path(data), command=("demo", "--mis-port", str(mis_port)), ready_path="/districts", ready_seconds=90)
    os.environ["REGISTRATURA_TEST_DATA"] = data
    os.environ["REGISTRATURA_TEST_MIS_PORT"] = str(mis_port)
    yield process.base
    process.stop()
    shutil.rmtree(data, ignore_errors=True)


def demo_people(*options: str) -> list:
    """Asks the running demo's reference MIS whom to try (`registratura mis people`): rows of fields."""
    database = os.path.join(os.environ["REGISTRATURA_TEST_DATA"], "reference-mis.sqlite")
    output = subprocess.run([BINARY, "mis", "people", "--database", database, *options],
                            check=True, capture_output=True, text=True, timeout=30).stdout
    return [line.split("\t") for line in output.splitlines() if line]


def start_registry(extra_environment: dict) -> tuple:
    """Starts one more registry (`serve`) reading the fixture's reference MIS, with extra settings;
    returns (process, base URL, data directory). The caller stops it (`process.stop()`)."""
    data = tempfile.mkdtemp(prefix="registratura-extra-")
    environment = {"REGISTRATURA_MIS": f"reference|http://127.0.0.1:{os.environ['REGISTRATURA_TEST_MIS_PORT']}/serverais|registry|demo-secret", **extra_environment}
    process = RegistryProcess(Path(data), environment, ready_path="/health")
    return process, process.base, data


def _chrome(javascript: bool = True, width: int = 1280, height: int = 900) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=ru"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


@pytest.fixture
def browser():
    driver = _chrome()
    yield driver
    driver.quit()


@pytest.fixture
def browser_without_javascript():
    driver = _chrome(javascript=False)
    yield driver
    driver.quit()


@pytest.fixture
def phone_browser():
    driver = _chrome(width=390, height=844)
    yield driver
    driver.quit()


def _axe_script() -> str:
    """The current axe-core, as shipped inside axe-playwright-python (found without importing it)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("axe-playwright-python is not installed; run scripts/test")
    return str(Path(list(spec.submodule_search_locations)[0]) / "axe.min.js")


def axe_serious_violations(driver) -> list:
    """Runs axe (WCAG 2.0–2.2 A/AA and best practices) on the current page; returns serious and critical violations."""
    axe = Axe(driver, script_url=_axe_script())
    axe.inject()
    driver.set_script_timeout(60)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    results = axe.run(options={"runOnly": {"type": "tag", "values": tags}})
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
