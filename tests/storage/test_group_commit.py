"""Group commit (:class:`storage.group_commit.GroupCommit`): requests asked in one turn of the event
loop share a batch, later ones the next; a batch that fails fails each of its requests only."""

from __future__ import annotations

import asyncio

from storage.group_commit import GroupCommit


async def test_requests_asked_together_share_a_batch_and_a_failed_batch_fails_only_its_own() -> None:
    batches: list[list[int]] = []

    def write(requests: list[int]) -> list[int]:
        batches.append(requests)
        if 0 in requests:
            raise RuntimeError("the disk is full")
        return [n * 10 for n in requests]

    group = GroupCommit(write)
    assert await asyncio.gather(group.ask(1), group.ask(2), group.ask(3)) == [10, 20, 30]
    failed = asyncio.gather(group.ask(0), group.ask(4), return_exceptions=True)
    first = await failed
    assert [type(result) for result in first] == [RuntimeError, RuntimeError]
    assert await group.ask(5) == 50
    assert batches == [[1, 2, 3], [0, 4], [5]]


async def test_requests_asked_while_a_batch_is_written_share_the_next() -> None:
    batches: list[list[int]] = []
    release = asyncio.Event()
    loop = asyncio.get_running_loop()

    def write(requests: list[int]) -> list[int]:
        batches.append(requests)
        if requests == [1]:
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result(5)
        return requests

    group = GroupCommit(write)
    first = asyncio.ensure_future(group.ask(1))
    while not batches:
        await asyncio.sleep(0.001)
    later = asyncio.gather(group.ask(2), group.ask(3))
    await asyncio.sleep(0.01)
    release.set()
    assert await first == 1 and await later == [2, 3]
    assert batches == [[1], [2, 3]]
