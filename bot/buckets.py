"""Leaky-bucket arithmetic, pure: one message at a time drains from a bucket at ``rate`` per second,
and a bucket of ``size`` lets that many through at once.

Every rate limit of the app keeps its buckets with these functions: the web chat's per-key limits
(``adapters.webchat.limits``), the channels' send limits in one process (``adapters.http``) and the
ones shared by every process in the database (``storage.rates``).

A bucket's *level* may go over its size: room taken ahead of time (a send that waits for its turn)
is a debt the bucket drains before anyone else gets room, so waiting senders queue in the order they
asked instead of polling the bucket.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bucket as last written: ``level`` messages as of ``updated`` (seconds), draining at
    ``rate`` per second, ``size`` at once."""

    level: float
    updated: float
    rate: float
    size: float


def level_at(level: float, updated: float, now: float, rate: float) -> float:
    """The level at ``now`` of a bucket that held ``level`` at ``updated``. A clock behind
    ``updated`` (another process's, or a reading from before) drains nothing: it never fills room."""
    return max(0.0, level - max(0.0, now - updated) * rate)


def take_room(
    buckets: Sequence[Bucket], now: float, within: float = 0.0
) -> tuple[float, tuple[float, ...] | None]:
    """Take room for one message in every bucket of ``buckets`` at once, or in none.

    Returns the seconds from ``now`` until all of them have room, and the buckets' levels as of
    ``now`` with the message taken, or ``None`` (nothing taken) when that wait is over ``within``.
    With a wait, the message is counted in each bucket as sent at ``now + wait``: a bucket that had
    room earlier keeps the room its own later senders need after it.
    """
    levels = [level_at(b.level, b.updated, now, b.rate) for b in buckets]
    wait = max(
        (max(0.0, (level + 1 - b.size) / b.rate) for level, b in zip(levels, buckets, strict=True)),
        default=0.0,
    )
    if wait > within:
        return wait, None
    return wait, tuple(max(level, wait * b.rate) + 1 for level, b in zip(levels, buckets, strict=True))
