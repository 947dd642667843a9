"""A region on one machine for the several-nodes tests: the reference MIS, a fresh database on the
test run's PostgreSQL, registry nodes sharing it, and nginx in front of them (deploy/nginx's
configuration, with its ports changed). Every piece is a real process on loopback."""
import glob
import http.client
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Support"))
from registry_launcher import BINARY, ROOT, RegistryProcess, free_port, http_status, wait_until  # noqa: E402,F401

MIS_KEY = ("registry", "demo-secret")
#: The audit key the test region's nodes share (a real region makes its own: `registratura audit new-key`).
AUDIT_KEY = "5a" * 32


class Database:
    """A database of its own on the test run's PostgreSQL (REGISTRATURA_TEST_POSTGRES_URL), dropped at the end."""

    def __init__(self):
        server = os.environ.get("REGISTRATURA_TEST_POSTGRES_URL")
        if not server:
            raise RuntimeError("REGISTRATURA_TEST_POSTGRES_URL is not set: run these tests through scripts/test, which starts PostgreSQL")
        self.server = server
        self.name = "nodes_" + uuid.uuid4().hex[:12]
        self.psql = shutil.which("psql") or sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
        self._run(self.server, f"CREATE DATABASE {self.name}")
        self.url = re.sub(r"/[^/]*$", "/" + self.name, server)

    def _run(self, url: str, sql: str) -> str:
        return subprocess.run([self.psql, url, "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c", sql],
                              check=True, capture_output=True, text=True, timeout=60).stdout

    def rows(self, sql: str) -> list:
        return [line.split("\t") for line in self._run(self.url, sql).splitlines() if line]

    def stop(self):
        """Drops the database (with any connection a killed node left)."""
        self._run(self.server, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


class ReferenceMIS:
    """`registratura mis serve` on a fresh demo region; asks it (through its CLI) whom and what to try."""

    def __init__(self, folder: Path):
        self.database = folder / "reference-mis.sqlite"
        self.port = free_port()
        self.log = open(folder / "mis.log", "wb")
        self.process = subprocess.Popen(
            [BINARY, "mis", "serve", "--database", str(self.database), "--port", str(self.port), "--key", ":".join(MIS_KEY)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        self.url = f"http://127.0.0.1:{self.port}/serverais"
        wait_until(lambda: http_status(self.url) > 0, 120, "the reference MIS did not start")

    def _ask(self, *arguments: str) -> list:
        output = subprocess.run([BINARY, "mis", *arguments, "--database", str(self.database)],
                                check=True, capture_output=True, text=True, timeout=60, cwd=ROOT).stdout
        return [line.split("\t") for line in output.splitlines() if line]

    def adults(self, clinic: str, count: int, skip: int) -> list:
        """(policy, birth date as typed) of adults attached to `clinic`, nobody sharing a policy."""
        return [(row[0], row[1]) for row in self._ask("people", "--clinic", clinic, "--count", str(count), "--skip", str(skip))]

    def free_times(self, clinic: str, specialty: str, count: int, hours_ahead: float = 4) -> list:
        """(slot, doctor, day) of free times nobody holds, one doctor's after another's."""
        rows = self._ask("times", "--clinic", clinic, "--specialty", specialty, "--count", str(count), "--hours-ahead", str(hours_ahead))
        return [(row[0], row[1], row[2]) for row in rows]

    def appointments(self, slots: list) -> dict:
        """For each slot, the statuses of every appointment ever made on it."""
        result = {}
        for start in range(0, len(slots), 200):
            for row in self._ask("appointments", *slots[start:start + 200]):
                result[row[0]] = row[1:]
        return result

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


class HoldingProxy:
    """Stands between one node and the MIS and can hold the MIS's answers to SetAppointment: the MIS
    has booked, the node does not know yet — the moment a node may die in."""

    def __init__(self, target: str):
        target_parts = urllib.parse.urlsplit(target)
        self.holding = threading.Event()
        self.released = threading.Event()
        # The request ids of the confirmations whose answers were held.
        self.held = set()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *arguments):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                upstream = http.client.HTTPConnection(target_parts.hostname, target_parts.port, timeout=30)
                headers = {name: value for name, value in self.headers.items() if name.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                upstream.close()
                if proxy.holding.is_set() and b"op=SetAppointment" in body:
                    proxy.held.update(urllib.parse.parse_qs(body.decode()).get("requestId", []))
                    proxy.released.wait(60)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    self.close_connection = True  # the node is gone

            do_GET = _forward
            do_POST = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{target_parts.path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


class Node(RegistryProcess):
    """One registry node (`registratura serve`) on the shared PostgreSQL."""

    def __init__(self, name: str, folder: Path, database_url: str, mis_url: str):
        self.name = name
        data = folder / name
        data.mkdir()
        super().__init__(data, {
            "REGISTRATURA_DATABASE_URL": database_url,
            # Every node of a region keys the audit trail with the same key.
            "REGISTRATURA_AUDIT_KEY": AUDIT_KEY,
            "REGISTRATURA_MIS": f"reference|{mis_url}|{MIS_KEY[0]}|{MIS_KEY[1]}",
            "REGISTRATURA_TRUSTED_PROXIES": "127.0.0.1",
            "REGISTRATURA_CONNECTIONS_PER_ADDRESS": "0",
            # Every test patient comes from 127.0.0.1.
            "REGISTRATURA_IDENTIFY_LIMIT_PER_ADDRESS": "100000",
        }, log_name="node.log")


class Nginx:
    """nginx from Debian in front of the nodes, running deploy/nginx/registratura.conf with the test's ports."""

    def __init__(self, folder: Path, nodes: list):
        self.folder = folder / "nginx"
        self.folder.mkdir()
        self.port = free_port()
        site = (ROOT / "deploy/nginx/registratura.conf").read_text()
        upstreams = re.findall(r"server 127\.0\.0\.1:\d+", site)
        assert len(upstreams) == len(nodes), "the shipped configuration lists one upstream line per test node"
        for line, node in zip(upstreams, nodes):
            site = site.replace(line, f"server 127.0.0.1:{node.port}", 1)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port} backlog=4096;")
        (self.folder / "registratura.conf").write_text(site)
        # Only what Debian's /etc/nginx/nginx.conf would give around the site file, in the test's folder.
        user = "user root;" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(f"""{user}
worker_processes 2;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format upstream '$request_method $uri $status $upstream_addr $upstream_status';
    access_log {self.folder}/access.log upstream;
    client_body_temp_path {self.folder}/body;
    proxy_temp_path {self.folder}/proxy;
    fastcgi_temp_path {self.folder}/fastcgi;
    uwsgi_temp_path {self.folder}/uwsgi;
    scgi_temp_path {self.folder}/scgi;
    include {self.folder}/registratura.conf;
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.log = open(self.folder / "nginx.out", "wb")
        self.process = subprocess.Popen([nginx, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_until(lambda: http_status(self.base + "/health/live") == 200, 30, "nginx did not start")

    def upstreams(self, method: str, path_prefix: str) -> list:
        """The node addresses (and their answers) nginx used for these requests, in order."""
        lines = (self.folder / "access.log").read_text().splitlines()
        return [line.split(" ", 3)[3] for line in lines if line.startswith(f"{method} {path_prefix}")]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


class Answer:
    """A response: status, headers, body text."""

    def __init__(self, status: int, headers: dict, body: str):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Patient:
    """A person with a browser's cookies, talking to any base address (nginx or a node)."""

    def __init__(self, policy: str = "", birth_date: str = ""):
        self.policy, self.birth_date = policy, birth_date
        self.cookies = {}
        # The form token of the last page that carried a form: what a browser submits with it.
        self.form_token = ""

    def request(self, base: str, method: str, path: str, fields: dict | None = None, timeout: float = 60) -> Answer:
        parts = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            fields = dict(fields, csrf=self.form_token)
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
            if token:
                self.form_token = token.group(1)
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";")[0].split("=", 1)
                    if len(pair) == 2 and pair[1]:
                        self.cookies[pair[0]] = pair[1]
                    else:
                        self.cookies.pop(pair[0], None)
            return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, text)
        finally:
            connection.close()

    def identify(self, base: str):
        self.request(base, "GET", "/identify")
        answer = self.request(base, "POST", "/identify", {"policy": self.policy, "birthDate": self.birth_date})
        assert answer.status == 303, f"identification answered {answer.status}"
        # As a browser does: the page it leads to (its forms carry the session's token).
        self.request(base, "GET", answer.location)

    def check(self, base: str, clinic: str, doctor: str, slot: str, day: str) -> str:
        """Opens the check page of a time; returns the request id its form carries."""
        answer = self.request(base, "GET", f"/book?clinic={clinic}&doctor={doctor}&slot={slot}&day={day}")
        found = re.search(r'name="requestId" value="([0-9a-f]+)"', answer.body)
        assert answer.status == 200 and found, f"the check page answered {answer.status}"
        return found.group(1)

    def confirm(self, base: str, clinic: str, doctor: str, slot: str, day: str, request_id: str, timeout: float = 60) -> Answer:
        return self.request(base, "POST", "/book", {"clinic": clinic, "doctor": doctor, "slot": slot, "day": day, "requestId": request_id}, timeout)


def is_ticket(answer: Answer) -> bool:
    return answer.status == 303 and answer.location.startswith("/tickets/")


def is_taken_with_other_times(answer: Answer) -> bool:
    return (answer.status == 409 and 'data-refusal="slot-taken"' in answer.body
            and "Ближайшее свободное время у этого врача" in answer.body and 'class="time"' in answer.body)


class Region:
    """What the tests use: nginx's address, each node, the MIS, the database, and fresh patients."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._patients_taken = 0
        self._running = []
        try:
            self.database = self._keep(Database())
            self.mis = self._keep(ReferenceMIS(folder))
            self.proxy = self._keep(HoldingProxy(self.mis.url))
            self.a = self._keep(Node("a", folder, self.database.url, self.proxy.url))
            self.b = self._keep(Node("b", folder, self.database.url, self.mis.url))
            self.nginx = self._keep(Nginx(folder, [self.a, self.b]))
        except BaseException:
            self.stop()
            raise

    def _keep(self, part):
        self._running.append(part)
        return part

    def patients(self, count: int) -> list:
        """Adults attached to clinic 101 whom no earlier test has used."""
        people = self.mis.adults("101", count, skip=self._patients_taken)
        assert len(people) == count, "the demo region has too few adults in clinic 101"
        self._patients_taken += count
        return [Patient(policy, birth) for policy, birth in people]

    def stop(self):
        for part in reversed(self._running):
            try:
                part.stop()
            except Exception:  # one part failing to stop must not leave the others running
                pass
        self._running = []
