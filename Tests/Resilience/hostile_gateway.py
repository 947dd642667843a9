"""A MIS gateway that misbehaves on purpose, on loopback: each mode is one way a real MIS (or what
stands between it and the registry) can go wrong. It speaks raw HTTP/1.1 over sockets so that it can
also trickle, stall and reset."""
import socket
import struct
import threading
import time

ENVELOPE = '<?xml version="1.0" encoding="UTF-8"?><response operation="GetDistrictList" version="1">{}</response>'


def _http(status: str, body: bytes, content_type: str = "application/xml; charset=utf-8", extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    return head.encode() + body


def _entities() -> bytes:
    body = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<response operation="GetDistrictList" version="1"><districts><district id="1" name="&x;" okato="1"/></districts></response>')
    return _http("200 OK", body.encode())


def _bomb() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    body = f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><response operation="GetDistrictList" version="1"><districts><district id="1" name="&a9;" okato="1"/></districts></response>'
    return _http("200 OK", body.encode())


def _oversize() -> bytes:
    district = b'<district id="1" name="' + b"x" * 400 + b'" okato="1"/>'
    body = ENVELOPE.format("<districts>").encode() + district * (9 * 1024 * 1024 // len(district)) + b"</districts></response>"
    return _http("200 OK", body)


def _depth() -> bytes:
    body = ENVELOPE.format("<districts>" + "<a>" * 5000 + "</a>" * 5000 + "</districts>")
    return _http("200 OK", body.encode())


def _truncated() -> bytes:
    body = ENVELOPE.format('<districts><district id="1" name="Северный" okato="1"/><district id="2" na').encode()
    return _http("200 OK", body)[:-40]


def _wrong_encoding() -> bytes:
    body = '<?xml version="1.0" encoding="windows-1251"?><response operation="GetDistrictList" version="1"><districts><district id="1" name="Северный" okato="1"/></districts></response>'
    return _http("200 OK", body.encode("cp1251"), "application/xml; charset=windows-1251")


def _html() -> bytes:
    return _http("200 OK", "<html><body><h1>Технические работы</h1></body></html>".encode(), "text/html; charset=utf-8")


def _server_error() -> bytes:
    return _http("500 Internal Server Error", b"java.lang.NullPointerException\n\tat ru.mis.Gateway.handle", "text/plain")


ANSWERS = {
    "entities": _entities, "bomb": _bomb, "oversize": _oversize, "depth": _depth, "truncated": _truncated,
    "wrong-encoding": _wrong_encoding, "html": _html, "server-error": _server_error,
}
#: Every mode, the ones that act over time included.
MODES = list(ANSWERS) + ["never-answers", "trickles", "resets"]


class HostileGateway:
    """Listens on a free loopback port and answers every request the way `mode` says."""

    def __init__(self, mode: str):
        assert mode in MODES, mode
        self.mode = mode
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/serverais"
        self.requests = 0
        self.stopped = threading.Event()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _read_request(self, connection) -> bool:
        data = b""
        connection.settimeout(10)
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
                while len(rest) < length:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return False
                    rest += chunk
        self.requests += 1
        return True

    def _serve(self, connection):
        try:
            if not self._read_request(connection):
                return
            if self.mode in ANSWERS:
                connection.sendall(ANSWERS[self.mode]())
            elif self.mode == "never-answers":
                self.held.append(connection)
                self.stopped.wait(120)
                return
            elif self.mode == "trickles":
                self.held.append(connection)
                body = ENVELOPE.format('<districts><district id="1" name="Северный" okato="1"/></districts>').encode()
                connection.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {len(body)}\r\n\r\n".encode())
                for byte in body:
                    if self.stopped.wait(1):
                        return
                    connection.sendall(bytes([byte]))
                return
            elif self.mode == "resets":
                # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
        except OSError:
            pass

    def stop(self):
        self.stopped.set()
        self.listener.close()
        for connection in self.held:
            try:
                connection.close()
            except OSError:
                pass
