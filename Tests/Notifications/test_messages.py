"""Notifications end to end: the registry process, the reference MIS, a real SMTP server (aiosmtpd)
and an SMS gateway on loopback. The ticket arrives by mail (both parts, the .ics, the Russian
subject) and by SMS; a clinic's change reaches the patient within a minute; mail waits while the
server is down and none is lost or doubled; a worker killed mid-batch sends nothing twice;
withdrawn consent stops what is pending."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Nodes"))
from cluster import BINARY, MIS_KEY, ROOT, Patient, ReferenceMIS, RegistryProcess, free_port, wait_until  # noqa: E402
from mail_sink import MailSink, SMSSink  # noqa: E402


class Registry(RegistryProcess):
    """`registratura serve` on its own SQLite folder, mailing through the sinks; restartable on the same folder."""

    def __init__(self, folder: Path, mis: ReferenceMIS, smtp_port: int, sms_url: str, extra: dict | None = None):
        super().__init__(folder, {
            "REGISTRATURA_MIS": f"reference|{mis.url}|{MIS_KEY[0]}|{MIS_KEY[1]}",
            "REGISTRATURA_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "REGISTRATURA_SMTP_FROM": "registratura@example.org",
            "REGISTRATURA_SMS_URL": sms_url, "REGISTRATURA_SMS_USER": "region", "REGISTRATURA_SMS_PASSWORD": "sms-secret",
            "REGISTRATURA_PUBLIC_URL": "https://registratura.example.org",
            "REGISTRATURA_NOTIFY_RETRY_SECONDS": "1", "REGISTRATURA_NOTIFY_LEASE_SECONDS": "8",
            "REGISTRATURA_IDENTIFY_LIMIT_PER_ADDRESS": "100000",
            **(extra or {}),
        })

    def ledger(self, request_id: str) -> dict:
        with sqlite3.connect(self.data / "registry.sqlite") as database:
            database.row_factory = sqlite3.Row
            return dict(database.execute("SELECT * FROM ledger WHERE request_id = ?", (request_id,)).fetchone())


@pytest.fixture(scope="module")
def mis():
    folder = Path(tempfile.mkdtemp(prefix="registratura-notify-mis-"))
    reference = ReferenceMIS(folder)
    yield reference
    reference.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def region(mis):
    """(registry, mail sink, SMS sink) for one test."""
    folder = Path(tempfile.mkdtemp(prefix="registratura-notify-"))
    mail, sms = MailSink(free_port()), SMSSink(free_port())
    mail.start()
    registry = Registry(folder, mis, mail.port, sms.url)
    yield registry, mail, sms
    registry.stop()
    mail.stop()
    sms.stop()
    shutil.rmtree(folder, ignore_errors=True)


PEOPLE = iter(range(200, 400))
TIMES = {}


def _patient_with_contacts(registry, mis, mail, sms, email="anna@example.org", phone="+7 916 123-45-67") -> Patient:
    """A signed-in patient whose phone and address are saved and confirmed, as a person does it: the
    link from the confirmation mail followed, the code from the SMS typed into the cabinet. The
    confirmations are then dropped from the sinks, so that a test counts only what follows."""
    policy, birth = mis.adults("101", 1, next(PEOPLE))[0]
    patient = Patient(policy, birth)
    patient.identify(registry.base)
    saved = patient.request(registry.base, "POST", "/cabinet/contact", {"phone": phone, "email": email, "consent": "yes"})
    assert saved.status == 303, saved.status
    _confirm_contacts(registry, mail, sms, patient, email, phone)
    return patient


def _confirm_contacts(registry, mail, sms, patient: Patient, email: str | None, phone: str | None):
    if email:
        def link():
            for recipients, message in mail.received():
                if recipients == [email] and message["Subject"].startswith("Подтвердите адрес"):
                    return re.search(r"/contacts/confirm\?token=([0-9a-f]{64})", message.get_body(preferencelist=("plain",)).get_content())
            return None
        wait_until(lambda: link() is not None, 30, "the confirmation mail")
        token = link().group(1)
        asked = patient.request(registry.base, "GET", f"/contacts/confirm?token={token}")
        assert asked.status == 200 and "Подтвердить адрес" in asked.body, asked.status
        confirmed = patient.request(registry.base, "POST", "/contacts/confirm", {"token": token})
        assert confirmed.status == 200 and "Адрес подтверждён" in confirmed.body, confirmed.status
        mail.forget(lambda item: not (item[0] == [email] and item[1]["Subject"].startswith("Подтвердите адрес")))
    if phone:
        def code():
            for message in sms.messages:
                found = re.search(r"код подтверждения телефона (\d{6})", message.get("text", ""))
                if found and message.get("to") == phone:
                    return found.group(1)
            return None
        wait_until(lambda: code() is not None, 30, "the confirmation code")
        typed = patient.request(registry.base, "POST", "/cabinet/contact/code", {"code": code()})
        assert typed.status == 303 and typed.location == "/cabinet/contact?notice=phone", typed.status
        sms.messages[:] = [message for message in sms.messages if "код подтверждения" not in message.get("text", "")]
    patient.request(registry.base, "GET", "/cabinet")


def _book(registry, mis, patient: Patient) -> str:
    """Books a free surgeon's time nobody else took in this run; returns the request id."""
    times = mis.free_times("101", "113", 40, hours_ahead=5)
    slot, doctor, day = next(time for time in times if time[0] not in TIMES)
    TIMES[slot] = True
    request_id = patient.check(registry.base, "101", doctor, slot, day)
    answer = patient.confirm(registry.base, "101", doctor, slot, day, request_id)
    assert answer.status == 303 and answer.location == f"/tickets/{request_id}", answer.status
    return request_id


