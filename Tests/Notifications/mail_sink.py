"""A real SMTP server (aiosmtpd) and an SMS gateway stand-in on loopback, each keeping what it
accepted: the registry's messages are read back as a mail client and a provider would see them."""
import asyncio
import email
import email.policy
import http.server
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller


class MailSink:
    """An SMTP server; `hold` seconds before each 250 (a message counts as delivered only when the
    sender is still there to hear it, as with a real server's commit)."""

    def __init__(self, port: int, hold: float = 0):
        self.port, self.hold = port, hold
        self.messages = []
        self.data_started = threading.Event()
        self._lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.data_started.set()
        if self.hold:
            await asyncio.sleep(self.hold)
            if server.transport is None or server.transport.is_closing():
                return "451 the sender went away"
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def received(self) -> list:
        with self._lock:
            return list(self.messages)

    def wait_for(self, count: int, seconds: float) -> list:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(self.received()) >= count:
                return self.received()
            time.sleep(0.2)
        raise AssertionError(f"{len(self.received())} of {count} messages arrived within {seconds:.0f} s")


class SMSSink:
    """The SMS provider's HTTP gateway: keeps every form posted to it and answers 200."""

    def __init__(self, port: int):
        self.port = port
        self.messages = []
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *arguments):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                fields["authorization"] = self.headers.get("Authorization", "")
                sink.messages.append(fields)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{port}/send"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
