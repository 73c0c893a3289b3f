"""The last ``config.yaml`` text that loaded cleanly, kept in the database so that a restart with a
broken file can still serve it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select

from models import ConfigSnapshot
from storage.db import Database


@dataclass(frozen=True, slots=True)
class Snapshot:
    source: str
    text: str
    loaded_at: datetime


def remember(database: Database, source: str, text: str, at: datetime) -> None:
    """Keep ``text`` as the last good config (one row; nothing is written when it is unchanged)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with Session(database.writer) as session, session.begin():
        latest = session.exec(select(ConfigSnapshot).order_by(col(ConfigSnapshot.id).desc())).first()
        if latest is not None and latest.sha256 == digest:
            return
        session.exec(delete(ConfigSnapshot))
        session.add(ConfigSnapshot(source=source, text=text, sha256=digest, loaded_at=at))


def last_good(database: Database) -> Snapshot | None:
    with Session(database.reader) as session:
        row = session.exec(select(ConfigSnapshot).order_by(col(ConfigSnapshot.id).desc())).first()
        return Snapshot(row.source, row.text, row.loaded_at) if row is not None else None
