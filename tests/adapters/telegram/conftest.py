"""The whole app with Telegram enabled against a fake Bot API on 127.0.0.1.

Each test gets a fresh fake Telegram (:class:`TelegramSimulator`), a fresh SQLite database and the
shipped config.yaml with surveys sent at once (``delay: 0s``, no quiet hours).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.responses import Response

from adapters.telegram import TelegramChannel
from adapters.telegram.fake import TelegramSimulator
from adapters.testing import FakeServer
from bot.ports import Clock
from csatbot.runtime import Runtime

from ...conftest import served
from ...support.app import AppHarness
from ..conftest import ConfigWriter

App = AppHarness[TelegramSimulator, TelegramChannel]
MakeApp = Callable[..., contextlib.AbstractAsyncContextManager[App]]
"""``async with make_app(**telegram_config_changes) as app``."""
"""csatbot behind an ASGI client, its runtime and the fake Telegram."""


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeServer]:
    """One fake Bot API server for the session; each test's simulator resets its state."""
    server = FakeServer("telegram", lambda _request: Response(status_code=503)).start()
    yield server
    server.stop()


@pytest.fixture
def sim(fake_server: FakeServer) -> Iterator[TelegramSimulator]:
    simulator = TelegramSimulator(server=fake_server)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def make_app(
    sim: TelegramSimulator, tmp_path: Path, migrated_db: Path, write_config: ConfigWriter
) -> MakeApp:
    """``async with make_app(**telegram_config_changes) as app``: the app running with workers."""

    @contextlib.asynccontextmanager
    async def make(
        *,
        environ: dict[str, str] | None = None,
        max_body_bytes: int | None = None,
        notifications: dict[str, Any] | None = None,
        clock: Clock | None = None,
        top: dict[str, Any] | None = None,
        **changes: Any,
    ) -> AsyncIterator[App]:
        channels: dict[str, Any] = {"telegram": sim.channel_config() | changes}
        if max_body_bytes is not None:
            channels["max_body_bytes"] = max_body_bytes
        top_level: dict[str, Any] = {} if notifications is None else {"notifications": notifications}
        top_level |= top or {}
        config = write_config(tmp_path, channels, **top_level)
        db = tmp_path / "app.db"
        shutil.copyfile(migrated_db, db)
        runtime = Runtime(
            config,
            f"sqlite:///{db}",
            tick_seconds=0.05,
            environ=sim.environ if environ is None else environ,
            clock=clock,
        )
        async with served(runtime) as http:
            yield App(http, runtime, sim, TelegramChannel)

    return make


@pytest.fixture
async def app(make_app: Callable[..., contextlib.AbstractAsyncContextManager[App]]) -> AsyncIterator[App]:
    async with make_app() as running:
        yield running
