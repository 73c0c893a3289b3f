"""Schema migrations with Alembic; ``upgrade`` runs at start-up and in ``csatbot db upgrade``."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError

from bot.errors import StorageError
from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"
NOT_SQLITE = ("file is not a database", "file is encrypted")  # what sqlite3 says of another file


def alembic_config(database: Database) -> Config:
    """An Alembic config pointing at our migrations and ``database`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "heads") -> None:
    """Bring the schema up to ``revision`` (default: every head, so parallel branches both apply)."""
    config = alembic_config(database)
    with _connected(database) as connection:
        sqlite = connection.dialect.name == "sqlite"
        # SQLite rebuilds a table to change its constraints (batch mode); with foreign keys on,
        # dropping the old table would fail for every row that references it. The pragma only
        # takes effect outside a transaction, and the result is checked before it commits.
        driver = connection.connection.driver_connection
        if sqlite and driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                _refuse_newer(connection)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").first()):
                    raise StorageError(f"migration left a dangling foreign key: {tuple(broken)}")
        finally:
            if sqlite and driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


@contextmanager
def _connected(database: Database) -> Iterator[Connection]:
    """A connection to write the schema with; a file that is no SQLite database (another file named
    in ``--db``, or one overwritten) is a :class:`StorageError` saying so, where it was a traceback."""
    try:
        connection = database.writer.connect()
    except DatabaseError as exc:
        if type(exc.orig).__module__ != "sqlite3" or not any(s in str(exc.orig) for s in NOT_SQLITE):
            raise
        raise StorageError(
            f"{database.writer.url.database} is not a SQLite database ({exc.orig}): "
            "point --db or DATABASE_URL at csatbot's database"
        ) from None
    with connection:
        yield connection


def _refuse_newer(connection: Connection) -> None:
    """A schema migrated by a newer csatbot is left alone (it was a traceback in every command, and
    at start-up): say so, rather than run this version's code on tables it does not know."""
    from alembic.runtime.migration import MigrationContext

    applied = set(MigrationContext.configure(connection).get_current_heads())
    if unknown := sorted(applied - known_revisions()):
        raise StorageError(
            f"the database's schema is at revision {', '.join(unknown)[:200]}, which this csatbot does not "
            "have (a newer version migrated it): run that version, or restore a backup of this one's"
        )


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision of the migrations this version ships."""
    return frozenset(rev.revision for rev in _scripts().walk_revisions())


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


@functools.cache
def head_revisions() -> frozenset[str]:
    """The head revisions of the migrations this version ships (read from their files once)."""
    return frozenset(_scripts().get_heads())


def missing_migrations(database: Database, heads: frozenset[str] | None = None) -> list[str]:
    """The head revisions of our migrations (``heads``, else :func:`head_revisions`) that
    ``database`` has not applied (empty: at head)."""
    from alembic.runtime.migration import MigrationContext

    heads = head_revisions() if heads is None else heads
    with database.reader.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return sorted(heads - applied)
