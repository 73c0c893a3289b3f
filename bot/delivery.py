"""Delivers the outbox: prompts to channels, ticket notifications to the support teams, with retry
and backoff."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal, Protocol, TypeVar

from bot.alerts import NOTIFY
from bot.errors import DeliveryError
from bot.leases import Leases
from bot.ports import Addressee, Channel, Clock, Meter, NoMeter, NotifyTarget, Recipient, WebhookAddress
from bot.prompts import prompt_from_dict
from bot.reachability import gave_up
from bot.records import OutboxItem, row_id
from bot.repository import Repository, Store
from bot.sent_marks import SentMarks

log = logging.getLogger("csatbot.delivery")


class WebhookPoster(Protocol):
    """Posts a JSON document to a URL; raises :class:`DeliveryError` on failure."""

    async def post_json(self, url: str, document: dict[str, Any]) -> None: ...


class Notifier(Protocol):
    """Sends notifications to the targets in ``notifications.targets`` (``adapters.notify``)."""

    async def notify(self, target: str, body: dict[str, Any], delivery_id: int, wait: float) -> str | None:
        """Render ``body`` for ``target``'s platform and send it; the platform's message id (or "").

        Returns ``None``, sending nothing, when the target's rate limit has no room within ``wait``
        seconds; raises :class:`DeliveryError` when sending failed.
        """
        ...


Outcome = Literal["sent", "failed", "later", "unknown"]
T = TypeVar("T")
REFERENCE = "outbox:"
"""``Recipient.reference`` of an outbox message: ``outbox:<row id>``."""


MAX_RETRY_AFTER = 24 * 3600.0
"""The longest wait a platform's ``retry_after`` gets: a receiver answering ``Retry-After:`` with 20
nines (or a number that parses to infinity) overflowed the retry time, so the attempt was never
recorded and the row was sent again after every lease, without end."""


def backoff(
    attempts: int, retry_after: float | None = None, *, base: float = 2.0, cap: float = 600.0
) -> float:
    """Seconds to wait before attempt ``attempts + 1``: the platform's ``retry_after`` if given (at
    most :data:`MAX_RETRY_AFTER`), else exponential with jitter."""
    if retry_after is not None and retry_after >= 0:  # NaN is no wait
        return min(retry_after, MAX_RETRY_AFTER)
    delay: float = min(cap, base * 2.0 ** max(attempts - 1, 0))
    return delay * random.uniform(0.8, 1.2)


class Dispatcher:
    """Claims due outbox rows and delivers them: concurrently across recipients, in order for each.

    ``concurrency`` bounds the platform calls in flight at once; a slow or hung call holds one slot
    and its own recipient's queue, nobody else's. An adapter waiting for a per-chat rate limit
    (WhatsApp: about one message per 6 s per user) holds its slot, so keep it generous.
    Notifications to one target go out in order too; one whose target's rate limit has no room
    within ``notify_wait`` seconds is put back untouched for the next run (not counted as an
    attempt), so a busy target never holds up the customers' messages. They get
    ``notify_attempts`` tries, as chat platforms' outages outlast a message's.

    Send once: the attempt is recorded before the platform call where it matters (a channel that
    confirms messages, a retry, a claim no longer fresh: see :meth:`_may_send`) and its result right
    after; that bookkeeping is retried while the database blips (the send never is). A call that got no
    answer, or whose worker died during it, may have reached the platform: on a channel that
    confirms messages (``Capabilities.confirm_wait``) it waits for that confirmation and is sent
    again only if none comes; elsewhere it is retried (at most one duplicate, that message).
    """

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        webhooks: WebhookPoster,
        clock: Clock,
        *,
        max_attempts: int = 8,
        leases: Leases | None = None,
        concurrency: int = 64,
        notifier: Notifier | None = None,
        notify_wait: float = 1.0,
        notify_attempts: int = 12,
        meter: Meter | None = None,
        wake: Callable[[], None] = lambda: None,
        record_tries: int = 12,
    ) -> None:
        self.store = store
        self.meter: Meter = meter or NoMeter()
        self.notifier = notifier
        self.notify_wait = notify_wait
        self.notify_attempts = notify_attempts
        self.channels = channels
        self.webhooks = webhooks
        self.clock = clock
        self.max_attempts = max_attempts
        self.leases = leases or Leases("")
        self.concurrency = concurrency
        self.wake = wake
        self.record_tries = record_tries
        self._limit = asyncio.Semaphore(concurrency)
        self._sent = SentMarks(self._record, clock.now)
        self._queues: dict[str, asyncio.Task[int]] = {}
        self._releasing: set[asyncio.Task[None]] = set()
        self._recheck = False
        """A claim ran while deliveries were in flight: claim again when one ends (a recipient's
        later message may have waited behind it). Other processes' rows: ``csatbot.alarm``."""
        self._fresh: dict[int, datetime] = {}
        """Claimed rows not yet tried: until when the claim is fresh (half its lease)."""
        self.closing = False  # stopping: sends in flight finish, the rows behind them go back

    async def deliver_due(self, limit: int = 200, *, wait: bool = True) -> int:
        """Claim what is due now and start delivering it, one task per recipient.

        With ``wait`` (tests, the CLI), wait for those deliveries and return how many were sent;
        without it (the running server) return at once how many items were claimed.
        """
        # No more than this process can send at once: what it cannot start now is left for others.
        room = max(0, self.concurrency - len(self._queues))
        self._recheck = self._recheck or bool(self._queues)
        if room == 0:
            return 0
        now = self.clock.now()
        until = self.leases.until(now)
        worker = self.leases.worker
        items = await self.store.run(lambda repo: repo.claim_outbox(now, min(limit, room), until, worker))
        started, later = self._start(items, now, until)
        if later:
            await self._record(partial(_release, ids=later))
        if not wait:
            return len(items)
        results = await asyncio.gather(*started, return_exceptions=True)
        return sum(r for r in results if isinstance(r, int))

    @property
    def worker(self) -> str:
        return self.leases.worker

    def lease_until(self, now: datetime) -> datetime:
        return self.leases.until(now)

    def take(self, claimed: list[OutboxItem], until: datetime | None, queued: bool) -> None:
        """Deliver the messages a committed unit of work leased to this process as it queued them
        (the store's :class:`bot.repository.Handoff`); with ``queued``, also claim what it left."""
        if claimed and until is not None:
            _, later = self._start(claimed, self.clock.now(), until)
            if later:  # the same customer's earlier message is still being sent here
                self._release_soon(later)
        if queued:
            self.wake()

    def _release_soon(self, ids: list[int]) -> None:
        task = asyncio.get_running_loop().create_task(self._record(partial(_release, ids=ids)))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)

    def _start(
        self, items: list[OutboxItem], now: datetime, until: datetime
    ) -> tuple[list[asyncio.Task[int]], list[int]]:
        """A delivery task per recipient for claimed ``items`` (in order), and the rows to put back."""
        queues: dict[str, list[OutboxItem]] = {}
        for item in items:
            queues.setdefault(_recipient_key(item), []).append(item)
        # A recipient still being served here (this process stalled past its leases): the rows its
        # task holds stay claimed (the claim just renewed them; released, another process could send
        # the one in flight again), and newer ones go back to wait for that task to finish.
        busy = [item.id for key, q in queues.items() if key in self._queues for item in q]
        later = [row for row in busy if row not in self.leases.outbox]
        started: list[asyncio.Task[int]] = []
        for key, queue in queues.items():
            if key in self._queues:
                continue
            self.leases.outbox.update(item.id for item in queue)
            self._fresh.update((item.id, now + (until - now) / 2) for item in queue)
            task = asyncio.get_running_loop().create_task(self._deliver_in_order(queue))
            self._queues[key] = task
            task.add_done_callback(partial(self._finished, key))
            started.append(task)
        return started, later

    def _finished(self, key: str, task: asyncio.Task[int]) -> None:
        self._queues.pop(key, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("delivering to %s failed", key, exc_info=task.exception())
        elif not task.cancelled() and task.result() and self._recheck:
            # A claim ran while this was in flight: what it found behind this may be due now.
            self._recheck = False
            self.wake()

    async def drain(self) -> None:
        """Wait for the deliveries in progress."""
        while self._queues:
            await asyncio.gather(*list(self._queues.values()), return_exceptions=True)

    async def _deliver_in_order(self, queue: list[OutboxItem]) -> int:
        delivered = 0
        try:
            for position, item in enumerate(queue):
                outcome = await self._deliver(item)
                self.leases.outbox.discard(item.id)
                if outcome != "sent" or self.closing:
                    # Keep the order: later items to this recipient wait for the failed one. A stop
                    # waits for the call in flight only, not a queue (a container's grace is often 10 s).
                    later = [i.id for i in queue[position + (outcome in ("failed", "unknown", "sent")) :]]
                    if later:
                        await self._record(partial(_release, ids=later))
                    break
                delivered += 1
        finally:
            self.leases.outbox.difference_update(item.id for item in queue)
            for item in queue:
                self._fresh.pop(item.id, None)
        return delivered

    async def _deliver(self, item: OutboxItem) -> Outcome:
        outcome = await self._attempt(item)
        self.meter.count("send", kind=item.kind, channel=item.channel or item.kind, outcome=outcome)
        return outcome

    def _confirm_wait(self, item: OutboxItem) -> timedelta | None:
        channel = self.channels.get(item.channel) if item.kind == "message" else None
        return channel.capabilities.confirm_wait if channel is not None else None

    async def _interrupted(self, item: OutboxItem, until: datetime) -> Outcome:
        """Its worker died during the call: the platform may have it. Wait for its confirmation."""
        log.warning("outbox %s: its send was interrupted; waiting for the platform to confirm it", item.id)
        await self._record(lambda repo: repo.outbox_unknown(item.id, "send interrupted", until))
        return "unknown"

    async def _attempt(self, item: OutboxItem) -> Outcome:
        wait = self._confirm_wait(item)
        if item.attempt_at is not None:
            # An earlier call's outcome is unknown: a channel that confirms what it delivered gets
            # the time to say so (counted from that call); after that, or on any other channel, the
            # message goes again.
            if wait is not None and self.clock.now() < item.attempt_at + wait:
                return await self._interrupted(item, item.attempt_at + wait)
            log.warning(
                "outbox %s: an earlier send was not confirmed by the platform: sending it again", item.id
            )
        async with self._limit:
            if not await self._may_send(item, wait):
                log.warning("outbox %s: lease lost before sending; another worker has it", item.id)
                return "later"
            try:
                platform_id = await self._send(item, wait is not None)
            except DeliveryError as exc:
                if exc.maybe_sent and wait is not None:
                    until = self.clock.now() + wait
                    log.warning(
                        "outbox %s: %s; waiting until %s for the platform to confirm it", item.id, exc, until
                    )
                    error = str(exc)
                    await self._record(lambda repo: repo.outbox_unknown(item.id, error, until))
                    return "unknown"
                await self._failed(item, exc)
                return "failed"
            except Exception as exc:
                # A bug in an adapter must not wedge the outbox: count it as a failed attempt.
                log.exception("outbox %s (%s): unexpected error while sending", item.id, item.kind)
                await self._failed(item, DeliveryError(f"unexpected error: {exc!r}"))
                return "failed"
        if platform_id is None:
            await self._record(lambda repo: repo.release_outbox([item.id]))
            return "later"
        await self._sent.mark(item.id, platform_id)
        return "sent"

    async def _may_send(self, item: OutboxItem, confirm_wait: timedelta | None) -> bool:
        """Whether this worker still holds ``item``, with the attempt recorded where it matters.

        A channel that confirms messages needs the attempt's time (a send interrupted by a crash
        waits for the platform's word); so does a send whose claim is no longer fresh (this process
        may have stalled past its lease, and another taken the row): those record it, and learn
        whether the lease still holds, in one statement. A first try on any other channel within the
        first half of the lease just claimed needs neither: nobody else can hold the row, and an
        interrupted send is sent again either way.
        """
        started = self.clock.now()
        fresh_until = self._fresh.pop(item.id, None)
        if (
            confirm_wait is None
            and item.attempt_at is None
            and fresh_until is not None
            and started < fresh_until
        ):
            return True
        worker = self.leases.worker
        return await self._record(lambda repo: repo.outbox_attempt(item.id, worker, started))

    async def _record(self, work: Callable[[Repository], T]) -> T:
        """Run bookkeeping ``work``, retried with backoff while the database fails (never the send:
        what the platform did is known here and must not be lost)."""
        delay = 0.1
        for attempt in range(1, self.record_tries + 1):
            try:
                return await self.store.run(work)
            except Exception as exc:
                if attempt == self.record_tries:
                    raise
                log.warning("outbox bookkeeping failed (try %d), again in %.1f s: %s", attempt, delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _failed(self, item: OutboxItem, exc: DeliveryError) -> None:
        attempts = item.attempts + 1
        limit = self.notify_attempts if item.kind == NOTIFY else self.max_attempts
        give_up = exc.permanent or attempts >= limit
        retry_at = (
            None if give_up else self.clock.now() + timedelta(seconds=backoff(attempts, exc.retry_after))
        )
        error = str(exc)
        if give_up:
            log.error(
                "gave up delivering outbox %s (%s) after %s attempt(s): %s",
                item.id,
                item.kind,
                attempts,
                error,
            )
        else:
            log.warning("outbox %s (%s) failed, retry at %s: %s", item.id, item.kind, retry_at, error)
        if not give_up or item.kind != "message":
            await self._record(lambda repo: repo.outbox_failed(item.id, error, retry_at))
            return
        # A survey question that cannot be delivered closes its survey in the same transaction.
        now = self.clock.now()
        closed = await self._record(lambda repo: gave_up(repo, item, error, now, exc.unreachable))
        if closed is not None:
            log.warning("survey %s closed: its question could not be delivered (outbox %s)", closed, item.id)

    async def _send(self, item: OutboxItem, confirms: bool) -> str | None:
        to = addressee(item, f"{REFERENCE}{item.id}" if confirms else "")
        if isinstance(to, WebhookAddress):
            await self.webhooks.post_json(to.url, item.body)
            return ""
        if isinstance(to, NotifyTarget):
            if self.notifier is None:
                raise DeliveryError("notifications are not set up in this process", permanent=True)
            return await self.notifier.notify(to.name, item.body, item.id, self.notify_wait)
        channel = self.channels.get(item.channel)
        if channel is None:
            raise DeliveryError(f"channel {item.channel!r} is not enabled", permanent=True)
        try:
            prompt = prompt_from_dict(item.body["prompt"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DeliveryError(f"outbox body is not a prompt: {exc}", permanent=True) from exc
        sent = await channel.send(to, prompt)
        return sent.platform_id


def addressee(item: OutboxItem, reference: str = "") -> Addressee:
    """Where ``item`` goes, read back from the row as :meth:`Repository.enqueue` stored it
    (``KeyError`` for a chat message stored without a channel or user: it fails, nothing else)."""
    if item.kind == "webhook":
        return WebhookAddress(str(item.recipient["url"]))
    if item.kind == NOTIFY:
        return NotifyTarget(str(item.recipient.get("target", "")))
    return Recipient.from_json(item.recipient, reference)


def outbox_id(reference: str) -> int | None:
    """The outbox row id in a ``Recipient.reference`` a platform echoed back (``outbox:<id>``)."""
    return row_id(reference.removeprefix(REFERENCE)) if reference.startswith(REFERENCE) else None


def _release(repo: Repository, ids: list[int]) -> None:
    repo.release_outbox(ids)


def _recipient_key(item: OutboxItem) -> str:
    if item.kind == "webhook":
        return f"webhook:{item.id}"
    if item.kind == NOTIFY:
        return f"{NOTIFY}:{item.recipient.get('target', '')}"
    r = item.recipient
    return f"{item.channel}:{r.get('account', '')}:{r.get('user', '')}"
