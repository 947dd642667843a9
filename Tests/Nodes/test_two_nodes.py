"""Two registry nodes on one PostgreSQL behind nginx, with the reference MIS (issue 11): a patient
moves between nodes, a rush through both books each time once, and a node killed under load loses
nothing."""
import collections
import re
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cluster import Patient, Region, is_taken_with_other_times, is_ticket, wait_until

CLINIC = "101"
SURGEON, DENTIST = "113", "112"


@pytest.fixture(scope="module")
def region():
    """The reference MIS, two nodes on one PostgreSQL database, nginx in front; node A reaches the
    MIS through a proxy that can hold its booking answers."""
    folder = Path(tempfile.mkdtemp(prefix="registratura-nodes-"))
    started = Region(folder)
    yield started
    started.stop()
    shutil.rmtree(folder, ignore_errors=True)


def ledger(region, slots: list) -> list:
    """(request id, slot, status, appointment) of the ledger's entries on these slots."""
    listed = ",".join(f"'{slot}'" for slot in slots)
    return region.database.rows(f"SELECT request_id, slot_id, status, coalesce(appointment_id, '') FROM ledger WHERE slot_id IN ({listed})")


def test_a_patient_continues_on_the_other_node(region):
    slot, doctor, day = region.mis.free_times(CLINIC, SURGEON, 1)[0]
    patient = region.patients(1)[0]
    # Identified on node A; the check page (its form token and request id) from node A too.
    patient.identify(region.a.base)
    request_id = patient.check(region.a.base, CLINIC, doctor, slot, day)
    # Node B knows the session, accepts A's form token and books.
    confirmed = patient.confirm(region.b.base, CLINIC, doctor, slot, day, request_id)
    assert is_ticket(confirmed), confirmed.status
    # The ticket made on B opens on A; the cabinet on B lists it.
    ticket = patient.request(region.a.base, "GET", confirmed.location)
    assert ticket.status == 200 and "Талон №" in ticket.body
    cabinet = patient.request(region.b.base, "GET", "/cabinet")
    assert cabinet.status == 200 and confirmed.location in cabinet.body
    # The same confirmation sent again, to A, lands on the same ticket and books nothing more.
    again = patient.confirm(region.a.base, CLINIC, doctor, slot, day, request_id)
    assert is_ticket(again) and again.location == confirmed.location
    assert region.mis.appointments([slot])[slot] == ["active"]
    # Leaving on B ends the session on A as well.
    patient.request(region.b.base, "POST", "/logout", {})
    after = patient.request(region.a.base, "GET", confirmed.location)
    assert after.status != 200 or "Талон №" not in after.body


def test_a_rush_through_both_nodes_books_each_time_exactly_once(region):
    times = region.mis.free_times(CLINIC, SURGEON, 50)
    assert len(times) == 50
    people = region.patients(500)
    base = region.nginx.base

    # Before the rush: everyone identified through nginx (so on both nodes), on the check page of
    # their time — ten people for each of the fifty times.
    def prepare(index: int) -> str:
        slot, doctor, day = times[index % 50]
        people[index].identify(base)
        return people[index].check(base, CLINIC, doctor, slot, day)

    with ThreadPoolExecutor(32) as pool:
        request_ids = list(pool.map(prepare, range(500)))

    # The rush: all press "Записаться" at the same moment.
    barrier = threading.Barrier(500, timeout=120)

    def press(index: int):
        slot, doctor, day = times[index % 50]
        barrier.wait()
        return people[index].confirm(base, CLINIC, doctor, slot, day, request_ids[index])

    with ThreadPoolExecutor(500) as pool:
        answers = list(pool.map(press, range(500)))

    kinds = collections.Counter("ticket" if is_ticket(a) else "taken" if is_taken_with_other_times(a) else f"other {a.status}" for a in answers)
    assert kinds == {"ticket": 50, "taken": 450}, kinds
    # One appointment on each time in the MIS, one active ledger entry for it, nothing left pending.
    slots = [time[0] for time in times]
    assert all(statuses == ["active"] for statuses in region.mis.appointments(slots).values())
    entries = ledger(region, slots)
    active = [entry for entry in entries if entry[2] == "active"]
    assert sorted(entry[1] for entry in active) == sorted(slots)
    assert not [entry for entry in entries if entry[2] == "pending"]
    # Each winner's ticket is their own entry.
    winners = {answer.location.rsplit("/", 1)[1] for answer in answers if is_ticket(answer)}
    assert winners == {entry[0] for entry in active}
    # Both nodes took confirmations.
    used = {line.split(" ")[0] for line in region.nginx.upstreams("POST", "/book")}
    assert {f"127.0.0.1:{region.a.port}", f"127.0.0.1:{region.b.port}"} <= used, used


