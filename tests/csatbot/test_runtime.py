"""Config reload without a restart: good edits apply, bad edits keep the last good config."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.errors import ConfigError
from bot.inbox import InboxItem, InboxWorker, Intake
from csatbot.runtime import Pump, Runtime
from storage.inbox import SqlInbox

from ..conftest import Harness, customer_says, served
from ..faults import TcpCut
from ..support.config import config_data, write_config_file

ROOT = Path(__file__).resolve().parents[2]


async def test_reload_applies_good_edits_and_keeps_last_good_on_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}", tick_seconds=0.05)
    await runtime.start()
    try:
        assert runtime.settings().config.surveying.throttle.days == 30
        config.write_text(text.replace("throttle: 30d", "throttle: 7d"))
        await _until(lambda: runtime.settings().config.surveying.throttle.days == 7)

        caplog.set_level(logging.ERROR, logger="csatbot")
        config.write_text(text.replace("throttle: 30d", "throttle: soon"))
        await _until(lambda: "config reload failed" in caplog.text)
        assert "surveying.throttle: expected a duration" in caplog.text
        assert runtime.settings().config.surveying.throttle.days == 7
    finally:
        await runtime.stop()


async def test_a_reload_that_enables_something_without_its_secret_keeps_the_last_good_config(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Enabling Telegram, or a Slack target, whose variable is unset was "config reloaded": every
    send to the target then failed, and the next restart refused to start. Now the edit is refused
    as start-up would refuse it, naming the variable, and a target's secrets are scrubbed from the
    logs from the reload on."""
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    hook = "https://hooks.example.com/services/T0/B0/reloaded-secret-path"
    environ = {"SLACK_URL": hook}
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}", tick_seconds=0.05, environ=environ)
    caplog.set_level(logging.INFO, logger="csatbot")
    try:
        config.write_text(text.replace("telegram: {enabled: false}", "telegram: {enabled: true}"))
        assert runtime.reload() is False
        assert "environment variable TELEGRAM_BOT_TOKEN is not set" in caplog.text
        assert runtime.config_error is not None and not runtime.settings().config.channels.telegram.enabled
        unset = "  targets:\n    slack: {kind: slack, url_env: SLACK_UNSET}\n"
        config.write_text(text.replace("  targets: {}\n", unset))
        assert runtime.reload() is False
        assert "notifications.targets.slack: enabled but the environment variable SLACK_UNSET" in caplog.text
        assert runtime.settings().config.notifications.targets == {}
        config.write_text(text.replace("  targets: {}\n", unset.replace("SLACK_UNSET", "SLACK_URL")))
        assert runtime.reload() is True and runtime.config_error is None
        assert list(runtime.settings().config.notifications.targets) == ["slack"]
        logging.getLogger("csatbot").warning("posting to %s", hook)
        assert hook not in caplog.text
    finally:
        runtime.database.dispose()


