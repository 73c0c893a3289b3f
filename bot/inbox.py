"""The inbox: platform updates are stored (verified, deduped) before they are acknowledged, and
turned into conversation turns right after, off the request path.

A webhook costs one verification and one insert (:meth:`Intake.accept`); the :class:`InboxWorker`
claims pending rows in small batches under a lease (so two processes never handle one row), hands
each to its channel's handler and marks the batch handled in one statement. A batch of one row (at a
low rate each update is claimed alone) is marked by its turn instead, when that turn is the
handler's last durable step (:data:`Handler`): one commit fewer. A row left claimed by a process that
died is taken over when its lease ends (or at once by the same worker restarted). A row handled but
not yet marked (a crash between the two) is handled again: the service's own dedupe of platform
message ids makes that a no-op.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bot.ports import Clock

log = logging.getLogger("csatbot.inbox")

LEASE = timedelta(seconds=30)
BATCH = 16
MAX_ATTEMPTS = 8
"""A row whose handling failed this often is marked ``failed`` (kept, with its error) and logged."""


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One stored update: ``body`` is what the channel's handler reads back (raw JSON, plain XML)."""

    id: int
    channel: str
    key: str
    sender: str
    body: bytes
    received_at: datetime
    attempts: int
    alone: bool = False
    """The only row of its batch: its turn marks it done (:attr:`turn_marks`)."""

    @property
    def turn_marks(self) -> int | None:
        """The id for the handler's turn to mark done in its own transaction, when the row is its
        batch's only one; ``None`` when the batch's rows are marked together in one statement (a
        statement each in their turns would cost more than that one transaction)."""
        return self.id if self.alone else None


class InboxStorage(Protocol):
    """Where the inbox lives (:class:`storage.inbox.SqlInbox`)."""

    async def accept(self, channel: str, key: str, sender: str, body: bytes, at: datetime) -> bool:
        """Store the update unless ``(channel, key)`` is stored already; whether it was new."""
        ...

    async def first_body(self, channel: str, signed: str, body: str, at: datetime, keep: timedelta) -> bool:
        """Whether ``body`` (a digest) is the first body the signed request ``signed`` (a digest of
        a signature that covers no body) carried to any process in the last ``keep``; remembered if
        so. A repeat of that body (the platform's retry) is ``True`` again."""
        ...

    async def claim(self, worker: str, now: datetime, limit: int, until: datetime) -> list[InboxItem]: ...

    async def done(self, ids: list[int], at: datetime) -> None: ...

    async def retry(self, item_id: int, error: str, wait_until: datetime, *, give_up: bool) -> None:
        """Release a row whose handling failed until ``wait_until`` (or for good: ``give_up``)."""
        ...

    async def release(self, worker: str, ids: list[int]) -> None:
        """Give back claimed rows not attempted (their sender's earlier row failed)."""
        ...

    async def renew(self, worker: str, ids: list[int], until: datetime) -> None: ...

    async def reclaim(self, worker: str) -> int: ...


Handler = Callable[[InboxItem], Awaitable[bool | None]]
"""A channel's ``handle_stored``: ``True`` when it marked the row done itself, in the transaction of
the turn that handled it (``ConversationService.handle(..., inbox_id=item.turn_marks)``, with an id
only for a batch's only row); else the worker does."""
Outcome = Literal["failed", "handled", "marked"]


class Intake:
    """What a webhook calls once the request is verified: store the update, wake the worker."""

    def __init__(self, storage: InboxStorage, clock: Clock, wake: Callable[[], None]) -> None:
        self.storage = storage
        self.clock = clock
        self.wake = wake

    async def accept(self, channel: str, key: str, sender: str, body: bytes) -> bool:
        """Store the update durably (a redelivery is not stored again); whether it was new."""
        new = await self.storage.accept(channel, key, sender, body, self.clock.now())
        if new:
            self.wake()
        return new

    async def first_body(self, channel: str, signed: str, body: str, keep: timedelta) -> bool:
        """Whether the signed request ``signed`` carries its first body ``body`` (both digests), in
        every process on the database: see :meth:`InboxStorage.first_body`."""
        return await self.storage.first_body(channel, signed, body, self.clock.now(), keep)


def backoff(attempts: int) -> timedelta:
    """How long a failed row waits before its next attempt: 1 s, 2 s, 4 s ... up to 5 minutes."""
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), 300))


