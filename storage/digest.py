"""Good news for staff from the database: the happy comments of a period, the claim that sends each
period's digest once, and the sending itself (outbox rows in the claiming transaction).

The claim is a ``timer`` row of kind ``digest`` whose subject is the period's key, inserted already
done: the table's unique (kind, subject) key lets exactly one process (or one tick) win it, and the
outbox rows are written in the same transaction, so a digest goes out once per period even with
several processes, and again never after a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.alerts import NOTIFY
from bot.config.schema import Config
from bot.digest import (
    DIGEST_TIMER,
    Comment,
    Digest,
    Period,
    build_digest,
    digest_targets,
    due_period,
    known_agents,
)
from bot.ports import NotifyTarget
from models import Answer, Survey, Timer
from storage.db import insert_for
from storage.report_scope import SATISFIED, conditions

LOOK_BACK = timedelta(days=30)
"""Comments are read from surveys sent this long before the period (lets the sent_at index work)."""
MOST = 2000
"""At most this many comments are ranked per period (the longest)."""


def happy_comments(
    session: Session,
    since: datetime,
    until: datetime,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> list[Comment]:
    """Comments answered in ``[since, until)`` on satisfied main surveys (with the report
    ``filters``), not negative, longest first."""
    sentiment = func.coalesce(col(Answer.sentiment), "")
    rows = session.exec(
        select(Survey, Answer.text, Answer.sentiment)
        .join(Answer, col(Answer.survey_id) == col(Survey.id))
        .where(
            *conditions(since - LOOK_BACK, until, filters, tz=tz),
            col(Answer.created_at) >= since,
            col(Answer.created_at) < until,
            col(Answer.kind) == "text",
            col(Answer.text).is_not(None),
            sentiment != "negative",
            SATISFIED,
        )
        .order_by(func.length(col(Answer.text)).desc(), col(Survey.id))
        .limit(MOST)
    ).all()
    return [
        Comment(
            survey_id=survey.id,
            conversation_id=survey.conversation_id,
            text=text,
            sentiment=answer_sentiment,
            score=_score(survey),
            agents=tuple(survey.agents),
            team=survey.team,
            channel=survey.channel,
        )
        for survey, text, answer_sentiment in rows
        if text
    ]


def _score(survey: Survey) -> str:
    for kind, value in (("CSAT", survey.csat), ("NPS", survey.nps), ("CES", survey.ces)):
        if value is not None:
            return f"{kind} {value}"
    return ""


def claim(session: Session, key: str, now: datetime) -> bool:
    """Take the period ``key`` for this transaction; ``False`` when it was already taken."""
    statement = (
        insert_for(session.get_bind().dialect.name, Timer)
        .values(kind=DIGEST_TIMER, subject=key, status="done", due_at=now, created_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "subject"])
        .returning(col(Timer.id))
    )
    return session.execute(statement).first() is not None


def sent_at(session: Session, key: str) -> datetime | None:
    """When the digest of period ``key`` was sent (``None``: not yet)."""
    return session.exec(
        select(Timer.created_at).where(Timer.kind == DIGEST_TIMER, Timer.subject == key)
    ).first()


def digest_for(
    session: Session,
    config: Config,
    period: Period,
    filters: Mapping[str, str] | None = None,
    *,
    tz: tzinfo = UTC,
) -> Digest:
    """The digest of ``period`` for the console and the API (the report ``filters`` applied)."""
    comments = happy_comments(session, period.since, period.until, filters, tz=tz)
    served = {agent for c in comments for agent in c.agents}
    return build_digest(config, period, comments, known_agents(config, served))


def send_due(repo: Any, config: Config, now: datetime) -> str | None:
    """Send the latest due period's digest to its targets unless it was sent; what happened, or
    ``None`` when nothing was due. ``repo`` is the SQL repository of a write transaction."""
    if config.digest is None:
        return None
    period = due_period(config.digest, now, config.timezone)
    session: Session = repo.session
    if sent_at(session, period.key) is not None or not claim(session, period.key, now):
        return None
    told = 0
    comments = happy_comments(session, period.since, period.until)
    known = known_agents(config, {agent for c in comments for agent in c.agents})
    for name in digest_targets(config):
        target = config.notifications.targets[name]
        digest = build_digest(config, period, comments, known, teams=target.teams)
        if digest.praises:
            repo.enqueue(NOTIFY, target.kind, NotifyTarget(name), {"digest": digest.to_dict()}, at=now)
            told += 1
    return f"digest {period.key}: {told} target(s) told"


def range_period(since: datetime, until: datetime, first: date, last: date) -> Period:
    """A console or API range as a digest period (nothing is claimed for it)."""
    return Period(f"range:{first.isoformat()}", since, until, until, first, last)
