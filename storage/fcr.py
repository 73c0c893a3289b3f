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

from sqlmodel import Session, col, select

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
    intent = select(Survey.intent).where(
        col(Survey.conversation_id) == col(Conversation.id), col(Survey.kind) == "main"
    )
    resolved = select(Conversation.customer_id).where(
        col(Conversation.resolved_at) >= since, col(Conversation.resolved_at) < until
    )
    query = (
        select(Conversation, intent.scalar_subquery().label("intent"))
        .where(
            col(Conversation.customer_id).in_(resolved),
            col(Conversation.opened_at) < until + window,
        )
        .order_by(col(Conversation.customer_id), col(Conversation.opened_at))
    )
    result = OperationalFcr(window)
    rows = session.execute(query).all()
    for i, (conversation, topic) in enumerate(rows):
        done = conversation.resolved_at
        if done is None or not since <= done < until or not _matches(conversation, topic, filters):
            continue
        result.n += 1
        for later, later_topic in rows[i + 1 :]:
            if later.customer_id != conversation.customer_id or later.opened_at > done + window:
                break
            if later.opened_at > done and (topic is None or later_topic is None or topic == later_topic):
                result.repeated += 1
                break
    return result


def _matches(conversation: Conversation, intent: str | None, filters: Mapping[str, str]) -> bool:
    for key, value in filters.items():
        if key == "agent":
            if (value == NONE and conversation.agents) or (
                value != NONE and value not in conversation.agents
            ):
                return False
            continue
        have = {"channel": conversation.channel, "team": conversation.team, "intent": intent}[key]
        if (have is None and value != NONE) or (have is not None and have != value):
            return False
    return True


__all__ = ["OperationalFcr", "ReportFilterError", "operational_fcr"]
