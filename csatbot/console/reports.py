"""Reports: figures with the surveys they rest on, charts over time, breakdowns, reasons, good news,
recovery, drill-down to the surveys behind any number, and the CSV export.

Admins see every survey; an agent sees the surveys credited to them (the ``agent`` filter is theirs).
All figures come from :mod:`storage.reports`; this module only asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from bot.digest import Digest, digest_targets
from csatbot.console.auth import Agent
from csatbot.console.charts import trend_charts
from csatbot.console.i18n import translate
from csatbot.console.render import language, page, runtime_of
from csatbot.edge import Digits
from csatbot.exports import Export
from models import MAX_ROW_ID
from storage.auto_answer_report import FILTERS as AUTO_FILTERS
from storage.auto_answer_report import auto_answer_report
from storage.digest import digest_for, range_period
from storage.drivers import key_drivers
from storage.experiments import experiment_report
from storage.fcr import operational_fcr
from storage.funnel import survey_funnel
from storage.report_scope import (
    DIMENSIONS,
    MAX_RANGE_DAYS,
    NONE,
    ReportFilterError,
    check_year,
    last_days,
    midnight,
)
from storage.reports import (
    Scores,
    build_report,
    distributions,
    positive_comments,
    ranked_reasons,
    recovery,
    survey_rows,
)
from storage.repository import SqlRepository

router = APIRouter()
PAGE = 50
T = TypeVar("T")
Value = Annotated[str, Query(max_length=128)]


@dataclass(frozen=True)
class Scope:
    """The days shown (both included, in ``tz``: config.yaml's ``timezone``) and the dimension
    filters; ``locked`` ones are the signed-in agent's own and cannot be changed."""

    first: date
    last: date
    filters: dict[str, str]
    locked: frozenset[str] = field(default_factory=frozenset)
    tz: tzinfo = UTC

    @property
    def since(self) -> datetime:
        return midnight(self.first, self.tz)

    @property
    def until(self) -> datetime:
        return midnight(self.last + timedelta(days=1), self.tz)

    def previous(self) -> Scope:
        """The same number of days just before this range (what a change is measured against)."""
        days = (self.last - self.first).days + 1
        first, last = self.first - timedelta(days=days), self.first - timedelta(days=1)
        return Scope(first, last, self.filters, tz=self.tz)

    def query(self, **extra: str) -> str:
        """The query string of a link to the same range and filters, plus ``extra`` (``""`` drops one)."""
        params = {"since": self.first.isoformat(), "until": self.last.isoformat()} | self.filters | extra
        return urlencode({k: v for k, v in params.items() if v and k not in self.locked})


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: '{value}' is not a date (expected YYYY-MM-DD)") from None
    try:
        check_year(day, name)
    except ReportFilterError as exc:
        raise HTTPException(400, str(exc)) from None
    return day


def report_scope(
    request: Request,
    user: Agent,
    since: Value = "",
    until: Value = "",
    channel: Value = "",
    team: Value = "",
    agent: Value = "",
    intent: Value = "",
    locale: Value = "",
    day: Value = "",
) -> Scope:
    """Default: the last 30 days. An agent's scope is always ``agent=<their user name>``."""
    runtime = runtime_of(request)
    tz = ZoneInfo(runtime.settings().config.timezone)
    last = _day(until, "until") or runtime.clock.now().astimezone(tz).date()
    first = _day(since, "since") or last_days(last)[0]
    given = {"channel": channel, "team": team, "agent": agent, "intent": intent, "locale": locale, "day": day}
    filters = {k: v for k, v in given.items() if v}
    if since and until and first > last:  # an empty report, shown as if it were one
        raise HTTPException(400, f"since {first} is after until {last}: give the first day first")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise HTTPException(400, f"since..until covers more than {MAX_RANGE_DAYS} days: narrow the range")
    if user.is_admin:
        return Scope(first, last, filters, tz=tz)
    return Scope(first, last, filters | {"agent": user.username}, frozenset({"agent"}), tz)


Scoped = Annotated[Scope, Depends(report_scope)]


async def read(request: Request, work: Callable[[SqlRepository], T]) -> T:
    try:
        return await runtime_of(request).store.read(work)
    except ReportFilterError as exc:
        raise HTTPException(400, str(exc)) from exc


COMPARED = {
    "csat_percent": "csat_n",
    "nps": "nps_n",
    "ces_mean": "ces_n",
    "response_rate": "sent",
    "dsat_rate": "responded",
}
"""The figures compared with the previous period, and the count each rests on."""
LEADERBOARD_SORTS = ("csat", "ci", "n", "nps", "dsat", "agent")


@dataclass(frozen=True)
class Change:
    """A figure against the previous period's: ``delta`` only when both rest on at least
    ``reports.min_answers`` surveys (otherwise a change would be noise shown as news)."""

    previous: float | None
    previous_n: int
    delta: float | None


def compare(now: Scores, before: Scores, min_answers: int) -> dict[str, Change]:
    changes = {}
    for figure, base in COMPARED.items():
        current, previous = getattr(now, figure), getattr(before, figure)
        enough = getattr(now, base) >= min_answers and getattr(before, base) >= min_answers
        allowed = enough and current is not None and previous is not None
        changes[figure] = Change(previous, getattr(before, base), current - previous if allowed else None)
    return changes


def leaderboard(by_agent: dict[str, Scores], sort: str) -> list[tuple[str, Scores]]:
    """Agents (not the bot's ``(none)``) ordered by ``sort``: best CSAT %, best lower end of its 95%
    interval (``ci``: 100% of 1 answer ranks below 90% of 50), most answers, best NPS, lowest DSAT
    rate, or name; figures without answers last, ties by name."""
    rows = sorted((a, sc) for a, sc in by_agent.items() if a != NONE)

    def missing_last(value: float | None, best_high: bool = True) -> tuple[bool, float]:
        return (value is None, 0.0 if value is None else (-value if best_high else value))

    keys: dict[str, Callable[[tuple[str, Scores]], Any]] = {
        "csat": lambda r: missing_last(r[1].csat_percent),
        "ci": lambda r: missing_last(r[1].csat_interval[0] if r[1].csat_interval else None),
        "n": lambda r: -r[1].csat_n,
        "nps": lambda r: missing_last(r[1].nps),
        "dsat": lambda r: missing_last(r[1].dsat_rate, best_high=False),
        "agent": lambda r: r[0],
    }
    return sorted(rows, key=keys.get(sort, keys["csat"]))


def current_preset(presets: list[tuple[str, date, date]], first: date, last: date) -> str | None:
    """The one preset the shown range is (the first listed when two cover the same days: on the 7th,
    "Last 7 days" and "This month" are both the 1st to the 7th), else ``None``."""
    return next((key for key, a, b in presets if (a, b) == (first, last)), None)


def presets(today: date) -> list[tuple[str, date, date]]:
    """The usual ranges, ending today: 7, 30 and 90 days, this month, last month."""
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    return [
        ("7d", *last_days(today, 7)),
        ("30d", *last_days(today, 30)),
        ("90d", *last_days(today, 90)),
        ("this_month", this_month, today),
        ("last_month", last_month, this_month - timedelta(days=1)),
    ]


@router.get("/reports")
async def reports(
    request: Request, s: Scoped, sort: Annotated[str, Query(max_length=16)] = "csat"
) -> Response:
    before = s.previous()
    config = runtime_of(request).settings().config
    quick = presets(runtime_of(request).clock.now().astimezone(s.tz).date())
    min_answers = config.reports.min_answers

    def load(repo: SqlRepository) -> tuple[Any, ...]:
        session = repo.session
        # Automatic answers are the bot's: admins see them, with the filters that apply to them.
        auto_filters = {k: v for k, v in s.filters.items() if k in AUTO_FILTERS}
        return (
            build_report(session, s.since, s.until, filters=s.filters, tz=s.tz),
            ranked_reasons(session, s.since, s.until, s.filters, tz=s.tz),
            positive_comments(session, s.since, s.until, s.filters, limit=10, tz=s.tz),
            recovery(session, s.since, s.until, s.filters, tz=s.tz),
            None if s.locked else auto_answer_report(session, s.since, s.until, auto_filters),
            build_report(session, before.since, before.until, by=(), filters=before.filters, tz=s.tz),
            distributions(session, s.since, s.until, s.filters, tz=s.tz),
            operational_fcr(session, s.since, s.until, config.reports.repeat_within, s.filters),
            survey_funnel(session, s.since, s.until, s.filters, tz=s.tz),
            key_drivers(session, s.since, s.until, s.filters, min_n=max(min_answers, 1), tz=s.tz),
            experiment_report(session, config, s.since, s.until, s.filters, tz=s.tz),
        )

    report, reasons, comments, recovered, auto, previous, spread, fcr, funnel, drivers, tests = await read(
        request, load
    )
    lang = language(request)

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    return page(
        request,
        "reports.html",
        s=s,
        report=report,
        dimensions=[d for d in DIMENSIONS if d not in s.locked],
        reasons=reasons,
        comments=comments,
        recovery=recovered,
        auto=auto,
        charts=trend_charts(report.by_day, t),
        min_answers=min_answers,
        before=before,
        changes=compare(report.total, previous.total, min_answers),
        spread=spread,
        sort=sort if sort in LEADERBOARD_SORTS else "csat",
        agents=leaderboard(report.by.get("agent", {}), sort),
        presets=quick,
        current=current_preset(quick, s.first, s.last),
        fcr=fcr,
        funnel=funnel.as_dict(min_answers),
        drivers=drivers,
        experiments=tests,
    )


@router.get("/reports/surveys")
async def surveys(
    request: Request,
    s: Scoped,
    metric: Annotated[str, Query(max_length=32)] = "sent",
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID), Digits] = 0,
) -> Response:
    """The surveys behind one number: the same range and filters, and the ``metric`` it counts."""
    found = await read(
        request,
        lambda repo: survey_rows(
            repo.session,
            s.since,
            s.until,
            filters=s.filters,
            metric=metric,
            limit=PAGE,
            offset=offset,
            tz=s.tz,
        ),
    )
    return page(request, "surveys.html", s=s, metric=metric, found=found, offset=offset, size=PAGE)


