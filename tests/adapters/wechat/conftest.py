"""The whole app (Runtime + create_app over httpx.ASGITransport) beside a simulated WeChat / WeCom."""

from __future__ import annotations

import shutil
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.wechat.channel import WeChatChannel
from adapters.wechat.fake import WeChatSimulator, WeComSimulator
from bot.ports import Clock
from csatbot.runtime import Runtime

from ...conftest import served
from ...support.app import AppHarness
from ..conftest import ConfigWriter

Simulator = WeChatSimulator | WeComSimulator


App = AppHarness[Simulator, WeChatChannel]
"""csatbot (``http``) and the platform simulator it is connected to."""


@pytest.fixture(scope="session")
def tls() -> ssl.SSLContext:
    """One TLS context for every app's outgoing client (loading the CA bundle is slow)."""
    return ssl.create_default_context()


@asynccontextmanager
async def running(
    sim: Simulator,
    folder: Path,
    template: Path,
    tls: ssl.SSLContext,
    write_config: ConfigWriter,
    *,
    clock: Clock | None = None,
    environ: dict[str, str] | None = None,
) -> AsyncIterator[App]:
    sim.start()
    try:
        config = write_config(folder, {sim.channel: sim.channel_config()})
        shutil.copyfile(template, folder / "csatbot.db")
        runtime = Runtime(
            config,
            f"sqlite:///{folder / 'csatbot.db'}",
            clock=clock,
            http=httpx.AsyncClient(verify=tls),
            tick_seconds=0.1,
            environ=sim.environ if environ is None else environ,
        )
        async with served(runtime) as http:
            yield App(http, runtime, sim, WeChatChannel)
    finally:
        sim.stop()


MakeApp = Callable[..., Awaitable[App]]


@pytest.fixture
async def make_app(
    tmp_path: Path, migrated_db: Path, tls: ssl.SSLContext, write_config: ConfigWriter
) -> AsyncIterator[MakeApp]:
    """``await make_app(simulator, clock=...)``: csatbot wired to that simulator (stopped at the end)."""
    stack: list[Any] = []

    async def make(
        sim: Simulator, *, clock: Clock | None = None, environ: dict[str, str] | None = None
    ) -> App:
        folder = tmp_path / f"app{len(stack)}"
        folder.mkdir()
        context = running(sim, folder, migrated_db, tls, write_config, clock=clock, environ=environ)
        stack.append(context)
        return await context.__aenter__()

    yield make
    for context in reversed(stack):
        await context.__aexit__(None, None, None)


@pytest.fixture
async def oa(make_app: MakeApp) -> App:
    """An Official Account in safe mode."""
    return await make_app(WeChatSimulator(safe_mode=True))


@pytest.fixture
async def oa_plain(make_app: MakeApp) -> App:
    """An Official Account in plain mode."""
    return await make_app(WeChatSimulator(safe_mode=False))


@pytest.fixture
async def wecom(make_app: MakeApp) -> App:
    return await make_app(WeComSimulator())


SIMULATORS: dict[str, Callable[[], Simulator]] = {
    "oa-safe": lambda: WeChatSimulator(safe_mode=True),
    "oa-plain": lambda: WeChatSimulator(safe_mode=False),
    "wecom": WeComSimulator,
}


@pytest.fixture(params=sorted(SIMULATORS))
async def any_app(request: pytest.FixtureRequest, make_app: MakeApp) -> App:
    """Each platform in turn: OA in safe and plain mode, WeCom."""
    return await make_app(SIMULATORS[request.param]())


@pytest.fixture(params=["oa-safe", "wecom"])
async def safe_app(request: pytest.FixtureRequest, make_app: MakeApp) -> App:
    """Each encrypted platform: OA in safe mode, WeCom."""
    return await make_app(SIMULATORS[request.param]())


@pytest.fixture
def make_runtime(
    tmp_path: Path, migrated_db: Path, write_config: ConfigWriter
) -> Iterator[Callable[..., Runtime]]:
    """``make_runtime(channel, section, environ)``: build (not start) csatbot with that channel section."""
    made: list[Runtime] = []

    def make(channel: str, section: dict[str, Any], environ: dict[str, str]) -> Runtime:
        folder = tmp_path / f"runtime{len(made)}"
        folder.mkdir()
        config = write_config(folder, {channel: section})
        shutil.copyfile(migrated_db, folder / "csatbot.db")
        runtime = Runtime(config, f"sqlite:///{folder / 'csatbot.db'}", environ=environ)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.database.dispose()


@pytest.fixture
async def platform_app(request: pytest.FixtureRequest, make_app: MakeApp) -> App:
    """The platform named by indirect parametrization (``oa-safe``, ``oa-plain`` or ``wecom``)."""
    return await make_app(SIMULATORS[request.param]())
