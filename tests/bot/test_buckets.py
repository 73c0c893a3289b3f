"""The leaky-bucket arithmetic every rate limit shares (:mod:`bot.buckets`), as a table."""

from __future__ import annotations

import pytest

from bot.buckets import Bucket, level_at, take_room


@pytest.mark.parametrize(
    ("level", "updated", "now", "rate", "expected"),
    [
        (3.0, 10.0, 10.0, 1.0, 3.0),  # no time passed
        (3.0, 10.0, 11.5, 1.0, 1.5),  # drains at its rate
        (3.0, 10.0, 20.0, 1.0, 0.0),  # never below empty
        (3.0, 10.0, 5.0, 1.0, 3.0),  # a clock behind the last writer drains nothing
        (1.0, 0.0, 30.0, 1 / 60, 0.5),  # a minute's bucket
    ],
)
def test_a_level_drains_at_its_rate_and_never_below_empty(
    level: float, updated: float, now: float, rate: float, expected: float
) -> None:
    assert level_at(level, updated, now, rate) == pytest.approx(expected)


ONE = (1.0, 1.0)  # 1 a second, 1 at once
THREE = (1.0, 3.0)  # 1 a second after a burst of 3


@pytest.mark.parametrize(
    ("buckets", "now", "within", "wait", "levels"),
    [
        # (level, updated, rate, size) per bucket
        ([(0.0, 0.0, *THREE)], 0.0, 0.0, 0.0, (1.0,)),  # room: taken now
        ([(2.0, 0.0, *THREE)], 0.0, 0.0, 0.0, (3.0,)),  # the last of the burst
        ([(3.0, 0.0, *THREE)], 0.0, 0.0, 1.0, None),  # full: refused, the wait said
        ([(3.0, 0.0, *THREE)], 0.0, 1.0, 1.0, (4.0,)),  # full, but within: taken ahead (a debt)
        ([(4.0, 0.0, *THREE)], 0.0, 10.0, 2.0, (5.0,)),  # queued behind the earlier debt
        ([(4.0, 0.0, *THREE)], 1.5, 10.0, 0.5, (3.5,)),  # the debt drained meanwhile
        ([(1.0, 5.0, *ONE)], 4.0, 0.0, 1.0, None),  # a clock behind: not the 2 s between
        # Two buckets: room in both or in none; the wait is the longer one's.
        ([(0.0, 0.0, *THREE), (1.0, 0.0, 1 / 60, 1.0)], 0.0, 0.0, 60.0, None),
        # Taken for 60 s from now: the chat bucket holds the message as sent then (its drain until
        # then is not room for someone else now): at 60 s it holds 1, as a message then would leave it.
        ([(0.0, 0.0, *THREE), (1.0, 0.0, 1 / 60, 1.0)], 0.0, 60.0, 60.0, (61.0, 2.0)),
        ([], 0.0, 0.0, 0.0, ()),  # nothing asked: nothing to wait for
    ],
)
def test_room_is_taken_in_every_bucket_at_once_or_in_none(
    buckets: list[tuple[float, float, float, float]],
    now: float,
    within: float,
    wait: float,
    levels: tuple[float, ...] | None,
) -> None:
    got_wait, got_levels = take_room([Bucket(*b) for b in buckets], now, within)
    assert got_wait == pytest.approx(wait)
    assert got_levels == (None if levels is None else pytest.approx(levels))


def test_senders_taking_ahead_go_out_at_the_rate_in_the_order_they_asked() -> None:
    level, updated, sends = 0.0, 0.0, []
    for _ in range(6):  # six at the same instant on a bucket of 2 at 1 a second
        wait, levels = take_room([Bucket(level, updated, *(1.0, 2.0))], 0.0, within=60.0)
        assert levels is not None
        level, sends = levels[0], [*sends, wait]
    assert sends == pytest.approx([0.0, 0.0, 1.0, 2.0, 3.0, 4.0])
