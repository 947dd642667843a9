"""The registry binary as a process for resilience tests (hostile MIS gateways, slow clients), and a plain HTTP fetch."""
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Support"))
from registry_launcher import BINARY, RegistryProcess, free_port  # noqa: E402,F401


class Registry(RegistryProcess):
    """One `registratura serve` process reading the gateway at `gateway_url`; `stop()` ends it and removes its folder."""

    def __init__(self, gateway_url: str, extra_environment: dict | None = None):
        environment = {"REGISTRATURA_MIS": f"hostile|{gateway_url}|registry|secret", **(extra_environment or {})}
        super().__init__(Path(tempfile.mkdtemp(prefix="registratura-resilience-")), environment, ready_path="/health")

    def stop(self):
        super().stop()
        shutil.rmtree(self.data, ignore_errors=True)


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 15) -> tuple:
    """(status, body text, headers, seconds taken); HTTP errors are answers too."""
    started = time.monotonic()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace"), response.headers, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers, time.monotonic() - started
