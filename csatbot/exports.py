"""The survey export (CSV, one row per survey) as the API and the console stream it: batch after
batch, each read in its own short transaction, so a client slow to read (or one that stopped)
holds no database connection while it downloads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from storage.repository import SqlRepository
from storage.store import SqlStore
from storage.survey_rows import CSV_COLUMNS, Cursor, csv_rows, csv_text

Batch = tuple[list[tuple[Any, ...]], Cursor | None]
"""A batch's rows, and the cursor of the next one (``None`` after the last)."""


@dataclass(frozen=True)
class Export:
    """What is exported: the surveys sent in ``[since, until)`` that ``filters`` and ``metric``
    select, with times written in ``tz``."""

    since: datetime
    until: datetime
    filters: Mapping[str, str]
    tz: tzinfo
    metric: str | None = None

    def batch(self, after: Cursor | None) -> Callable[[SqlRepository], Batch]:
        """The read of the batch after ``after`` (the first for ``None``): read the first before
        answering, so a bad filter is refused (``ReportFilterError``) before the stream starts."""
        return lambda repo: csv_rows(
            repo.session,
            self.since,
            self.until,
            filters=self.filters,
            metric=self.metric,
            after=after,
            tz=self.tz,
        )

    async def chunks(self, store: SqlStore, first: Batch) -> AsyncIterator[str]:
        """The CSV text: a BOM (spreadsheets then read Chinese text right) and the header, then
        ``first``'s rows and every later batch's, each read when the client has taken the last."""
        yield "\ufeff" + csv_text([CSV_COLUMNS])
        rows, cursor = first
        while True:
            if rows:
                yield csv_text(rows)
            if cursor is None:
                return
            rows, cursor = await store.read(self.batch(cursor))
