"""API tokens: who an integration acts as on the support API, and with which role.

``csatbot tokens add NAME --role agent`` prints a token once; only its SHA-256 is kept. A request
with ``Authorization: Bearer <token>`` acts as NAME: replies show ``agent:NAME`` and reports credit
NAME. ``CSATBOT_API_TOKEN`` (environment) is one more token, acting as ``api`` with the admin role.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, delete, select

from csatbot.console.users import check_name_and_role
from models import ApiToken
from storage.db import Database

PREFIX = "csb_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as ``csatbot tokens list`` shows it (never the token itself)."""

    name: str
    role: str
    created_at: datetime


class ApiTokens:
    """The ``api_token`` table. Synchronous: requests call it through ``asyncio.to_thread``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def issue(self, name: str, role: str) -> str:
        """A new token acting as ``name`` with ``role``; shown once, stored as its digest."""
        check_name_and_role(name, role, "token name")  # it is the agent name replies and reports show
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(name=name, role=role, token_hash=token_digest(token), created_at=datetime.now(UTC))
        with Session(self.database.writer) as session, session.begin():
            session.add(row)
        return token

    def find(self, token: str) -> TokenInfo | None:
        with Session(self.database.reader) as session:
            row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
            return TokenInfo(row.name, row.role, row.created_at) if row is not None else None

    def list(self) -> list[TokenInfo]:
        with Session(self.database.reader) as session:
            rows = session.exec(select(ApiToken).order_by(col(ApiToken.name), col(ApiToken.id))).all()
            return [TokenInfo(r.name, r.role, r.created_at) for r in rows]

    def revoke(self, name: str) -> int:
        """Delete every token acting as ``name``; returns how many there were."""
        with Session(self.database.writer) as session, session.begin():
            result = session.execute(delete(ApiToken).where(col(ApiToken.name) == name))
            return int(getattr(result, "rowcount", 0) or 0)

    def count(self) -> int:
        with Session(self.database.reader) as session:
            return len(session.exec(select(ApiToken.id)).all())
