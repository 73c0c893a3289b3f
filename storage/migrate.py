"""Schema migrations with Alembic; ``upgrade`` runs at start-up and in ``csatbot db upgrade``."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.errors import StorageError
from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    """An Alembic config pointing at our migrations and ``database`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "heads") -> None:
    """Bring the schema up to ``revision`` (default: every head, so parallel branches both apply)."""
    config = alembic_config(database)
    with database.writer.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # SQLite rebuilds a table to change its constraints (batch mode); with foreign keys on,
        # dropping the old table would fail for every row that references it. The pragma only
        # takes effect outside a transaction, and the result is checked before it commits.
        driver = connection.connection.driver_connection
        if sqlite and driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").first()):
                    raise StorageError(f"migration left a dangling foreign key: {tuple(broken)}")
        finally:
            if sqlite and driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


@functools.cache
def head_revisions() -> frozenset[str]:
    """The head revisions of the migrations this version ships (read from their files once)."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def missing_migrations(database: Database, heads: frozenset[str] | None = None) -> list[str]:
    """The head revisions of our migrations (``heads``, else :func:`head_revisions`) that
    ``database`` has not applied (empty: at head)."""
    from alembic.runtime.migration import MigrationContext

    heads = head_revisions() if heads is None else heads
    with database.reader.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return sorted(heads - applied)
