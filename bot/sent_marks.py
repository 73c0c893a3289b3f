"""Recording deliveries as sent, many in one transaction: the senders that finish while one batch
is being written wait for the next, so a busy outbox writes one UPDATE per batch, not per message."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from bot.repository import Repository

Record = Callable[[Callable[[Repository], None]], Awaitable[None]]


class SentMarks:
    """Collects (outbox id, platform id) pairs and records them in batches through ``record``.

    :meth:`mark` returns once its pair is committed (or raises what recording raised), so a
    sender still learns the outcome before it goes on to its recipient's next message.
    """

    def __init__(self, record: Record, clock: Callable[[], datetime]) -> None:
        self.record = record
        self.clock = clock
        self._waiting: list[tuple[int, str, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def mark(self, item_id: int, platform_id: str) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((item_id, platform_id, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        await done

    async def _write(self) -> None:
        await asyncio.sleep(0)  # senders finishing in the same loop turn join this batch
        while self._waiting:
            batch, self._waiting = self._waiting, []
            sent = [(item_id, platform_id) for item_id, platform_id, _ in batch]
            try:
                await self.record(partial(_sent, sent=sent, at=self.clock()))
            except Exception as exc:
                for _, _, done in batch:
                    done.set_exception(exc)
            else:
                for _, _, done in batch:
                    done.set_result(None)


def _sent(repo: Repository, sent: list[tuple[int, str]], at: datetime) -> None:
    repo.outbox_sent_many(sent, at)
