"""Writing what the bot says and escalates into the outbox, inside the current transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.prompts import Prompt, prompt_text, prompt_to_dict
from bot.records import Conversation, Identity, Ticket
from bot.repository import Repository
from bot.settings import Settings


def recipient_of(identity: Identity, locale: str = "") -> dict[str, Any]:
    """The outbox recipient for an identity (JSON-ready)."""
    return {
        "channel": identity.channel,
        "account": identity.account,
        "user": identity.user,
        "locale": locale or identity.locale,
        # Platforms with a messaging window (WhatsApp 24 h, WeChat 48 h) count from the last inbound.
        "last_inbound_at": identity.last_inbound_at.isoformat() if identity.last_inbound_at else None,
    }


def send_prompt(
    repo: Repository,
    identity: Identity,
    conversation_id: int | None,
    prompt: Prompt,
    at: datetime,
    *,
    author: str = "bot",
    survey_id: str | None = None,
    locale: str = "",
) -> int:
    """Store an outgoing message and queue its delivery; returns the message id."""
    body = prompt_to_dict(prompt)
    message_id = repo.add_message(
        identity_id=identity.id,
        conversation_id=conversation_id,
        direction="out",
        author=author,
        text=prompt_text(prompt),
        at=at,
        payload=body,
        survey_id=survey_id,
    )
    repo.enqueue(
        "message",
        identity.channel,
        recipient_of(identity, locale),
        {"prompt": body},
        at=at,
        message_id=message_id,
    )
    return message_id


def escalate(
    repo: Repository,
    settings: Settings,
    conversation: Conversation,
    reasons: list[str],
    at: datetime,
    *,
    survey_id: str | None = None,
) -> Ticket:
    """Open a ticket for the conversation, or add the reasons to the one already open.

    When the team has a ``webhook_url`` the ticket is queued for a JSON POST there.
    """
    config = settings.config
    transcript = repo.transcript(conversation.id)
    answers = repo.survey_answers(survey_id) if survey_id else []
    ticket = repo.open_ticket_for(conversation.id)
    if ticket is not None:
        merged = list(ticket.reasons) + [r for r in reasons if r not in ticket.reasons]
        ticket = repo.update_ticket(
            ticket.id,
            at,
            reasons=merged,
            transcript=transcript,
            answers=answers or list(ticket.answers),
            survey_id=ticket.survey_id or survey_id,
        )
        event = "ticket.updated"
    else:
        team_name = config.dsat.team
        team = config.teams[team_name]
        ticket = repo.open_ticket(
            conversation=conversation,
            survey_id=survey_id,
            team=team_name,
            reasons=reasons,
            transcript=transcript,
            answers=answers,
            sla_due_at=at + team.sla,
            at=at,
        )
        event = "ticket.opened"
    team_spec = config.teams.get(ticket.team)
    if team_spec is not None and team_spec.webhook_url is not None:
        repo.enqueue("webhook", "", {"url": str(team_spec.webhook_url)}, ticket_json(ticket, event), at=at)
    return ticket


def ticket_json(ticket: Ticket, event: str) -> dict[str, Any]:
    """The JSON document a team webhook receives."""
    return {
        "event": event,
        "ticket": {
            "id": ticket.id,
            "status": ticket.status,
            "team": ticket.team,
            "customer_id": ticket.customer_id,
            "conversation_id": ticket.conversation_id,
            "survey_id": ticket.survey_id,
            "reasons": list(ticket.reasons),
            "created_at": ticket.created_at.isoformat() if ticket.created_at else None,
            "sla_due_at": ticket.sla_due_at.isoformat() if ticket.sla_due_at else None,
            "answers": list(ticket.answers),
            "transcript": list(ticket.transcript),
        },
    }
