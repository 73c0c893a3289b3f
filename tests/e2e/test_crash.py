"""kill -9 under load, two processes on one database, webhooks delivered twice at once, a fake
WhatsApp that fails 30% of sends and answers some late: nothing lost, nothing said twice.

Bounded: 40 customers with 3 messages each, two kills, about a minute per database. It prints what
it counted (sends, duplicates, order, recovery time after each kill).
"""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import text

from adapters.whatsapp.fake import PHONE_NUMBER_ID, WhatsAppSimulator
from bot.prompts import Say, prompt_to_dict
from storage import SqlStore, open_database

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


def enqueue(database_url: str, sim: WhatsAppSimulator) -> None:
    """Three numbered messages to each customer (inside the 24-hour window), due now."""
    database = open_database(database_url)
    now = datetime.now(UTC)

    def work(repo: Any) -> None:
        for seq in range(EACH):
            for c in range(CUSTOMERS):
                recipient = {
                    "channel": "whatsapp",
                    "account": PHONE_NUMBER_ID,
                    "user": sim.wa_id(f"c{c}"),
                    "last_inbound_at": now.isoformat(),
                }
                body = {"prompt": prompt_to_dict(Say(f"c{c} #{seq}"))}
                repo.enqueue("message", "whatsapp", recipient, body, at=now)

    SqlStore(database).run_sync(work)
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


def test_kill_9_under_load_loses_nothing_and_repeats_nothing(tmp_path: Path, database_url: str) -> None:
    sim = WhatsAppSimulator()
    sim.start()
    config = whatsapp_config(tmp_path, sim)
    env = {**sim.environ, "CSATBOT_SECRET_KEY": "crash-test-session-key-0123456789abcdef"}
    a = ServeProcess(config, database_url, tmp_path / "a.log", env=env).start()
    b = ServeProcess(config, database_url, tmp_path / "b.log", env=env).start()
    sim.confirm_to(a.url, b.url)
    sim.api.failure_rate = 0.3  # Graph 500s, retried with backoff
    sim.api.delays = [16.0, 16.0]  # two replies later than the 15 s client timeout
    recoveries: list[tuple[int, float]] = []
    drained = 0.0
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
            in_flight = [
                row[0]
                for row in rows(
                    database_url,
                    f"SELECT id FROM outbox WHERE status = 'sending' AND claimed_by = '{worker}'",
                )
            ]
            if restart:
                victim.start()
                killed = time.monotonic()  # from the moment it answers again
            while not taken_over(database_url, worker, in_flight) and time.monotonic() - killed < 60:
                time.sleep(0.1)
            recoveries.append((len(in_flight), time.monotonic() - killed))
            if not restart:
                victim.start()
        sim.api.failure_rate = 0.0  # the platform recovers; what backs off goes out at its retry
        deadline = time.monotonic() + 90
        while len(set(delivered(sim))) < CUSTOMERS * EACH and time.monotonic() < deadline:
            time.sleep(0.2)
        drained = time.monotonic() - killed
    finally:
        a.stop()
        b.stop()
        sim.stop()
    sent = delivered(sim)
    duplicates = len(sent) - len(set(sent))
    database = open_database(database_url)
    with database.reader.connect() as conn:
        inbound = conn.execute(text("SELECT count(*) FROM message WHERE direction = 'in'")).scalar_one()
        left = conn.execute(text("SELECT count(*) FROM outbox WHERE status <> 'sent'")).scalar_one()
    database.dispose()
    out_of_order = [
        c
        for c in range(CUSTOMERS)
        if [m for m in sent if m.startswith(f"c{c} #")] != [f"c{c} #{s}" for s in range(EACH)]
    ]
    print(
        f"\nsends {len(sent)} (distinct {len(set(sent))} of {CUSTOMERS * EACH}), duplicates {duplicates}, "
        f"out of order {len(out_of_order)}, undelivered rows {left}, inbound stored {inbound} of 10 "
        f"(webhook answers {sorted(set(statuses))}); in flight at the kill, settled after: "
        f"taken over by the live process {recoveries[0][0]} rows {recoveries[0][1]:.1f} s, "
        f"restarted process {recoveries[1][0]} rows {recoveries[1][1]:.1f} s; every message delivered "
        f"{drained:.1f} s after the last kill (unconfirmed sends wait 30 s for WhatsApp's status)"
    )
    assert len(set(sent)) == CUSTOMERS * EACH and left == 0  # nothing lost
    assert duplicates <= 2  # at most one per kill, and only the message in flight then
    assert not out_of_order
    slowest = max(seconds for _, seconds in recoveries)
    print(
        f"slowest takeover {slowest:.1f} s: "
        f"{'within' if slowest <= RECOVERY else 'over'} the {RECOVERY:.0f} s target"
    )
    assert slowest <= RECOVERY_BOUND, recoveries
    assert inbound == 10 and set(statuses) == {200}
