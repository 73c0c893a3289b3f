"""The report API under ``/api/reports``: figures, the surveys behind them, reasons, good news,
recovery and the CSV export. Every endpoint takes the same range and dimension filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BeforeValidator, WithJsonSchema

from bot.digest import Digest, digest_targets, due_period
from csatbot.access import Admin, Who
from csatbot.api_models import (
    AutoAnswerReport,
    CsatReport,
    DigestReport,
    DriversReport,
    Experiment,
    Fcr,
    FunnelReport,
    GoodComment,
    Reason,
    RecoveryReport,
    SurveyPage,
    ThemesReport,
)
from csatbot.comment_themes import themes_report
from csatbot.edge import Digits
from csatbot.exports import Export
from csatbot.runtime import Runtime
from models import MAX_ROW_ID
from storage.auto_answer_report import auto_answer_report
from storage.digest import digest_for, range_period, sent_at
from storage.drivers import key_drivers
from storage.experiments import experiment_report
from storage.fcr import operational_fcr
from storage.funnel import survey_funnel
from storage.report_scope import (
    DIMENSIONS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_RANGE_DAYS,
    METRICS,
    ReportFilterError,
    check_order,
    check_range,
    check_year,
)
from storage.reports import (
    build_report,
    positive_comments,
    ranked_reasons,
    recovery,
    survey_rows,
)

Filter = Annotated[str | None, Query(max_length=128)]
YEAR = r"(19[7-9]\d|2\d{3})"
"""A year reports cover (:data:`FIRST_YEAR` to :data:`LAST_YEAR`), as the schema's patterns say it."""
COVERED = (
    f"years {FIRST_YEAR}-{LAST_YEAR}; until defaults to now and since to 30 days before until; "
    f"since..until spans at most {MAX_RANGE_DAYS} days (longer: 422)"
)
# The schema states what the handlers accept; the handlers still check it themselves (their 422s
# say why in a sentence), so these are documentation, not FastAPI's validation.


def _not_a_number(value: Any) -> Any:
    """Refuse a number: pydantic reads ``until=5`` or ``1700000000`` as Unix seconds, which the schema
    (an ISO 8601 date or time) does not offer and nobody writing a report range means."""
    if isinstance(value, str) and not re.match(r"\s*\d{4}-", value):
        raise ValueError("give an ISO 8601 date or time (2026-11-01, 2026-11-01T08:00+08:00), not a number")
    return value


Moment = Annotated[
    datetime | None,
    BeforeValidator(_not_a_number),
    Query(description=f"ISO 8601; without an offset, in config.yaml's timezone; {COVERED}"),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": f"^{YEAR}-"}),
]
Day = Annotated[
    str | None,
    Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD, in config.yaml's timezone"),
    WithJsonSchema({"type": "string", "format": "date", "pattern": f"^{YEAR}-\\d{{2}}-\\d{{2}}$"}),
]
Metric = Annotated[
    str | None, Query(description="count only these surveys"), WithJsonSchema({"enum": list(METRICS)})
]
Dimensions = Annotated[
    list[str] | None,
    Query(description=f"dimensions: {', '.join(DIMENSIONS)}"),
    WithJsonSchema({"type": "array", "items": {"enum": list(DIMENSIONS)}}),
]


