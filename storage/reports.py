"""Survey reports: CSAT, NPS, CES, response rate and DSAT, in total, by dimension and by day; the
reasons behind low scores, the good news, and recovery after DSAT tickets.

Main surveys only: follow-up re-surveys ("Is it solved now?") are reported by :func:`recovery`.
Every figure carries the count it rests on (``sent``, ``responded``, ``csat_n``, ``nps_n``,
``ces_n``), and every count can be opened with :func:`survey_rows` (same filters, a ``metric``).
The queries read the scores copied onto each survey row (see :class:`models.Survey`), never the
answer table, except where the answers themselves are the subject (reasons, comments).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, func, literal_column, select
from sqlmodel import Session, col

from bot.drivers import wilson as score_interval
from models import Answer, Customer, FlowVersion, Identity, Survey, Ticket
from storage.report_scope import (
    DIMENSIONS,
    LOW,
    METRICS,
    NONE,
    SATISFIED,
    SATISFIED_CSAT,
    ReportFilterError,
    agents_text,
    check_dimensions,
    conditions,
    count_where,
    dimension_column,
    offset_spans,
)
from storage.survey_rows import (
    CSV_COLUMNS,
    Cursor,
    SurveyPage,
    csv_rows,
    csv_text,
    iter_csv,
    survey_rows,
)


class _Counts:
    """Counts that add up field by field (a dataclass of ints)."""

    __dataclass_fields__: dict[str, Any]

    def add(self, other: Any) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def of(cls, row: Mapping[Any, Any]) -> Any:
        """From a result row with a column per field."""
        return cls(**{name: int(row[name] or 0) for name in cls.__dataclass_fields__})


@dataclass
class Scores(_Counts):
    """Aggregates over a set of surveys; ``None`` where no answer backs a figure."""

    sent: int = 0
    responded: int = 0
    csat_n: int = 0
    csat_satisfied: int = 0
    csat_sum: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    ces_n: int = 0
    ces_sum: int = 0
    dsat: int = 0
    fcr_n: int = 0
    fcr_yes: int = 0
    completed: int = 0
    partial: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.sent if self.sent else None

    @property
    def csat_percent(self) -> float | None:
        return 100.0 * self.csat_satisfied / self.csat_n if self.csat_n else None

    @property
    def csat_interval(self) -> tuple[float, float] | None:
        """The 95% Wilson interval of :attr:`csat_percent` (in percent); ``None`` without answers."""
        found = wilson(self.csat_satisfied, self.csat_n)
        return None if found is None else (100.0 * found[0], 100.0 * found[1])

    @property
    def csat_mean(self) -> float | None:
        return self.csat_sum / self.csat_n if self.csat_n else None

    @property
    def nps(self) -> float | None:
        return 100.0 * (self.promoters - self.detractors) / self.nps_n if self.nps_n else None

    @property
    def ces_mean(self) -> float | None:
        return self.ces_sum / self.ces_n if self.ces_n else None

    @property
    def fcr_rate(self) -> float | None:
        """First-contact resolution as customers answered it: the share of "yes"."""
        return self.fcr_yes / self.fcr_n if self.fcr_n else None

    @property
    def dsat_rate(self) -> float | None:
        """The share of answered surveys that were DSAT (escalated to a human)."""
        return self.dsat / self.responded if self.responded else None

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        """The counts, the figures, ``n`` (the surveys each figure rests on) and ``few_answers``
        (fewer than ``min_answers`` surveys answered: too few to judge anyone on)."""
        data: dict[str, Any] = asdict(self)
        for name in _FIGURES:
            value = getattr(self, name)
            data[name] = round(value, 4) if value is not None else None
        data["n"] = {name: getattr(self, base) for name, base in _FIGURES.items()}
        data["few_answers"] = self.responded < min_answers
        data["few"] = {name: n < min_answers for name, n in data["n"].items()}  # per figure
        interval = self.csat_interval
        data["csat_percent_ci95"] = None if interval is None else [round(v, 2) for v in interval]
        return data


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of the proportion ``successes / n`` (95% for ``z`` = 1.96): honest
    at small ``n`` and near 0 or 1, where the normal approximation claims certainty it lacks."""
    return score_interval(successes, n, z) if n > 0 else None


SCALES: dict[str, range] = {"csat": range(1, 6), "nps": range(0, 11), "ces": range(1, 8)}
"""The answers each score can take: CSAT 1-5, NPS 0-10, CES 1-7."""


