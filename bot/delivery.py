"""Delivers the outbox: prompts to channels, ticket notifications to the support teams, with retry
and backoff."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from bot.alerts import NOTIFY
from bot.errors import DeliveryError
from bot.ports import Channel, Clock, Meter, NoMeter, Recipient
from bot.prompts import prompt_from_dict
from bot.records import OutboxItem
from bot.repository import Store

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


Outcome = Literal["sent", "failed", "later"]


def backoff(
    attempts: int, retry_after: float | None = None, *, base: float = 2.0, cap: float = 600.0
) -> float:
    """Seconds to wait before attempt ``attempts + 1``: the platform's ``retry_after`` if given, else
    exponential with jitter."""
    if retry_after is not None:
        return retry_after
    delay: float = min(cap, base * 2.0 ** max(attempts - 1, 0))
    return delay * random.uniform(0.8, 1.2)


class Dispatcher:
    """Claims due outbox rows and delivers them; messages to one recipient keep their order.

    ``concurrency`` bounds the recipients served at once; an adapter waiting for a per-chat rate
    limit (WhatsApp: about one message per 6 s per user) holds its slot, so keep it generous.
    Notifications to one target go out in order too; one whose target's rate limit has no room
    within ``notify_wait`` seconds is put back untouched for the next run (not counted as an
    attempt), so a busy target never holds up the customers' messages. They get
    ``notify_attempts`` tries, as chat platforms' outages outlast a message's.
    """

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        webhooks: WebhookPoster,
        clock: Clock,
        *,
        max_attempts: int = 8,
        lease: timedelta = timedelta(minutes=2),
        concurrency: int = 64,
        notifier: Notifier | None = None,
        notify_wait: float = 1.0,
        notify_attempts: int = 12,
        meter: Meter | None = None,
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
        self.lease = lease
        self._limit = asyncio.Semaphore(concurrency)

    async def deliver_due(self, limit: int = 200) -> int:
        """Deliver what is due now; returns how many items were delivered."""
        now = self.clock.now()
        items = await self.store.run(lambda repo: repo.claim_outbox(now, limit, now + self.lease))
        queues: dict[str, list[OutboxItem]] = {}
        for item in items:
            queues.setdefault(_recipient_key(item), []).append(item)
        results = await asyncio.gather(*(self._deliver_in_order(q) for q in queues.values()))
        return sum(results)

    async def _deliver_in_order(self, queue: list[OutboxItem]) -> int:
        delivered = 0
        waiting: list[int] = []
        for position, item in enumerate(queue):
            outcome = await self._deliver(item)
            if outcome != "sent":
                # Keep the order: later items to this recipient wait for the failed (or paced) one.
                waiting = [later.id for later in queue[position + (outcome == "failed") :]]
                break
            delivered += 1
        if waiting:
            await self.store.run(lambda repo: repo.release_outbox(waiting))
        return delivered

    async def _deliver(self, item: OutboxItem) -> Outcome:
        outcome = await self._attempt(item)
        self.meter.count("send", kind=item.kind, channel=item.channel or item.kind, outcome=outcome)
        return outcome

    async def _attempt(self, item: OutboxItem) -> Outcome:
        async with self._limit:
            try:
                platform_id = await self._send(item)
            except DeliveryError as exc:
                await self._failed(item, exc)
                return "failed"
            except Exception as exc:
                # A bug in an adapter must not wedge the outbox: count it as a failed attempt.
                log.exception("outbox %s (%s): unexpected error while sending", item.id, item.kind)
                await self._failed(item, DeliveryError(f"unexpected error: {exc!r}"))
                return "failed"
        if platform_id is None:
            return "later"
        now = self.clock.now()
        await self.store.run(lambda repo: repo.outbox_sent(item.id, platform_id, now))
        return "sent"

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
        await self.store.run(lambda repo: repo.outbox_failed(item.id, error, retry_at))

    async def _send(self, item: OutboxItem) -> str | None:
        if item.kind == "webhook":
            await self.webhooks.post_json(str(item.recipient["url"]), item.body)
            return ""
        if item.kind == NOTIFY:
            if self.notifier is None:
                raise DeliveryError("notifications are not set up in this process", permanent=True)
            target = str(item.recipient.get("target", ""))
            return await self.notifier.notify(target, item.body, item.id, self.notify_wait)
        channel = self.channels.get(item.channel)
        if channel is None:
            raise DeliveryError(f"channel {item.channel!r} is not enabled", permanent=True)
        try:
            prompt = prompt_from_dict(item.body["prompt"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DeliveryError(f"outbox body is not a prompt: {exc}", permanent=True) from exc
        r = item.recipient
        last_inbound = r.get("last_inbound_at")
        to = Recipient(
            r["channel"],
            r.get("account", ""),
            r["user"],
            r.get("thread", ""),
            r.get("locale", ""),
            datetime.fromisoformat(last_inbound) if last_inbound else None,
        )
        sent = await channel.send(to, prompt)
        return sent.platform_id


def _recipient_key(item: OutboxItem) -> str:
    if item.kind == "webhook":
        return f"webhook:{item.id}"
    if item.kind == NOTIFY:
        return f"{NOTIFY}:{item.recipient.get('target', '')}"
    r = item.recipient
    return f"{item.channel}:{r.get('account', '')}:{r.get('user', '')}"
