"""The one app harness: csatbot running (workers on) behind an ASGI client, beside a fake platform.

Channel conftests make one per test (``App = AppHarness[TelegramSimulator, TelegramChannel]``) and
keep their fixture names (``app``, ``make_app``...).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import httpx
from sqlalchemy import text

from adapters.testing import Shown
from bot.ports import OffsetClock
from csatbot.runtime import Runtime

WAIT = 10.0
"""How long a test waits for what a user should be shown (seconds)."""


class FakePlatform(Protocol):
    """What the harness needs of a simulator (:class:`adapters.testing.Simulator`)."""

    channel: str

    def shown(self, user: str) -> list[Shown]: ...


SimT = TypeVar("SimT", bound=FakePlatform)
AdapterT = TypeVar("AdapterT")


@dataclass
class AppHarness(Generic[SimT, AdapterT]):
    """csatbot (``http``: an ASGI client signed in as admin), its runtime and the simulator ``sim``.

    ``adapter_type``: the class of the channel's adapter (:attr:`adapter` checks it); ``clock``: a
    clock tests may move forward, when the runtime was given one.
    """

    http: httpx.AsyncClient
    runtime: Runtime
    sim: SimT
    adapter_type: type[AdapterT]
    clock: OffsetClock | None = None

    @property
    def adapter(self) -> AdapterT:
        """The running adapter of the simulator's channel."""
        adapter = self.runtime.adapters[self.sim.channel]
        assert isinstance(adapter, self.adapter_type), adapter
        return adapter

    async def conversations(self) -> list[dict[str, Any]]:
        """Every conversation, from the support API."""
        response = await self.http.get("/api/conversations", params={"limit": 500})
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()
        return found

    async def conversation(self, which: int | str) -> dict[str, Any]:
        """A conversation's detail: by id, or the one conversation with user ``which``."""
        if isinstance(which, str):
            [summary] = [c for c in await self.conversations() if c["customer"]["user"] == which]
            which = int(summary["id"])
        response = await self.http.get(f"/api/conversations/{which}")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def transcript(self) -> list[tuple[str, str]]:
        """(author, text) of every message in the one conversation stored so far."""
        [conversation] = await self.conversations()
        detail = await self.conversation(int(conversation["id"]))
        return [(m["author"], m["text"]) for m in detail["transcript"]]

    async def shown_when(
        self, user: str, done: Callable[[list[Shown]], bool], timeout: float = WAIT
    ) -> list[Shown]:
        """Wait until what ``user`` was shown on the fake platform satisfies ``done``."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.sim.shown(user)
            if done(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{user} was not shown what was expected in {timeout} s; shown: {shown}")
            await asyncio.sleep(0.02)

    shown = shown_when  # the name the Telegram tests use

    def rows(self, sql: str) -> list[Any]:
        """The rows of a query on csatbot's database."""
        with self.runtime.database.reader.connect() as conn:
            return list(conn.execute(text(sql)))
