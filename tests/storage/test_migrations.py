"""The Alembic migrations build exactly the schema the SQLModel tables describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models  # noqa: F401
from storage import open_database
from storage.migrate import upgrade


def test_migrations_match_the_models(database_url: str) -> None:
    database = open_database(database_url)
    try:
        upgrade(database)
        upgrade(database)  # running again is a no-op
        with database.writer.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        assert diff == []
    finally:
        database.dispose()


def test_sqlite_uses_wal(tmp_path: object) -> None:
    database = open_database(f"sqlite:///{tmp_path}/x.db")
    try:
        with database.writer.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()
