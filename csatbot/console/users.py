"""Console users (agents and admins): storage and password hashes (argon2id, argon2-cffi's defaults)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from bot.attribution import BOT
from bot.errors import ConflictError, CsatbotError, NotFoundError
from csatbot.console.i18n import LANGUAGES, normalize
from models import ApiToken, ConsoleSession, User
from storage.db import Database

Role = Literal["agent", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
MIN_PASSWORD = 8
NAME_CHARS = 64 - len("agent:")
"""The longest user (or token) name: a reply is stored signed ``agent:<name>`` in ``message.author``
(64 characters; PostgreSQL refused a longer one, so a 64-character agent's replies were a 500)."""
USERNAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._@-]{{0,{NAME_CHARS - 1}}}")
"""Matched whole (``fullmatch``: with ``$``, ``"amy\\n"`` passed and signed log lines and replies)."""
RESERVED = (BOT, "api")
"""Names that already act: reports credit ``bot`` with what the bot resolved (an agent named so read
those surveys as their own), and ``CSATBOT_API_TOKEN`` acts as ``api``."""
hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified when a username is unknown, so a wrong name takes as long as a wrong password (made
    on first use: hashing costs about 50 ms of start-up otherwise)."""
    return hasher.hash("not a password of anyone")


class UserError(CsatbotError):
    """A user cannot be created or changed as asked (the message says what to do)."""


@dataclass(frozen=True, slots=True)
class Account:
    """A console user as the pages see it (never with the hash)."""

    username: str
    role: str
    display_name: str
    locale: str
    created_at: datetime
    last_login_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def check_name_and_role(name: str, role: str, what: str = "user name") -> None:
    """:class:`UserError` unless ``name`` is a valid user (or token) name and ``role`` a role."""
    if not USERNAME.fullmatch(name):
        raise UserError(
            f"invalid {what} {name!r}: use 1-{NAME_CHARS} letters, digits, '.', '_', '-' or '@', "
            "starting with a letter or digit"
        )
    if name.lower() in RESERVED:
        raise UserError(f"{what} {name!r} is taken by csatbot itself ({', '.join(RESERVED)}): pick another")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (expected one of: {', '.join(ROLES)})")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters long")


def account_of(row: User) -> Account:
    return Account(row.username, row.role, row.display_name, row.locale, row.created_at, row.last_login_at)


def _end_sessions(session: Session, username: str) -> None:
    """Every open console session of ``username`` ends (the cookies stop working at once)."""
    session.execute(delete(ConsoleSession).where(col(ConsoleSession.username) == username))


class Users:
    """The ``console_user`` table. Synchronous: the pages call it through ``asyncio.to_thread``."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def add(
        self, username: str, password: str, role: str, *, display_name: str = "", locale: str = ""
    ) -> Account:
        check_name_and_role(username, role)
        check_password(password)
        # Kept as the console language it names: any text went to a 16-character column (a longer
        # one was a DataError traceback on PostgreSQL) and one the console does not have was ignored.
        language = normalize(locale) or ""
        if locale and not language:
            raise UserError(
                f"unknown console language {locale[:40]!r} (expected one of: {', '.join(LANGUAGES)})"
            )
        now = datetime.now(UTC)
        row = User(
            username=username,
            password_hash=hasher.hash(password),
            role=role,
            display_name=display_name,
            locale=language,
            created_at=now,
        )
        try:
            with Session(self.database.writer, expire_on_commit=False) as session, session.begin():
                session.add(row)
        except IntegrityError as exc:
            raise ConflictError(
                f"user {username!r} already exists: change the password with `csatbot users passwd "
                f"{username}` or pick another name"
            ) from exc
        return account_of(row)

    def get(self, username: str) -> Account | None:
        with Session(self.database.reader) as session:
            row = session.exec(select(User).where(User.username == username)).first()
            return account_of(row) if row is not None else None

    def require(self, username: str) -> Account:
        with Session(self.database.reader) as session:
            return account_of(self._existing(session, username))

    def list(self) -> list[Account]:
        with Session(self.database.reader) as session:
            return [account_of(r) for r in session.exec(select(User).order_by(col(User.username))).all()]

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account when the password is right, else ``None`` (in about the same time either way).

        Records the sign-in time, and re-hashes a password stored with older parameters.
        """
        with Session(self.database.writer, expire_on_commit=False) as session, session.begin():
            row = session.exec(select(User).where(User.username == username)).first()
            try:
                hasher.verify(row.password_hash if row is not None else _dummy_hash(), password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None:
                return None
            if hasher.check_needs_rehash(row.password_hash):
                row.password_hash = hasher.hash(password)
            row.last_login_at = datetime.now(UTC)
            session.add(row)
            return account_of(row)

    def set_password(self, username: str, password: str) -> None:
        check_password(password)
        with Session(self.database.writer) as session, session.begin():
            row = self._existing(session, username)
            row.password_hash = hasher.hash(password)
            session.add(row)
            _end_sessions(session, username)

    def remove(self, username: str) -> None:
        with Session(self.database.writer) as session, session.begin():
            session.delete(self._existing(session, username))
            _end_sessions(session, username)
            # API tokens acting as them go too: they are no longer one of the team.
            session.execute(delete(ApiToken).where(col(ApiToken.name) == username))

    @staticmethod
    def _existing(session: Session, username: str) -> User:
        row = session.exec(select(User).where(User.username == username)).first()
        if row is None:
            raise NotFoundError(f"no console user {username!r}: `csatbot users list` shows who there is")
        return row
