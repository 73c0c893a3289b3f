"""The whole app with WhatsApp enabled against the fake Graph API, and the simulator's users."""

from __future__ import annotations

import copy
import functools
import json
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import text

from adapters.base import AdapterContext
from adapters.whatsapp import WhatsAppAdapter
from adapters.whatsapp.fake import WhatsAppSimulator
from bot.ports import Clock, OffsetClock
from csatbot.runtime import Runtime
from csatbot.web import create_app

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).parent / "fixtures"
FAST = (1.0, 0.02)  # per-user rate for tests: WhatsApp's real 1 per 6 s would make each test wait


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def payload() -> Callable[[str], dict[str, Any]]:
    """``payload("text")``: a fresh copy of a webhook payload from fixtures/ (Meta's documented shapes)."""
    return _load


@functools.cache
def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(
        (ROOT / "config.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    return data


def write_config(folder: Path, whatsapp: dict[str, Any]) -> Path:
    """The shipped config.yaml with surveys sent at once, no quiet hours, and WhatsApp on."""
    data = copy.deepcopy(_shipped())
    data["triggers"][0]["delay"] = "0s"
    data["surveying"]["quiet_hours"] = None
    data["channels"]["whatsapp"] = whatsapp
    path = folder / "config.yaml"
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def make_runtime(
    folder: Path, sim: WhatsAppSimulator, migrated_db: Path, clock: Clock | None = None
) -> Runtime:
    """A Runtime on a fresh SQLite file whose WhatsApp adapter uses the fast per-user rate."""
    shutil.copyfile(migrated_db, folder / "csatbot.db")
    runtime = Runtime(
        write_config(folder, sim.channel_config()),
        f"sqlite:///{folder / 'csatbot.db'}",
        clock=clock,
        tick_seconds=0.1,
        environ=sim.environ,
    )
    built = runtime.adapters["whatsapp"]
    assert isinstance(built, WhatsAppAdapter)
    ctx = AdapterContext(runtime.service, runtime.clock, runtime.http, runtime.settings, sim.environ)
    adapter = WhatsAppAdapter(built.config, ctx, per_user=FAST)
    runtime.adapters["whatsapp"] = runtime.channels["whatsapp"] = adapter
    return runtime


@dataclass
class App:
    """csatbot (ASGI, workers running) with WhatsApp on, and the fake WhatsApp it talks to."""

    http: httpx.AsyncClient
    runtime: Runtime
    sim: WhatsAppSimulator
    clock: OffsetClock

    @property
    def adapter(self) -> WhatsAppAdapter:
        adapter = self.runtime.adapters["whatsapp"]
        assert isinstance(adapter, WhatsAppAdapter)
        return adapter

    async def conversations(self) -> list[dict[str, Any]]:
        response = await self.http.get("/api/conversations", params={"limit": 500})
        assert response.status_code == 200, response.text
        data: list[dict[str, Any]] = response.json()
        return data

    async def conversation(self, conversation_id: int) -> dict[str, Any]:
        response = await self.http.get(f"/api/conversations/{conversation_id}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def rows(self, sql: str) -> list[Any]:
        with self.runtime.database.reader.connect() as conn:
            return list(conn.execute(text(sql)))


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
    app = create_app(runtime)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://csatbot.test", timeout=30) as http,
    ):
        yield App(http, runtime, sim, clock)


@pytest.fixture
async def app(tmp_path: Path, sim: WhatsAppSimulator, migrated_db: Path) -> AsyncIterator[App]:
    """The app with WhatsApp on (template configured) and a clock tests may move forward."""
    clock = OffsetClock()
    async for served in _serve(make_runtime(tmp_path, sim, migrated_db, clock), sim, clock):
        yield served


@pytest.fixture
async def app_without_template(tmp_path: Path, migrated_db: Path) -> AsyncIterator[App]:
    """The same, with no approved template configured."""
    simulator = WhatsAppSimulator(template=False)
    simulator.start()
    clock = OffsetClock()
    try:
        async for served in _serve(make_runtime(tmp_path, simulator, migrated_db, clock), simulator, clock):
            yield served
    finally:
        simulator.stop()
