"""Live updates as server-sent events: a ``queue`` event whenever the tickets change (or, with
``?conversation=ID``, that conversation's messages: what its page and its ticket's page follow).

Each open console page holds one stream. The stream reads one small summary of the ticket table
every ``poll`` seconds (cheap, and it sees changes made by any worker process, which an in-process
signal would not) and ends after ``lifetime`` seconds, when the server shuts down, or when its
session ends (checked before each event and heartbeat); the browser's EventSource reconnects by
itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session, col, func, select

from csatbot.console.auth import SESSION_FIELD, Agent, sessions_of
from csatbot.console.render import runtime_of
from csatbot.edge import RowId
from models.tables import Message
from storage import queries

router = APIRouter()


@dataclass(frozen=True, slots=True)
class LiveSettings:
    poll: float = 2.0
    lifetime: float = 300.0
    heartbeat: float = 15.0


def live_settings(request: Request) -> LiveSettings:
    found: LiveSettings = getattr(request.app.state, "live", LiveSettings())
    return found


def stamp_of(session: Session, conversation: int | None) -> dict[str, object]:
    """The queue's stamp, and with ``conversation`` the id of its newest message (``messages``)."""
    stamp: dict[str, object] = queries.queue_stamp(session)
    if conversation is not None:
        newest = session.exec(
            select(func.max(Message.id)).where(col(Message.conversation_id) == conversation)
        ).one()
        stamp["messages"] = int(newest or 0)
    return stamp


async def _still_signed_in(request: Request) -> bool:
    """Whether the stream's session is still live (checked before each event and heartbeat: a
    stream lasts minutes, and ending a session must end what it sees at once)."""
    session_id = request.session.get(SESSION_FIELD)
    if not isinstance(session_id, str):
        return False
    return await asyncio.to_thread(sessions_of(request).account, session_id) is not None


@router.get("/events")
async def events(request: Request, user: Agent, conversation: RowId | None = None) -> StreamingResponse:
    """``event: queue`` with ``{open, latest, latest_open, changed}`` (and ``messages``, the newest
    message of ``conversation``) at once and on every change."""
    runtime = runtime_of(request)
    timing = live_settings(request)

    async def stream() -> AsyncIterator[str]:
        yield f"retry: {int(timing.poll * 1000)}\n\n"
        last: dict[str, object] | None = None
        loop = asyncio.get_running_loop()
        started = loop.time()
        quiet_since = started
        while True:
            stamp = await runtime.store.read(lambda repo: stamp_of(repo.session, conversation))
            now = loop.time()
            if stamp != last or now - quiet_since >= timing.heartbeat:
                if not await _still_signed_in(request):
                    return  # signed out, password changed or user removed meanwhile: nothing more
                if stamp != last:
                    last = stamp
                    yield f"event: queue\ndata: {json.dumps(stamp)}\n\n"
                else:
                    yield ": still here\n\n"  # a comment line keeps proxies from closing an idle stream
                quiet_since = now
            if runtime.closing or now - started >= timing.lifetime or await request.is_disconnected():
                return
            await asyncio.sleep(timing.poll)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
