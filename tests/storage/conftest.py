"""Fixtures for the storage tests (each runs on SQLite and, when configured, on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

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
