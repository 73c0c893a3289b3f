"""Fixtures for the storage tests (each runs on SQLite and, when configured, on PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import SqlStore, open_database
from storage.migrate import upgrade


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    """A store on a migrated, empty database."""
    database = open_database(database_url)
    upgrade(database)
    yield SqlStore(database)
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all (a fresh one on the PostgreSQL server, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    import psycopg

    server: str = request.getfixturevalue("postgres_server_url")
    admin_url = server.replace("postgresql+psycopg://", "postgresql://")
    name = f"csatbot_old_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