class InboxWorker:
    """Claims due inbox rows and hands each to ``handlers[row.channel]``.

    A batch's rows from different senders run concurrently, one sender's in order; the batch's lease
    is renewed while it runs; handled rows are marked in one statement at the end.
    """

    def __init__(
        self,
        storage: InboxStorage,
        handlers: Callable[[str], Handler | None],
        clock: Clock,
        worker: str,
        *,
        batch: int = BATCH,
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
        unavailable: Callable[[BaseException], bool] = lambda _exc: False,
    ) -> None:
        """``unavailable`` says whether a handler's error means the database cannot be used right
        now (an outage, a full disk): such a row is retried with backoff however often it failed,
        never given up on, as nothing is wrong with the update itself."""
        self.unavailable = unavailable
        self.storage = storage
        self.handlers = handlers
        self.clock = clock
        self.worker = worker
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts

    async def run_due(self) -> int:
        """Handle claimable rows until none is left; how many were handled.

        A claim that found fewer rows than a batch found all that was due: another claim would find
        only rows accepted since (their webhook kicks the pump, which runs this again once it
        returns) or rows that fell due since (the alarm kicks it), so it is not made."""
        handled = 0
        while True:
            now = self.clock.now()
            items = await self.storage.claim(self.worker, now, self.batch, now + self.lease)
            if items:
                handled += await self.run_batch(items)
            if len(items) < self.batch:
                return handled

    async def run_batch(self, items: list[InboxItem]) -> int:
        """Handle ``items`` (claimed), renewing their lease meanwhile; mark the handled ones done."""
        if len(items) == 1:
            items = [replace(items[0], alone=True)]
        renewing = asyncio.create_task(self._renew([item.id for item in items]))
        try:
            by_sender: dict[tuple[str, str], list[InboxItem]] = {}
            for item in items:
                by_sender.setdefault((item.channel, item.sender or f"#{item.id}"), []).append(item)
            outcomes = await asyncio.gather(*(self._in_order(group) for group in by_sender.values()))
        finally:
            renewing.cancel()
            await asyncio.gather(renewing, return_exceptions=True)
        done = [item.id for handled, _ in outcomes for item, how in handled if how == "handled"]
        if done:
            await self.storage.done(done, self.clock.now())
        if untried := [item_id for _, ids in outcomes for item_id in ids]:
            await self.storage.release(self.worker, untried)
        return sum(len(handled) for handled, _ in outcomes)

    async def _in_order(self, items: list[InboxItem]) -> tuple[list[tuple[InboxItem, Outcome]], list[int]]:
        """Handle one sender's items in order; stop at the first failure (its later ones wait).
        The items handled (and whether their handler marked them done), and the ids not tried."""
        handled: list[tuple[InboxItem, Outcome]] = []
        for n, item in enumerate(items):
            how = await self._handle(item)
            if how == "failed":
                return handled, [i.id for i in items[n + 1 :]]
            handled.append((item, how))
        return handled, []

    async def _handle(self, item: InboxItem) -> Outcome:
        handler = self.handlers(item.channel)
        try:
            if handler is None:
                raise LookupError(f"no channel {item.channel!r} is enabled to handle it")
            marked = await handler(item)
        except Exception as exc:
            give_up = item.attempts >= self.max_attempts and not self.unavailable(exc)
            log.log(
                logging.ERROR if give_up else logging.WARNING,
                "inbox row %d (%s %s) failed (attempt %d%s): %r",
                item.id,
                item.channel,
                item.key,
                item.attempts,
                ", giving up" if give_up else "",
                exc,
                exc_info=give_up,
            )
            await self.storage.retry(
                item.id, repr(exc)[:500], self.clock.now() + backoff(item.attempts), give_up=give_up
            )
            return "failed"
        return "marked" if marked is True else "handled"

    async def _renew(self, ids: list[int]) -> None:
        every = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                await self.storage.renew(self.worker, ids, self.clock.now() + self.lease)
            except Exception as exc:
                log.warning("could not renew the lease on inbox rows %s: %s", ids, exc)


def channel_handlers(adapters: Mapping[str, object]) -> Callable[[str], Handler | None]:
    """The lookup of each channel's ``handle_stored`` (read at call time: adapters may be swapped)."""

    def lookup(channel: str) -> Handler | None:
        handler = getattr(adapters.get(channel), "handle_stored", None)
        return handler if callable(handler) else None

    return lookup
