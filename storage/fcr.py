"""Operational first-contact resolution: conversations resolved once, with no repeat contact.

A conversation resolved in ``[since, until)`` counts as resolved at first contact when the same
customer opens no other conversation within ``window`` after it was resolved on the same intent
(a conversation without a known intent matches any). It rests on every resolved conversation, not
only the surveyed ones, so it sits beside the FCR customers answer (:attr:`Scores.fcr_rate`).
Not seen: a resolved conversation reopened in place (``conversations.reopen_within``) keeps its id
and its latest resolution, so it counts once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlmodel import Session, col

from models import Conversation, Survey
from storage.report_scope import NONE, ReportFilterError

FILTERS = ("channel", "team", "intent", "agent")


@dataclass
class OperationalFcr:
    """Resolved conversations (``n``) and those with a repeat contact within ``window``."""

    window: timedelta
    n: int = 0
    repeated: int = 0

    @property
    def rate(self) -> float | None:
        return (self.n - self.repeated) / self.n if self.n else None

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        rate = self.rate
        return {
            "window_hours": self.window.total_seconds() / 3600,
            "resolved": self.n,
            "repeated": self.repeated,
            "rate": round(rate, 4) if rate is not None else None,
            "n": self.n,
            "few_answers": self.n < min_answers,
        }


def operational_fcr(
    session: Session,
    since: datetime,
    until: datetime,
    window: timedelta,
    filters: Mapping[str, str] | None = None,
) -> OperationalFcr:
    """The operational FCR of conversations resolved in ``[since, until)`` (``filters``: channel,
    team, intent, agent; others are ignored, as they say nothing about a conversation)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS}
    result = OperationalFcr(window)
    # Sorted here: ORDER BY customer would lead SQLite to walk the customer index over every row.
    found = session.execute(_candidates(since, until, window)).all()
    rows = sorted((_Row(**row._mapping) for row in found), key=_by_customer_then_time)
    for i, row in enumerate(rows):
        done = row.resolved_at
        if done is None or not since <= done < until or not _matches(row, filters):
            continue
        result.n += 1
        result.repeated += _repeated(row, done, rows, i + 1, window)
    return result


def _candidates(
    since: datetime, until: datetime, window: timedelta
) -> Select[int, datetime, datetime | None, str, str | None, list[str], str | None]:
    """The conversations that can count, as :class:`_Row` columns.

    Only what can count: the conversations resolved in the range, and those opened from its start
    to a window after its end (the repeat contacts), not each customer's whole history."""
    return (
        select(
            col(Conversation.customer_id),
            col(Conversation.opened_at),
            col(Conversation.resolved_at),
            col(Conversation.channel),
            col(Conversation.team),
            col(Conversation.agents),
            col(Survey.intent),
        )
        .outerjoin(
            Survey, (col(Survey.conversation_id) == col(Conversation.id)) & (col(Survey.kind) == "main")
        )
        .where(
            or_(
                (col(Conversation.resolved_at) >= since) & (col(Conversation.resolved_at) < until),
                (col(Conversation.opened_at) >= since) & (col(Conversation.opened_at) < until + window),
            )
        )
    )


def _repeated(row: _Row, done: datetime, rows: list[_Row], start: int, window: timedelta) -> bool:
    """Whether the customer came back on the same intent within ``window`` of ``done``: the rows
    after ``start`` are theirs, by opening time, until another customer's begin (walked by index:
    a slice would copy the rest of the list for every conversation)."""
    for j in range(start, len(rows)):
        later = rows[j]
        if later.customer_id != row.customer_id or later.opened_at > done + window:
            return False
        if later.opened_at > done and (
            row.intent is None or later.intent is None or row.intent == later.intent
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Row:
    """A conversation as :func:`_candidates` reads it, built by keyword from the row's columns."""

    customer_id: int
    opened_at: datetime
    resolved_at: datetime | None
    channel: str
    team: str | None
    agents: list[str]
    intent: str | None


def _by_customer_then_time(row: _Row) -> tuple[int, datetime]:
    return row.customer_id, row.opened_at


def _matches(conversation: _Row, filters: Mapping[str, str]) -> bool:
    for key, value in filters.items():
        if key == "agent":
            if (value == NONE and conversation.agents) or (
                value != NONE and value not in conversation.agents
            ):
                return False
            continue
        have = {"channel": conversation.channel, "team": conversation.team, "intent": conversation.intent}[
            key
        ]
        if (have is None and value != NONE) or (have is not None and have != value):
            return False
    return True


__all__ = ["OperationalFcr", "ReportFilterError", "operational_fcr"]
