"""When a customer first saw a survey (``Survey.opened_at``): the "opened" step of the funnel.

Only channels that say so record it: a WhatsApp ``read`` status for a message of the survey (matched
by the platform id stored on its outbox row, or the outbox id echoed back), and the web chat page
fetching a survey message to show it. Telegram and WeChat never report reads (see
:data:`storage.funnel.READ_CHANNELS`). The first sighting wins; later ones change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from models import Message, Outbox, Survey


def mark_opened(session: Session, survey_ids: Collection[str], at: datetime) -> int:
    """Record ``at`` as when each of ``survey_ids`` not marked yet was opened; how many were."""
    if not survey_ids:
        return 0
    result = session.execute(
        update(Survey)
        .where(col(Survey.id).in_(sorted(survey_ids)), col(Survey.opened_at).is_(None))
        .values(opened_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def unopened(session: Session, survey_ids: Collection[str]) -> list[str]:
    """Those of ``survey_ids`` with no ``opened_at`` yet (a read, so the common case writes nothing)."""
    if not survey_ids:
        return []
    query = select(Survey.id).where(col(Survey.id).in_(sorted(survey_ids)), col(Survey.opened_at).is_(None))
    return list(session.exec(query).all())


def read_on_platform(
    session: Session, channel: str, platform_id: str, outbox_id: int | None, at: datetime
) -> int:
    """The customer read the message ``channel`` knows as ``platform_id`` (or our outbox row
    ``outbox_id``, when the platform echoed it): the survey it belongs to was opened at ``at``."""
    sent_as = col(Outbox.platform_id) == platform_id
    query = (
        select(Message.survey_id)
        .join(Outbox, col(Outbox.message_id) == col(Message.id))
        .where(
            Outbox.channel == channel,
            or_(sent_as, col(Outbox.id) == outbox_id) if outbox_id is not None else sent_as,
            col(Message.survey_id).is_not(None),
        )
    )
    return mark_opened(session, {sid for sid in session.exec(query).all() if sid}, at)


def read_receipt(channel: str, platform_id: str, outbox_id: int | None, at: datetime) -> Callable[[Any], int]:
    """:func:`read_on_platform` as a unit of work for ``Store.run`` (the SQL repository's session)."""
    return lambda repo: read_on_platform(repo.session, channel, platform_id, outbox_id, at)


def seen(survey_ids: Collection[str], at: datetime) -> Callable[[Any], int]:
    """:func:`mark_opened` as a unit of work for ``Store.run``."""
    return lambda repo: mark_opened(repo.session, survey_ids, at)


__all__ = ["mark_opened", "read_on_platform", "read_receipt", "seen", "unopened"]
