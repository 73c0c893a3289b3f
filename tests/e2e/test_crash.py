"""kill -9 under load, two processes on one database, webhooks delivered twice at once, a fake
WhatsApp that fails 30% of sends and answers some late: nothing lost, nothing said twice.

Bounded: 100 customers with 3 messages each, two kills, about a minute per database; then the same
load on ``serve --workers 2`` (PostgreSQL) with one worker killed. Each prints what it counted
(sends, duplicates, order, recovery time after each kill).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import text

from adapters.whatsapp.fake import PHONE_NUMBER_ID, WhatsAppSimulator
from bot.ports import Recipient
from bot.prompts import Say, prompt_to_dict
from storage import SqlStore, open_database
from storage.migrate import upgrade

from .conftest import ROOT
from .processes import ServeProcess

CUSTOMERS = 100
EACH = 3
RECOVERY = 10.0  # seconds: the target for taking over a dead process's work (printed, met when quiet)
RECOVERY_BOUND = 45.0
"""What the test fails on: well under the old 2-minute lease, with room for a loaded 2-core CI
machine (two servers, the fake and the suite share it: 11-28 s were seen there, 5-6 s when quiet)."""


def whatsapp_config(folder: Path, sim: WhatsAppSimulator) -> Path:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["channels"]["whatsapp"] = sim.channel_config()
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def enqueue(database_url: str, sim: WhatsAppSimulator, customers: int = CUSTOMERS, each: int = EACH) -> None:
    """Numbered messages to each customer (three by default, inside the 24-hour window), due now."""
    database = open_database(database_url)
    now = datetime.now(UTC)

    def work(repo: Any) -> None:
        for seq in range(each):
            for c in range(customers):
                recipient = Recipient("whatsapp", PHONE_NUMBER_ID, sim.wa_id(f"c{c}"), last_inbound_at=now)
                body = {"prompt": prompt_to_dict(Say(f"c{c} #{seq}"))}
                repo.enqueue("message", "whatsapp", recipient, body, at=now)

    SqlStore(database).run_sync(work)
    database.dispose()


def migrate(database_url: str) -> None:
    database = open_database(database_url)
    try:
        upgrade(database)
    finally:
        database.dispose()


def rows(database_url: str, sql: str) -> list[Any]:
    database = open_database(database_url)
    try:
        with database.reader.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        database.dispose()


def taken_over(database_url: str, worker: str, in_flight: list[int]) -> bool:
    """No row the dead ``worker`` was sending is still held by it: each was claimed by a live
    worker, confirmed by the platform, or set to wait for that confirmation."""
    if not in_flight:
        return True
    ids = ", ".join(str(i) for i in in_flight)
    held = rows(
        database_url,
        f"SELECT count(*) FROM outbox WHERE id IN ({ids}) AND status = 'sending' AND claimed_by = '{worker}'",
    )
    return held[0][0] == 0


def delivered(sim: WhatsAppSimulator) -> list[str]:
    return [a.body["text"]["body"] for a in list(sim.api.accepted) if a.body.get("type") == "text"]


async def twice_at_once(sim: WhatsAppSimulator, urls: list[str], n: int) -> list[int]:
    """Each of ``n`` customers' webhooks posted to every server at the same moment."""
    clients = [httpx.AsyncClient(base_url=url, timeout=20) for url in urls]
    statuses = []
    try:
        for c in range(n):
            payload = sim.message(f"w{c}", {"type": "text", "text": {"body": f"hello from w{c}"}})
            answers = await asyncio.gather(*(sim.post(http, payload) for http in clients))
            statuses += [a.status_code for a in answers]
    finally:
        for http in clients:
            await http.aclose()
    return statuses


def in_flight(database_url: str, worker: str) -> list[int]:
    """The outbox rows ``worker`` was sending."""
    sql = f"SELECT id FROM outbox WHERE status = 'sending' AND claimed_by = '{worker}'"
    return [row[0] for row in rows(database_url, sql)]


def settled(database_url: str, worker: str, ids: list[int], since: float) -> tuple[int, float]:
    """Wait (up to 60 s) until the dead ``worker``'s in-flight rows ``ids`` are taken over: how
    many there were, and the seconds it took from ``since``."""
    while not taken_over(database_url, worker, ids) and time.monotonic() - since < 60:
        time.sleep(0.1)
    return len(ids), time.monotonic() - since


def drain(sim: WhatsAppSimulator) -> None:
    """The platform recovers: wait (up to 90 s) until every message went out once."""
    sim.api.failure_rate = 0.0  # what backs off goes out at its retry
    deadline = time.monotonic() + 90
    while len(set(delivered(sim))) < CUSTOMERS * EACH and time.monotonic() < deadline:
        time.sleep(0.2)


def folded(sends: list[str]) -> list[str]:
    """``sends`` with each send that repeats the one right before it left out."""
    return [m for n, m in enumerate(sends) if n == 0 or m != sends[n - 1]]


