"""Read-side queries for the support API: conversations, their transcripts and tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from bot.config.priorities import RANK
from bot.errors import NotFoundError
from bot.records import OPEN_TICKET_STATUSES
from models import Answer, Conversation, Customer, Identity, Message, Survey, Ticket, TicketEvent
from storage.repository import answer_json, message_json


def list_conversations(session: Session, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Newest first, with the customer's name and channel."""
    query = (
        select(Conversation, Identity, Customer)
        .join(Identity, col(Identity.id) == Conversation.identity_id)
        .join(Customer, col(Customer.id) == Conversation.customer_id)
        .order_by(col(Conversation.last_message_at).desc(), col(Conversation.id).desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(Conversation.status == status)
    return [_conversation_json(c, i, u) for c, i, u in session.exec(query).all()]


def customer_surveys(session: Session, customer_id: int) -> list[dict[str, Any]]:
    """The customer's surveys, oldest first: id, due time and why one is not sent."""
    rows = session.exec(
        select(Survey).where(Survey.customer_id == customer_id).order_by(col(Survey.created_at))
    ).all()
    return [{"id": r.id, "due_at": r.due_at, "skip_reason": r.skip_reason} for r in rows]


def conversation_detail(session: Session, conversation_id: int) -> dict[str, Any]:
    """One conversation with its transcript, survey, answers and ticket."""
    row = session.exec(
        select(Conversation, Identity, Customer)
        .join(Identity, col(Identity.id) == Conversation.identity_id)
        .join(Customer, col(Customer.id) == Conversation.customer_id)
        .where(Conversation.id == conversation_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no conversation with id {conversation_id}")
    data = _conversation_json(*row)
    messages = session.exec(
        select(Message).where(Message.conversation_id == conversation_id).order_by(col(Message.id))
    ).all()
    data["transcript"] = [message_json(m) for m in messages]
    surveys = session.exec(select(Survey).where(Survey.conversation_id == conversation_id)).all()
    for survey in surveys:  # the main survey, and the follow-up after its DSAT ticket if any
        answers = session.exec(
            select(Answer).where(Answer.survey_id == survey.id).order_by(col(Answer.id))
        ).all()
        key = "survey" if survey.kind == "main" else "followup"
        data[key] = survey_json(survey) | {"answers": [answer_json(a) for a in answers]}
    ticket = session.exec(select(Ticket).where(Ticket.conversation_id == conversation_id)).first()
    data["ticket"] = ticket_row_json(ticket) if ticket is not None else None
    return data


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """Which tickets a list shows. ``statuses`` keeps any of several statuses, ``overdue_at`` open ones
    past their SLA or first-response SLA at that time, ``unassigned`` those with no assignee."""

    status: str | None = None
    statuses: Sequence[str] | None = None
    team: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    channel: str | None = None
    overdue_at: datetime | None = None


def list_tickets(
    session: Session, where: TicketFilter, limit: int = 100, *, most_urgent_first: bool = False
) -> list[dict[str, Any]]:
    """Escalation tickets, newest first.

    ``most_urgent_first`` orders by priority (urgent first), then by the next due time (the
    first-response due time while no agent has replied, else the SLA due time): the console's queue.
    """
    order = [*urgency(), col(Ticket.id)] if most_urgent_first else [col(Ticket.id).desc()]
    query = _filtered(
        select(Ticket, Conversation.channel, Identity, Customer)
        .join(Conversation, col(Conversation.id) == Ticket.conversation_id)
        .join(Identity, col(Identity.id) == Conversation.identity_id)
        .join(Customer, col(Customer.id) == Ticket.customer_id),
        where,
    )
    return [
        ticket_row_json(t) | {"channel": c, "customer": {"id": u.id, "name": _customer_name(u, i)}}
        for t, c, i, u in session.exec(query.order_by(*order).limit(limit)).all()
    ]


def count_tickets(session: Session, where: TicketFilter) -> int:
    """How many tickets ``where`` keeps (the true total, whatever a page shows)."""
    query = _filtered(
        select(func.count())
        .select_from(Ticket)
        .join(Conversation, col(Conversation.id) == Ticket.conversation_id),
        where,
    )
    return int(session.exec(query).one())


def queue_stamp(session: Session) -> dict[str, Any]:
    """What changes whenever the queue does: open tickets, the newest ticket and the latest change."""
    total, latest = session.exec(
        select(func.count(), func.max(Ticket.id)).where(col(Ticket.status).in_(OPEN_TICKET_STATUSES))
    ).one()
    changed = session.exec(select(func.max(Ticket.updated_at))).one()
    newest = session.exec(select(func.max(Ticket.id))).one()
    return {
        "open": int(total),
        "latest": int(newest or 0),
        "latest_open": int(latest or 0),
        "changed": changed.isoformat() if isinstance(changed, datetime) else str(changed or ""),
    }


def urgency() -> list[Any]:
    """ORDER BY terms: priority rank, then the next due time."""
    rank = case(*((col(Ticket.priority) == p, n) for p, n in RANK.items()), else_=len(RANK))
    next_due = case(
        (
            and_(
                col(Ticket.first_responded_at).is_(None),
                col(Ticket.first_response_due_at).is_not(None),
                col(Ticket.first_response_due_at) < col(Ticket.sla_due_at),
            ),
            col(Ticket.first_response_due_at),
        ),
        else_=col(Ticket.sla_due_at),
    )
    return [rank, next_due]


def _filtered(query: Any, where: TicketFilter) -> Any:
    if where.status is not None:
        query = query.where(Ticket.status == where.status)
    if where.statuses is not None:
        query = query.where(col(Ticket.status).in_(where.statuses))
    if where.team is not None:
        query = query.where(Ticket.team == where.team)
    if where.assignee is not None:
        query = query.where(Ticket.assignee == where.assignee)
    if where.unassigned:
        query = query.where(col(Ticket.assignee).is_(None))
    if where.channel is not None:
        query = query.where(Conversation.channel == where.channel)
    if (at := where.overdue_at) is not None:
        late_reply = and_(col(Ticket.first_responded_at).is_(None), col(Ticket.first_response_due_at) < at)
        query = query.where(
            col(Ticket.status).in_(OPEN_TICKET_STATUSES), or_(col(Ticket.sla_due_at) < at, late_reply)
        )
    return query


def ticket_detail(session: Session, ticket_id: int) -> dict[str, Any]:
    """One ticket with its audit trail and every channel identity of its customer."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError(f"no ticket with id {ticket_id}")
    events = session.exec(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(col(TicketEvent.id))
    ).all()
    identities = session.exec(select(Identity).where(Identity.customer_id == ticket.customer_id)).all()
    conversation = session.get(Conversation, ticket.conversation_id)
    return ticket_row_json(ticket) | {
        "channel": conversation.channel if conversation is not None else None,
        "transcript": ticket.transcript,
        "events": [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "detail": e.detail} for e in events
        ],
        "identities": [
            {"channel": i.channel, "account": i.account, "user": i.user, "name": i.display_name}
            | reachability_json(i)
            for i in identities
        ],
    }


def survey_json(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.id,
        "kind": survey.kind,
        "flow": survey.flow_id,
        "status": survey.status,
        "channel": survey.channel,
        "escalated": survey.escalated,
        "skip_reason": survey.skip_reason,
        "due_at": survey.due_at.isoformat(),
        "sent_at": survey.sent_at.isoformat() if survey.sent_at else None,
        "opened_at": survey.opened_at.isoformat() if survey.opened_at else None,
    }


def ticket_row_json(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "status": ticket.status,
        "team": ticket.team,
        "customer_id": ticket.customer_id,
        "conversation_id": ticket.conversation_id,
        "survey_id": ticket.survey_id,
        "reasons": ticket.reasons,
        "answers": ticket.answers,
        "assignee": ticket.assignee,
        "priority": ticket.priority,
        "intent": ticket.intent,
        "sentiment": ticket.sentiment,
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
        "sla_due_at": ticket.sla_due_at.isoformat(),
        "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
        "first_response_due_at": _iso(ticket.first_response_due_at),
        "first_responded_at": _iso(ticket.first_responded_at),
        "sla_met": ticket.resolved_at <= ticket.sla_due_at if ticket.resolved_at else None,
        "first_response_met": _first_response_met(ticket),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _first_response_met(ticket: Ticket) -> bool | None:
    """Whether the first reply came in time (``None``: no first-response SLA, or no reply yet)."""
    if ticket.first_response_due_at is None or ticket.first_responded_at is None:
        return None
    return ticket.first_responded_at <= ticket.first_response_due_at


def _conversation_json(c: Conversation, i: Identity, u: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "status": c.status,
        "channel": c.channel,
        "customer": {"id": u.id, "name": _customer_name(u, i), "user": i.user, **reachability_json(i)},
        "agents": c.agents,
        "resolution": c.resolution,
        "opened_at": c.opened_at.isoformat(),
        "last_message_at": c.last_message_at.isoformat(),
        "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
    }


def reachability_json(identity: Identity) -> dict[str, Any]:
    """Why our messages cannot reach the identity (the customer blocked the bot, unsubscribed) and
    since when; both ``None`` while they can."""
    return {"unreachable": identity.unreachable, "unreachable_since": _iso(identity.unreachable_since)}


def _customer_name(customer: Customer, identity: Identity) -> str:
    return customer.display_name or identity.display_name or identity.user