@dataclass(frozen=True)
class Scope:
    """The query's range and filters; ``until`` defaults to now and ``since`` to 30 days before it."""

    since: datetime | None
    until: datetime | None
    filters: dict[str, str]

    def range(self, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
        """``[since, until)``; a time given without an offset is a time in ``tz``.

        :class:`ReportFilterError` for a year out of range or a range too long to report on."""
        for name, given in (("since", self.since), ("until", self.until)):
            if given is not None:
                check_year(given, name)
        since, until = (
            t.replace(tzinfo=tz) if t and t.tzinfo is None else t for t in (self.since, self.until)
        )
        end = until or now + timedelta(seconds=1)
        start = since or end - timedelta(days=30)
        if since is not None and until is not None:
            check_order(start, end)
        check_range(start, end)
        return start, end


def scope(
    who: Who,
    since: Moment = None,
    until: Moment = None,
    channel: Filter = None,
    team: Filter = None,
    agent: Filter = None,
    intent: Filter = None,
    locale: Filter = None,
    day: Day = None,
    flow: Filter = None,
) -> Scope:
    """``[since, until)`` and filters on dimension values (``(none)`` matches surveys without a
    team, intent or agent) and on one ``day`` (in config.yaml's ``timezone``). An agent's reports
    are always their own (``agent`` is their name, as on the console); admins see everyone's."""
    if not who.is_admin:
        agent = who.name
    given = {"channel": channel, "team": team, "agent": agent, "intent": intent, "locale": locale}
    filters = {k: v for k, v in (given | {"day": day, "flow": flow}).items() if v is not None}
    return Scope(since, until, filters)


Scoped = Annotated[Scope, Depends(scope)]
NOT_THE_BOTS = ("team", "agent", "day", "flow")
"""Filters the automatic answers' report does not take (they are the bot's)."""


def bot_scope(
    request: Request,
    since: Moment = None,
    until: Moment = None,
    channel: Filter = None,
    intent: Filter = None,
    locale: Filter = None,
) -> Scope:
    """The automatic answers' range and filters. A filter they do not take, sent anyway, is passed on
    to be refused by name (a 422) rather than ignored: the figures would not be what was asked."""
    given = {"channel": channel, "intent": intent, "locale": locale}
    given |= {name: request.query_params.get(name) for name in NOT_THE_BOTS}
    return Scope(since, until, {k: v for k, v in given.items() if v is not None})


BotScoped = Annotated[Scope, Depends(bot_scope)]


def add_report_routes(router: APIRouter, rt: Runtime) -> None:
    """The ``/reports`` routes, declared on the support router (behind its token)."""

    def min_answers() -> int:
        return rt.settings().config.reports.min_answers

    def window(s: Scope) -> tuple[datetime, datetime, tzinfo]:
        """The scope's range, and the time zone of report days: config.yaml's ``timezone`` (read per
        request: it may be reloaded)."""
        tz = ZoneInfo(rt.settings().config.timezone)
        try:
            return (*s.range(rt.clock.now(), tz), tz)
        except ReportFilterError as exc:
            raise HTTPException(422, str(exc)) from exc

    async def read(work: Any) -> Any:
        try:
            return await rt.store.read(work)
        except ReportFilterError as exc:
            raise HTTPException(422, str(exc)) from exc

    @router.get("/reports", response_model=CsatReport)
    async def reports(
        s: Scoped,
        surveys: bool = False,
        by: Dimensions = None,
    ) -> dict[str, Any]:
        """CSAT %, NPS, CES, response rate and DSAT rate in total, by dimension and by day; each figure
        with ``n``, the surveys it rests on, and ``few_answers`` below ``reports.min_answers``."""
        since, until, tz = window(s)
        dimensions = tuple(by) if by else DIMENSIONS
        report = await read(
            lambda repo: build_report(
                repo.session, since, until, by=dimensions, filters=s.filters, with_surveys=surveys, tz=tz
            )
        )
        result: dict[str, Any] = report.as_dict(min_answers())
        return result

    @router.get("/reports/surveys", response_model=SurveyPage)
    async def drill_down(
        s: Scoped,
        metric: Metric = None,
        limit: Annotated[int, Query(ge=1, le=1000), Digits] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID), Digits] = 0,
    ) -> dict[str, Any]:
        """The surveys behind a figure: the same filters, plus ``day`` and the ``metric`` counted."""
        since, until, tz = window(s)
        page = await read(
            lambda repo: survey_rows(
                repo.session,
                since,
                until,
                filters=s.filters,
                metric=metric,
                limit=limit,
                offset=offset,
                tz=tz,
            )
        )
        result: dict[str, Any] = page.as_dict()
        return result

    @router.get("/reports/reasons", response_model=list[Reason])
    async def reasons(s: Scoped) -> list[dict[str, Any]]:
        """The options picked in low-score follow-up questions, most picked first."""
        since, until, tz = window(s)
        found: list[dict[str, Any]] = await read(
            lambda repo: ranked_reasons(repo.session, since, until, s.filters, tz=tz)
        )
        return found

    @router.get("/reports/comments", response_model=list[GoodComment])
    async def comments(
        s: Scoped, limit: Annotated[int, Query(ge=1, le=500), Digits] = 50
    ) -> list[dict[str, Any]]:
        """Good news: comments from satisfied surveys or with a positive sentiment, newest first."""
        since, until, tz = window(s)
        found: list[dict[str, Any]] = await read(
            lambda repo: positive_comments(repo.session, since, until, s.filters, limit, tz=tz)
        )
        return found

    @router.get("/reports/recovery", response_model=RecoveryReport)
    async def recovery_report(s: Scoped) -> dict[str, Any]:
        """DSAT tickets, how many were re-surveyed after being resolved, and how many came back
        satisfied (the recovery rate), in total, by team and by assignee."""
        since, until, tz = window(s)
        report = await read(lambda repo: recovery(repo.session, since, until, s.filters, tz=tz))
        result: dict[str, Any] = report.as_dict(min_answers())
        return result

    @router.get("/reports/auto-answers", response_model=AutoAnswerReport)
    async def auto_answers(s: BotScoped, _admin: Admin) -> dict[str, Any]:
        """Admins: automatic answers by intent: sent, and how customers answered "Did this solve
        it?" (yes, no, silent, moved on, still pending), with the deflection rate and the share of
        "no", each with ``n``. Filters: ``channel``, ``locale``, ``intent``. They are the bot's, as
        on the console's reports page: an agent has none of their own."""
        since, until, _ = window(s)
        report = await read(lambda repo: auto_answer_report(repo.session, since, until, s.filters))
        result: dict[str, Any] = report.as_dict()
        return result

    @router.get("/reports/digest", response_model=DigestReport)
    async def good_news_digest(s: Scoped) -> dict[str, Any]:
        """Good news for staff: the best comments of satisfied customers (not negative), the most
        specific first, each credited to the agents who served the conversation, the agents it names
        and the team, with how often each is thanked. Without ``since``/``until`` and with ``digest``
        configured: the latest period the digest went (or goes) out for, with ``sent_at`` (``null``:
        not yet) and the ``targets`` it goes to."""
        config = rt.settings().config
        tz: tzinfo = ZoneInfo(config.timezone)
        if s.since is None and s.until is None and config.digest is not None:
            period = due_period(config.digest, rt.clock.now(), config.timezone)
        else:
            since, until, tz = window(s)
            last = (until - timedelta(microseconds=1)).astimezone(tz).date()
            period = range_period(since, until, since.astimezone(tz).date(), last)

        def load(repo: Any) -> tuple[Digest, datetime | None]:
            found = digest_for(repo.session, config, period, s.filters, tz=tz)
            return found, sent_at(repo.session, period.key)

        found, when = await read(load)
        policy = config.digest
        schedule = (
            None
            if policy is None
            else {
                "every": policy.every,
                "weekday": (policy.weekday or "mon") if policy.every == "weekly" else None,
                "at": policy.at.strftime("%H:%M"),
                "timezone": config.timezone,
            }
        )
        answer: dict[str, Any] = found.to_dict() | {
            "sent_at": when.isoformat() if when else None,
            "targets": digest_targets(config),
            "schedule": schedule,
        }
        return answer

    @router.get("/reports/experiments", response_model=list[Experiment])
    async def experiments(s: Scoped) -> list[dict[str, Any]]:
        """Each experiment (declared on a trigger, or with surveys in the range): per variant the
        surveys sent, answered, completed and satisfied, with response rate, completion rate and
        satisfied rate (each with ``n`` and a Wilson 95% interval, ``few_answers`` below
        ``reports.min_answers``), each against the control (the first variant: difference,
        two-proportion z, two-sided p, significant at p < 0.05), and per rate a verdict: ``winner``,
        ``no_clear_winner`` or ``too_few``."""
        since, until, tz = window(s)
        config = rt.settings().config
        found: list[dict[str, Any]] = await read(
            lambda repo: experiment_report(repo.session, config, since, until, s.filters, tz=tz)
        )
        return found

    @router.get("/reports/fcr", response_model=Fcr)
    async def fcr(s: Scoped) -> dict[str, Any]:
        """First-contact resolution two ways, each with ``n``: as customers answered the flow's
        ``fcr`` question, and operationally (resolved conversations with no repeat contact on the
        same intent within ``reports.repeat_within``)."""
        since, until, tz = window(s)
        within = rt.settings().config.reports.repeat_within

        def load(repo: Any) -> dict[str, Any]:
            answered = build_report(repo.session, since, until, by=(), filters=s.filters, tz=tz).total
            return {
                "answered": {
                    "rate": answered.as_dict()["fcr_rate"],
                    "yes": answered.fcr_yes,
                    "n": answered.fcr_n,
                },
                "operational": operational_fcr(repo.session, since, until, within, s.filters).as_dict(
                    min_answers()
                ),
            }

        result: dict[str, Any] = await read(load)
        return result

    @router.get("/reports/funnel", response_model=FunnelReport)
    async def funnel(s: Scoped) -> dict[str, Any]:
        """Sent -> opened (channels that report reads) -> first answer -> completed, per flow and
        channel; partial surveys apart, the abandonment rate and the question customers stop at."""
        since, until, tz = window(s)
        found = await read(lambda repo: survey_funnel(repo.session, since, until, s.filters, tz=tz))
        result: dict[str, Any] = found.as_dict(min_answers())
        return result

    @router.get("/reports/drivers", response_model=DriversReport)
    async def drivers(s: Scoped) -> dict[str, Any]:
        """Which factors go with DSAT, ranked by the DSAT they add, and the top three to fix first."""
        since, until, tz = window(s)
        found: dict[str, Any] = await read(
            lambda repo: key_drivers(
                repo.session, since, until, s.filters, min_n=max(min_answers(), 1), tz=tz
            )
        )
        return found

    @router.get("/reports/themes", response_model=ThemesReport)
    async def themes(s: Scoped) -> dict[str, Any]:
        """Comment themes (zh and en) grouped with the triage model's encoder, labelled by their top
        terms: each with its count, share, DSAT share, trend against the previous period of the same
        length, and example comments with their conversations; ``few_answers`` below
        ``reports.min_answers``. New comments are assigned first (a bounded number per request;
        ``unassigned`` says how many wait)."""
        since, until, tz = window(s)
        try:
            return await themes_report(rt, since, until, s.filters, tz=tz, min_n=max(min_answers(), 1))
        except ReportFilterError as exc:
            raise HTTPException(422, str(exc)) from exc

    @router.get("/reports/export.csv", response_class=StreamingResponse)
    async def export(s: Scoped, metric: Metric = None) -> StreamingResponse:
        """One row per survey (UTF-8 with a BOM, so spreadsheets read Chinese text correctly),
        streamed in batches, each read in its own short transaction."""
        since, until, tz = window(s)
        export = Export(since, until, s.filters, tz, metric)
        first = await read(export.batch(None))  # a bad filter answers 422 before the stream starts
        name = f"csat-{since:%Y%m%d}-{until:%Y%m%d}.csv"
        return StreamingResponse(
            export.chunks(rt.store, first),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
