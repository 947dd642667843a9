"""Half-sent requests (slowloris), slow bodies, idle connections and floods from one address are cut
off by both servers — the registry and the reference MIS gateway — while others are still served."""
import select
import socket
import subprocess
import tempfile
import time
import shutil
import urllib.request

from registry_process import BINARY, Registry, fetch, free_port
from hostile_gateway import HostileGateway

HEAD_TIMEOUT = 2
PER_ADDRESS = 40


def _is_closed(connection: socket.socket) -> bool:
    """Whether the server has closed (or reset) the connection; a connection still open times out."""
    connection.settimeout(0.05)
    try:
        return connection.recv(4096) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def _half_requests(port: int, count: int) -> list:
    sockets = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(connection)
    return sockets


def _wait_until_all_closed(sockets: list, within: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if all(_is_closed(s) for s in sockets):
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{sum(not _is_closed(s) for s in sockets)} of {len(sockets)} connections still open after {within} s")


def _served_from_another_address(url: str) -> int:
    """GET `url` from 127.0.0.2 (another loopback address), as another client would."""
    host, port = "127.0.0.1", int(url.split(":")[2].split("/")[0])
    path = "/" + url.split("/", 3)[3]
    with socket.create_connection((host, port), timeout=5, source_address=("127.0.0.2", 0)) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def _oversized_body(port: int, path: str) -> tuple:
    """Starts sending a 100 MB form as fast as the server takes it, reading whatever it answers
    meanwhile: (status line, bytes sent before the server closed the connection, seconds)."""
    total = 100 * 1024 * 1024
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       f"Content-Length: {total}\r\n\r\n".encode())
    chunk, sent, answer, started = b"a" * 65536, 0, b"", time.monotonic()
    try:
        while sent < total and time.monotonic() - started < 20:
            readable, writable, _ = select.select([connection], [connection], [], 1)
            if readable:
                data = connection.recv(65536)
                if not data:
                    break
                answer += data
            if writable:
                sent += connection.send(chunk)
    except OSError:
        pass
    finally:
        connection.close()
    return answer.split(b"\r\n")[0], sent, time.monotonic() - started


def _assert_oversized_refused_at_once(port: int, path: str, status: bytes):
    # The answer comes as soon as the limit is passed, and the rest of the body is not read: the
    # server closes the connection long before 100 MB have gone (what is sent meanwhile fills the
    # kernel's buffers and a short linger that lets the client read the answer).
    line, sent, seconds = _oversized_body(port, path)
    assert line.startswith(b"HTTP/1.1 " + status), line
    assert sent < 16 * 1024 * 1024, f"{sent} bytes read before the connection closed"
    assert seconds < 5, seconds


def _check_registry(port: int, health_url: str):
    _assert_oversized_refused_at_once(port, "/identify", b"413")

    # A flood of half-sent requests from one address: beyond its share, connections are refused at once.
    flood = _half_requests(port, 100)
    time.sleep(0.5)
    open_now = sum(not _is_closed(s) for s in flood)
    assert open_now <= PER_ADDRESS, open_now
    # Meanwhile another client is served.
    assert _served_from_another_address(health_url) == 200
    # The half-sent heads are cut off after the head timeout, not held for ever.
    _wait_until_all_closed(flood, within=HEAD_TIMEOUT + 3)
    for s in flood:
        s.close()

    # A body that stops half-way is cut off too (the body may take twice the head's time).
    slow_body = socket.create_connection(("127.0.0.1", port))
    slow_body.sendall(b"POST /identify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\npolicy=1")
    _wait_until_all_closed([slow_body], within=2 * HEAD_TIMEOUT + 3)
    slow_body.close()

    # A kept-alive connection left idle after its answer is closed after the same time.
    idle = socket.create_connection(("127.0.0.1", port))
    idle.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    idle.settimeout(5)
    assert idle.recv(65536).startswith(b"HTTP/1.1 200")
    time.sleep(0.5)
    assert not _is_closed(idle), "an idle connection may stay a moment"
    _wait_until_all_closed([idle], within=HEAD_TIMEOUT + 3)
    idle.close()

    # After all that, the address is served again.
    with urllib.request.urlopen(health_url, timeout=5) as response:
        assert response.status == 200


def test_the_registry_cuts_off_slow_and_idle_clients():
    gateway = HostileGateway("html")
    registry = Registry(gateway.url, {"REGISTRATURA_REQUEST_HEAD_TIMEOUT_SECONDS": str(HEAD_TIMEOUT), "REGISTRATURA_CONNECTIONS_PER_ADDRESS": str(PER_ADDRESS)})
    try:
        _check_registry(registry.port, registry.base + "/health")
    finally:
        registry.stop()
        gateway.stop()


def test_the_reference_mis_gateway_cuts_off_slow_and_idle_clients():
    port = free_port()
    data = tempfile.mkdtemp(prefix="registratura-mis-slow-")
    process = subprocess.Popen(
        [BINARY, "mis", "serve", "--port", str(port), "--database", data + "/mis.sqlite", "--patients", "200",
         "--request-head-timeout", str(HEAD_TIMEOUT), "--connections-per-address", str(PER_ADDRESS)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/serverais?op=GetVersion"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Unsigned, so the gateway answers 401 — an answer all the same.
                fetch(url, timeout=2)
                status = fetch(url)[0]
                if status == 401:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "gateway did not start"
            time.sleep(0.2)
        _assert_oversized_refused_at_once(port, "/serverais", b"400")
        flood = _half_requests(port, 100)
        time.sleep(0.5)
        assert sum(not _is_closed(s) for s in flood) <= PER_ADDRESS
        with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0)) as other:
            other.sendall(b"GET /serverais?op=GetVersion HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert other.recv(65536).startswith(b"HTTP/1.1 401")
        _wait_until_all_closed(flood, within=HEAD_TIMEOUT + 3)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)


def _status_from(source: str, port: int, path: str) -> tuple:
    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer.decode(errors="replace")


def test_the_workstation_answers_only_its_configured_networks():
    gateway = HostileGateway("html")
    registry = Registry(gateway.url, {"REGISTRATURA_STAFF_NETWORKS": "127.0.0.1/32, 10.20.0.0/16"})
    try:
        status, _ = _status_from("127.0.0.1", registry.port, "/staff/sign-in")
        assert status == 200
        # From an address outside those networks: refused, with a page that says why — the sign-in form included.
        for path in ["/staff/sign-in", "/operator", "/staff/accounts"]:
            status, page = _status_from("127.0.0.2", registry.port, path)
            assert status == 403 and "Рабочее место недоступно из этой сети" in page, (path, status)
        # The patient site is not limited.
        assert _status_from("127.0.0.2", registry.port, "/health")[0] == 200
    finally:
        registry.stop()
        gateway.stop()
