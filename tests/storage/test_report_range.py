"""The longest report a request may ask for costs one scan per UTC offset in it, plus one per
breakdown query, on SQLite and PostgreSQL; longer ranges are refused before any scan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from storage.report_scope import MAX_RANGE_DAYS, ReportFilterError, check_order, check_range, offset_spans
from storage.reports import build_report

from ..conftest import Harness

NEW_YORK = ZoneInfo("America/New_York")  # two offset changes a year


@pytest.mark.parametrize(("tz", "pieces"), [(UTC, 1), (ZoneInfo("Asia/Shanghai"), 1), (NEW_YORK, 5)])
def test_a_two_year_report_is_one_scan_per_offset_piece(harness: Harness, tz: tzinfo, pieces: int) -> None:
    since = datetime(2024, 1, 1, tzinfo=tz)
    until = since + timedelta(days=MAX_RANGE_DAYS)
    check_range(since, until)  # the longest allowed
    assert len(offset_spans(since, until, tz)) == pieces
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    engine = harness.database.reader
    event.listen(engine, "before_cursor_execute", record)
    try:
        harness.store.read_sync(lambda repo: build_report(repo.session, since, until, tz=tz))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # Per-day figures: one scan per piece; then the single-valued dimensions together, and agents.
    assert len(statements) == pieces + 2, statements


def test_a_range_that_ends_before_it_starts_is_refused_and_an_empty_one_taken() -> None:
    """Reversed, every report answered as if its range were merely empty (a 200 of zeros)."""
    since = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ReportFilterError, match=r"the range ends before it starts .* earlier time as since"):
        check_order(since, since - timedelta(microseconds=1))
    check_order(since, since)  # [since, since): empty, and said so by its zeros


def test_a_longer_range_is_refused_before_any_scan() -> None:
    since = datetime(2024, 1, 1, tzinfo=UTC)
    with pytest.raises(ReportFilterError, match="a report covers at most 731 days"):
        check_range(since, since + timedelta(days=MAX_RANGE_DAYS, seconds=1))
