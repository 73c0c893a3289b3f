"""Each notification target's rate limit, as its platform publishes it.

- Slack incoming webhook: 1 message per second per webhook (short bursts pass).
- WeCom group robot: 20 messages per minute per robot.
- Feishu custom bot: 5 per second and 100 per minute per bot.
- Telegram group: 20 messages per minute per group (the bot's own 1/s per chat applies as well).
- Signed webhook: 10 per second, to be gentle with a ticketing system.

A limit of N per window is a leaky bucket (aiolimiter) that lets a quarter of N through at once
and spreads the rest over the window, so no window of that length ever sees more than N.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from aiolimiter import AsyncLimiter


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``count`` messages in any ``per`` seconds."""

    count: int
    per: float


RATES: dict[str, tuple[Rate, ...]] = {
    "slack": (Rate(1, 1.0),),
    "wecom_robot": (Rate(20, 60.0),),
    "feishu": (Rate(5, 1.0), Rate(100, 60.0)),
    "telegram_group": (Rate(20, 60.0),),
    "webhook": (Rate(10, 1.0),),
}
POLL = 0.05
"""Seconds between looks at a full bucket while waiting for room."""


def bucket(rate: Rate) -> AsyncLimiter:
    """A leaky bucket that never lets more than ``rate.count`` through in ``rate.per`` seconds."""
    if rate.count <= 1:
        return AsyncLimiter(1, rate.per)
    burst = max(1, rate.count // 4)
    # Over any window: the burst plus what drains during it, (count - burst) / per per second.
    return AsyncLimiter(burst, burst * rate.per / (rate.count - burst))


class Pacer:
    """Rate limits per target (keyed by URL or chat), kept for the ``keep`` most recent targets."""

    def __init__(self, rates: Mapping[str, tuple[Rate, ...]] = RATES, keep: int = 1000) -> None:
        self.rates = rates
        self.keep = keep
        self._buckets: OrderedDict[str, tuple[AsyncLimiter, ...]] = OrderedDict()

    def _for(self, key: str, kind: str) -> tuple[AsyncLimiter, ...]:
        found = self._buckets.get(key)
        if found is None:
            found = self._buckets[key] = tuple(bucket(rate) for rate in self.rates.get(kind, ()))
            while len(self._buckets) > self.keep:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(key)
        return found

    async def take(self, key: str, kind: str, within: float) -> bool:
        """Take room for one message to ``key``, waiting up to ``within`` seconds; ``False`` if none.

        Room is taken in every bucket at once or in none, so a refusal costs nothing.
        """
        buckets = self._for(key, kind)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not all(b.has_capacity() for b in buckets):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(POLL, remaining))
        for b in buckets:
            await b.acquire()  # immediate: each has room, and nothing ran since the check
        return True
