"""Per-key leaky buckets: a burst, then the rate; keys apart; the oldest keys forgotten."""

from __future__ import annotations

from adapters.webchat.limits import PerKeyLimit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_rate_and_each_key_apart() -> None:
    clock = Clock()
    limit = PerKeyLimit(per_minute=60, burst=3, clock=clock)
    assert [limit.take("a") for _ in range(4)] == [True, True, True, False]
    assert limit.take("b")  # another key has its own bucket
    clock.now += 1.0  # one request's room drains per second at 60 a minute
    assert [limit.take("a"), limit.take("a")] == [True, False]
    clock.now += 10.0
    assert [limit.take("a") for _ in range(4)] == [True, True, True, False]  # never more than the burst
    assert limit.retry_after == 1 and PerKeyLimit(per_minute=6, burst=1).retry_after == 10


def test_only_the_most_recent_keys_are_kept() -> None:
    limit = PerKeyLimit(per_minute=1, burst=1, keep=2, clock=Clock())
    assert limit.take("a") and limit.take("b") and limit.take("c")  # "a" is forgotten
    assert limit.take("a") and not limit.take("c")