def distributions(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> dict[str, dict[int, int]]:
    """How many main surveys in the range gave each CSAT, NPS and CES answer (every value of each
    scale, zeros included)."""
    where = conditions(since, until, filters, tz=tz)
    found: dict[str, dict[int, int]] = {}
    for name, scale in SCALES.items():
        column = col(getattr(Survey, name))
        counts = {value: 0 for value in scale}
        query = select(column, func.count()).where(*where, column.is_not(None)).group_by(column)
        for value, count in session.execute(query).all():
            counts[int(value)] = int(count)
        found[name] = counts
    return found


_FIGURES = {
    "response_rate": "sent",
    "csat_percent": "csat_n",
    "csat_mean": "csat_n",
    "nps": "nps_n",
    "ces_mean": "ces_n",
    "dsat_rate": "responded",
    "fcr_rate": "fcr_n",
}
"""Each figure and the count it rests on."""


_AGGREGATES = (
    func.count().label("sent"),
    count_where(METRICS["responded"]).label("responded"),
    func.count(col(Survey.csat)).label("csat_n"),
    count_where(METRICS["csat_satisfied"]).label("csat_satisfied"),
    func.coalesce(func.sum(col(Survey.csat)), 0).label("csat_sum"),
    func.count(col(Survey.nps)).label("nps_n"),
    count_where(METRICS["promoters"]).label("promoters"),
    count_where(METRICS["detractors"]).label("detractors"),
    func.count(col(Survey.ces)).label("ces_n"),
    func.coalesce(func.sum(col(Survey.ces)), 0).label("ces_sum"),
    count_where(METRICS["dsat"]).label("dsat"),
    func.count(col(Survey.fcr)).label("fcr_n"),
    count_where(METRICS["fcr_yes"]).label("fcr_yes"),
    count_where(METRICS["completed"]).label("completed"),
    count_where(METRICS["partial"]).label("partial"),
)


@dataclass
class Report:
    """Scores over ``[since, until)``: in total, per value of each dimension, and per day in
    ``timezone`` (the configured one: a team's day starts at its own midnight)."""

    since: datetime
    until: datetime
    timezone: str = "UTC"
    total: Scores = field(default_factory=Scores)
    by: dict[str, dict[str, Scores]] = field(default_factory=dict)
    by_day: dict[str, Scores] = field(default_factory=dict)
    surveys: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def by_channel(self) -> dict[str, Scores]:
        return self.by.get("channel", {})

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        def table(scores: dict[str, Scores]) -> dict[str, Any]:
            return {k: v.as_dict(min_answers) for k, v in sorted(scores.items())}

        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "timezone": self.timezone,
            "filters": self.filters,
            "min_answers": min_answers,
            "total": self.total.as_dict(min_answers),
            "by": {dimension: table(values) for dimension, values in self.by.items()},
            "by_channel": table(self.by_channel),
            "by_day": table(self.by_day),
            "surveys": self.surveys,
        }


def build_report(
    session: Session,
    since: datetime,
    until: datetime,
    *,
    by: tuple[str, ...] | list[str] = DIMENSIONS,
    filters: Mapping[str, str] | None = None,
    with_surveys: bool = False,
    tz: tzinfo = UTC,
) -> Report:
    """Aggregate the main surveys sent in ``[since, until)`` that match ``filters``.

    ``by`` names the dimensions to break down (``channel``, ``team``, ``agent``, ``intent``,
    ``locale``); a survey credited to two agents counts once for each, and once in the total.
    Days, and a ``day`` filter, are days in ``tz``. ``with_surveys`` lists each survey too (with
    its answers).
    """
    dimensions = check_dimensions(by)
    where = conditions(since, until, filters, tz=tz)
    report = Report(since, until, str(tz), filters=dict(filters or {}), by={d: {} for d in dimensions})
    # One scan per query: by day (and the total), by the single-valued dimensions together (a few
    # hundred groups, split per dimension here), and by agent. Grouping the days with the
    # dimensions would make thousands of groups to add up in Python.
    _add_days(session, report, where, tz)
    single = [d for d in dimensions if d != "agent"]
    if single:
        _add_single_valued(session, report, where, single)
    if "agent" in dimensions:
        report.by["agent"] = _by_agent(session, where)
    if with_surveys:
        report.surveys = survey_rows(
            session, since, until, filters=filters, limit=None, newest_first=False
        ).rows
    return report


def _add_days(session: Session, report: Report, where: list[Any], tz: tzinfo) -> None:
    """The report's days and total. The days take one scan per UTC offset in the range (two when it
    spans a daylight saving change)."""
    dialect = session.get_bind().dialect.name
    for start, end, offset in offset_spans(report.since, report.until, tz):
        day = _local_date(dialect, offset).label("day")
        span = [*where, col(Survey.sent_at) >= start, col(Survey.sent_at) < end]
        for row in session.execute(select(day, *_AGGREGATES).where(*span).group_by(day)).mappings():
            scores = Scores.of(row)
            report.total.add(scores)
            report.by_day.setdefault(str(row["day"]), Scores()).add(scores)


