"""Delivers the outbox: prompts to channels, tickets to team webhooks, with retry and backoff."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.errors import DeliveryError
from bot.ports import Channel, Clock, Recipient
from bot.prompts import prompt_from_dict
from bot.records import OutboxItem
from bot.repository import Store

log = logging.getLogger("csatbot.delivery")


class WebhookPoster(Protocol):
    """Posts a JSON document to a URL; raises :class:`DeliveryError` on failure."""

    async def post_json(self, url: str, document: dict[str, Any]) -> None: ...


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
    ) -> None:
        self.store = store
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
            if not await self._deliver(item):
                # Keep the order: later items to this recipient wait for the failed one.
                waiting = [later.id for later in queue[position + 1 :]]
                break
            delivered += 1
        if waiting:
            await self.store.run(lambda repo: repo.release_outbox(waiting))
        return delivered

    async def _deliver(self, item: OutboxItem) -> bool:
        async with self._limit:
            try:
                platform_id = await self._send(item)
            except DeliveryError as exc:
                await self._failed(item, exc)
                return False
            except Exception as exc:
                # A bug in an adapter must not wedge the outbox: count it as a failed attempt.
                log.exception("outbox %s (%s): unexpected error while sending", item.id, item.kind)
                await self._failed(item, DeliveryError(f"unexpected error: {exc!r}"))
                return False
        now = self.clock.now()
        await self.store.run(lambda repo: repo.outbox_sent(item.id, platform_id, now))
        return True

    async def _failed(self, item: OutboxItem, exc: DeliveryError) -> None:
        attempts = item.attempts + 1
        give_up = exc.permanent or attempts >= self.max_attempts
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

    async def _send(self, item: OutboxItem) -> str:
        if item.kind == "webhook":
            await self.webhooks.post_json(str(item.recipient["url"]), item.body)
            return ""
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
    r = item.recipient
    return f"{item.channel}:{r.get('account', '')}:{r.get('user', '')}"
