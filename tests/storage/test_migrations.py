"""The Alembic migrations build exactly the schema the SQLModel tables describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import models  # noqa: F401
from bot.errors import StorageError
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


def test_a_schema_from_a_newer_csatbot_is_refused_by_name_and_left_as_it_is(database_url: str) -> None:
    database = open_database(database_url)
    try:
        with database.writer.begin() as conn:
            (ours,) = conn.exec_driver_sql("select version_num from alembic_version").one()
            conn.exec_driver_sql("update alembic_version set version_num = '9999_from_the_future'")
        try:
            with pytest.raises(StorageError, match="9999_from_the_future, which this csatbot does not have"):
                upgrade(database)
            with database.reader.connect() as conn:
                assert conn.exec_driver_sql("select version_num from alembic_version").all() == [
                    ("9999_from_the_future",)
                ]
        finally:
            with database.writer.begin() as conn:
                conn.execute(text("update alembic_version set version_num = :v"), {"v": ours})
        upgrade(database)  # back at our head: nothing to say
    finally:
        database.dispose()


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 20, b"hello\n", b"SQLite format 3\x00" + b"\xff" * 200],
    ids=["bytes", "text", "torn"],
)
def test_a_file_that_is_not_a_sqlite_database_is_refused_by_name_and_left_alone(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "csatbot.db"
    path.write_bytes(content)
    database = open_database(f"sqlite:///{path}")
    try:
        with pytest.raises(
            StorageError, match=f"{path} is not a SQLite database .*point --db or DATABASE_URL"
        ):
            upgrade(database)
    finally:
        database.dispose()
    assert path.read_bytes() == content
