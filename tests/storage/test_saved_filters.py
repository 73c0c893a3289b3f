"""Saved queue filters: the cap per user holds when saves race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlmodel import Session

from models import User
from storage.db import open_database
from storage.saved_filters import MAX_PER_USER, SavedFilters

AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_saves_racing_for_the_last_places_never_pass_the_cap(database_url: str) -> None:
    """The count was read before the insert: on PostgreSQL several saves at once each saw room for
    one more and the user ended with more than ``MAX_PER_USER``."""
    database = open_database(database_url)
    try:
        with Session(database.writer) as session, session.begin():
            session.add(User(username="amy", password_hash="x", created_at=AT))
        filters = SavedFilters(database)
        for n in range(MAX_PER_USER - 8):
            assert filters.save("amy", f"f{n}", "team=a", AT)
        start = threading.Barrier(16)
        results: list[bool] = []

        def save(name: str) -> None:
            start.wait()
            results.append(filters.save("amy", name, "team=b", AT))

        threads = [threading.Thread(target=save, args=(f"new{n}",)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 8 + [True] * 8
        assert len(filters.list("amy")) == MAX_PER_USER
        assert filters.save("amy", "f0", "team=c", AT)  # overwriting one by name still works when full
    finally:
        database.dispose()
