"""The whole app with WhatsApp enabled against the fake Graph API, and the simulator's users."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.base import AdapterContext
from adapters.whatsapp import WhatsAppChannel
from adapters.whatsapp.fake import WhatsAppSimulator
from bot.ports import Clock, OffsetClock
from csatbot.runtime import Runtime

from ...conftest import served
from ...support.app import AppHarness
from ..conftest import ConfigWriter

FIXTURES = Path(__file__).parent / "fixtures"
FAST = (1.0, 0.02)  # per-user rate for tests: WhatsApp's real 1 per 6 s would make each test wait


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def payload() -> Callable[[str], dict[str, Any]]:
    """``payload("text")``: a fresh copy of a webhook payload from fixtures/ (Meta's documented shapes)."""
    return _load


def make_runtime(
    folder: Path,
    sim: WhatsAppSimulator,
    migrated_db: Path,
    write_config: ConfigWriter,
    clock: Clock | None = None,
) -> Runtime:
    """A Runtime on a fresh SQLite file whose WhatsApp adapter uses the fast per-user rate."""
    shutil.copyfile(migrated_db, folder / "csatbot.db")
    runtime = Runtime(
        write_config(folder, {"whatsapp": sim.channel_config()}),
        f"sqlite:///{folder / 'csatbot.db'}",
        clock=clock,
        tick_seconds=0.1,
        environ=sim.environ,
    )
    built = runtime.adapters["whatsapp"]
    assert isinstance(built, WhatsAppChannel)
    intake = runtime.inbox.intake
    ctx = AdapterContext(runtime.service, runtime.clock, runtime.http, runtime.settings, sim.environ, intake)
    adapter = WhatsAppChannel(built.config, ctx, per_user=FAST)
    runtime.adapters["whatsapp"] = runtime.channels["whatsapp"] = adapter
    return runtime


App = AppHarness[WhatsAppSimulator, WhatsAppChannel]
"""csatbot (ASGI, workers running) with WhatsApp on, the fake WhatsApp it talks to and its clock."""


@pytest.fixture(scope="session")
def _started_sim() -> Iterator[WhatsAppSimulator]:
    simulator = WhatsAppSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def sim(_started_sim: WhatsAppSimulator) -> WhatsAppSimulator:
    """The fake WhatsApp (started once), with nothing received yet."""
    _started_sim.reset()
    return _started_sim


async def _serve(runtime: Runtime, sim: WhatsAppSimulator, clock: OffsetClock) -> AsyncIterator[App]:
    async with served(runtime) as http:
        yield App(http, runtime, sim, WhatsAppChannel, clock)


@pytest.fixture
async def app(
    tmp_path: Path, sim: WhatsAppSimulator, migrated_db: Path, write_config: ConfigWriter
) -> AsyncIterator[App]:
    """The app with WhatsApp on (template configured) and a clock tests may move forward."""
    clock = OffsetClock()
    runtime = make_runtime(tmp_path, sim, migrated_db, write_config, clock)
    async for running in _serve(runtime, sim, clock):
        yield running


@pytest.fixture
async def app_without_template(
    tmp_path: Path, migrated_db: Path, write_config: ConfigWriter
) -> AsyncIterator[App]:
    """The same, with no approved template configured."""
    simulator = WhatsAppSimulator(template=False)
    simulator.start()
    clock = OffsetClock()
    try:
        runtime = make_runtime(tmp_path, simulator, migrated_db, write_config, clock)
        async for running in _serve(runtime, simulator, clock):
            yield running
    finally:
        simulator.stop()
