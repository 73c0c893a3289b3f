"""A database outage (PostgreSQL refusing connections, for real) answers 503 with Retry-After, and
the same process serves again once the database is back: no restart."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from adapters.wechat.fake import WeChatSimulator
from adapters.whatsapp.fake import ENVIRON, WhatsAppSimulator
from csatbot.runtime import Runtime

from ..conftest import _reset_postgres, chat_headers, served
from ..faults import TcpCut

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def with_channels(folder: Path, **channels: Any) -> Path:
    """The shipped config.yaml with ``channels`` set (surveys at once, no quiet hours)."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["channels"].update(channels)
    data["triggers"][0]["delay"] = "0s"
    data["surveying"]["quiet_hours"] = None
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def postgres(postgres_server_url: str) -> str:
    from storage import open_database
    from storage.migrate import upgrade

    database = open_database(postgres_server_url)
    upgrade(database)
    database.dispose()
    _reset_postgres(postgres_server_url)
    return postgres_server_url


async def test_an_outage_answers_503_with_retry_after_and_recovers_without_a_restart(
    postgres: str, tmp_path: Path
) -> None:
    whatsapp = WhatsAppSimulator()
    whatsapp.start()
    proxy = TcpCut.to(postgres)
    config = with_channels(tmp_path, whatsapp=whatsapp.channel_config())
    environ = {**os.environ, **ENVIRON, "CSATBOT_SECRET_KEY": "outage-test-session-key-0123456789"}
    runtime = Runtime(config, proxy.url(postgres), tick_seconds=0.1, environ=environ)
    try:
        async with served(runtime) as http:
            ann = await chat_headers(http, "ann")
            assert (
                await http.post("/api/webchat/messages", json={"text": "hi"}, headers=ann)
            ).status_code == 202

            proxy.cut()
            chat = await http.post("/api/webchat/messages", json={"text": "still there?"}, headers=ann)
            api = await http.get("/api/conversations")
            hook = await whatsapp.say(http, "bob", "hello")
            ready = await http.get("/readyz")
            metrics = await http.get("/metrics")
            assert (chat.status_code, chat.headers.get("retry-after")) == (503, "5"), chat.text
            assert chat.json() == {"detail": "the database is unreachable; nothing was changed, retry in 5 s"}
            assert (api.status_code, api.headers.get("retry-after")) == (503, "5")
            assert hook.status_code == 503  # not stored: WhatsApp delivers a webhook again after any 5xx
            assert ready.status_code == 503 and ready.json()["problems"][0].startswith(
                "database: unreachable"
            )
            assert metrics.status_code == 200 and "csatbot_database_up 0.0" in metrics.text
            print(f"\noutage: chat {chat.status_code}, api {api.status_code}, whatsapp {hook.status_code}")

            proxy.restore()
            again = await http.post("/api/webchat/messages", json={"text": "still there?"}, headers=ann)
            redelivered = await whatsapp.say(http, "bob", "hello")
            assert again.status_code == 202, again.text
            assert redelivered.status_code == 200
            assert (await http.get("/readyz")).status_code == 200
            texts = [c["customer"]["user"] for c in (await http.get("/api/conversations")).json()]
            assert sorted(texts) == sorted(["ann", whatsapp.wa_id("bob")])
    finally:
        proxy.close()
        whatsapp.stop()


@pytest.mark.parametrize("safe_mode", [False, True], ids=["plain", "safe"])
async def test_a_wechat_callback_refused_in_an_outage_is_taken_when_wechat_sends_it_again(
    postgres: str, tmp_path: Path, safe_mode: bool
) -> None:
    """WeChat sends a callback again with the same signed query. The replay guard remembered it
    before the store failed, so the retry after a 503 was a "replay" (403) and the message was lost;
    now the same request again is always taken (and stored once)."""
    wechat = WeChatSimulator(safe_mode=safe_mode)
    wechat.start()
    proxy = TcpCut.to(postgres)
    config = with_channels(tmp_path, wechat=wechat.channel_config())
    environ = {**os.environ, **wechat.environ, "CSATBOT_SECRET_KEY": "outage-test-session-key-0123456789"}
    runtime = Runtime(config, proxy.url(postgres), tick_seconds=0.1, environ=environ)
    query, body = wechat.signed(wechat.text("o-mei", "are you there?"))

    async def deliver() -> httpx.Response:
        return await http.post(wechat.path, params=query, content=body, headers={"content-type": "text/xml"})

    try:
        async with served(runtime) as http:
            proxy.cut()
            assert (await deliver()).status_code == 503
            proxy.restore()
            again = await deliver()
            assert (again.status_code, again.text) == (200, "success")
            again = await deliver()  # WeChat's next retry: acknowledged, the message kept once
            assert (again.status_code, again.text) == (200, "success")
            listed = (await http.get("/api/conversations")).json()
            assert [c["customer"]["user"] for c in listed] == ["o-mei"]
            [message] = (await http.get(f"/api/conversations/{listed[0]['id']}")).json()["transcript"]
            assert message["text"] == "are you there?"
    finally:
        proxy.close()
        wechat.stop()


async def test_a_table_locked_elsewhere_answers_503_instead_of_hanging(postgres: str, tmp_path: Path) -> None:
    """A lock held elsewhere (a migration, an admin's ``LOCK TABLE``, a transaction left open) made
    the customer's request wait for ever, and every database thread of the process behind it. Now
    it waits ``lock_timeout`` (30 s unless the database or role sets one; 0.3 s here), answers 503
    with Retry-After, and the message sent again once the lock is gone is stored once."""
    import psycopg

    admin = psycopg.connect(postgres, autocommit=True)
    name = admin.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    admin.execute(f"ALTER DATABASE \"{name}\" SET lock_timeout = '300ms'")
    environ = {**os.environ, "CSATBOT_SECRET_KEY": "locked-table-test-session-key-0123456789"}
    runtime = Runtime(with_channels(tmp_path), postgres, tick_seconds=0.1, environ=environ)
    holder = psycopg.connect(postgres)
    try:
        async with served(runtime) as http:
            ann = await chat_headers(http, "ann")
            first = await http.post("/api/webchat/messages", json={"text": "hi"}, headers=ann)
            assert first.status_code == 202
            holder.execute("LOCK TABLE message IN ACCESS EXCLUSIVE MODE")
            message = {"text": "are you there?", "id": "ann-2"}
            started = time.monotonic()
            chat = await http.post("/api/webchat/messages", json=message, headers=ann)
            assert (chat.status_code, chat.headers.get("retry-after")) == (503, "5"), chat.text
            assert time.monotonic() - started < 3.0
            holder.rollback()
            again = await http.post("/api/webchat/messages", json=message, headers=ann)
            assert (again.status_code, again.json()["duplicate"]) == (202, False), again.text
            [listed] = (await http.get("/api/conversations")).json()
            detail = (await http.get(f"/api/conversations/{listed['id']}")).json()
            said = [m["text"] for m in detail["transcript"] if m["direction"] == "in"]
            assert said == ["hi", "are you there?"]
    finally:
        holder.close()
        admin.execute(f'ALTER DATABASE "{name}" RESET lock_timeout')
        admin.close()


def test_postgresql_connections_wait_30_s_for_a_lock_unless_the_database_says_otherwise(
    postgres: str,
) -> None:
    from storage import open_database

    database = open_database(postgres)
    try:
        with database.writer.connect() as conn:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "30s"
    finally:
        database.dispose()
