"""Trace ids (``bot.tracing``): one per request or turn, carried into threads and tasks."""

from __future__ import annotations

import asyncio
import re

from bot.tracing import begin_trace, current_trace_id, end_trace, new_trace_id


def test_ids_are_short_random_and_prefixed_when_asked() -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", new_trace_id())
    assert re.fullmatch(r"turn-[0-9a-f]{12}", new_trace_id("turn"))
    assert len({new_trace_id() for _ in range(100)}) == 100


def test_a_trace_nests_and_ends() -> None:
    assert current_trace_id() == ""
    outer = begin_trace("req-1")
    inner = begin_trace("turn-2")
    assert current_trace_id() == "turn-2"
    end_trace(inner)
    assert current_trace_id() == "req-1"
    end_trace(outer)
    assert current_trace_id() == ""


async def read() -> str:
    return current_trace_id()


async def test_the_id_goes_along_into_worker_threads_and_tasks() -> None:
    token = begin_trace("req-3")
    try:
        in_thread = await asyncio.to_thread(current_trace_id)
        in_task = await asyncio.create_task(read())
        assert (in_thread, in_task) == ("req-3", "req-3")
    finally:
        end_trace(token)
