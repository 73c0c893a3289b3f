"""HTTP helpers every webhook adapter shares: bounded bodies, platform errors, rate limits."""

from __future__ import annotations

import contextlib
import email.utils
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from aiolimiter import AsyncLimiter
from fastapi import HTTPException, Request

from bot.errors import DeliveryError


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


class RateLimits:
    """An overall limit plus one per chat, both leaky buckets (aiolimiter).

    ``async with limits.slot(chat):`` waits until both allow one more message. Per-chat buckets are
    kept for the ``keep`` most recent chats.
    """

    def __init__(
        self, overall_per_second: float, per_chat: tuple[float, float] | None, keep: int = 10_000
    ) -> None:
        self._overall = AsyncLimiter(overall_per_second, 1.0)
        self._per_chat = per_chat
        self._chats: OrderedDict[str, AsyncLimiter] = OrderedDict()
        self._keep = keep

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
        limiter = self._chat(chat)
        if limiter is not None:
            await limiter.acquire()
        await self._overall.acquire()
        yield
