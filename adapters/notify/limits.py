"""Each notification target's rate limit, as its platform publishes it.

- Slack incoming webhook: 1 message per second per webhook (short bursts pass).
- WeCom group robot: 20 messages per minute per robot.
- Feishu custom bot: 5 per second and 100 per minute per bot.
- Telegram group: 20 messages per minute per group (the bot's own 1/s per chat applies as well).
- Signed webhook: 10 per second, to be gentle with a ticketing system.

A limit of N per window is a leaky bucket that lets a quarter of N through at once and spreads the
rest over the window, so no window of that length ever sees more than N. The limits are the
platform's, per target, whatever number of processes send to it: once :meth:`Pacer.share` is
called the buckets live in the database (``storage.rates.SqlRates``), shared by every process of
the deployment; before that (or while the database cannot be asked) they are this process's own
(:class:`adapters.http.LocalBuckets`, the same leaky buckets in memory). Either way room is taken
at once for the first moment every bucket has it, and the sender sleeps until then: no polling.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from adapters.http import LocalBuckets, take_in_turn

log = logging.getLogger("csatbot.limits")


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``count`` messages in any ``per`` seconds."""

    count: int
    per: float

    def leak(self) -> tuple[float, float]:
        """The leaky bucket that keeps this rate: (messages drained per second, bucket size)."""
        if self.count <= 1:
            return 1 / self.per, 1.0
        burst = max(1, self.count // 4)
        # Over any window: the burst plus what drains during it, (count - burst) / per per second.
        return (self.count - burst) / self.per, float(burst)


RATES: dict[str, tuple[Rate, ...]] = {
    "slack": (Rate(1, 1.0),),
    "wecom_robot": (Rate(20, 60.0),),
    "feishu": (Rate(5, 1.0), Rate(100, 60.0)),
    "telegram_group": (Rate(20, 60.0),),
    "webhook": (Rate(10, 1.0),),
}


class SharedRooms(Protocol):
    """Leaky buckets every process of a deployment shares (``storage.rates.SqlRates``)."""

    async def reserve(self, wanted: Sequence[tuple[str, float, float]], within: float) -> float | None:
        """Take one message's room in every bucket of ``wanted`` (key, per second, size) at once, at
        the first moment all have it if that is within ``within`` seconds: the seconds to wait
        before sending, or ``None`` (nothing taken in any) when it is further off."""
        ...


class Pacer:
    """Rate limits per target (keyed by URL or chat); this process's own buckets are kept for the
    ``keep`` most recent targets."""

    def __init__(self, rates: Mapping[str, tuple[Rate, ...]] = RATES, keep: int = 1000) -> None:
        self.rates = rates
        self.keep = keep
        most = max((len(r) for r in rates.values()), default=1)
        self._local = LocalBuckets(keep * most)
        self._shared: SharedRooms | None = None

    def share(self, rooms: SharedRooms) -> None:
        """Take room from ``rooms``, shared with every other process, from now on."""
        self._shared = rooms

    async def take(self, key: str, kind: str, within: float) -> bool:
        """Take room for one message to ``key``, waiting up to ``within`` seconds; ``False`` if none.

        Room is taken in every bucket at once or in none, so a refusal costs nothing.
        """
        rates = self.rates.get(kind, ())
        if not rates:
            return True
        # The key may be a webhook URL, which is a secret: the database keeps only its digest.
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        wanted = [(f"notify:{kind}:{digest}:{r.count}/{r.per:g}", *r.leak()) for r in rates]
        if self._shared is not None:
            try:
                return await take_in_turn(functools.partial(self._shared.reserve, wanted), within)
            except Exception as exc:
                log.warning("shared notification limits unavailable (%s); this process's own apply", exc)
        return await take_in_turn(functools.partial(self._local.reserve, wanted), within)
