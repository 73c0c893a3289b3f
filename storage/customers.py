"""Read side of the customer page: who they are on every channel and everything that happened."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from bot.errors import NotFoundError
from models import Conversation, Customer, Identity, Survey, Ticket
from storage.queries import reachability_json, ticket_row_json
from storage.report_scope import SATISFIED_CSAT


def customer_detail(session: Session, customer_id: int) -> dict[str, Any]:
    """The customer, their identities, conversations, main surveys (with whether the re-survey after
    their ticket recovered them) and tickets, each list oldest first."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError(f"no customer with id {customer_id}")
    identities = session.exec(
        select(Identity).where(Identity.customer_id == customer_id).order_by(col(Identity.id))
    ).all()
    conversations = session.exec(
        select(Conversation).where(Conversation.customer_id == customer_id).order_by(col(Conversation.id))
    ).all()
    surveys = session.exec(_surveys_with_recovery(customer_id)).all()
    tickets = session.exec(
        select(Ticket).where(Ticket.customer_id == customer_id).order_by(col(Ticket.id))
    ).all()
    name = customer.display_name or next((i.display_name or i.user for i in identities), "")
    return {
        "id": customer.id,
        "name": name,
        "locale": customer.locale,
        "created_at": customer.created_at.isoformat(),
        "identities": [_identity_json(i) for i in identities],
        "conversations": [_conversation_json(c) for c in conversations],
        "surveys": [
            _survey_json(survey=s, ticket_id=ticket_id, recovered_csat=recovered_csat)
            for s, ticket_id, recovered_csat in surveys
        ],
        "tickets": [ticket_row_json(t) for t in tickets],
    }


def _surveys_with_recovery(customer_id: int) -> Select[Survey, int | None, int | None]:
    """The customer's main surveys, oldest first, each with its DSAT ticket and the CSAT of the
    re-survey after that ticket (``None`` when there is none or it went unanswered)."""
    followup = aliased(Survey, name="followup")
    return (
        select(Survey, Ticket.id, followup.csat)
        .outerjoin(Ticket, col(Ticket.survey_id) == col(Survey.id))
        .outerjoin(followup, col(followup.ticket_id) == col(Ticket.id))
        .where(Survey.customer_id == customer_id, Survey.kind == "main")
        .order_by(col(Survey.created_at), col(Survey.id))
    )


def _identity_json(i: Identity) -> dict[str, Any]:
    return {
        "channel": i.channel,
        "account": i.account,
        "user": i.user,
        "name": i.display_name,
        "last_inbound_at": i.last_inbound_at.isoformat() if i.last_inbound_at else None,
        **reachability_json(i),
    }


def _conversation_json(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.id,
        "channel": c.channel,
        "status": c.status,
        "agents": list(c.agents),
        "opened_at": c.opened_at.isoformat(),
        "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
    }


def _survey_json(*, survey: Survey, ticket_id: int | None, recovered_csat: int | None) -> dict[str, Any]:
    s = survey
    return {
        "id": s.id,
        "conversation_id": s.conversation_id,
        "flow": s.flow_id,
        "channel": s.channel,
        "status": s.status,
        "sent_at": s.sent_at.isoformat() if s.sent_at else None,
        "csat": s.csat,
        "nps": s.nps,
        "ces": s.ces,
        "escalated": s.escalated,
        "ticket_id": ticket_id,
        "recovered": None if recovered_csat is None else recovered_csat >= SATISFIED_CSAT,
    }