def _message_ids(mail: MailSink) -> list:
    return [message["Message-ID"] for _, message in mail.received()]


def _tickets(mail: MailSink) -> list:
    """The recipient of each booking's ticket received. A restart, or a minute passing, also schedules
    the day-before reminders of visits booked for tomorrow (what time of day the test runs decides
    whether there are any): a reminder is a message of its own, not a ticket sent twice."""
    return [recipients[0] for recipients, message in mail.received() if message["Subject"].startswith("Вы записаны")]


def _assert_none_sent_twice(mail: MailSink):
    """Every outbox message has its own Message-ID: one seen twice was sent twice."""
    ids = _message_ids(mail)
    assert len(ids) == len(set(ids)), ids


def test_a_booking_sends_the_ticket_by_mail_and_sms_and_a_cancellation_confirms(region, mis):
    registry, mail, sms = region
    patient = _patient_with_contacts(registry, mis, mail, sms)
    request_id = _book(registry, mis, patient)
    recipients, message = mail.wait_for(1, 30)[0]
    assert recipients == ["anna@example.org"]
    assert message["Subject"].startswith("Вы записаны: Хирург") or message["Subject"].startswith("Вы записаны: хирург")
    assert "=?UTF-8?B?" in message.as_string().split("Subject:", 1)[1].split("\n", 1)[0]
    assert message["From"].addresses[0].display_name == "Регистратура"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    ticket = registry.ledger(request_id)["ticket"]
    assert f"Талон № {ticket}" in text and "Приходите за 10 минут" in text and f"https://registratura.example.org/tickets/{request_id}" in text
    assert f"Талон № {ticket}" in html and "<h1" in html and "&lt;" not in text
    attachments = [part for part in message.iter_attachments()]
    assert len(attachments) == 1 and attachments[0].get_filename().endswith(".ics")
    assert "BEGIN:VCALENDAR" in attachments[0].get_content()
    wait_until(lambda: len(sms.messages) >= 1, 30, "the SMS")
    assert sms.messages[0]["to"] == "+7 916 123-45-67" and sms.messages[0]["text"].startswith("Вы записаны")
    assert sms.messages[0]["authorization"].startswith("Basic ") and int(sms.messages[0]["segments"]) <= 2
    # The cabinet lists both, sent, after the two confirmations; no contact in full.
    page = patient.request(registry.base, "GET", "/cabinet/messages").body
    assert page.count('data-status="sent"') == 4 and "an***@example.org" in page and "anna@example.org" not in page
    assert "Код подтверждения телефона" in page and "Подтверждение адреса почты" in page and page.count("Талон") >= 2

    # Cancelled by the patient (asked first, then posted): the confirmation follows, once.
    assert patient.request(registry.base, "GET", f"/tickets/{request_id}/cancel").status == 200
    assert patient.request(registry.base, "POST", f"/tickets/{request_id}/cancel", {}).status == 303
    mail.wait_for(2, 30)
    assert mail.received()[1][1]["Subject"].startswith("Запись отменена")
    assert list(mail.received()[1][1].iter_attachments()) == []
    time.sleep(3)
    assert len(mail.received()) == 2 and len(set(_message_ids(mail))) == 2


