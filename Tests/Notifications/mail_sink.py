"""A real SMTP server (aiosmtpd) and an SMS gateway stand-in on loopback, each keeping what it
accepted: the registry's messages are read back as a mail client and a provider would see them."""
import asyncio
import email
import ssl
import email.policy
import http.server
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class MailSink:
    """An SMTP server; `hold` seconds before each 250 (a message counts as delivered only when the
    sender is still there to hear it, as with a real server's commit)."""

    def __init__(self, port: int, hold: float = 0, tls: tuple | None = None, credentials: tuple | None = None):
        """`tls` (certificate, key files): STARTTLS offered and required; `credentials` (login, password): AUTH required."""
        self.port, self.hold, self.tls, self.credentials = port, hold, tls, credentials
        self.sessions = []
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
            self.sessions.append({"tls": session.ssl is not None, "authenticated": bool(session.authenticated)})
        return "250 OK"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        accepted = self.credentials is not None and (auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        return AuthResult(success=accepted)

    def start(self):
        options = {}
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.tls)
            options.update(tls_context=context, require_starttls=True)
        if self.credentials:
            options.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=bool(self.tls))
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def received(self) -> list:
        with self._lock:
            return list(self.messages)

    def forget(self, keep) -> list:
        """Drops the messages `keep` refuses (what a test has dealt with); returns those dropped."""
        with self._lock:
            dropped = [message for message in self.messages if not keep(message)]
            self.messages = [message for message in self.messages if keep(message)]
            return dropped

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