def check(sim: WhatsAppSimulator, database_url: str, statuses: list[int], kills: int) -> None:
    """Nothing lost, at most one repeat per kill, each customer's messages in order, each inbound
    webhook stored once (prints what it counted)."""
    sent = delivered(sim)
    duplicates = len(sent) - len(set(sent))
    database = open_database(database_url)
    with database.reader.connect() as conn:
        inbound = conn.execute(text("SELECT count(*) FROM message WHERE direction = 'in'")).scalar_one()
        left = conn.execute(text("SELECT count(*) FROM outbox WHERE status <> 'sent'")).scalar_one()
    database.dispose()
    # A repeat (allowed once per kill) is the message in flight at the kill sent again right after
    # it: each customer's messages, a repeat folded into the send before it, are in order.
    out_of_order = [
        c
        for c in range(CUSTOMERS)
        if folded([m for m in sent if m.startswith(f"c{c} #")]) != [f"c{c} #{s}" for s in range(EACH)]
    ]
    print(
        f"\nsends {len(sent)} (distinct {len(set(sent))} of {CUSTOMERS * EACH}), duplicates {duplicates}, "
        f"out of order {len(out_of_order)}, undelivered rows {left}, inbound stored {inbound} of 10 "
        f"(webhook answers {sorted(set(statuses))})"
    )
    assert len(set(sent)) == CUSTOMERS * EACH and left == 0  # nothing lost
    assert duplicates <= kills  # at most one per kill, and only the message in flight then
    assert not out_of_order
    assert inbound == 10 and set(statuses) == {200}


def check_recovery(recoveries: list[tuple[int, float]]) -> None:
    slowest = max(seconds for _, seconds in recoveries)
    print(
        f"slowest takeover {slowest:.1f} s: "
        f"{'within' if slowest <= RECOVERY else 'over'} the {RECOVERY:.0f} s target"
    )
    assert slowest <= RECOVERY_BOUND, recoveries


def test_kill_9_under_load_loses_nothing_and_repeats_nothing(tmp_path: Path, database_url: str) -> None:
    sim = WhatsAppSimulator()
    sim.start()
    config = whatsapp_config(tmp_path, sim)
    env = {**sim.environ, "CSATBOT_SECRET_KEY": "crash-test-session-key-0123456789abcdef"}
    migrate(database_url)  # so that the two servers, started at once, find nothing to migrate
    a = ServeProcess(config, database_url, tmp_path / "a.log", env=env).launch()
    b = ServeProcess(config, database_url, tmp_path / "b.log", env=env).launch()
    a.ready()
    b.ready()
    sim.confirm_to(a.url, b.url)
    sim.api.failure_rate = 0.3  # Graph 500s, retried with backoff
    sim.api.delays = [16.0, 16.0]  # two replies later than the 15 s client timeout
    recoveries: list[tuple[int, float]] = []
    try:
        enqueue(database_url, sim)
        statuses = asyncio.run(twice_at_once(sim, [a.url, b.url], 10))
        # 1: a dies; b, alive, takes a's in-flight work over once a's leases end.
        # 2: b dies and restarts at once (same worker id): it takes its own work back at start-up.
        for victim, restart in ((a, False), (b, True)):
            time.sleep(1.0)
            worker = f"{socket.gethostname()}:{victim.port}"  # csatbot serve's worker id
            victim.kill()
            killed = time.monotonic()
            ids = in_flight(database_url, worker)
            if restart:
                victim.start()
                killed = time.monotonic()  # from the moment it answers again
            recoveries.append(settled(database_url, worker, ids, killed))
            if not restart:
                victim.start()
        drain(sim)
        drained = time.monotonic() - killed
    finally:
        a.stop()
        b.stop()
        sim.stop()
    check(sim, database_url, statuses, kills=2)
    print(
        "in flight at the kill, settled after: "
        f"taken over by the live process {recoveries[0][0]} rows {recoveries[0][1]:.1f} s, "
        f"restarted process {recoveries[1][0]} rows {recoveries[1][1]:.1f} s; every message delivered "
        f"{drained:.1f} s after the last kill (unconfirmed sends wait 30 s for WhatsApp's status)"
    )
    check_recovery(recoveries)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_kill_9_of_one_worker_of_two_loses_nothing_and_repeats_nothing(
    tmp_path: Path, database_url: str
) -> None:
    """``serve --workers 2``: one worker is killed with SIGKILL mid-load; the supervisor starts it
    again (it takes its own work back at start-up) while the other keeps serving and takes over
    whatever the dead one held once its leases end, whichever comes first."""
    sim = WhatsAppSimulator()
    sim.start()
    config = whatsapp_config(tmp_path, sim)
    env = {**sim.environ, "CSATBOT_SECRET_KEY": "crash-test-session-key-0123456789abcdef"}
    server = ServeProcess(config, database_url, tmp_path / "serve.log", env=env, extra=["--workers", "2"])
    server.start(timeout=120)
    sim.confirm_to(server.url)
    sim.api.failure_rate = 0.3
    sim.api.delays = [16.0, 16.0]
    try:
        assert server.answering({"w0", "w1"}, 120) == {"w0", "w1"}, f"see {server.log}"
        enqueue(database_url, sim)
        statuses = asyncio.run(twice_at_once(sim, [server.url, server.url], 10))  # spread over both
        time.sleep(1.0)
        worker = f"{socket.gethostname()}:{server.port}:w1"  # the worker id of --workers' w1
        killed_pid = server.workers()[1]
        os.kill(killed_pid, signal.SIGKILL)
        killed = time.monotonic()
        ids = in_flight(database_url, worker)
        recovery = settled(database_url, worker, ids, killed)
        drain(sim)
        drained = time.monotonic() - killed
        back = server.answering({"w1"}, 90)  # started again by the supervisor
        assert server.process is not None and server.process.poll() is None  # the set went on
    finally:
        server.stop()
        sim.stop()
    check(sim, database_url, statuses, kills=1)
    print(
        f"w1 killed with {recovery[0]} rows in flight, settled after {recovery[1]:.1f} s; "
        f"every message delivered {drained:.1f} s after the kill"
    )
    assert "w1" in back, f"w1 was not started again; see {server.log}"
    assert f"csatbot worker 1 (pid {killed_pid}) exited with -9; starting it again" in server.log.read_text()
    check_recovery([recovery])
