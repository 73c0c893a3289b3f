"""kill -9 between accepting a webhook and its turn: what was acknowledged is handled after the
restart, once, and a redelivery of it is not handled twice.

The server's inbox worker is held back (``$CSATBOT_TEST_INBOX_DELAY``), so the kill lands after
every update is stored and acknowledged and before any turn ran. Bounded: two starts, six webhooks.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from adapters.whatsapp.fake import WhatsAppSimulator
from csatbot.inbox import DELAY_ENV
from storage import open_database

from .processes import ServeProcess
from .test_crash import whatsapp_config

CUSTOMERS = 5


def scalar(database_url: str, sql: str) -> Any:
    database = open_database(database_url)
    try:
        with database.reader.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        database.dispose()


async def deliver(url: str, sim: WhatsAppSimulator, payloads: list[dict[str, Any]]) -> list[int]:
    async with httpx.AsyncClient(base_url=url, timeout=20) as http:
        return [(await sim.post(http, payload)).status_code for payload in payloads]


def test_kill_9_after_accept_loses_nothing_and_handles_each_update_once(
    tmp_path: Path, database_url: str
) -> None:
    sim = WhatsAppSimulator()
    sim.start()
    config = whatsapp_config(tmp_path, sim)
    env = {**sim.environ, "CSATBOT_SECRET_KEY": "inbox-crash-test-key-0123456789abcdef", DELAY_ENV: "600"}
    server = ServeProcess(config, database_url, tmp_path / "serve.log", env=env).start()
    payloads = [
        sim.message(f"k{c}", {"type": "text", "text": {"body": f"help k{c}"}}) for c in range(CUSTOMERS)
    ]
    try:
        statuses = asyncio.run(deliver(server.url, sim, [*payloads, payloads[0]]))  # the first twice
        assert statuses == [200] * (CUSTOMERS + 1)
        assert scalar(database_url, "SELECT count(*) FROM inbox WHERE status = 'pending'") == CUSTOMERS
        assert scalar(database_url, "SELECT count(*) FROM message") == 0  # no turn ran yet
        server.kill()
        server.env.pop(DELAY_ENV)
        server.start()
        restarted = time.monotonic()
        stored = 0
        while time.monotonic() - restarted < 60:
            stored = scalar(database_url, "SELECT count(*) FROM message WHERE direction = 'in'")
            if stored >= CUSTOMERS:
                break
            time.sleep(0.1)
        took = time.monotonic() - restarted
        redelivered = asyncio.run(deliver(server.url, sim, [payloads[1]]))  # Meta tries once more
        time.sleep(0.5)
    finally:
        server.stop()
        sim.stop()
    texts = sorted(
        row[0] for row in _rows(database_url, "SELECT text FROM message WHERE direction = 'in' ORDER BY id")
    )
    print(f"\n{CUSTOMERS} updates accepted before kill -9; all handled {took:.1f} s after the restart")
    assert redelivered == [200]
    assert texts == sorted(f"help k{c}" for c in range(CUSTOMERS))  # each once: nothing lost or doubled
    assert scalar(database_url, "SELECT count(*) FROM inbox WHERE status <> 'done'") == 0


def _rows(database_url: str, sql: str) -> list[Any]:
    database = open_database(database_url)
    try:
        with database.reader.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        database.dispose()