async def _until(check: object, seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_without_a_model_and_not_training_messages_are_not_queued_for_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``serve --no-train`` with no model: each message was queued for triage for an hour (a timer
    row each) and the log said "not ready yet: ... queued for triage once it is", though the model
    would never come in that process."""
    nlu = {"model_dir": str(tmp_path / "no-model")}
    config = write_config_file(tmp_path, config_data(nlu=nlu))
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}", tick_seconds=0.05, triage_model=True)
    caplog.set_level(logging.INFO)
    async with served(runtime) as http:
        assert runtime.model is not None
        await _until(lambda: runtime.model is not None and runtime.model.state == "missing")
        assert (await customer_says(http, "ann", text="where is my parcel?")).status_code == 202
        with sqlite3.connect(tmp_path / "r.db") as db:
            kinds = [kind for (kind,) in db.execute("select kind from timer")]
            texts = [text for (text,) in db.execute("select text from message")]
    assert "triage" not in kinds and texts == ["where is my parcel?"]
    assert "not ready yet" not in caplog.text and "no triage model in" in caplog.text


def test_a_restart_with_a_broken_file_serves_the_last_good_config_from_the_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace("throttle: 30d", "throttle: 7d"))
    url = f"sqlite:///{tmp_path / 'r.db'}"
    Runtime(config, url).database.dispose()  # the good file is remembered
    config.write_text(text.replace("throttle: 30d", "throttle: soon"))
    caplog.set_level(logging.CRITICAL, logger="csatbot")
    runtime = Runtime(config, url)
    try:
        assert runtime.settings().config.surveying.throttle.days == 7
        assert runtime.config_error is not None
        assert runtime.config_error.problems[0].startswith("surveying.throttle: expected a duration")
        assert f"{config} is broken; serving the last good config" in caplog.text
        config.write_text(text)
        assert runtime.reload_if_changed() and runtime.config_error is None
    finally:
        runtime.database.dispose()


def test_an_edit_made_while_the_database_is_locked_is_applied_once_it_is_free(tmp_path: Path) -> None:
    """The reload writes the last good config to the database; when that failed (the write lock held
    elsewhere, PostgreSQL down) the edit was marked as seen and never applied until the next edit."""
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}?timeout=0.1")
    holder = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        config.write_text(text.replace("throttle: 30d", "throttle: 7d"))
        with pytest.raises(OperationalError, match="database is locked"):
            runtime.reload_if_changed()
        assert runtime.settings().config.surveying.throttle.days == 30
        holder.execute("ROLLBACK")
        assert runtime.reload_if_changed()  # the next check
        assert runtime.settings().config.surveying.throttle.days == 7
        assert runtime.reload_if_changed() is False
    finally:
        holder.close()
        runtime.database.dispose()


@pytest.mark.postgres
def test_an_edit_made_while_postgresql_is_unreachable_is_applied_once_it_is_back(
    tmp_path: Path, postgres_server_url: str
) -> None:
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    proxy = TcpCut.to(postgres_server_url)
    runtime = Runtime(config, proxy.url(postgres_server_url))
    try:
        proxy.cut()
        config.write_text(text.replace("throttle: 30d", "throttle: 7d"))
        with pytest.raises(OperationalError):
            runtime.reload_if_changed()
        assert runtime.settings().config.surveying.throttle.days == 30
        proxy.restore()
        assert runtime.reload_if_changed()
        assert runtime.settings().config.surveying.throttle.days == 7
    finally:
        runtime.database.dispose()
        proxy.close()


def test_a_broken_file_and_no_good_config_kept_refuses_to_start(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        (ROOT / "config.yaml").read_text(encoding="utf-8").replace("throttle: 30d", "throttle: x")
    )
    with pytest.raises(ConfigError, match=r"surveying\.throttle"):
        Runtime(config, f"sqlite:///{tmp_path / 'r.db'}")


def test_a_secret_that_is_not_utf8_refuses_to_start_and_a_reload_naming_one_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``os.environ`` keeps bytes that are not UTF-8 as lone surrogates, and every bearer request's
    ``.encode()`` of CSATBOT_API_TOKEN or CSATBOT_METRICS_TOKEN was a 500 (the console's signing
    key and the channels' secrets the same). Now start-up refuses, naming the variable (not its value)."""
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    bad = "s3cret-\udcff-token-of-at-least-32-characters"
    for name in ("CSATBOT_API_TOKEN", "CSATBOT_METRICS_TOKEN", "CSATBOT_SECRET_KEY", "TELEGRAM_BOT_TOKEN"):
        with pytest.raises(ConfigError) as refused:
            Runtime(config, f"sqlite:///{tmp_path / 'r.db'}", environ={name: bad})
        assert f"{name} is not UTF-8 text" in str(refused.value)
        assert "s3cret" not in str(refused.value)
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}", environ={"SLACK_URL": bad})
    caplog.set_level(logging.INFO, logger="csatbot")
    try:
        config.write_text(
            text.replace("  targets: {}\n", "  targets:\n    slack: {kind: slack, url_env: SLACK_URL}\n")
        )
        assert runtime.reload() is False and runtime.settings().config.notifications.targets == {}
        assert "SLACK_URL is not UTF-8 text" in caplog.text
    finally:
        runtime.database.dispose()


def test_a_file_saved_in_another_encoding_keeps_the_last_good_config_and_says_why(tmp_path: Path) -> None:
    """A traceback (UnicodeDecodeError) before: at start-up instead of the last good config, and in
    the reload check, which then never said what was wrong."""
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.db'}"
    runtime = Runtime(config, url)
    try:
        before = runtime.settings()
        config.write_bytes(text.encode("utf-16"))  # as some Windows editors save it
        assert runtime.reload_if_changed() is False
        assert runtime.settings() is before
        assert runtime.config_error is not None
        assert runtime.config_error.problems == [
            f"{config} is not UTF-8 text (byte 0xff at offset 0 cannot be read): save it as UTF-8"
        ]
    finally:
        runtime.database.dispose()
    restarted = Runtime(config, url)  # serves the last good config from the database
    try:
        assert (
            restarted.config_error is not None and "is not UTF-8 text" in restarted.config_error.problems[0]
        )
    finally:
        restarted.database.dispose()


