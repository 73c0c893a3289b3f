"""Error text the app keeps in the database never holds the bot token, on either database.

A proxy in front of the Bot API (or a local Bot API server) may answer a failed call with an error
page echoing the request URL, which for Telegram carries the token (``/bot<token>/sendMessage``); the
outbox keeps that text (``last_error``) for the record, scrubbed as the logs are.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import text
from starlette.responses import PlainTextResponse, Response

from adapters.telegram.fake import TelegramSimulator
from adapters.testing import Recorded
from csatbot.runtime import Runtime

from ...conftest import served
from ..conftest import ConfigWriter


def echoing_proxy(request: Recorded) -> Response:
    """A proxy's 502 page quoting the URL it failed to reach (the token in its path)."""
    page = f"<html><body>502 Bad Gateway: upstream failed for POST {request.path}</body></html>"
    return PlainTextResponse(page, 502)


async def test_a_failed_send_keeps_no_token_in_the_outbox(
    sim: TelegramSimulator, tmp_path: Path, database_url: str, write_config: ConfigWriter
) -> None:
    token = sim.environ["TELEGRAM_BOT_TOKEN"]
    runtime = Runtime(
        write_config(tmp_path, {"telegram": sim.channel_config()}),
        database_url,
        tick_seconds=0.05,
        environ=sim.environ,
    )
    sim.server.handler = echoing_proxy
    async with served(runtime) as http:
        await sim.say(http, "ann", "/start")
        deadline = time.monotonic() + 20
        while True:
            with runtime.database.reader.connect() as conn:
                kept = conn.execute(text("select last_error from outbox where last_error is not null")).all()
            if kept or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
        assert sim.server.received("sendMessage"), "the fake platform was never called"
        assert token in sim.server.received("sendMessage")[0].path  # what the proxy echoed
        assert kept, "no failed send was recorded"
        [(error,)] = kept
        assert "502 Bad Gateway: upstream failed for POST /bot[redacted]/sendMessage" in error
        assert token not in error and token.split(":")[1] not in error
