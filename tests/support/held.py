"""A unit of work done but not committed, its transaction held open in a thread, so that another can
race it on the same database (on SQLite the other waits for the write lock; on PostgreSQL it runs
until it needs a row the held one locked)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bot.repository import Repository
from storage import Database
from storage.repository import SqlRepository


async def held(
    database: Database, work: Callable[[Repository], Any]
) -> tuple[asyncio.Task[None], threading.Event]:
    """Run ``work`` in a write transaction left open until the event is set; the task ends once it
    has committed."""
    done, release = threading.Event(), threading.Event()

    def work_and_hold() -> None:
        try:
            with Session(database.writer) as session, session.begin():
                work(SqlRepository(session))
                session.flush()
                done.set()
                release.wait(10)
        finally:
            done.set()  # a failed ``work`` is raised by the task

    task = asyncio.create_task(asyncio.to_thread(work_and_hold))
    assert await asyncio.to_thread(done.wait, 10)
    if task.done():
        await task
    return task, release
