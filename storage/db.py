"""Database engines: SQLite (WAL) by default, PostgreSQL when ``DATABASE_URL`` says so."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.pool import QueuePool

from bot.errors import StorageError

DEFAULT_URL = "sqlite:///var/csatbot.db"
BUSY_TIMEOUT = 30.0
"""Seconds a SQLite transaction waits for another's write lock (``?timeout=`` in the URL sets it)."""
LOCK_TIMEOUT = "30s"
"""How long a PostgreSQL statement waits for a lock (unless the role or database sets ``lock_timeout``)."""


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
    busy_timeout: float | None = None
    """SQLite: seconds a transaction waits for the write lock before it fails ("database is locked")."""

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    def dispose(self) -> None:
        for engine in self._engines():
            engine.dispose()

    def lent(self) -> int:
        """Connections checked out now: units of work still running in some thread."""
        return sum(
            engine.pool.checkedout() for engine in self._engines() if isinstance(engine.pool, QueuePool)
        )

    def _engines(self) -> tuple[Engine, ...]:
        return (self.writer,) if self.reader is self.writer else (self.writer, self.reader)


_PASSWORD = re.compile(r"(://[^/:@]*):[^/]*@")
"""The password of a URL's ``user:password@``, up to the last ``@`` before the path."""


def shown_url(url: str) -> str:
    """``url`` as it may be printed or logged: its password hidden (``user:***@``), also when the URL
    cannot be parsed (a bad port), so that no error or message shows it."""
    return _PASSWORD.sub(r"\1:***@", url)


def parse_url(url: str) -> URL:
    """``url`` parsed; :class:`StorageError` naming it (password hidden) when it is no database URL."""
    try:
        return make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError or ValueError (a port that is no number)
        raise StorageError(
            f"{shown_url(url)!r} is not a database URL ({shown_url(str(exc))}): write "
            "postgresql://USER:PASSWORD@HOST:PORT/NAME or a SQLite file path"
        ) from exc


def insert_for(dialect: str, table: Any) -> Any:
    """An ``INSERT`` into ``table`` in ``dialect``'s own form, which has ``ON CONFLICT`` (upserts)."""
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def open_database(url: str | None = None) -> Database:
    """Open engines for ``url`` (see :func:`database_url`); creates the SQLite file's folder."""
    resolved = database_url(url)
    parsed = parse_url(resolved)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        on_disk = bool(database) and database != ":memory:"
        if on_disk and not parsed.query.get("uri"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            _private_file(database)
        busy = _busy_timeout(parsed.query.get("timeout"))
        file = SqliteFile(os.path.abspath(database)) if on_disk else None
        writer = _sqlite_engine(resolved, busy, file, immediate=True)
        reader = _sqlite_engine(resolved, busy, file, immediate=False)
        return Database(resolved, writer, reader, busy)
    engine = _postgres_engine(resolved)
    return Database(resolved, engine, engine)


def _private_file(path: str) -> None:
    """Make a new SQLite file readable by its owner only (SQLite gives its -wal and -shm files the
    same mode): it holds customers' words, names and numbers, and the process's umask (022) left it
    readable by every user of the machine. An existing file is left as it is."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _postgres_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)

    @event.listens_for(engine, "connect")
    def _lock_timeout(dbapi_connection: Any, _record: Any) -> None:
        # A lock held elsewhere (a migration, an admin's LOCK TABLE, a transaction left open) made
        # every request that needed it wait for ever, and behind them every database thread of the
        # process. Wait LOCK_TIMEOUT at most, then answer 503; a timeout the role or database sets wins.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, false) WHERE current_setting('lock_timeout') = '0'",
                (LOCK_TIMEOUT,),
            )
        dbapi_connection.commit()

    return engine


def _busy_timeout(given: str | tuple[str, ...] | None) -> float:
    if given is None:
        return BUSY_TIMEOUT
    try:
        seconds = float(given if isinstance(given, str) else given[-1])
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:  # NaN too
        raise StorageError(f"timeout={given!r} in the SQLite URL: give seconds, more than 0 and at most 3600")
    return seconds


class SqliteFile:
    """The database file this process opened. Deleted or replaced while open (``rm``, a restore
    moved into its place), SQLite goes on writing to the old file, which nobody can open again: every
    write accepted after that would be lost at the next restart. So each transaction checks first
    that the path still names the file the first connection opened, and fails when it does not."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.opened: tuple[int, int] | None = None

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

    def note(self) -> None:
        """A connection was opened: the first one says which file is ours."""
        if self.opened is None:
            self.opened = self._identity()

    def uri(self) -> str:
        """Open the file read-write, never create it: once ours is gone, an empty database must
        not take its place (a restart would migrate it and start afresh without a word)."""
        return f"file:{quote(self.path)}?mode=rw"

    def check(self, statement: str) -> None:
        """Raise a SQLite "unable to open" error (answered 503) when the file is not ours any more."""
        if self.opened is None or self._identity() == self.opened:
            return
        problem = (
            f"unable to open database file: {self.path} was deleted or replaced while csatbot had it open; "
            "nothing more is written to it: put the file back, or restart csatbot to use the one there now"
        )
        raise OperationalError(statement, None, sqlite3.OperationalError(problem))


def _sqlite_engine(url: str, busy: float, file: SqliteFile | None, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy})

    @event.listens_for(engine, "do_connect")
    def _existing_file(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        if file is not None and file.opened is not None:
            cargs[:] = [file.uri()]
            cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(busy * 1000)}")
        cursor.close()
        if file is not None:
            file.note()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the write lock up front, so read-then-write turns never deadlock.
        statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        if file is not None:
            file.check(statement)
        connection.exec_driver_sql(statement)

    return engine


_SQLITE_UNAVAILABLE = ("unable to open", "disk i/o", "locked", "readonly database", "disk is full")


def is_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` (or what it was raised from) says the database cannot be used right now:
    a refused or dropped connection, PostgreSQL shutting down or in recovery, out of disk, memory or
    connections, or a lock held past ``lock_timeout``; SQLite's file gone, unreadable, locked past
    the busy timeout or its disk full.
    Such a request may succeed if retried later."""
    while exc is not None:
        if isinstance(exc, (DisconnectionError, InterfaceError)):
            return True
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        if isinstance(exc, OperationalError):
            code = getattr(exc.orig, "sqlstate", None)
            if code is not None:
                # 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now;
                # 53: insufficient resources (disk full, out of memory, too many connections);
                # 55P03: a lock held elsewhere past lock_timeout.
                return str(code)[:2] in ("08", "53") or code in ("57P01", "57P02", "57P03", "55P03")
            text = str(exc.orig).lower()
            if type(exc.orig).__module__ == "sqlite3":
                return any(sign in text for sign in _SQLITE_UNAVAILABLE)
            return True  # psycopg's connection failures carry no SQLSTATE
        exc = exc.__cause__  # type: ignore[assignment]
    return False
