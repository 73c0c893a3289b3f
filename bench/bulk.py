"""Bulk loading for the benchmarks: rows into SQLite (one transaction, ``executemany``) or
PostgreSQL (``COPY``), and creating, emptying and dropping the bench databases."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass
class Counts:
    """What was written, by table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


class Sink:
    """Bulk writes: executemany on SQLite, COPY on PostgreSQL; booleans and times in each one's form."""

    def __init__(self, url: str) -> None:
        from storage.db import database_url

        self.url = database_url(url)
        self.postgres = self.url.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))
        else:
            self.conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            # A bulk load: no journal (the file is new), checked and switched back to WAL at the end.
            for pragma in ("journal_mode=OFF", "foreign_keys=OFF", "synchronous=OFF", "cache_size=-200000"):
                self.conn.execute(f"PRAGMA {pragma}")
            self.conn.execute("BEGIN")
        self.counts = Counts()

    def when(self, at: datetime | None) -> Any:
        if at is None or self.postgres:
            return None if at is None else at.replace(tzinfo=None)
        return at.isoformat(" ", "microseconds")[:26]  # SQLAlchemy's SQLite DateTime text form

    def flag(self, value: bool) -> Any:
        return value if self.postgres else int(value)

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        if self.postgres:
            with self.conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        self.counts.add(table, len(rows))

    def finish(self) -> None:
        if self.postgres:
            self.conn.commit()
            self.conn.autocommit = True
            self.conn.execute("ANALYZE")
        else:
            broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"generated rows break foreign keys: {broken[:5]}")
            self.conn.execute("COMMIT")
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


def create_database(url: str) -> None:
    """Create the PostgreSQL database ``url`` names, if missing (connecting to the server's ``postgres``)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    """Drop a bench database (refuses any name not starting with ``csatbot_bench``)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if not name.startswith("csatbot_bench"):
        raise SystemExit(f"refusing to drop {name!r}: only csatbot_bench* databases are dropped")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str) -> str:
    """Make an empty target: a new SQLite file (the old one removed) or the PostgreSQL database."""
    if url.startswith("postgres"):
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        drop_database(plain)  # a bench database only, and always a fresh one
        create_database(plain)
        return url
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"
