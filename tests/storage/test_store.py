"""Units of work under a held write lock: bounded by the busy timeout, then a clear retryable error."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.errors import StorageError
from storage import SqlStore, open_database
from storage.db import BUSY_TIMEOUT, is_unreachable
from storage.migrate import upgrade
from storage.repository import SqlRepository


@pytest.mark.parametrize(
    ("query", "seconds"), [("", BUSY_TIMEOUT), ("?timeout=0.25", 0.25), ("?timeout=90", 90.0)]
)
def test_the_sqlite_busy_timeout_comes_from_the_url(tmp_path: Path, query: str, seconds: float) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'b.db'}{query}")
    try:
        assert database.busy_timeout == seconds
        with database.writer.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == round(seconds * 1000)
    finally:
        database.dispose()


@pytest.mark.parametrize("given", ["0", "-1", "soon", "nan", "3601"])
def test_a_bad_sqlite_timeout_is_refused_with_what_to_give(tmp_path: Path, given: str) -> None:
    with pytest.raises(StorageError, match=r"more than 0 and at most 3600"):
        open_database(f"sqlite:///{tmp_path / 'b.db'}?timeout={given}")


async def test_a_write_lock_held_past_the_busy_timeout_fails_once_not_five_times(tmp_path: Path) -> None:
    """Each try waited the whole busy timeout and the unit was tried 5 times: 2.5 minutes at the
    default 30 s before the customer heard anything, longer than a client or proxy waits. Now the
    unit gives up after one busy timeout with an error the web edge answers 503 with Retry-After,
    and nothing it wrote stays."""
    path = tmp_path / "b.db"
    database = open_database(f"sqlite:///{path}?timeout=0.4")
    upgrade(database)
    store = SqlStore(database)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process's long write
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked") as raised:
            await store.run(lambda repo: cast(SqlRepository, repo).session.execute(text("DELETE FROM inbox")))
        waited = time.monotonic() - started
        assert 0.4 <= waited < 1.5, waited  # five tries took 2 s or more
        assert is_unreachable(raised.value)
        holder.execute("ROLLBACK")
        assert await store.run(lambda repo: 7) == 7  # the lock gone, the next unit runs at once
    finally:
        holder.close()
        database.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("condition", ["disk_full", "out_of_memory", "too_many_connections"])
def test_postgresql_out_of_resources_is_unreachable_for_now(postgres_server_url: str, condition: str) -> None:
    """PostgreSQL's class 53 (its disk full, out of memory, no connection slot left) was answered 500
    as if csatbot were broken; it is the database's state, answered 503 with Retry-After like an outage."""
    database = open_database(postgres_server_url)
    raise_it = "DO $$ BEGIN RAISE EXCEPTION 'pretend' USING ERRCODE = '{}'; END $$"
    try:
        with pytest.raises(OperationalError) as raised, database.writer.connect() as conn:
            conn.execute(text(raise_it.format(condition)))
        assert getattr(raised.value.orig, "sqlstate", "").startswith("53")
        assert is_unreachable(raised.value)
        with pytest.raises(Exception) as other, database.writer.connect() as conn:  # a bug stays a bug
            conn.execute(text(raise_it.format("division_by_zero")))
        assert not is_unreachable(other.value)
    finally:
        database.dispose()


@pytest.mark.postgres
def test_a_read_whose_connection_is_dropped_under_it_runs_again_on_a_fresh_one(
    postgres_server_url: str,
) -> None:
    """A pooled connection that passed the pool's check and then died (PostgreSQL restarted, a
    proxy cut it) failed the request with a 503 although the database was back: a read changes
    nothing, so it runs once more on a fresh connection."""
    import psycopg

    database = open_database(postgres_server_url)
    store = SqlStore(database)
    killed: list[int] = []

    def work(repo: SqlRepository) -> int:
        pid = int(repo.session.execute(text("SELECT pg_backend_pid()")).scalar_one())
        if not killed:  # the first try's connection dies between two statements
            with psycopg.connect(postgres_server_url.replace("+psycopg", ""), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            killed.append(pid)
        return int(repo.session.execute(text("SELECT pg_backend_pid()")).scalar_one())

    try:
        again = store.read_sync(work)
        assert killed and again != killed[0]
        with pytest.raises(OperationalError):  # a write is not tried again
            killed.clear()
            store.run_sync(lambda repo: work(cast(SqlRepository, repo)))
    finally:
        database.dispose()


def test_a_new_sqlite_file_and_its_log_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """Customers' words, names and numbers were in a file every user of the machine could read
    (mode 0644 under the usual umask; the signing key beside it is 0600)."""
    path = tmp_path / "var" / "new.db"
    database = open_database(f"sqlite:///{path}")
    try:
        upgrade(database)
        modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
        assert modes["new.db"] == 0o600 and modes.get("new.db-wal", 0o600) == 0o600, modes
    finally:
        database.dispose()
    shared = tmp_path / "shared.db"  # an existing file is the admin's choice: left as it is
    shared.touch(mode=0o640)
    shared.chmod(0o640)
    open_database(f"sqlite:///{shared}").dispose()
    assert shared.stat().st_mode & 0o777 == 0o640
