"""For each way a MIS can misbehave: the patient gets a clear Russian page within 5 s, the registry
keeps serving, and its memory comes back to normal."""
import concurrent.futures
import re
import time
import urllib.parse

import pytest

from registry_process import Registry, fetch
from hostile_gateway import MODES, HostileGateway

#: What a patient must be answered within, whatever the MIS does.
PATIENT_DEADLINE = 5.0
#: How far the registry's resident memory may stay above its level before the attack.
MEMORY_SLACK_KIB = 64 * 1024


def _identify(registry: Registry) -> tuple:
    """Opens the identification form and posts it: (status, body, headers, seconds)."""
    status, form, headers, _ = fetch(registry.base + "/identify")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
    body = urllib.parse.urlencode({"policy": "7700 0000 0000 0008", "birthDate": "01.01.1990", "csrf": token}).encode()
    return fetch(registry.base + "/identify", body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})


@pytest.mark.parametrize("mode", MODES)
def test_a_misbehaving_mis_gives_a_clear_page_in_time(mode):
    gateway = HostileGateway(mode)
    registry = Registry(gateway.url)
    try:
        # A page that needs nothing of the MIS, to warm up, and the memory it then takes.
        assert fetch(registry.base + "/")[0] == 200
        baseline = registry.rss_kib()

        # Several patients at once reach pages that need the MIS.
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            pages = list(pool.map(lambda _: fetch(registry.base + "/districts"), range(6)))
            identifications = list(pool.map(lambda _: _identify(registry), range(2)))
        for status, body, headers, seconds in pages:
            assert status == 503, (mode, status, body[:300])
            assert seconds < PATIENT_DEADLINE, (mode, seconds)
            assert "Сервис временно недоступен" in body and "Попробовать ещё раз" in body, mode
            assert headers["Retry-After"] == "30"
        for status, body, _, seconds in identifications:
            assert status == 503, (mode, status, body[:300])
            assert seconds < PATIENT_DEADLINE, (mode, seconds)
            assert "Поликлиники сейчас не отвечают" in body, mode
            assert 'value="7700 0000 0000 0008"' in body, "the typed form is kept"
        assert gateway.requests >= 1, "the registry did ask the gateway"

        # The registry still serves what does not need the MIS, at once.
        status, _, _, seconds = fetch(registry.base + "/health")
        assert status == 200 and seconds < 1
        assert fetch(registry.base + "/css/base.css")[0] == 200

        # Memory back to normal once the answers are dropped.
        time.sleep(1)
        assert registry.rss_kib() - baseline < MEMORY_SLACK_KIB, (mode, baseline, registry.rss_kib())
        output = registry.output()
        assert "Traceback" not in output and "Fatal error" not in output
        assert " error " not in output.replace("error.type", ""), output[-2000:]
    finally:
        registry.stop()
        gateway.stop()