@router.get("/reports/good-news")
async def good_news(request: Request, s: Scoped) -> Response:
    """The best comments of the range, credited (as the digest sends them), and every comment from
    satisfied customers (or with a positive sentiment), newest first."""
    config = runtime_of(request).settings().config
    period = range_period(s.since, s.until, s.first, s.last)

    def load(repo: SqlRepository) -> tuple[Any, Digest]:
        session = repo.session
        return (
            positive_comments(session, s.since, s.until, s.filters, 200, tz=s.tz),
            digest_for(session, config, period, s.filters, tz=s.tz),
        )

    found, best = await read(request, load)
    return page(
        request,
        "good_news.html",
        s=s,
        comments=found,
        digest=best,
        schedule=config.digest,
        targets=digest_targets(config),
        timezone=config.timezone,
    )


@router.get("/reports/export.csv")
async def export(request: Request, s: Scoped) -> StreamingResponse:
    """One row per survey in the range and filters (UTF-8 with a BOM, for spreadsheets)."""
    export = Export(s.since, s.until, s.filters, s.tz)
    first = await read(request, export.batch(None))  # a bad filter is refused before the stream starts
    name = f"csat-{s.first:%Y%m%d}-{s.last:%Y%m%d}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    body = export.chunks(runtime_of(request).store, first)
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)
