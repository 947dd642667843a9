"""The registry binary as a process for resilience tests (hostile MIS gateways, slow clients), and a plain HTTP fetch."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Registry:
    """One `registratura serve` process; `stop()` ends it."""

    def __init__(self, gateway_url: str, extra_environment: dict | None = None):
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix="registratura-resilience-")
        environment = dict(os.environ)
        environment["REGISTRATURA_MIS"] = f"hostile|{gateway_url}|registry|secret"
        environment.update(extra_environment or {})
        self.log_path = Path(self.data) / "registry.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", str(self.port), "--data-dir", self.data, "--templates", str(ROOT / "Templates"), "--public", str(ROOT / "Public")],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=5):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("registry did not start:\n" + self.log_path.read_text(errors="replace"))
                time.sleep(0.1)

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
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
