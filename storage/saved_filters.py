"""Console users' saved queue filters: a name and the queue page's query string."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import SavedFilter, User
from storage.db import Database, insert_for

MAX_PER_USER = 30
MAX_QUERY = 500
"""Characters of a saved query string as kept (its link, percent-encoded): ``saved_filter.query``."""


@dataclass(frozen=True, slots=True)
class Saved:
    id: int
    name: str
    query: str


class SavedFilters:
    """Each user's own filters, listed on the queue page as links (bookmarks that travel with them)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def list(self, username: str) -> list[Saved]:
        with Session(self.database.reader) as session:
            rows = session.exec(
                select(SavedFilter).where(SavedFilter.username == username).order_by(col(SavedFilter.name))
            ).all()
            return [Saved(_id(row.id), row.name, row.query) for row in rows]

    def save(self, username: str, name: str, query: str, at: datetime) -> bool:
        """Save (or overwrite, by name) a filter; ``False`` when the user already has the most allowed.
        One upsert: a form sent twice at once (a double click) inserted the name twice on PostgreSQL,
        and the second insert's unique violation was a 500. The user's row is locked first (SQLite's
        write transaction already is one at a time): saves racing on PostgreSQL each counted the
        others' rows as not there yet, and passed the cap."""
        with Session(self.database.writer) as session, session.begin():
            session.exec(select(User.id).where(User.username == username).with_for_update())
            mine = select(SavedFilter.id).where(SavedFilter.username == username)
            new = session.exec(mine.where(SavedFilter.name == name)).first() is None
            if new and len(session.exec(mine).all()) >= MAX_PER_USER:
                return False
            session.execute(
                insert_for(self.database.dialect, SavedFilter)
                .values(username=username, name=name, query=query, created_at=at)
                .on_conflict_do_update(index_elements=["username", "name"], set_={"query": query})
            )
        return True

    def remove(self, username: str, filter_id: int) -> bool:
        with Session(self.database.writer) as session, session.begin():
            row = session.get(SavedFilter, filter_id)
            if row is None or row.username != username:
                return False
            session.delete(row)
        return True


def _id(value: int | None) -> int:
    if value is None:
        raise RuntimeError("saved filter row has no id")
    return value
