"""Automatic answers by intent: how many went out, how customers answered "Did this solve it?", and
the deflection rate (solved without a person). A high share of "no" tells an admin a rule is wrong.

Counted by when the answer was sent, in ``[since, until)``, optionally for one channel, locale or
intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import AutoAnswer
from storage.report_scope import ReportFilterError, count_where

OUTCOMES = ("yes", "no", "silent", "moved_on", "pending")
FILTERS = ("channel", "locale", "intent")


@dataclass
class AutoAnswerCounts:
    """One intent's (or all) automatic answers and their outcomes."""

    sent: int = 0
    yes: int = 0
    no: int = 0
    silent: int = 0
    moved_on: int = 0
    pending: int = 0

    @property
    def settled(self) -> int:
        """Answers with an outcome: what the rates rest on."""
        return self.sent - self.pending

    @property
    def deflection_rate(self) -> float | None:
        """Solved without a person: a yes, or no answer before the confirmation timed out."""
        return (self.yes + self.silent) / self.settled if self.settled else None

    @property
    def no_rate(self) -> float | None:
        """How often the customer said it did not help (a person took over)."""
        return self.no / self.settled if self.settled else None

    def add(self, other: AutoAnswerCounts) -> None:
        for name in asdict(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        rates = {"deflection_rate": self.deflection_rate, "no_rate": self.no_rate}
        return (
            asdict(self)
            | {name: round(value, 4) if value is not None else None for name, value in rates.items()}
            | {"n": {"deflection_rate": self.settled, "no_rate": self.settled}}
        )


@dataclass
class AutoAnswerReport:
    since: datetime
    until: datetime
    total: AutoAnswerCounts = field(default_factory=AutoAnswerCounts)
    by_intent: dict[str, AutoAnswerCounts] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "total": self.total.as_dict(),
            "by_intent": {k: v.as_dict() for k, v in sorted(self.by_intent.items())},
        }


def auto_answer_report(
    session: Session, since: datetime, until: datetime, filters: Mapping[str, str] | None = None
) -> AutoAnswerReport:
    """Automatic answers sent in ``[since, until)`` by intent, with their outcomes."""
    where = [col(AutoAnswer.sent_at) >= since, col(AutoAnswer.sent_at) < until]
    for name, value in (filters or {}).items():
        if name not in FILTERS:
            known = ", ".join(FILTERS)
            raise ReportFilterError(f"automatic answers cannot be filtered by '{name}' (known: {known})")
        where.append(col(getattr(AutoAnswer, name)) == value)
    counts = [count_where(col(AutoAnswer.status) == outcome).label(outcome) for outcome in OUTCOMES]
    query = (
        select(col(AutoAnswer.intent), func.count().label("sent"), *counts)
        .where(*where)
        .group_by(col(AutoAnswer.intent))
    )
    report = AutoAnswerReport(since, until)
    for row in session.execute(query).mappings():
        found = AutoAnswerCounts(**{name: int(row[name]) for name in ("sent", *OUTCOMES)})
        report.by_intent[str(row["intent"])] = found
        report.total.add(found)
    return report
