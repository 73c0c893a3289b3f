"""The id of the request, turn or worker run that is going on, for every log line it causes.

A :class:`~contextvars.ContextVar`: asyncio tasks and ``asyncio.to_thread`` carry it along, so the
lines a request's database work logs in a worker thread carry the request's id too.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar, Token

TRACE_ID: ContextVar[str] = ContextVar("csatbot_trace_id", default="")


def new_trace_id(prefix: str = "") -> str:
    """A short random id (12 hex characters), after ``prefix`` and a dash when given."""
    token = secrets.token_hex(6)
    return f"{prefix}-{token}" if prefix else token


def begin_trace(trace_id: str) -> Token[str]:
    """Make ``trace_id`` the current id; pass the token to :func:`end_trace`."""
    return TRACE_ID.set(trace_id)


def end_trace(token: Token[str]) -> None:
    TRACE_ID.reset(token)


def current_trace_id() -> str:
    return TRACE_ID.get()