def test_a_clinic_change_reaches_the_patient_within_a_minute(region, mis):
    registry, mail, sms = region
    patient = _patient_with_contacts(registry, mis, mail, sms)
    request_id = _book(registry, mis, patient)
    mail.wait_for(1, 30)
    appointment = registry.ledger(request_id)["appointment_id"]
    subprocess.run([BINARY, "mis", "desk-cancel", "--database", str(mis.database), "--appointment", appointment, "--reason", "врач на больничном"],
                   check=True, capture_output=True, timeout=30, cwd=ROOT)
    changed = time.monotonic()
    mail.wait_for(2, 75)
    seconds = time.monotonic() - changed
    message = mail.received()[1][1]
    assert message["Subject"].startswith("Поликлиника отменила вашу запись")
    assert "врач на больничном" in message.get_body(preferencelist=("plain",)).get_content()
    print(f"\nclinic's cancellation → patient's mailbox: {seconds:.1f} s")
    assert seconds < 60


def test_mail_waits_while_the_server_is_down_and_none_is_lost_or_doubled(region, mis):
    registry, mail, sms = region
    patients = [_patient_with_contacts(registry, mis, mail, sms, email=f"patient{index}@example.org") for index in range(3)]
    mail.stop()
    for patient in patients:
        _book(registry, mis, patient)
    # Tried and failed meanwhile: the patient sees it is being tried again.
    wait_until(lambda: "пробуем ещё раз" in patients[0].request(registry.base, "GET", "/cabinet/messages").body, 30, "a failed try shown")
    mail.start()
    wait_until(lambda: len(_tickets(mail)) >= 3, 60, "three tickets")
    time.sleep(4)
    assert sorted(_tickets(mail)) == [f"patient{index}@example.org" for index in range(3)]
    _assert_none_sent_twice(mail)


def test_a_worker_killed_mid_batch_sends_nothing_twice_and_loses_nothing(region, mis):
    registry, mail, sms = region
    patients = [_patient_with_contacts(registry, mis, mail, sms, email=f"killed{index}@example.org") for index in range(3)]
    mail.stop()
    # The server holds each message 4 s before accepting it: the kill comes while one is in flight.
    held = MailSink(mail.port, hold=4)
    held.start()
    try:
        for patient in patients:
            _book(registry, mis, patient)
        assert held.data_started.wait(30)
        registry.kill()
        registry.start()
        wait_until(lambda: len(_tickets(held)) >= 3, 90, "three tickets")
        time.sleep(4)
        assert sorted(_tickets(held)) == [f"killed{index}@example.org" for index in range(3)], _tickets(held)
        _assert_none_sent_twice(held)
    finally:
        held.stop()


def test_withdrawn_consent_stops_pending_messages(region, mis):
    registry, mail, sms = region
    patient = _patient_with_contacts(registry, mis, mail, sms, email="withdrawn@example.org")
    mail.stop()
    sms.stop()
    _book(registry, mis, patient)
    withdrawn = patient.request(registry.base, "POST", "/cabinet/contact", {"withdraw": "yes"})
    assert withdrawn.status in (200, 303), withdrawn.status
    mail.start()
    time.sleep(6)
    assert mail.received() == []
    page = patient.request(registry.base, "GET", "/cabinet/messages").body
    assert 'data-status="withdrawn"' in page and 'data-status="pending"' not in page


