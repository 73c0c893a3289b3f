"""Two ``csatbot serve`` processes on one database share one Telegram bot's rate limit: the fake
Telegram counts the messages it gets per second from both together."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text

from adapters.telegram.fake import TelegramSimulator
from adapters.testing import Recorded
from bot.prompts import Say, prompt_to_dict
from storage import SqlStore, open_database

from .conftest import ROOT
from .processes import ServeProcess

MESSAGES = 150
LIMIT = 30.0  # Telegram: about 30 messages per second per bot (adapters/telegram RATE_OVERALL)


def telegram_config(folder: Path, sim: TelegramSimulator) -> Path:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["channels"]["telegram"] = sim.channel_config()
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def enqueue(database_url: str, account: str, count: int) -> None:
    """``count`` messages, one to each of ``count`` chats, due now (as turns would leave them)."""
    from datetime import UTC, datetime

    database = open_database(database_url)
    now = datetime.now(UTC)
    body = {"prompt": prompt_to_dict(Say("Your ticket was updated."))}

    def work(repo: Any) -> None:
        for chat in range(count):
            recipient = {"channel": "telegram", "account": account, "user": str(10_000 + chat)}
            repo.enqueue("message", "telegram", recipient, body, at=now)

    SqlStore(database).run_sync(work)
    database.dispose()


def test_two_processes_together_keep_one_bots_rate_limit(tmp_path: Path, database_url: str) -> None:
    sim = TelegramSimulator()
    stamps: list[tuple[float, int]] = []
    lock = threading.Lock()

    def timed(request: Recorded) -> Any:
        answer = sim.api(request)
        if request.path.endswith("/sendMessage"):
            with lock:
                stamps.append((time.monotonic(), int(sim.api.calls[-1].params["chat_id"])))
        return answer

    sim.server.handler = timed
    sim.start()
    config = telegram_config(tmp_path, sim)
    env = {**sim.environ, "CSATBOT_SECRET_KEY": "scale-out-test-session-key-0123456789"}
    servers = [
        ServeProcess(config, database_url, tmp_path / f"serve{i}.log", env=env).start() for i in range(2)
    ]
    try:
        enqueue(database_url, sim.environ["TELEGRAM_BOT_TOKEN"].split(":")[0], MESSAGES)
        deadline = time.monotonic() + 60
        while len(stamps) < MESSAGES and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for server in servers:
            server.stop()
        sim.stop()
    database = open_database(database_url)
    with database.reader.connect() as conn:
        counted = conn.execute(
            text("SELECT claimed_by, count(*) FROM outbox WHERE status = 'sent' GROUP BY claimed_by")
        )
        by_worker = {worker: n for worker, n in counted}
    database.dispose()
    chats = [chat for _, chat in stamps]
    start = stamps[0][0]
    per_second = [0] * (math.floor(stamps[-1][0] - start) + 1)
    for at, _ in stamps:
        per_second[math.floor(at - start)] += 1
    took = stamps[-1][0] - start
    sustained = (len(stamps) - LIMIT) / took  # the first burst (one bucket's worth) aside
    print(
        f"\n{len(stamps)} sends in {took:.1f} s by {by_worker}: {sustained:.1f}/s sustained, "
        f"per second {per_second}"
    )
    assert sorted(chats) == list(range(10_000, 10_000 + MESSAGES))  # each once
    assert len(by_worker) == 2, f"both processes should have sent: {by_worker}"
    assert sustained <= LIMIT * 1.1
    assert max(per_second[1:-1], default=0) <= LIMIT * 1.2
