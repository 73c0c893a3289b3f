"""Database engines: SQLite (WAL) by default, PostgreSQL when ``DATABASE_URL`` says so."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

from bot.errors import StorageError

DEFAULT_URL = "sqlite:///var/csatbot.db"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``explicit``, else ``$DATABASE_URL``, else ``var/csatbot.db``.

    ``postgresql://`` and ``postgres://`` URLs are pointed at the psycopg 3 driver.
    """
    url = explicit or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@dataclass(frozen=True)
class Database:
    """A writer engine and a reader engine on the same database."""

    url: str
    writer: Engine
    reader: Engine

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


def open_database(url: str | None = None) -> Database:
    """Open engines for ``url`` (see :func:`database_url`); creates the SQLite file's folder."""
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # sqlalchemy raises ArgumentError with no useful subclass
        raise StorageError(f"DATABASE_URL is not a database URL: {resolved!r} ({exc})") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        writer = _sqlite_engine(resolved, immediate=True)
        reader = _sqlite_engine(resolved, immediate=False)
        return Database(resolved, writer, reader)
    engine = create_engine(resolved, pool_pre_ping=True, pool_size=10, max_overflow=10)
    return Database(resolved, engine, engine)


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the write lock up front, so read-then-write turns never deadlock.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


_SQLITE_UNAVAILABLE = ("unable to open", "disk i/o", "locked", "readonly database")


def is_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` (or what it was raised from) says the database cannot be used right now:
    a refused or dropped connection, PostgreSQL shutting down or in recovery, SQLite's file gone,
    unreadable or locked past the busy timeout. Such a request may succeed if retried later."""
    while exc is not None:
        if isinstance(exc, (DisconnectionError, InterfaceError)):
            return True
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, OperationalError):
            code = getattr(exc.orig, "sqlstate", None)
            if code is not None:
                # 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now.
                return str(code).startswith("08") or code in ("57P01", "57P02", "57P03")
            text = str(exc.orig).lower()
            if type(exc.orig).__module__ == "sqlite3":
                return any(sign in text for sign in _SQLITE_UNAVAILABLE)
            return True  # psycopg's connection failures carry no SQLSTATE
        exc = exc.__cause__  # type: ignore[assignment]
    return False
