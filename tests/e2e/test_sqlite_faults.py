"""SQLite faults while serving: the write lock held by another process past the busy timeout, the
disk full. A customer's message and a platform webhook get 503 with Retry-After (nothing stored),
and the same requests succeed once the fault is gone, stored once."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from adapters.whatsapp.fake import ENVIRON, WhatsAppSimulator
from csatbot.runtime import Runtime

from ..conftest import chat_headers, served
from .test_database_outage import with_channels


async def test_a_write_lock_held_elsewhere_answers_503_soon_and_the_retry_is_taken_once(
    tmp_path: Path,
) -> None:
    whatsapp = WhatsAppSimulator()
    whatsapp.start()
    path = tmp_path / "locked.db"
    config = with_channels(tmp_path, whatsapp=whatsapp.channel_config())
    environ = {**os.environ, **ENVIRON, "CSATBOT_SECRET_KEY": "locked-test-session-key-0123456789"}
    runtime = Runtime(config, f"sqlite:///{path}?timeout=0.5", tick_seconds=0.1, environ=environ)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        async with served(runtime) as http:
            ann = await chat_headers(http, "ann")
            message = {"text": "is anyone there?", "id": "ann-1"}
            holder.execute("BEGIN IMMEDIATE")  # e.g. `sqlite3 csatbot.db` left in a write, a backup
            started = time.monotonic()
            chat = await http.post("/api/webchat/messages", json=message, headers=ann)
            waited = time.monotonic() - started
            hook = await whatsapp.say(http, "bob", "hello")
            assert (chat.status_code, chat.headers.get("retry-after")) == (503, "5"), chat.text
            assert chat.json() == {"detail": "the database is unreachable; nothing was changed, retry in 5 s"}
            assert hook.status_code == 503  # WhatsApp delivers it again
            assert waited < 1.5, waited  # one busy timeout, not five (2.5 min at the default 30 s)
            holder.execute("ROLLBACK")

            again = await http.post("/api/webchat/messages", json=message, headers=ann)
            redelivered = await whatsapp.say(http, "bob", "hello")
            assert again.status_code == 202 and again.json()["duplicate"] is False, again.text
            assert redelivered.status_code == 200
            listed = (await http.get("/api/conversations")).json()
            assert sorted(c["customer"]["user"] for c in listed) == sorted(["ann", whatsapp.wa_id("bob")])
            for conversation in listed:
                detail = (await http.get(f"/api/conversations/{conversation['id']}")).json()
                said = [m["text"] for m in detail["transcript"] if m["direction"] == "in"]
                assert said in (["is anyone there?"], ["hello"]), said  # each stored once
    finally:
        holder.close()
        whatsapp.stop()


async def test_a_full_disk_answers_503_and_the_server_takes_messages_again_once_there_is_room(
    tmp_path: Path,
) -> None:
    """It was a 500 "internal error" (and an ERROR with a traceback) for the chat and the webhooks."""
    whatsapp = WhatsAppSimulator()
    whatsapp.start()
    config = with_channels(tmp_path, whatsapp=whatsapp.channel_config())
    environ = {**os.environ, **ENVIRON, "CSATBOT_SECRET_KEY": "full-disk-test-session-key-0123456789"}
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'full.db'}", tick_seconds=0.1, environ=environ)
    full = False

    def cap(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # max_page_count cannot shrink the file: 1 caps it at its size now, a big one lifts the cap.
        dbapi_connection.execute(f"PRAGMA max_page_count={1 if full else 1_073_741_823}")

    event.listen(runtime.database.writer, "checkout", cap)
    try:
        async with served(runtime) as http:
            ann = await chat_headers(http, "ann")
            full = True
            accepted, refused = [], None
            for n in range(8):  # free pages inside the file take the first few
                message = {"text": f"{n} " + "my parcel never came " * 190, "id": f"ann-{n}"}
                chat = await http.post("/api/webchat/messages", json=message, headers=ann)
                if chat.status_code != 202:
                    refused = message
                    break
                accepted.append(message["text"])
            assert refused is not None, "the capped file never filled"
            assert (chat.status_code, chat.headers.get("retry-after")) == (503, "5"), chat.text
            hook = await whatsapp.say(http, "bob", "hello " + "where is it " * 300)
            assert hook.status_code == 503, hook.text  # WhatsApp delivers it again

            full = False
            again = await http.post("/api/webchat/messages", json=refused, headers=ann)
            redelivered = await whatsapp.say(http, "bob", "hello " + "where is it " * 300)
            assert (again.status_code, again.json()["duplicate"]) == (202, False), again.text
            assert redelivered.status_code == 200
            listed = {c["customer"]["user"]: c["id"] for c in (await http.get("/api/conversations")).json()}
            assert sorted(listed) == sorted(["ann", whatsapp.wa_id("bob")])
            detail = (await http.get(f"/api/conversations/{listed['ann']}")).json()
            said = [m["text"] for m in detail["transcript"] if m["direction"] == "in"]
            assert said == [*accepted, refused["text"]]  # each once, in order
    finally:
        event.remove(runtime.database.writer, "checkout", cap)
        whatsapp.stop()


async def test_a_database_file_deleted_while_serving_is_refused_until_it_is_put_back(
    tmp_path: Path, all_logs: pytest.LogCaptureFixture
) -> None:
    """SQLite kept writing to the deleted file (still open), so messages were answered 202 and
    /readyz 200 while everything accepted was lost at the next restart."""
    path = tmp_path / "gone.db"
    config = with_channels(tmp_path)
    environ = {**os.environ, "CSATBOT_SECRET_KEY": "deleted-test-session-key-0123456789"}
    runtime = Runtime(config, f"sqlite:///{path}", tick_seconds=0.1, environ=environ)
    async with served(runtime) as http:
        ann = await chat_headers(http, "ann")
        assert (await http.post("/api/webchat/messages", json={"text": "hi"}, headers=ann)).status_code == 202
        os.link(path, tmp_path / "kept.db")  # what an admin's backup would bring back: the same file
        path.unlink()
        chat = await http.post("/api/webchat/messages", json={"text": "anyone?"}, headers=ann)
        ready = await http.get("/readyz")
        assert (chat.status_code, chat.headers.get("retry-after")) == (503, "5"), chat.text
        assert ready.status_code == 503
        # /readyz is public: it says what is wrong, the log says where (the path is the operator's)
        said = f"{path} was deleted or replaced while csatbot had it open"
        assert (
            ready.json()["problems"][0]
            == "database: unreachable (OperationalError); the server's log says why"
        )
        assert str(path) not in ready.text
        assert (await http.get("/readyz")).status_code == 503  # probes come often: the cause is logged once
        assert (
            len([r for r in all_logs.records if r.name == "csatbot.readiness" and said in r.getMessage()])
            == 1
        )

        os.link(tmp_path / "kept.db", path)
        again = await http.post("/api/webchat/messages", json={"text": "anyone?"}, headers=ann)
        assert again.status_code == 202, again.text
        assert (await http.get("/readyz")).status_code == 200
    with sqlite3.connect(path) as db:  # what a restart reads
        said = db.execute("select text from message where direction = 'in' order by id").fetchall()
    assert said == [("hi",), ("anyone?",)]