def _add_single_valued(session: Session, report: Report, where: list[Any], single: list[str]) -> None:
    """The breakdowns by the ``single``-valued dimensions (all but agent), from one grouped scan."""
    keys = [dimension_column(d).label(d) for d in single]
    for row in session.execute(select(*keys, *_AGGREGATES).where(*where).group_by(*keys)).mappings():
        scores = Scores.of(row)
        for dimension in single:
            value = row[dimension]
            report.by[dimension].setdefault(NONE if value is None else str(value), Scores()).add(scores)


def _local_date(dialect: str, offset: timedelta) -> Any:
    """The date of ``Survey.sent_at`` (naive UTC) shifted by ``offset``, as SQL for ``dialect``."""
    minutes = int(offset.total_seconds()) // 60  # an int we computed: safe to write into the SQL
    if not minutes:
        return func.date(col(Survey.sent_at))
    if dialect == "sqlite":
        return func.date(col(Survey.sent_at), f"{minutes:+d} minutes")
    return func.date(col(Survey.sent_at) + literal_column(f"interval '{minutes} minutes'"))


def _by_agent(session: Session, where: list[Any]) -> dict[str, Scores]:
    """Scores per agent: grouped by the set of agents (a few hundred sets, one scan of the
    range), then each set's scores added to each of its agents."""
    agents = agents_text().label("agents")
    query: Select[Any] = select(agents, *_AGGREGATES).where(*where).group_by(agents)
    by_agent: dict[str, Scores] = {}
    for row in session.execute(query).mappings():
        scores = Scores.of(row)
        for agent in json.loads(row["agents"]) or [NONE]:
            by_agent.setdefault(agent, Scores()).add(scores)
    return by_agent


