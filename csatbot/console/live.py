"""Live updates as server-sent events: a ``queue`` event whenever the tickets change (or, with
``?conversation=ID``, that conversation's messages: what its page and its ticket's page follow).

Each open console page holds one stream. The stream reads one small summary of the ticket table
every ``poll`` seconds (cheap, and it sees changes made by any worker process, which an in-process
signal would not) and ends after ``lifetime`` seconds, when the server shuts down, or when its
session ends (checked before each event and heartbeat); the browser's EventSource reconnects by
itself.

A stream for a conversation that does not exist is refused at once (a 404, as its page), and one
user holds at most ``per_user`` streams (a person with many tabs; the next gets a 429 with
``Retry-After``): each stream polls the database for minutes, so without the cap one signed-in
script could hold every connection and the database busy. A stream's slot is free as soon as it
ends (tab closed, lifetime over, signed out).
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session, col, func, select

from adapters.kit.slots import Busy, Slots
from bot.errors import NotFoundError
from csatbot.console.auth import SESSION_FIELD, Agent, sessions_of
from csatbot.console.render import runtime_of
from csatbot.edge import RowId
from models.tables import Conversation, Message
from storage import queries

router = APIRouter()


@dataclass(frozen=True, slots=True)
class LiveSettings:
    poll: float = 2.0
    lifetime: float = 300.0
    heartbeat: float = 15.0
    per_user: int = 20
    retry_after: int = 10


def live_settings(request: Request) -> LiveSettings:
    found: LiveSettings = getattr(request.app.state, "live", LiveSettings())
    return found


def streams_of(request: Request) -> Slots:
    """The open streams per user (the console app keeps them in ``app.state.live_streams``)."""
    found: Slots = request.app.state.live_streams
    return found


def _known(session: Session, conversation: int) -> None:
    """Raise :class:`NotFoundError` unless ``conversation`` exists."""
    if session.get(Conversation, conversation) is None:
        raise NotFoundError(f"no conversation with id {conversation}")


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


async def _updates(request: Request, timing: LiveSettings, conversation: int | None) -> AsyncIterator[str]:
    """The stream's text: a stamp at once and on every change, heartbeats between."""
    runtime = runtime_of(request)
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


async def _holding(body: AsyncIterator[str], release: Callable[[], None]) -> AsyncIterator[str]:
    """``body``, giving the stream's slot back however it ends (done, cancelled, failed)."""
    try:
        async for chunk in body:
            yield chunk
    finally:
        release()


@router.get("/events")
async def events(request: Request, user: Agent, conversation: RowId | None = None) -> StreamingResponse:
    """``event: queue`` with ``{open, latest, latest_open, changed}`` (and ``messages``, the newest
    message of ``conversation``) at once and on every change; 404 for a conversation that does not
    exist, 429 when the user holds ``per_user`` streams already."""
    timing = live_settings(request)
    if conversation is not None:
        await runtime_of(request).store.read(lambda repo: _known(repo.session, conversation))
    busy = Busy(
        f"too many live streams open for {user.username} (at most {timing.per_user}): "
        "close other console tabs, or retry later",
        timing.retry_after,
    )
    try:
        release = streams_of(request).hold(user.username, timing.per_user, busy)
    except Busy as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    body = _holding(_updates(request, timing, conversation), release)
    weakref.finalize(body, release)  # a stream dropped before it started never runs its finally
    return StreamingResponse(
        body,
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
