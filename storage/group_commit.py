"""Group commit: requests that arrive while a batch is being written share the next transaction.

One writer at a time (SQLite's lock, or locked rows on PostgreSQL) makes concurrent short
transactions queue anyway; sharing one costs a commit, a thread hand-off and SQLAlchemy's per
transaction overhead once per batch instead of once per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

A = TypeVar("A")
R = TypeVar("R")


class GroupCommit(Generic[A, R]):
    """Runs ``write`` (blocking: a list of requests in, one result each out, in order) in a thread,
    for every request asked while the previous batch was written; the first ask starts a batch at
    the event loop's next turn, so requests asked in the same turn share it."""

    def __init__(self, write: Callable[[list[A]], list[R]]) -> None:
        self.write = write
        self._waiting: list[tuple[A, asyncio.Future[R]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def ask(self, request: A) -> R:
        """``request``'s result, once its batch has committed (its batch's error if that failed)."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[R] = loop.create_future()
        self._waiting.append((request, answer))
        if self._writing is None or self._writing.done():
            self._writing = loop.create_task(self._write_waiting())
        return await answer

    async def _write_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                results = await asyncio.to_thread(self.write, [request for request, _ in batch])
            except Exception as exc:  # every request of the batch fails
                for _, answer in batch:
                    if not answer.done():
                        answer.set_exception(exc)
                continue
            for (_, answer), result in zip(batch, results, strict=True):
                if not answer.done():  # its caller may have been cancelled meanwhile
                    answer.set_result(result)
