"""Console sessions kept server-side, so ending one takes effect at once.

The signed cookie holds only a random session id; the ``console_session`` row (keyed by the id's
SHA-256) says whose session it is and until when. Signing out deletes the row; a password change
or removing the user deletes all of that user's rows (see :class:`csatbot.console.users.Users`).
A copied cookie is worth nothing after that, although its signature is still valid.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from bot.ports import Clock
from csatbot.console.users import Account, account_of
from models import ConsoleSession, User
from storage.db import Database


def session_digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


class SessionStore:
    """The ``console_session`` table. Synchronous: pages call it through ``asyncio.to_thread``."""

    def __init__(self, database: Database, clock: Clock, ttl: timedelta) -> None:
        self.database = database
        self.clock = clock
        self.ttl = ttl

    def open(self, username: str) -> str:
        """A new session for ``username``; returns its id (for the cookie). Sweeps expired ones."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock.now()
        row = ConsoleSession(
            id=session_digest(session_id), username=username, created_at=now, expires_at=now + self.ttl
        )
        with Session(self.database.writer) as session, session.begin():
            session.execute(delete(ConsoleSession).where(col(ConsoleSession.expires_at) <= now))
            session.add(row)
        return session_id

    def account(self, session_id: str) -> Account | None:
        """The signed-in account of a live session, else ``None`` (ended, expired or unknown)."""
        with Session(self.database.reader) as session:
            row = session.exec(
                select(User)
                .join(ConsoleSession, col(ConsoleSession.username) == col(User.username))
                .where(
                    ConsoleSession.id == session_digest(session_id),
                    col(ConsoleSession.expires_at) > self.clock.now(),
                )
            ).first()
            return account_of(row) if row is not None else None

    def end(self, session_id: str) -> None:
        with Session(self.database.writer) as session, session.begin():
            session.execute(
                delete(ConsoleSession).where(col(ConsoleSession.id) == session_digest(session_id))
            )
