"""Which surveys a report figure covers: a time range, dimension filters and a metric, as SQL.

Every report query (aggregates, drill-down, reasons, comments, export, recovery) builds its WHERE
clause here, so the surveys behind a number are exactly the surveys the number counts.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, case, cast, func, or_, true
from sqlmodel import col

from models import Survey

DIMENSIONS: tuple[str, ...] = ("channel", "team", "agent", "intent", "locale")
"""What reports break figures down by; ``agent`` credits a survey to each agent (or ``bot``)."""
FILTERS: tuple[str, ...] = (*DIMENSIONS, "day", "flow")
DAY_SECONDS = 86_400
FIRST_YEAR, LAST_YEAR = 1970, 2999
"""Report dates outside these years are refused: no survey was sent then, and dates near year 1 or
9999 overflow once shifted into a time zone."""
DEFAULT_DAYS = 30
"""The range a report shows when none is given, in the console and the CLI alike: the last 30 days
in the configured time zone, today included."""
MAX_RANGE_DAYS = 731
"""The longest range one report request may cover (two years, so a year can be compared with the
one before). The days of a range are walked once to find UTC offset changes."""
NONE = "(none)"
"""The value reports show for a survey without a team, intent or agent; filters accept it too."""

SATISFIED_CSAT, PROMOTER_NPS, DETRACTOR_NPS, LOW_CES, EASY_CES = 4, 9, 6, 3, 5


class ReportFilterError(ValueError):
    """An unknown dimension, metric or malformed filter value (the API answers 422)."""


def _is(column: Any) -> ColumnElement[bool]:
    return col(column).is_(True)


METRICS: dict[str, ColumnElement[bool]] = {
    "sent": true(),
    "responded": _is(Survey.responded),
    "csat_n": col(Survey.csat).is_not(None),
    "csat_satisfied": col(Survey.csat) >= SATISFIED_CSAT,
    "csat_unsatisfied": col(Survey.csat) < SATISFIED_CSAT,
    "nps_n": col(Survey.nps).is_not(None),
    "promoters": col(Survey.nps) >= PROMOTER_NPS,
    "passives": and_(col(Survey.nps) > DETRACTOR_NPS, col(Survey.nps) < PROMOTER_NPS),
    "detractors": col(Survey.nps) <= DETRACTOR_NPS,
    "ces_n": col(Survey.ces).is_not(None),
    "dsat": _is(Survey.escalated),
    "fcr_n": col(Survey.fcr).is_not(None),
    "fcr_yes": _is(Survey.fcr),
    "fcr_no": col(Survey.fcr).is_(False),
    "completed": col(Survey.status) == "completed",
    "partial": col(Survey.status) == "partial",
}
"""The surveys each count in :class:`storage.reports.Scores` rests on, by its name."""
METRICS |= {"csat": METRICS["csat_n"], "nps": METRICS["nps_n"], "ces": METRICS["ces_n"]}

LOW = or_(
    col(Survey.csat) < SATISFIED_CSAT,
    col(Survey.nps) <= DETRACTOR_NPS,
    col(Survey.ces) <= LOW_CES,
    _is(Survey.escalated),
)
"""A low-score survey: CSAT 1-3, an NPS detractor, CES 1-3, or escalated as DSAT."""
SATISFIED = and_(
    or_(col(Survey.csat) >= SATISFIED_CSAT, col(Survey.nps) >= PROMOTER_NPS, col(Survey.ces) >= EASY_CES),
    col(Survey.escalated).is_(False),
)
"""A satisfied survey: CSAT 4-5, an NPS promoter or CES 5-7, and not escalated."""

_COLUMNS = {"channel": Survey.channel, "team": Survey.team, "intent": Survey.intent, "locale": Survey.locale}


def dimension_column(name: str) -> Any:
    """The survey column of a single-valued dimension (``agent`` is a list: see :func:`agents_text`)."""
    try:
        return col(_COLUMNS[name])
    except KeyError:
        raise ReportFilterError(f"unknown dimension '{name}' (known: {', '.join(DIMENSIONS)})") from None


def check_dimensions(by: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ReportFilterError(f"unknown dimension '{unknown[0]}' (known: {', '.join(DIMENSIONS)})")
    return tuple(dict.fromkeys(by))


def check_year(value: date, name: str) -> None:
    """:class:`ReportFilterError` unless ``value`` (a date or a time) is in a year reports cover."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ReportFilterError(
            f"{name} '{value.isoformat()}' is out of range (reports cover {FIRST_YEAR}-{LAST_YEAR})"
        )


def check_order(since: datetime, until: datetime) -> None:
    """:class:`ReportFilterError` when a range given with both ends ends before it starts (it was
    answered as an empty report). A ``since`` after the default ``until`` (now) is just empty."""
    if until < since:
        raise ReportFilterError(
            f"the range ends before it starts (until {until.isoformat()} is before since "
            f"{since.isoformat()}): give the earlier time as since"
        )


