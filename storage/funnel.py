"""The survey funnel: sent -> opened (where the channel reports it) -> first answer -> completed, per
flow and channel, with the questions customers stop at.

``partial`` surveys (answered halfway, then expired) are counted apart from ``completed`` ones: the
abandonment rate is ``partial / (completed + partial)``, of the surveys that got a first answer and
are closed. ``opened`` rests only on channels that report reads (:data:`READ_CHANNELS`, recorded by
:mod:`storage.opened`): a funnel with none of them says ``opened: null, opened_reported: false``
("not reported"), never 0, and ``opened_not_reported`` names the channels that cannot tell.
``unreached`` counts the surveys skipped, closed in the range, because the customer could not be
reached (blocked the bot, unsubscribed, or the question could not be delivered: see
:mod:`bot.reachability`): never ``sent``, so in no rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlmodel import Session, col

from bot.reachability import REASONS, UNDELIVERED, UNREACHABLE
from models import Answer, Survey
from storage.report_scope import conditions, count_where

READ_CHANNELS: tuple[str, ...] = ("whatsapp", "webchat")
"""Channels that say when the customer saw a message (WhatsApp read statuses, the web chat page)."""


@dataclass
class Stage:
    """The counts of one funnel (a flow, a channel or all surveys)."""

    sent: int = 0
    readable: int = 0
    opened: int = 0
    answered: int = 0
    completed: int = 0
    partial: int = 0
    unanswered: int = 0
    unreached: int = 0

    def add(self, other: Stage) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        closed = self.completed + self.partial
        reported = self.readable > 0 or self.sent == 0
        return asdict(self) | {
            "opened": self.opened if reported else None,
            "opened_reported": reported,
            "open_rate": share(self.opened, self.readable),
            "answer_rate": share(self.answered, self.sent),
            "completion_rate": share(self.completed, self.sent),
            "abandonment_rate": share(self.partial, closed),
            "n": {
                "open_rate": self.readable,
                "answer_rate": self.sent,
                "completion_rate": self.sent,
                "abandonment_rate": closed,
            },
            "few_answers": closed < min_answers,
        }


@dataclass
class Funnel:
    total: Stage = field(default_factory=Stage)
    by_flow: dict[str, Stage] = field(default_factory=dict)
    by_channel: dict[str, Stage] = field(default_factory=dict)
    steps: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    """Per flow, per step: ``answered`` (surveys that answered it) and ``stopped`` (partial surveys
    that were waiting on it when they expired)."""

    def drop_step(self, flow: str) -> str | None:
        """The question of ``flow`` most surveys stopped at (``None`` when none stopped)."""
        stopped = {step: c["stopped"] for step, c in self.steps.get(flow, {}).items() if c["stopped"]}
        return max(sorted(stopped), key=lambda step: stopped[step]) if stopped else None

    def as_dict(self, min_answers: int = 0) -> dict[str, Any]:
        return {
            "total": self.total.as_dict(min_answers),
            "by_flow": {k: v.as_dict(min_answers) for k, v in sorted(self.by_flow.items())},
            "by_channel": {k: v.as_dict(min_answers) for k, v in sorted(self.by_channel.items())},
            "steps": self.steps,
            "drop_step": {flow: self.drop_step(flow) for flow in sorted(self.steps)},
            "opened_not_reported": sorted(set(self.by_channel) - set(READ_CHANNELS)),
        }


def survey_funnel(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> Funnel:
    """The funnel of the main surveys sent in ``[since, until)`` matching ``filters``."""
    where = conditions(since, until, filters, tz=tz)
    funnel = Funnel()
    for row in session.execute(_stages(where)).mappings():
        stage = Stage(**{name: int(row[name]) for name in asdict(Stage()) if name != "unreached"})
        funnel.total.add(stage)
        funnel.by_flow.setdefault(row["flow_id"], Stage()).add(stage)
        funnel.by_channel.setdefault(row["channel"], Stage()).add(stage)
    answered = (
        select(col(Survey.flow_id), col(Answer.step), func.count())
        .join(Answer, col(Answer.survey_id) == col(Survey.id))
        .where(*where, col(Answer.step) != "_comment")
        .group_by(col(Survey.flow_id), col(Answer.step))
    )
    _count_steps(funnel, session.execute(answered).all(), "answered")
    stopped = (
        select(col(Survey.flow_id), col(Survey.step), func.count())
        .where(*where, col(Survey.status) == "partial", col(Survey.step).is_not(None))
        .group_by(col(Survey.flow_id), col(Survey.step))
    )
    _count_steps(funnel, session.execute(stopped).all(), "stopped")
    _count_unreached(session, funnel, conditions(since, until, filters, tz=tz, at=Survey.finished_at))
    return funnel


UNREACHED = or_(
    col(Survey.skip_reason).startswith(UNDELIVERED, autoescape=True),
    col(Survey.skip_reason).in_([*REASONS.values(), UNREACHABLE]),
)
"""A survey skipped because its customer could not be reached (:mod:`bot.reachability`)."""


def _count_unreached(session: Session, funnel: Funnel, where: list[Any]) -> None:
    """Add the surveys skipped for an unreachable customer, closed per ``where``, to ``funnel``."""
    query = (
        select(col(Survey.flow_id), col(Survey.channel), func.count())
        .where(*where, col(Survey.status) == "skipped", UNREACHED)
        .group_by(col(Survey.flow_id), col(Survey.channel))
    )
    for flow_id, channel, count in session.execute(query).all():
        stage = Stage(unreached=int(count))
        funnel.total.add(stage)
        funnel.by_flow.setdefault(flow_id, Stage()).add(stage)
        funnel.by_channel.setdefault(channel, Stage()).add(stage)


def _stages(where: list[Any]) -> Select[Any]:
    """One row per flow and channel with the :class:`Stage` counts, named as its fields."""
    status = col(Survey.status)
    return (
        select(
            col(Survey.flow_id),
            col(Survey.channel),
            func.count().label("sent"),
            count_where(col(Survey.channel).in_(READ_CHANNELS)).label("readable"),
            count_where(col(Survey.opened_at).is_not(None)).label("opened"),
            count_where(col(Survey.responded).is_(True)).label("answered"),
            count_where(status == "completed").label("completed"),
            count_where(status == "partial").label("partial"),
            count_where((status == "expired") & col(Survey.responded).is_(False)).label("unanswered"),
        )
        .where(*where)
        .group_by(col(Survey.flow_id), col(Survey.channel))
    )


def _count_steps(funnel: Funnel, rows: Sequence[Any], key: str) -> None:
    """Set ``key`` (``answered`` or ``stopped``) of each (flow, step, count) row in ``funnel.steps``."""
    for flow_id, step, count in rows:
        funnel.steps.setdefault(flow_id, {}).setdefault(step, {"answered": 0, "stopped": 0})[key] = count


__all__ = ["READ_CHANNELS", "Funnel", "Stage", "survey_funnel"]
