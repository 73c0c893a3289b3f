"""Survey reports: CSAT, NPS, CES, response rate and DSAT, overall, by channel and by day."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, case, func
from sqlalchemy import cast as sql_cast
from sqlmodel import Session, col, select

from models import Answer, Customer, Identity, Survey


@dataclass
class Scores:
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

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.sent if self.sent else None

    @property
    def csat_percent(self) -> float | None:
        return 100.0 * self.csat_satisfied / self.csat_n if self.csat_n else None

    @property
    def csat_mean(self) -> float | None:
        return self.csat_sum / self.csat_n if self.csat_n else None

    @property
    def nps(self) -> float | None:
        return 100.0 * (self.promoters - self.detractors) / self.nps_n if self.nps_n else None

    @property
    def ces_mean(self) -> float | None:
        return self.ces_sum / self.ces_n if self.ces_n else None

    def add(self, other: Scores) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("response_rate", "csat_percent", "csat_mean", "nps", "ces_mean"):
            value = getattr(self, name)
            data[name] = round(value, 4) if value is not None else None
        return data


@dataclass
class Report:
    since: datetime
    until: datetime
    total: Scores = field(default_factory=Scores)
    by_channel: dict[str, Scores] = field(default_factory=dict)
    by_day: dict[str, Scores] = field(default_factory=dict)
    surveys: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "total": self.total.as_dict(),
            "by_channel": {k: v.as_dict() for k, v in sorted(self.by_channel.items())},
            "by_day": {k: v.as_dict() for k, v in sorted(self.by_day.items())},
            "surveys": self.surveys,
        }


def _score(kind: str) -> Any:
    return func.max(case((col(Answer.kind) == kind, col(Answer.score)), else_=None))


def build_report(session: Session, since: datetime, until: datetime, *, with_surveys: bool = False) -> Report:
    """Aggregate the surveys sent in ``[since, until)``; ``with_surveys`` lists each one too."""
    per_survey = (
        select(
            col(Survey.id).label("id"),
            col(Survey.channel).label("channel"),
            func.date(Survey.sent_at).label("day"),
            sql_cast(col(Survey.escalated), Integer).label("escalated"),
            _score("csat").label("csat"),
            _score("nps").label("nps"),
            _score("ces").label("ces"),
            func.count(col(Answer.id)).label("answers"),
        )
        .select_from(Survey)
        .outerjoin(Answer, col(Answer.survey_id) == col(Survey.id))
        .where(col(Survey.sent_at) >= since, col(Survey.sent_at) < until)
        .group_by(col(Survey.id))
        .subquery()
    )
    s = per_survey.c
    aggregates = [
        func.count().label("sent"),
        func.sum(case((s.answers > 0, 1), else_=0)).label("responded"),
        func.count(s.csat).label("csat_n"),
        func.sum(case((s.csat >= 4, 1), else_=0)).label("csat_satisfied"),
        func.coalesce(func.sum(s.csat), 0).label("csat_sum"),
        func.count(s.nps).label("nps_n"),
        func.sum(case((s.nps >= 9, 1), else_=0)).label("promoters"),
        func.sum(case((s.nps <= 6, 1), else_=0)).label("detractors"),
        func.count(s.ces).label("ces_n"),
        func.coalesce(func.sum(s.ces), 0).label("ces_sum"),
        func.sum(s.escalated).label("dsat"),
    ]
    report = Report(since, until)
    for row in session.execute(select(s.channel, s.day, *aggregates).group_by(s.channel, s.day)).mappings():
        scores = Scores(**{k: int(row[k] or 0) for k in Scores.__dataclass_fields__})
        report.total.add(scores)
        report.by_channel.setdefault(row["channel"], Scores()).add(scores)
        report.by_day.setdefault(str(row["day"]), Scores()).add(scores)
    if with_surveys:
        report.surveys = _survey_rows(session, since, until)
    return report


def _survey_rows(session: Session, since: datetime, until: datetime) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Survey, Identity, Customer)
        .join(Identity, col(Identity.id) == Survey.identity_id)
        .join(Customer, col(Customer.id) == Survey.customer_id)
        .where(col(Survey.sent_at) >= since, col(Survey.sent_at) < until)
        .order_by(col(Survey.sent_at))
    ).all()
    ids = [survey.id for survey, _, _ in rows]
    answers: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        for answer in session.exec(
            select(Answer).where(col(Answer.survey_id).in_(ids[start : start + 500]))
        ).all():
            entry = {"step": answer.step, "kind": answer.kind}
            for key in ("score", "option", "text"):
                if (value := getattr(answer, key)) is not None:
                    entry[key] = value
            answers.setdefault(answer.survey_id, []).append(entry)
    return [
        {
            "id": survey.id,
            "flow": survey.flow_id,
            "channel": survey.channel,
            "customer": {
                "id": customer.id,
                "name": customer.display_name or identity.user,
                "user": identity.user,
            },
            "sent_at": survey.sent_at.isoformat() if survey.sent_at else None,
            "status": survey.status,
            "escalated": survey.escalated,
            "answers": answers.get(survey.id, []),
        }
        for survey, identity, customer in rows
    ]