def test_a_reload_of_an_alias_bomb_keeps_the_last_good_config_and_says_why(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text)
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'r.db'}")
    try:
        before = runtime.settings()
        laughs = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
        config.write_text("\n".join([*laughs, "surveys: *a9", ""]))
        assert runtime.reload_if_changed() is False  # at once: it was an hour of CPU and gigabytes
        assert runtime.settings() is before
        assert runtime.config_error is not None
        assert "holds over 100,000 values" in runtime.config_error.problems[0]
    finally:
        runtime.database.dispose()


@contextlib.contextmanager
def fed_after(fifo: Path, seconds: float) -> Iterator[None]:
    """After ``seconds``, keep writing a line into ``fifo`` for anyone waiting to read it (so a test of
    code that blocks on it ends, late, instead of hanging)."""
    done = threading.Event()

    def feed() -> None:
        done.wait(seconds)
        while not done.is_set():
            with contextlib.suppress(OSError):  # ENXIO: nobody is reading now
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                os.write(fd, b"surveys: {}\n")
                os.close(fd)
            time.sleep(0.05)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        yield
    finally:
        done.set()
        feeder.join(5)


async def test_a_config_replaced_by_a_fifo_keeps_serving_and_the_last_good_config(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hunt 19: the config check opened config.yaml on the event loop every 2 s, and opening a FIFO
    waits for a writer: a config.yaml replaced by one (or a path on a mount that hangs) froze every
    request, webhook and timer until someone wrote to it, and SIGTERM with them. The check reads off
    the loop and never opens a file that is not a regular one; the reload keeps the last good config
    and says why."""
    monkeypatch.setattr("csatbot.runtime.CONFIG_CHECK_SECONDS", 0.05)
    config = write_config_file(tmp_path, config_data())
    runtime = Runtime(config, database_url, tick_seconds=0.1)
    async with served(runtime) as http:
        before = runtime.settings()
        config.unlink()
        os.mkfifo(config)
        with fed_after(config, 5.0):
            started = time.monotonic()
            await asyncio.sleep(0.5)  # ten config checks
            assert (await http.get("/healthz")).status_code == 200
            waited = time.monotonic() - started
            assert (await customer_says(http, "ann", text="still here")).status_code == 202
        assert waited < 2.0  # it was 5 s and more: the feeder's first line ended the wait
        assert runtime.settings() is before
        assert runtime.config_error is not None
        assert runtime.config_error.problems == [
            f"{config} is not a regular file (a FIFO, a device or a folder): make it a file"
        ]


async def test_an_update_accepted_while_the_inbox_pump_runs_is_handled_by_its_next_run(
    harness: Harness,
) -> None:
    """The inbox worker claims once when that claim is short of a batch; an update accepted after
    the claim, while its batch runs, is not lost: its wake makes the pump run once more."""
    inbox = SqlInbox(harness.database)
    worker = InboxWorker(inbox, {"telegram": None}.get, harness.clock, "w1")
    pump = Pump("inbox", worker.run_due)
    intake = Intake(inbox, harness.clock, pump.kick)
    handled: list[str] = []

    async def handle(item: InboxItem) -> None:
        handled.append(item.key)
        if item.key == "k1":  # claimed alone: this run claims nothing more
            await intake.accept("telegram", "k2", "b", b"{}")

    worker.handlers = {"telegram": handle}.get
    await intake.accept("telegram", "k1", "a", b"{}")
    await pump.drain()
    assert handled == ["k1", "k2"] and inbox.pending_sync() == 0


async def test_stopping_waits_for_a_unit_of_work_whose_request_went_away(database_url: str) -> None:
    """A request cancelled (its client gone) while its unit of work runs leaves the worker thread
    running. Stopping disposed of the engines under it, and the connection it brought back after
    that was never closed (a ResourceWarning from psycopg at some later garbage collection). Now
    stopping waits for it."""
    import threading
    import time

    runtime = Runtime(ROOT / "config.yaml", database_url, tick_seconds=0.1)
    await runtime.start()
    inside, finished = threading.Event(), threading.Event()

    def slow(repo: Any) -> int:
        repo.session.execute(text("SELECT 1"))  # holds a connection now
        inside.set()
        time.sleep(0.4)
        finished.set()
        return 1

    try:
        reading = asyncio.create_task(runtime.store.read(slow))
        assert await asyncio.to_thread(inside.wait, 5)
        reading.cancel()  # the client went away; the thread goes on
        assert runtime.database.lent() >= 1  # (its workers may hold one too)
    finally:
        await runtime.stop()
    assert finished.is_set()  # stopping waited for it (before: stopped in a few ms)
    assert runtime.database.lent() == 0


def test_outgoing_https_still_verifies_servers_with_the_shared_context() -> None:
    import ssl

    from csatbot.runtime import tls_context

    context = tls_context()
    assert context is tls_context()  # loaded once per process
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 10  # certifi's roots are in it
