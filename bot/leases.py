"""Short leases on claimed work, renewed while it runs.

A worker claims outbox rows and timers with a lease of a few seconds and renews it every third of
that while it still works on them. If the process dies, its leases end within ``length`` and any
live process takes the work over; a restarted process ends its own old leases at once
(``Repository.reclaim``), as only it could still have held them under its worker id.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.ports import Clock
from bot.repository import Store
from bot.storable import bounded

log = logging.getLogger("csatbot.leases")

LEASE = timedelta(seconds=6)
WORKER_CHARS = 64
"""The longest worker id stored (``claimed_by``): a longer one (a long host name, or
``$CSATBOT_WORKER_ID``) is kept as its start and a digest, still distinct; PostgreSQL refused it
whole, so every claim failed and nothing was sent."""


class Leases:
    """What ``worker`` holds now (outbox row ids, timer ids); :meth:`keep` renews them."""

    def __init__(self, worker: str, length: timedelta = LEASE) -> None:
        self.worker = bounded(worker, WORKER_CHARS)
        self.length = length
        self.outbox: set[int] = set()
        self.timers: set[int] = set()
        self._stop = asyncio.Event()

    def until(self, now: datetime) -> datetime:
        return now + self.length

    async def renew(self, store: Store, clock: Clock) -> None:
        outbox, timers = sorted(self.outbox), sorted(self.timers)
        if not outbox and not timers:
            return
        until = self.until(clock.now())
        await store.run(lambda repo: repo.renew_leases(self.worker, outbox, timers, until))

    def stop(self) -> None:
        """End :meth:`keep` after its current renewal (never cut one off: its thread would still
        hold a database connection while the engine is disposed)."""
        self._stop.set()

    async def keep(self, store: Store, clock: Clock) -> None:
        """Renew every third of the lease until :meth:`stop` (a failed renewal is logged, retried)."""
        every = self.length.total_seconds() / 3
        self._stop.clear()
        while True:
            try:
                await asyncio.wait_for(self._stop.wait(), every)
                return
            except TimeoutError:
                pass
            try:
                await self.renew(store, clock)
            except Exception as exc:
                log.warning("could not renew %s's leases: %s", self.worker, exc)
