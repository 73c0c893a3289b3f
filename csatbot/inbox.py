"""The inbox worker in a csatbot process: turns run right after a webhook is stored, and at every
tick for what other processes left (a crash, a lease that ended, a retry that fell due).

``$CSATBOT_TEST_INBOX_DELAY`` (seconds; tests only) holds the worker back after start-up, so a
crash test can kill the process between accepting an update and its turn.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from bot.inbox import InboxWorker, Intake, channel_handlers
from bot.ports import Clock
from storage.db import Database, is_unreachable
from storage.inbox import SqlInbox

log = logging.getLogger("csatbot.inbox")

DELAY_ENV = "CSATBOT_TEST_INBOX_DELAY"
KEEP_HANDLED = timedelta(days=2)
"""How long handled rows' keys are kept for dedupe (Telegram retries for a day, Meta for a week
with backoff; a message redelivered later still meets the service's own receipts)."""


class InboxRunner:
    """The inbox's storage, the door webhooks use (:attr:`intake`) and the worker behind it."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        worker: str,
        adapters: Mapping[str, object],
        environ: Mapping[str, str],
        wake: Callable[[], None],
    ) -> None:
        self.storage = SqlInbox(database)
        self.clock = clock
        self.worker = InboxWorker(
            self.storage, channel_handlers(adapters), clock, worker, unavailable=is_unreachable
        )
        self.intake = Intake(self.storage, clock, wake)
        self.wake = wake
        self.delay = float(environ.get(DELAY_ENV) or 0)
        self._open = False
        self._opening: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Take back what this worker held before a restart; open now (or after the test delay)."""
        if reclaimed := await self.storage.reclaim(self.worker.worker):
            log.warning("took back %d inbox rows this worker held before it restarted", reclaimed)
        if self.delay <= 0:
            self.open()
            return
        log.warning(
            "%s=%s: the inbox worker starts %s s late (tests only)", DELAY_ENV, self.delay, self.delay
        )
        self._opening = asyncio.get_running_loop().create_task(self._open_later())

    async def _open_later(self) -> None:
        await asyncio.sleep(self.delay)
        self.open()

    def open(self) -> None:
        """Let the worker run (at start-up, or when the test delay is over)."""
        self._open = True
        self.wake()

    async def stop(self) -> None:
        self._open = False
        if self._opening is not None:
            self._opening.cancel()
            await asyncio.gather(self._opening, return_exceptions=True)

    async def run(self) -> None:
        """Handle every claimable row (what the pump runs)."""
        if self._open:
            await self.worker.run_due()

    def prune(self) -> None:
        """Forget handled rows past :data:`KEEP_HANDLED` (blocking: the scheduler runs it in a thread)."""
        if forgotten := self.storage.prune_sync(self.clock.now() - KEEP_HANDLED):
            log.info("forgot %d handled inbox rows", forgotten)

    async def settled(self, drain: Callable[[], Awaitable[None]], timeout: float = 10.0) -> None:
        """Wait until no row is claimable now and ``drain`` (the pump's) is done (tests use it);
        at once while the worker is held back."""
        deadline = time.monotonic() + timeout
        while self._open and time.monotonic() < deadline:
            await drain()
            if not await asyncio.to_thread(self.storage.due_sync, self.clock.now()):
                await drain()
                return
            self.wake()
            await asyncio.sleep(0.005)
