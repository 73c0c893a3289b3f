"""Deliveries recorded as sent in batches: one transaction for the senders that finish together."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.sent_marks import SentMarks

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class Recorded:
    """A repository at the port that records the batches it is given (``fail`` makes one raise)."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[int, str]]] = []
        self.fail: Exception | None = None

    def outbox_sent_many(self, sent: Any, at: datetime) -> None:
        assert at == T0
        self.batches.append(list(sent))

    async def record(self, work: Any) -> None:
        if self.fail is not None:
            raise self.fail
        await asyncio.sleep(0)
        work(self)


async def test_senders_finishing_together_share_one_batch() -> None:
    repo = Recorded()
    marks = SentMarks(repo.record, lambda: T0)
    await asyncio.gather(*(marks.mark(i, f"p{i}") for i in range(5)))
    assert repo.batches == [[(i, f"p{i}") for i in range(5)]]


async def test_a_sender_arriving_while_a_batch_is_written_goes_in_the_next() -> None:
    repo = Recorded()
    marks = SentMarks(repo.record, lambda: T0)
    first = asyncio.ensure_future(marks.mark(1, "p1"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the first batch is being written now
    await asyncio.gather(first, marks.mark(2, "p2"))
    assert repo.batches == [[(1, "p1")], [(2, "p2")]]


async def test_every_sender_of_a_failed_batch_learns_it_and_the_next_batch_still_goes() -> None:
    repo = Recorded()
    marks = SentMarks(repo.record, lambda: T0)
    repo.fail = RuntimeError("database gone")
    results = await asyncio.gather(marks.mark(1, "p1"), marks.mark(2, ""), return_exceptions=True)
    assert [str(r) for r in results] == ["database gone", "database gone"]
    repo.fail = None
    await marks.mark(3, "p3")
    assert repo.batches == [[(3, "p3")]]


@pytest.mark.parametrize("count", [1, 40])
async def test_each_mark_returns_only_once_recorded(count: int) -> None:
    repo = Recorded()
    marks = SentMarks(repo.record, lambda: T0)
    await asyncio.gather(*(marks.mark(i, "p") for i in range(count)))
    assert sum(len(b) for b in repo.batches) == count