def ranked_reasons(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> list[dict[str, Any]]:
    """The options picked in the follow-up questions of low-score surveys, most picked first.

    A low-score survey has CSAT 1-3, an NPS of 0-6, CES 1-3 or was escalated as DSAT. Each entry
    says how many surveys picked it (``count``) out of how many low-score surveys answered that
    question (``n``), and the option's label per locale.
    """
    where = [*conditions(since, until, filters, tz=tz), LOW, col(Answer.kind) == "choice"]
    picked = (
        select(col(Survey.flow_id), col(Answer.step), col(Answer.option), func.count().label("count"))
        .join(Answer, col(Answer.survey_id) == col(Survey.id))
        .where(*where)
        .group_by(col(Survey.flow_id), col(Answer.step), col(Answer.option))
    )
    rows = session.execute(picked).all()
    answered: dict[tuple[str, str], int] = {}
    for flow_id, step, _option, count in rows:
        answered[(flow_id, step)] = answered.get((flow_id, step), 0) + int(count)
    labels = _option_labels(session, {flow_id for flow_id, *_ in rows})
    reasons = [
        {
            "flow": flow_id,
            "step": step,
            "option": option,
            "label": labels.get((flow_id, step, option), {}),
            "count": int(count),
            "n": answered[(flow_id, step)],
            "share": round(int(count) / answered[(flow_id, step)], 4),
        }
        for flow_id, step, option, count in rows
    ]
    return sorted(reasons, key=lambda r: (-r["count"], r["flow"], r["step"], r["option"]))


def _option_labels(session: Session, flow_ids: set[str]) -> dict[tuple[str, str, str], dict[str, str]]:
    """Option labels from the stored flow versions, the newest version's label winning."""
    labels: dict[tuple[str, str, str], dict[str, str]] = {}
    if not flow_ids:
        return labels
    versions = session.scalars(
        select(FlowVersion)
        .where(col(FlowVersion.flow_id).in_(flow_ids))
        .order_by(col(FlowVersion.created_at))
    ).all()
    for version in versions:
        for step_id, step in json.loads(version.body).get("steps", {}).items():
            for option in step.get("options") or []:
                labels[(version.flow_id, step_id, option["id"])] = option["label"]
    return labels


def positive_comments(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    limit: int = 50,
    *,
    tz: tzinfo = UTC,
) -> list[dict[str, Any]]:
    """Good news for the team: comments from satisfied surveys (CSAT 4-5, NPS 9-10, CES 5-7, not
    escalated) or with a positive sentiment, never a negative one; newest first."""
    sentiment = func.coalesce(col(Answer.sentiment), "")
    query = (
        select(
            Survey, col(Answer.text), col(Answer.sentiment), col(Customer.display_name), col(Identity.user)
        )
        .join(Answer, col(Answer.survey_id) == col(Survey.id))
        .join(Customer, col(Customer.id) == col(Survey.customer_id))
        .join(Identity, col(Identity.id) == col(Survey.identity_id))
        .where(
            *conditions(since, until, filters, tz=tz),
            col(Answer.kind) == "text",
            sentiment != "negative",
            (SATISFIED | (sentiment == "positive")),
        )
        .order_by(col(Survey.sent_at).desc(), col(Survey.id).desc(), col(Answer.id))
        .limit(limit)
    )
    return [
        _good_news(survey=survey, text=text, sentiment=answer_sentiment, name=name, user=user)
        for survey, text, answer_sentiment, name, user in session.execute(query).all()
    ]


def _good_news(
    *, survey: Survey, text: str | None, sentiment: str | None, name: str | None, user: str
) -> dict[str, Any]:
    """One comment of :func:`positive_comments` with its survey and customer."""
    return {
        "survey_id": survey.id,
        "sent_at": survey.sent_at.isoformat() if survey.sent_at else None,
        "customer": {"id": survey.customer_id, "name": name or user, "user": user},
        "channel": survey.channel,
        "agents": list(survey.agents),
        "team": survey.team,
        "csat": survey.csat,
        "nps": survey.nps,
        "ces": survey.ces,
        "text": text,
        "sentiment": sentiment,
    }


@dataclass
class Recovery(_Counts):
    """DSAT tickets and their re-surveys: how many were asked again, answered, and came back
    satisfied (CSAT 4-5). ``recovery_rate`` rests on ``responded`` re-surveys."""

    dsat_tickets: int = 0
    resolved: int = 0
    resurveyed: int = 0
    responded: int = 0
    recovered: int = 0

    @property
    def recovery_rate(self) -> float | None:
        return self.recovered / self.responded if self.responded else None

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        rate = self.recovery_rate
        return asdict(self) | {
            "recovery_rate": round(rate, 4) if rate is not None else None,
            "n": {"recovery_rate": self.responded},
            "few_answers": self.responded < min_answers,
        }


@dataclass
class RecoveryReport:
    since: datetime
    until: datetime
    total: Recovery = field(default_factory=Recovery)
    by_team: dict[str, Recovery] = field(default_factory=dict)
    by_assignee: dict[str, Recovery] = field(default_factory=dict)

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        def table(values: dict[str, Recovery]) -> dict[str, Any]:
            return {k: v.as_dict(min_answers) for k, v in sorted(values.items())}

        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "min_answers": min_answers,
            "total": self.total.as_dict(min_answers),
            "by_team": table(self.by_team),
            "by_assignee": table(self.by_assignee),
        }


def recovery(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> RecoveryReport:
    """Recovery of the DSAT tickets opened by main surveys sent in ``[since, until)`` (``filters``
    apply to those surveys), in total, by the ticket's team and by its assignee."""
    followup = Survey.__table__.alias("followup")  # type: ignore[attr-defined]
    query = (
        select(
            col(Ticket.team).label("team"),
            col(Ticket.assignee).label("assignee"),
            func.count().label("dsat_tickets"),
            count_where(col(Ticket.resolved_at).is_not(None)).label("resolved"),
            count_where(followup.c.sent_at.is_not(None)).label("resurveyed"),
            count_where(followup.c.csat.is_not(None)).label("responded"),
            count_where(followup.c.csat >= SATISFIED_CSAT).label("recovered"),
        )
        .select_from(Ticket)
        .join(Survey, col(Survey.id) == col(Ticket.survey_id))
        .outerjoin(followup, followup.c.ticket_id == col(Ticket.id))  # only follow-ups have a ticket_id
        .where(*conditions(since, until, filters, tz=tz))
        .group_by(col(Ticket.team), col(Ticket.assignee))
    )
    report = RecoveryReport(since, until)
    for row in session.execute(query).mappings():
        counts = Recovery.of(row)
        report.total.add(counts)
        report.by_team.setdefault(row["team"], Recovery()).add(counts)
        report.by_assignee.setdefault(row["assignee"] or NONE, Recovery()).add(counts)
    return report


__all__ = [
    "CSV_COLUMNS",
    "DIMENSIONS",
    "METRICS",
    "NONE",
    "Cursor",
    "Recovery",
    "RecoveryReport",
    "Report",
    "ReportFilterError",
    "Scores",
    "SurveyPage",
    "build_report",
    "csv_rows",
    "csv_text",
    "iter_csv",
    "positive_comments",
    "ranked_reasons",
    "recovery",
    "survey_rows",
]
