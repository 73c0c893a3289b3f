"""HTTP helpers every webhook adapter shares: bounded bodies, platform errors, rate limits."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import logging
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from fastapi import HTTPException, Request

from bot.buckets import Bucket, take_room
from bot.errors import DeliveryError

log = logging.getLogger("csatbot.limits")


def declares_over(declared: str | bytes | None, limit: int) -> bool:
    """Whether a ``Content-Length`` header declares more than ``limit`` bytes. ASCII digits only:
    "²" (a Latin-1 header byte) is a digit to ``str.isdigit()``, not to ``int()``; and past 4,300
    digits ``int()`` raises (it was a 500): a length of more than 18 digits is over any limit anyway."""
    if not declared or not declared.isascii() or not declared.isdigit():
        return False
    return len(declared) > 18 or int(declared) > limit


async def read_body(request: Request, limit: int) -> bytes:
    """The raw request body, or 413 once it grows past ``limit`` bytes (never buffered beyond it)."""
    if declares_over(request.headers.get("content-length"), limit):
        raise HTTPException(413, f"request body over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"request body over {limit} bytes")
    return bytes(body)


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds, or ``None``."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.replace(".", "", 1).isdigit():  # "²" is a digit to isdigit()
        return float(value)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None


def status_error(channel: str, status: int, detail: str, retry_after: float | None = None) -> DeliveryError:
    """The :class:`DeliveryError` for an HTTP failure: 429 and 5xx are retried, other 4xx are not."""
    transient = status == 429 or status >= 500 or status == 408
    return DeliveryError(
        f"{channel}: HTTP {status}: {detail}"[:500], retry_after=retry_after, permanent=not transient
    )


def transport_error(channel: str, what: str, detail: str, *, maybe_sent: bool) -> DeliveryError:
    """The :class:`DeliveryError` for a request that got no answer. Before the request left
    (connection refused, no free connection) it surely was not sent; after (read timeout, dropped
    connection) the platform may have it: ``maybe_sent``, so it is reconciled, not blindly resent."""
    if not maybe_sent:
        return DeliveryError(f"{channel}: {what} unreachable: {detail}")
    return DeliveryError(f"{channel}: {what} did not answer: {detail}", maybe_sent=True)


class SharedBuckets(Protocol):
    """Leaky buckets every process of a deployment shares (``storage.rates.SqlRates``)."""

    async def reserve(
        self, wanted: Sequence[tuple[str, float, float]], within: float = math.inf
    ) -> float | None:
        """Take one message's room in every bucket of ``wanted`` (key, messages per second, burst)
        at once, at the first moment all have it if that is within ``within`` seconds: the seconds
        to wait before sending (0: now), or ``None`` (nothing taken) when it is further off."""
        ...


LATE = 0.25
"""Seconds a sender may wake after the moment its room was taken for and still send. Later (its
process was paused or starved of CPU), senders after it may have used their moments meanwhile: it
takes room anew rather than send in a burst with them (the room it had is lost, never reused)."""
RETAKES = 3
"""Times a sender that woke too late takes room anew before it sends however late it is."""


async def take_in_turn(reserve: Callable[[float], Awaitable[float | None]], within: float = math.inf) -> bool:
    """Take one message's room with ``reserve(within)`` (seconds to wait, or ``None``: none that
    soon) and sleep until its moment; ``False`` when there is none within ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    for _ in range(RETAKES + 1):
        wait = await reserve(max(0.0, deadline - loop.time()))
        if wait is None:
            return False
        due = loop.time() + wait
        if wait > 0:
            await asyncio.sleep(wait)
        if loop.time() - due <= LATE:
            break
        log.warning("woke %.2f s after a rate limit's moment; taking room anew", loop.time() - due)
    return True


class LocalBuckets:
    """:class:`SharedBuckets` kept in this process (the ``keep`` most recently used buckets), on
    the monotonic clock: what a process falls back to when the database cannot be asked."""

    def __init__(self, keep: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.keep = keep
        self._clock = clock
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (level, when)

    async def reserve(
        self, wanted: Sequence[tuple[str, float, float]], within: float = math.inf
    ) -> float | None:
        now = self._clock()
        known = [self._levels.get(key, (0.0, now)) for key, _, _ in wanted]
        buckets = [
            Bucket(level, when, rate, size)
            for (level, when), (_, rate, size) in zip(known, wanted, strict=True)
        ]
        wait, levels = take_room(buckets, now, within)
        if levels is None:
            return None
        for (key, _, _), level in zip(wanted, levels, strict=True):
            self._levels[key] = (level, now)
            self._levels.move_to_end(key)
        while len(self._levels) > self.keep:
            self._levels.popitem(last=False)
        return wait


class RateLimits:
    """An overall limit plus one per chat, both leaky buckets.

    ``async with limits.slot(chat):`` waits until both allow one more message: its room is taken
    at once, for the first moment both have it, and the sender sleeps until then (it never asks
    again, so waiting senders go in the order they asked and cost the database nothing). In one
    process the buckets are :class:`LocalBuckets` (per-chat ones kept for the ``keep`` most recent
    chats); once :meth:`share` is called they live in the database, shared by every process that
    sends for the same ``scope`` (a bot token, a WhatsApp number), so N processes together keep the
    platform's limit instead of N times it. If the database cannot be asked, the process's own
    buckets apply.
    """

    def __init__(
        self, overall_per_second: float, per_chat: tuple[float, float] | None, keep: int = 10_000
    ) -> None:
        self._overall_rate = overall_per_second
        self._per_chat = per_chat
        self._local = LocalBuckets(keep + 1)  # the overall bucket and ``keep`` chats'
        self._shared: SharedBuckets | None = None
        self._scope = ""

    def share(self, buckets: SharedBuckets, scope: str) -> None:
        """Take room from ``buckets`` under ``scope`` (e.g. ``telegram:<bot id>``) from now on."""
        self._shared, self._scope = buckets, scope

    def _wanted(self, chat: str) -> list[tuple[str, float, float]]:
        wanted = [(f"{self._scope}:all", self._overall_rate, self._overall_rate)]
        if self._per_chat is not None:
            count, period = self._per_chat
            wanted.insert(0, (f"{self._scope}:chat:{chat}", count / period, count))
        return wanted

    async def _wait(self, chat: str, within: float = math.inf) -> float | None:
        """Take one message's room; the seconds until it may be sent."""
        wanted = self._wanted(chat)
        if self._shared is not None:
            try:  # the chat's bucket and the overall one in one write: a message costs one transaction
                return await self._shared.reserve(wanted, within)
            except Exception as exc:
                log.warning("shared rate limits unavailable (%s); this process's own limits apply", exc)
        return await self._local.reserve(wanted, within)

    @contextlib.asynccontextmanager
    async def slot(self, chat: str) -> AsyncIterator[None]:
        await take_in_turn(functools.partial(self._wait, chat))
        yield
