"""How fast one web chat customer may write and one address may start sessions (anonymous traffic
needs no sign-in, so without these one client could fill the database or every long-poll slot).

Each key (a session's user, a client address) gets a leaky bucket of ``burst`` requests that
drains at ``per_minute``; the ``keep`` most recently seen keys are remembered. Limits are per
process: N processes allow N times as much, which still bounds a flood. (The channels' and
notifications' buckets, ``adapters.http.LocalBuckets``, take room for a later moment and the sender
sleeps until then; these only answer yes or no, from any thread or loop.)
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from bot.buckets import Bucket, take_room


class PerKeyLimit:
    """At most ``per_minute`` requests a minute per key after a first ``burst``."""

    def __init__(
        self, per_minute: int, burst: int, keep: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.burst = max(1, burst)
        self.keep = keep
        self._clock = clock
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (level, when)

    @property
    def retry_after(self) -> int:
        """Whole seconds until a full bucket has room for one more request."""
        return max(1, round(60 / self.per_minute))

    def take(self, key: str) -> bool:
        """Take room for one request of ``key``; ``False`` (and nothing taken) when there is none."""
        now = self._clock()
        level, since = self._levels.pop(key, (0.0, now))
        _, taken = take_room([Bucket(level, since, self.per_minute / 60, self.burst)], now)
        self._levels[key] = (level, since) if taken is None else (taken[0], now)
        while len(self._levels) > self.keep:
            self._levels.popitem(last=False)
        return taken is not None