def test_a_node_killed_under_booking_load_loses_and_doubles_nothing(region):
    times = region.mis.free_times(CLINIC, DENTIST, 108)
    assert len(times) == 108
    loaded, held_times = times[:100], times[100:]
    people = region.patients(108)
    loaded_people, held_people = people[:100], people[100:]
    base = region.nginx.base

    with ThreadPoolExecutor(32) as pool:
        loaded_ids = list(pool.map(lambda pair: pair[0].identify(base) or pair[0].check(base, CLINIC, pair[1][1], pair[1][0], pair[1][2]),
                                   zip(loaded_people, loaded)))
        # Eight patients on node A itself, whose confirmations A will never finish: the MIS books
        # them, its answers wait in the proxy, and A dies — their ledger entries stay pending.
        held_ids = list(pool.map(lambda pair: pair[0].identify(region.a.base) or pair[0].check(region.a.base, CLINIC, pair[1][1], pair[1][0], pair[1][2]),
                                 zip(held_people, held_times)))

    held_answers = []

    def press_held(index: int):
        slot, doctor, day = held_times[index]
        try:
            held_answers.append(held_people[index].confirm(region.a.base, CLINIC, doctor, slot, day, held_ids[index], timeout=90))
        except OSError:
            held_answers.append(None)  # node A died with the request

    # The load: sixteen at a time through nginx. A third of the way through, node A's booking
    # answers start being held (the eight direct confirmations and whatever nginx sent it), and
    # once the MIS has booked all eight, node A is killed.
    done = []
    third = threading.Event()

    def press(index: int):
        slot, doctor, day = loaded[index]
        answer = loaded_people[index].confirm(base, CLINIC, doctor, slot, day, loaded_ids[index])
        done.append(index)
        if len(done) >= 33:
            third.set()
        return answer

    with ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(press, index) for index in range(100)]
        assert third.wait(120), "the load did not get a third of the way"
        region.proxy.holding.set()
        held_threads = [threading.Thread(target=press_held, args=(index,)) for index in range(8)]
        for thread in held_threads:
            thread.start()
        # Well within node A's own deadline for the call (4.5 s): A is still waiting when it dies.
        wait_until(lambda: set(held_ids) <= region.proxy.held, 3, "the MIS did not book the eight held confirmations", pause=0.02)
        region.a.kill()
        held_slots = [time[0] for time in held_times]
        assert {entry[2] for entry in ledger(region, held_slots)} == {"pending"}
        answers = [future.result() for future in futures]
    for thread in held_threads:
        thread.join(timeout=30)
    region.proxy.holding.clear()
    region.proxy.released.set()

    # nginx moved every request to node B, those in flight on A included: everyone has a ticket.
    kinds = collections.Counter("ticket" if is_ticket(a) else f"other {a.status}" for a in answers)
    assert kinds == {"ticket": 100}, kinds
    assert held_answers == [None] * 8

    # Node B's reconciliation settles the pending entries from the clinic's history.
    def settled():
        entries = ledger(region, held_slots)
        return len(entries) == 8 and all(entry[2] == "active" and entry[3] for entry in entries)

    wait_until(settled, 60, "the pending entries were not settled", pause=1)

    # No booking lost or made twice: one active appointment per time in the MIS, one active ledger entry.
    slots = [time[0] for time in times]
    assert all(statuses == ["active"] for statuses in region.mis.appointments(slots).values())
    entries = ledger(region, slots)
    assert sorted(entry[1] for entry in entries if entry[2] == "active") == sorted(slots)
    assert len(entries) == 108

    # A patient whose confirmation died with node A sees the booking, and pressing again books nothing more.
    patient, (slot, doctor, day) = held_people[0], held_times[0]
    cabinet = patient.request(base, "GET", "/cabinet")
    assert cabinet.status == 200 and f"/tickets/{held_ids[0]}" in cabinet.body
    again = patient.confirm(base, CLINIC, doctor, slot, day, held_ids[0])
    assert is_ticket(again) and again.location == f"/tickets/{held_ids[0]}"
    assert region.mis.appointments([slot])[slot] == ["active"]

    # The killed node starts again cleanly (its schema is current), books, and nginx sends it traffic again.
    log_before_restart = len(region.a.output())
    region.a.start()
    newcomer = region.patients(1)[0]
    newcomer.identify(region.a.base)
    slot, doctor, day = region.mis.free_times(CLINIC, DENTIST, 1)[0]
    request_id = newcomer.check(region.a.base, CLINIC, doctor, slot, day)
    assert is_ticket(newcomer.confirm(region.a.base, CLINIC, doctor, slot, day, request_id))
    restart_log = region.a.output()[log_before_restart:]
    assert not re.search(r"^\S+ (error|critical) ", restart_log, re.MULTILINE), restart_log[-2000:]
    node_a = f"127.0.0.1:{region.a.port}"

    def back_in_rotation():
        Patient().request(base, "GET", "/health/live")
        return any(line.split(" ")[0] == node_a for line in region.nginx.upstreams("GET", "/health/live")[-4:])

    wait_until(back_in_rotation, 30, "nginx did not send node A traffic again", pause=0.5)
