"""The one way the Python suites start the registry binary: `registratura serve` (or `demo`) on a free
loopback port with its own data folder, its output in a file there, ready once a page answers."""
import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("REGISTRATURA_BINARY", str(ROOT / ".build/debug/registratura"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, seconds: float, what: str, pause: float = 0.2):
    """Calls `check` until it returns something true; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(pause)


def http_status(url: str) -> int:
    """The status of a GET, or 0 when nothing answers."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", parts.path or "/")
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


class RegistryProcess:
    """One registry process on `port` (a free one by default) with data folder `data` and extra
    `environment`. Its output goes to `log_name` in the data folder — never to a pipe nobody reads,
    which fills up (64 KiB of request logs) and then blocks every log line the server writes. It is
    ready once `ready_path` answers 200; `start` again after `kill` or `stop` reuses the folder."""

    def __init__(self, data: Path, environment: dict | None = None, command: tuple = ("serve",), ready_path: str = "/health/ready",
                 port: int | None = None, log_name: str = "registry.log", ready_seconds: float = 60):
        self.data = Path(data)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = dict(os.environ, **(environment or {}))
        self.command = command
        self.ready_path = ready_path
        self.ready_seconds = ready_seconds
        self.log_path = self.data / log_name
        self.log = None
        self.process = None
        self.start()

    def start(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [BINARY, *self.command, "--port", str(self.port), "--data-dir", str(self.data),
             "--templates", str(ROOT / "Templates"), "--public", str(ROOT / "Public")],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.environment,
        )
        try:
            wait_until(lambda: self.process.poll() is not None or http_status(self.base + self.ready_path) == 200, self.ready_seconds,
                       "the registry did not start")
        except AssertionError as error:
            raise RuntimeError(f"{error}:\n{self.output()}") from None
        if self.process.poll() is not None:
            raise RuntimeError("the registry stopped:\n" + self.output())

    def kill(self):
        """`kill -9`: no shutdown, no last writes."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log and not self.log.closed:
            self.log.close()

    def output(self) -> str:
        if self.log and not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
