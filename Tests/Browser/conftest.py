"""Browser tests: a real registry process and a real headless Chromium driven through WebDriver."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import importlib.util

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def registry():
    """Starts the registry on a free port and yields its base URL; stops it afterwards."""
    binary = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))
    port = _free_port()
    mis_port = _free_port()
    data = tempfile.mkdtemp(prefix="registratura-browser-")
    # The whole system: the reference MIS (demo region) and the registry reading it.
    # Its output goes to a file: a pipe nobody reads fills up (64 KiB of request logs) and then every
    # log line the server writes blocks it — the whole registry stops answering.
    log_path = Path(data) / "registry.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [binary, "demo", "--port", str(port), "--mis-port", str(mis_port), "--data-dir", data,
         "--templates", str(ROOT / "Templates"), "--public", str(ROOT / "Public")],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            # /districts answers only once the reference MIS behind the registry is up and seeded.
            with urllib.request.urlopen(base + "/districts", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"registry did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
    os.environ["REGISTRATURA_TEST_DATA"] = data
    os.environ["REGISTRATURA_TEST_MIS_PORT"] = str(mis_port)
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()
    shutil.rmtree(data, ignore_errors=True)


def demo_people(*options: str) -> list:
    """Asks the running demo's reference MIS whom to try (`registratura mis people`): rows of fields."""
    binary = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))
    database = os.path.join(os.environ["REGISTRATURA_TEST_DATA"], "reference-mis.sqlite")
    output = subprocess.run([binary, "mis", "people", "--database", database, *options],
                            check=True, capture_output=True, text=True, timeout=30).stdout
    return [line.split("\t") for line in output.splitlines() if line]


def start_registry(extra_environment: dict) -> tuple:
    """Starts one more registry (`serve`) reading the fixture's reference MIS, with extra settings;
    returns (process, base URL, data directory). The caller stops it."""
    binary = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))
    port = _free_port()
    data = tempfile.mkdtemp(prefix="registratura-extra-")
    environment = dict(os.environ)
    environment["REGISTRATURA_MIS"] = f"reference|http://127.0.0.1:{os.environ['REGISTRATURA_TEST_MIS_PORT']}/serverais|registry|demo-secret"
    environment.update(extra_environment)
    # Output to a file, never an unread pipe (see `registry`).
    log_path = Path(data) / "registry.log"
    process = subprocess.Popen(
        [binary, "serve", "--port", str(port), "--data-dir", data, "--templates", str(ROOT / "Templates"), "--public", str(ROOT / "Public")],
        stdout=open(log_path, "wb"), stderr=subprocess.STDOUT, env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=5):
                return process, base, data
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"registry did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)


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
