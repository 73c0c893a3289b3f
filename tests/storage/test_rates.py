"""Shared leaky buckets in the database (SQLite and PostgreSQL): two handles on one database, as
two processes would hold, never take more room than a bucket has; room in several buckets is taken
in all of them at once or in none."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event
from sqlmodel import Session

from models import RateBucket
from storage import open_database
from storage.db import Database
from storage.migrate import upgrade
from storage.rates import SqlRates

NOW = 1_795_400_000.0


@pytest.fixture
def databases(database_url: str) -> Iterator[tuple[Database, Database]]:
    """Two handles (engines, pools) on one migrated database."""
    first, second = open_database(database_url), open_database(database_url)
    upgrade(first)
    yield first, second
    first.dispose()
    second.dispose()


def level(database: Database, key: str) -> float | None:
    with Session(database.reader) as session:
        row = session.get(RateBucket, key)
        return None if row is None else row.level


def test_two_handles_taking_at_once_never_take_more_than_the_bucket_holds(
    databases: tuple[Database, Database],
) -> None:
    clock = [NOW]
    rates = [SqlRates(database, now=lambda: clock[0]) for database in databases]
    with ThreadPoolExecutor(8) as pool:
        # 24 takes at the same instant on a bucket of 5 that does not exist yet: its row is made once.
        first = list(pool.map(lambda i: rates[i % 2].take_all_sync([("b", 2.0, 5.0)]), range(24)))
        assert first.count(0.0) == 5
        assert all(wait > 0 for wait in first if wait != 0.0)
        clock[0] += 1.0  # 2 drain per second: room for 2 more
        second = list(pool.map(lambda i: rates[i % 2].take_all_sync([("b", 2.0, 5.0)]), range(24)))
    assert second.count(0.0) == 2
    assert min(wait for wait in second if wait) == pytest.approx(0.5)  # the next one drains in 0.5 s
    assert level(databases[0], "b") == pytest.approx(5.0)


def test_room_is_taken_in_every_bucket_at_once_or_in_none(databases: tuple[Database, Database]) -> None:
    rates = SqlRates(databases[0], now=lambda: NOW)
    other = SqlRates(databases[1], now=lambda: NOW)
    assert rates.take_all_sync([("minute", 1 / 60, 1.0)]) == 0.0  # the minute bucket is now full
    both = [("second", 1.0, 1.0), ("minute", 1 / 60, 1.0)]
    assert other.take_all_sync(both) == pytest.approx(60.0)  # refused: the minute bucket's wait
    assert level(databases[0], "second") == 0.0  # made, but nothing taken from it
    assert level(databases[0], "minute") == pytest.approx(1.0)
    assert other.take_all_sync([("second", 1.0, 1.0)]) == 0.0  # its room was still there
    assert rates.take_all_sync([("second", 1.0, 1.0)]) == pytest.approx(1.0)


def test_a_clock_behind_the_last_writer_drains_nothing(databases: tuple[Database, Database]) -> None:
    ahead = SqlRates(databases[0], now=lambda: NOW)
    behind = SqlRates(databases[1], now=lambda: NOW - 30)
    assert ahead.take_all_sync([("b", 1.0, 1.0)]) == 0.0
    assert behind.take_all_sync([("b", 1.0, 1.0)]) == pytest.approx(1.0)  # not 31 s of room
    assert SqlRates(databases[1], now=lambda: NOW + 1).take_all_sync([("b", 1.0, 1.0)]) == 0.0


def test_room_taken_ahead_queues_senders_across_handles_and_within_bounds_it(
    databases: tuple[Database, Database],
) -> None:
    rates = [SqlRates(database, now=lambda: NOW) for database in databases]
    waits = [rates[i % 2].reserve_sync([("b", 2.0, 2.0)], 60.0) for i in range(5)]
    assert waits == [(0.0, True), (0.0, True), (0.5, True), (1.0, True), (1.5, True)]
    assert rates[0].reserve_sync([("b", 2.0, 2.0)], 1.0) == (2.0, False)  # too far off: not taken
    assert level(databases[0], "b") == pytest.approx(5.0)


async def test_takes_asked_at_once_share_a_transaction_and_take_as_one_after_the_other_would(
    databases: tuple[Database, Database],
) -> None:
    rates = SqlRates(databases[0], now=lambda: NOW)
    commits: list[object] = []
    event.listen(databases[0].writer, "commit", commits.append)
    chat, overall = ("chat", 1.0, 3.0), ("all", 2.0, 2.0)
    waits = await asyncio.gather(
        rates.reserve([chat, overall]),
        rates.reserve([overall], 0.0),  # the overall bucket's last room now
        rates.reserve([chat, overall]),
        rates.reserve([chat, overall], 0.2),  # refused: 1.0 s off
        rates.reserve([chat]),
    )
    assert len(commits) == 1
    assert waits == [0.0, 0.0, 0.5, None, 0.0]  # the third waits for room the first two took
    assert level(databases[0], "chat") == pytest.approx(3.0)
    assert level(databases[0], "all") == pytest.approx(3.0)  # room taken ahead: a debt
    # The same takes one after the other, each its own transaction, on fresh buckets:
    serial = SqlRates(databases[1], now=lambda: NOW)
    renamed = [("c2", 1.0, 3.0), ("a2", 2.0, 2.0)]
    asked = [(renamed, 1e9), ([renamed[1]], 0.0), (renamed, 1e9), (renamed, 0.2), ([renamed[0]], 1e9)]
    assert [serial.reserve_sync(wanted, within) for wanted, within in asked] == [
        (0.0, True), (0.0, True), (0.5, True), (1.0, False), (0.0, True)
    ]  # fmt: skip
