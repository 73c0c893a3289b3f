"""HTTP helpers every webhook adapter shares: bounded bodies, platform errors, rate limits."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Protocol

import httpx
from aiolimiter import AsyncLimiter
from fastapi import HTTPException, Request

from bot.errors import DeliveryError

log = logging.getLogger("csatbot.limits")


async def read_body(request: Request, limit: int) -> bytes:
    """The raw request body, or 413 once it grows past ``limit`` bytes (never buffered beyond it)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
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
    if value.replace(".", "", 1).isdigit():
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


NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
"""Transport errors raised before the request left: the platform cannot have it."""


def transport_error(channel: str, what: str, exc: httpx.HTTPError) -> DeliveryError:
    """The :class:`DeliveryError` for a request that got no answer. Before the request left
    (connection refused, no free connection) it surely was not sent; after (read timeout, dropped
    connection) the platform may have it: ``maybe_sent``, so it is reconciled, not blindly resent."""
    if isinstance(exc, NOT_SENT):
        return DeliveryError(f"{channel}: {what} unreachable: {exc!r}")
    return DeliveryError(f"{channel}: {what} did not answer: {exc!r}", maybe_sent=True)


class SharedBuckets(Protocol):
    """Leaky buckets every process of a deployment shares (``storage.rates.SqlRates``)."""

    async def take_all(self, wanted: Sequence[tuple[str, float, float]]) -> float:
        """0 when one message's room was taken in every bucket of ``wanted`` (key, messages per
        second, burst) at once, in one transaction; else seconds to wait first (nothing taken)."""
        ...


class RateLimits:
    """An overall limit plus one per chat, both leaky buckets.

    ``async with limits.slot(chat):`` waits until both allow one more message. In one process they
    are aiolimiter buckets (per-chat ones kept for the ``keep`` most recent chats); once
    :meth:`share` is called they live in the database, shared by every process that sends for the
    same ``scope`` (a bot token, a WhatsApp number), so N processes together keep the platform's
    limit instead of N times it. If the database cannot be asked, the process's own buckets apply.
    """

    def __init__(
        self, overall_per_second: float, per_chat: tuple[float, float] | None, keep: int = 10_000
    ) -> None:
        self._overall_rate = overall_per_second
        self._overall = AsyncLimiter(overall_per_second, 1.0)
        self._per_chat = per_chat
        self._chats: OrderedDict[str, AsyncLimiter] = OrderedDict()
        self._keep = keep
        self._shared: SharedBuckets | None = None
        self._scope = ""

    def share(self, buckets: SharedBuckets, scope: str) -> None:
        """Take room from ``buckets`` under ``scope`` (e.g. ``telegram:<bot id>``) from now on."""
        self._shared, self._scope = buckets, scope

    async def _take_shared(self, buckets: SharedBuckets, chat: str) -> bool:
        wanted = [(f"{self._scope}:all", self._overall_rate, self._overall_rate)]
        if self._per_chat is not None:
            count, period = self._per_chat
            wanted.insert(0, (f"{self._scope}:chat:{chat}", count / period, count))
        try:  # the chat's bucket and the overall one in one write: a message costs one transaction
            while (wait := await buckets.take_all(wanted)) > 0:
                await asyncio.sleep(wait)
        except Exception as exc:
            log.warning("shared rate limits unavailable (%s); this process's own limits apply", exc)
            return False
        return True

    def _chat(self, chat: str) -> AsyncLimiter | None:
        if self._per_chat is None:
            return None
        limiter = self._chats.get(chat)
        if limiter is None:
            limiter = self._chats[chat] = AsyncLimiter(*self._per_chat)
            while len(self._chats) > self._keep:
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat)
        return limiter

    @contextlib.asynccontextmanager
    async def slot(self, chat: str) -> AsyncIterator[None]:
        if self._shared is not None and await self._take_shared(self._shared, chat):
            yield
            return
        limiter = self._chat(chat)
        if limiter is not None:
            await limiter.acquire()
        await self._overall.acquire()
        yield