def test_mail_goes_over_starttls_with_authentication_and_a_wrong_password_keeps_it_waiting(mis):
    folder = Path(tempfile.mkdtemp(prefix="registratura-notify-tls-"))
    certificate, key = folder / "server.pem", folder / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(certificate), "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    mail, sms = MailSink(free_port(), tls=(str(certificate), str(key)), credentials=("registry", "mail-secret")), SMSSink(free_port())
    mail.start()
    registry = Registry(folder, mis, mail.port, sms.url, extra={
        "REGISTRATURA_SMTP_REQUIRE_TLS": "1", "REGISTRATURA_SMTP_CA_FILE": str(certificate),
        "REGISTRATURA_SMTP_USER": "registry", "REGISTRATURA_SMTP_PASSWORD": "mail-secret",
    })
    try:
        # The contact confirmed while the password is right, then the password goes wrong.
        patient = _patient_with_contacts(registry, mis, mail, sms, email="tls@example.org")
        registry.stop()
        registry.environment["REGISTRATURA_SMTP_PASSWORD"] = "wrong-secret"
        registry.start()
        _book(registry, mis, patient)
        # Refused by the server: tried again, not sent, not dead.
        wait_until(lambda: "пробуем ещё раз" in patient.request(registry.base, "GET", "/cabinet/messages").body, 30, "a refused try shown")
        assert mail.received() == []
        registry.stop()
        registry.environment["REGISTRATURA_SMTP_PASSWORD"] = "mail-secret"
        registry.start()
        received = mail.wait_for(1, 60)
        assert received[0][0] == ["tls@example.org"] and mail.sessions[-1] == {"tls": True, "authenticated": True}
    finally:
        registry.stop()
        mail.stop()
        sms.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_waiting_list_offer_goes_to_the_first_to_confirm_and_the_other_is_told(region, mis):
    registry, mail, sms = region
    # A doctor's day with every free time booked: nothing fits for those who wait.
    # The list comes one doctor after another, so the last doctor's may be cut short, and it starts
    # 5 h ahead, so the first day may have bookable times it leaves out: neither is chosen.
    times = mis.free_times("101", "113", 400, hours_ahead=5)
    last_doctor = times[-1][1] if len(times) >= 400 else None
    first_day = min(time[2] for time in times)
    days = {}
    for slot, doctor, day in times:
        if doctor != last_doctor and day != first_day:
            days.setdefault((doctor, day), []).append(slot)
    # A day with a time an earlier test of this run booked and cancelled (free again) is not chosen either.
    days = {key: slots for key, slots in days.items() if not any(slot in TIMES for slot in slots)}
    (doctor, day), slots = min(days.items(), key=lambda item: len(item[1]))
    holders = []
    for slot in slots:
        policy, birth = mis.adults("101", 1, next(PEOPLE))[0]
        holder = Patient(policy, birth)
        holder.identify(registry.base)
        request_id = holder.check(registry.base, "101", doctor, slot, day)
        assert holder.confirm(registry.base, "101", doctor, slot, day, request_id).status == 303
        TIMES[slot] = True
        holders.append((holder, request_id, slot))
    waiting = []
    for name in ("first", "second"):
        patient = _patient_with_contacts(registry, mis, mail, sms, email=f"{name}@example.org")
        form = patient.request(registry.base, "GET", f"/waitlist/new?clinic=101&doctor={doctor}&specialty=113")
        assert form.status == 200 and "Встать в лист ожидания" in form.body, form.status
        joined = patient.request(registry.base, "POST", "/waitlist", {"clinic": "101", "specialty": "113", "doctor": doctor, "from": day, "to": day, "part": ""})
        assert joined.status == 303 and joined.location == "/cabinet/waitlist?joined=1", joined.status
        waiting.append(patient)
    assert 'data-waitlist-status="ждёт"' in waiting[0].request(registry.base, "GET", "/cabinet/waitlist").body
    # One holder cancels: the time is offered to both who wait.
    holder, request_id, freed = holders[0]
    assert holder.request(registry.base, "POST", f"/tickets/{request_id}/cancel", {}).status == 303
    offers = mail.wait_for(2, 60)
    links = {}
    for recipients, message in offers:
        assert message["Subject"].startswith("Освободилось время")
        found = re.search(r"https://registratura\.example\.org(/offers/[0-9a-f]+)", message.get_body(preferencelist=("plain",)).get_content())
        links[recipients[0]] = found.group(1)
    assert set(links) == {"first@example.org", "second@example.org"}
    # Each opens the link (it asks first), then both confirm at the same moment.
    request_ids = []
    for patient, address in zip(waiting, ("first@example.org", "second@example.org")):
        page = patient.request(registry.base, "GET", links[address])
        assert page.status == 200 and "Записаться на это время" in page.body
        request_ids.append(re.search(r'name="requestId" value="([0-9a-f]+)"', page.body).group(1))
    answers = [None, None]
    barrier = threading.Barrier(2)

    def confirm(index):
        barrier.wait()
        answers[index] = waiting[index].request(registry.base, "POST", links[("first@example.org", "second@example.org")[index]], {"requestId": request_ids[index]})
    threads = [threading.Thread(target=confirm, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(answer.status for answer in answers)
    assert statuses == [303, 409], statuses
    winner = 0 if answers[0].status == 303 else 1
    assert answers[winner].location.startswith("/tickets/") and "Это время уже занято" in answers[1 - winner].body
    assert mis.appointments([freed])[freed].count("active") == 1
    # The other is told by mail that the time is gone; the winner's entry is booked.
    loser = ("first@example.org", "second@example.org")[1 - winner]
    wait_until(lambda: any(r == [loser] and m["Subject"].startswith("Предложенное время уже занято") for r, m in mail.received()), 30, "the 'gone' message")
    assert 'data-waitlist-status="записаны"' in waiting[winner].request(registry.base, "GET", "/cabinet/waitlist").body
    # A supervisor's statistics count today's offers (two made, one taken) and the mails sent.
    created = subprocess.run([BINARY, "accounts", "create", "--login", "chief.waitlist", "--name", "Старший оператор", "--role", "supervisor", "--data-dir", str(registry.data)],
                             capture_output=True, text=True, timeout=60, env=dict(os.environ, REGISTRATURA_ACCOUNT_PASSWORD="Пароль-для-теста-77", REGISTRATURA_PASSWORD_COST="4"))
    assert created.returncode == 0, created.stderr
    chief = Patient()
    chief.request(registry.base, "GET", "/staff/sign-in")
    assert chief.request(registry.base, "POST", "/staff/sign-in", {"login": "chief.waitlist", "password": "Пароль-для-теста-77"}).status == 303
    page = chief.request(registry.base, "GET", "/staff/statistics?period=day").body
    waitlist = page.split('id="waitlist"', 1)[1].split("</section>", 1)[0]
    assert '<th scope="row">предложено</th><td>2</td>' in waitlist and '<th scope="row">принято</th><td>1</td>' in waitlist, waitlist
    sent = re.search(r'<th scope="row">письма: отправлено</th><td>(\d+)</td>', page)
    assert sent and int(sent.group(1)) >= 3, page.split('id="notifications"', 1)[-1][:2000]


def test_addresses_a_relay_could_be_steered_by_are_refused_and_a_cyrillic_domain_goes_out_in_punycode(region, mis):
    registry, mail, sms = region
    policy, birth = mis.adults("101", 1, next(PEOPLE))[0]
    patient = Patient(policy, birth)
    patient.identify(registry.base)
    # Refused when saved, with a message that says what to type instead — never a dead letter later.
    for address, says in [("vic\x01tim@clinic.test", "без пробелов и служебных знаков"), ("root@[127.0.0.1]", "пересылку"),
                          ("evil%evil.test@clinic.test", "пересылку"), ("evil.test!evil@clinic.test", "пересылку"),
                          ("анна@почта.рф", "латиница")]:
        answer = patient.request(registry.base, "POST", "/cabinet/contact", {"email": address, "consent": "yes"})
        assert answer.status == 422 and says in answer.body, (address, answer.status)
    assert mail.received() == []
    # A Cyrillic domain is kept as typed and travels in Punycode.
    saved = patient.request(registry.base, "POST", "/cabinet/contact", {"email": "anna@Почта.рф", "consent": "yes"})
    assert saved.status == 303, saved.status
    _confirm_contacts(registry, mail, sms, patient, "anna@xn--80a1acny.xn--p1ai", None)
    _book(registry, mis, patient)
    recipients, message = mail.wait_for(1, 30)[0]
    assert recipients == ["anna@xn--80a1acny.xn--p1ai"], recipients
    assert "anna@xn--80a1acny.xn--p1ai" in str(message["To"]) and "почта" not in str(message["To"])


def test_a_strangers_contact_receives_only_its_confirmations_however_often_asked(region, mis):
    """A patient types someone else's phone and address: that person gets the confirmations the daily
    limit allows and nothing else — not the ticket of the booking made meanwhile."""
    registry, mail, sms = region
    policy, birth = mis.adults("101", 1, next(PEOPLE))[0]
    patient = Patient(policy, birth)
    patient.identify(registry.base)
    saved = patient.request(registry.base, "POST", "/cabinet/contact", {"phone": "+7 916 000-00-01", "email": "stranger@example.org", "consent": "yes"})
    assert saved.status == 303 and saved.location == "/cabinet/contact?notice=sent", (saved.status, saved.location)
    for _ in range(5):
        for channel in ("email", "sms"):
            assert patient.request(registry.base, "POST", "/cabinet/contact/resend", {"channel": channel}).status == 303
    _book(registry, mis, patient)
    mail.wait_for(3, 30)
    wait_until(lambda: len(sms.messages) >= 3, 30, "three codes")
    time.sleep(6)
    assert [recipients for recipients, _ in mail.received()] == [["stranger@example.org"]] * 3
    assert all(message["Subject"].startswith("Подтвердите адрес") for _, message in mail.received())
    assert len(sms.messages) == 3 and all("код подтверждения" in message["text"] for message in sms.messages)
    page = patient.request(registry.base, "GET", "/cabinet/contact?notice=limited").body
    assert "Подтверждений на этот контакт за сутки отправлено уже столько, сколько можно" in page