def check_range(since: datetime, until: datetime) -> None:
    """:class:`ReportFilterError` when ``[since, until)`` spans more than :data:`MAX_RANGE_DAYS`."""
    days = (until - since).total_seconds() / DAY_SECONDS
    if days > MAX_RANGE_DAYS:
        raise ReportFilterError(
            f"the range since..until spans {math.ceil(days)} days; a report covers at most "
            f"{MAX_RANGE_DAYS} days: narrow it"
        )


def last_days(today: date, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The first and last day (both included) of the ``days`` days that end ``today``."""
    return today - timedelta(days=days - 1), today


def midnight(day: date, tz: tzinfo = UTC) -> datetime:
    """The start of ``day`` in ``tz``, in UTC."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def day_range(value: str, tz: tzinfo = UTC) -> tuple[datetime, datetime]:
    """``YYYY-MM-DD`` as the day it names in ``tz`` (the configured ``timezone``), in UTC.

    A day in a time zone with daylight saving time may last 23 or 25 hours.
    """
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ReportFilterError(f"day '{value}' is not a date (expected YYYY-MM-DD)") from None
    check_year(day, "day")
    return midnight(day, tz), midnight(day + timedelta(days=1), tz)


def offset_spans(since: datetime, until: datetime, tz: tzinfo) -> list[tuple[datetime, datetime, timedelta]]:
    """``[since, until)`` cut where ``tz``'s UTC offset changes, as ``(start, end, offset)`` pieces.

    Usually one piece; a daylight saving change inside the range makes two. Each change is found to
    the second by bisection within the day it falls in (time zones change offset at most once a day).
    """

    def offset(seconds: int) -> timedelta:
        return datetime.fromtimestamp(seconds, tz).utcoffset() or timedelta()

    first, last = math.floor(since.timestamp()), math.ceil(until.timestamp())
    cuts = []
    for lo in range(first, last, DAY_SECONDS):
        hi = min(lo + DAY_SECONDS, last)
        if offset(lo) == offset(hi):
            continue
        while hi - lo > 1:  # offset(lo) is the old one, offset(hi) the new one
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if offset(mid) == offset(lo) else (lo, mid)
        if hi < last:
            cuts.append(datetime.fromtimestamp(hi, UTC))
    edges = [since, *cuts, until]
    return [(a, b, offset(math.floor(a.timestamp()))) for a, b in itertools.pairwise(edges)]


def conditions(
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    metric: str | None = None,
    *,
    kind: str = "main",
    tz: tzinfo = UTC,
    at: Any = Survey.sent_at,
) -> list[ColumnElement[bool]]:
    """The WHERE clause on :class:`Survey` for surveys of ``kind`` sent (or, by ``at``, another time
    of theirs) in ``[since, until)``; a ``day`` filter names a day in ``tz``."""
    filters = dict(filters or {})
    unknown = [key for key in filters if key not in FILTERS]
    if unknown:
        raise ReportFilterError(f"unknown filter '{unknown[0]}' (known: {', '.join(FILTERS)})")
    if "day" in filters:
        start, end = day_range(filters.pop("day"), tz)
        since, until = max(since, start), min(until, end)
    where: list[ColumnElement[bool]] = [
        col(Survey.kind) == kind,
        col(at) >= since,
        col(at) < until,
    ]
    for key, value in filters.items():
        if key == "agent":
            where.append(_agent_is(value))
        elif key == "flow":
            where.append(col(Survey.flow_id) == value)
        else:
            column = dimension_column(key)
            where.append(column.is_(None) if value == NONE else column == value)
    if metric is not None:
        if metric not in METRICS:
            raise ReportFilterError(f"unknown metric '{metric}' (known: {', '.join(METRICS)})")
        where.append(METRICS[metric])
    return where


def agents_text() -> ColumnElement[str]:
    """``Survey.agents`` as its JSON text (``["amy", "bob"]``): groupable and searchable on both
    databases (PostgreSQL's ``json`` has no equality)."""
    return cast(col(Survey.agents), Text)


def _agent_is(value: str) -> ColumnElement[bool]:
    if value == NONE:
        return agents_text() == "[]"
    # The agent's name as JSON writes it, quotes included, so "amy" never matches "amy2". LIKE ignores
    # ASCII case on SQLite (agent "AMY", another account, read amy's surveys); replace() never does.
    name, text = json.dumps(value), agents_text()
    return and_(text.contains(name, autoescape=True), func.replace(text, name, "") != text)


__all__ = [
    "DIMENSIONS",
    "FILTERS",
    "LOW",
    "MAX_RANGE_DAYS",
    "METRICS",
    "NONE",
    "SATISFIED",
    "ReportFilterError",
    "agents_text",
    "check_dimensions",
    "check_range",
    "check_year",
    "conditions",
    "day_range",
    "dimension_column",
    "midnight",
    "offset_spans",
]


def count_where(condition: Any) -> Any:
    """SQL: how many rows meet ``condition`` (0, not NULL, when none do)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
