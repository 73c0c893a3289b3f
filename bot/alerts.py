"""Ticket alerts to support teams, written in the transaction that changed the ticket.

:func:`announce` queues one outbox row per target that gets the event (kind ``notify``; the
``teams.<id>.webhook_url`` of old gets a ``webhook`` row), so an alert is sent if and only if the
change committed. The SLA is watched with a timer of kind ``sla`` per ticket: when it fires on a
ticket still open, ``sla.breached`` goes out, and again every ``notifications.sla.renotify_every``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.config.durations import format_duration
from bot.config.schema import Config
from bot.errors import ERASED_CUSTOMER, NotFoundError
from bot.masking import mask
from bot.notifications import (
    SLA_BREACHED,
    make_notice,
    next_alert,
    sla_watched,
    subscribers,
    team_webhook,
    ticket_document,
)
from bot.ports import NotifyTarget, WebhookAddress
from bot.records import Ticket
from bot.repository import Repository

NOTIFY = "notify"
"""Outbox kind of a notification; its recipient is ``{"target": <name in notifications.targets>}``."""
SLA_TIMER = "sla"
"""Timer kind that watches one ticket's SLA; the subject is the ticket id."""


def announce(
    repo: Repository,
    config: Config,
    ticket: Ticket,
    event: str,
    at: datetime,
    *,
    actor: str,
    overdue: timedelta | None = None,
) -> int:
    """Queue ``event`` about ``ticket`` for every target that gets it; returns how many rows."""
    targets = subscribers(config, ticket.team, event)
    url = team_webhook(config, ticket.team)
    if not targets and url is None:
        return 0
    conversation = repo.get_conversation(ticket.conversation_id)
    # Locked: an erasure starting meanwhile waits, then empties these rows (else sent after it)
    identity = repo.get_identity(conversation.identity_id, lock=True)
    notice = make_notice(
        config,
        ticket,
        event,
        at,
        actor=actor,
        customer=identity.display_name or identity.user,
        channel=conversation.channel,
        overdue=overdue,
    )
    document = ticket_document(ticket, notice)
    if config.masking:  # also what was stored before masking was switched on
        document = masked_document(document, config.masking)
        notice = replace(notice, reasons=tuple(mask(r, config.masking) for r in notice.reasons))
    for name, target in targets:
        body = {"notice": notice.to_dict()}
        if target.kind == "webhook":
            body["document"] = document
        repo.enqueue(NOTIFY, target.kind, NotifyTarget(name), body, at=at)
    if url is not None:
        repo.enqueue("webhook", "", WebhookAddress(url), document, at=at)
    return len(targets) + (url is not None)


def masked_document(document: dict[str, Any], kinds: Collection[str]) -> dict[str, Any]:
    """The ticket document with the customer's words (transcript, answers, reasons) masked."""
    ticket = dict(document["ticket"])
    ticket["transcript"] = [m | {"text": mask(str(m.get("text", "")), kinds)} for m in ticket["transcript"]]
    ticket["answers"] = [
        a | {"text": mask(str(a["text"]), kinds)} if a.get("text") else a for a in ticket["answers"]
    ]
    ticket["reasons"] = [mask(r, kinds) for r in ticket["reasons"]]
    return document | {"ticket": ticket}


def watch_sla(repo: Repository, config: Config, ticket: Ticket, at: datetime) -> None:
    """Set the ticket's SLA timer, when anyone hears about the team's breaches."""
    if ticket.sla_due_at is not None and sla_watched(config, ticket.team):
        repo.schedule(SLA_TIMER, str(ticket.id), ticket.sla_due_at, at)


def unwatch_sla(repo: Repository, ticket_id: int) -> None:
    """The ticket is done: no more breach alerts."""
    repo.cancel_timer(SLA_TIMER, str(ticket_id))


def fire_sla(repo: Repository, config: Config, timer_id: int, subject: str, now: datetime) -> str:
    """Carry out a due SLA timer: announce the breach and set the next reminder; returns what happened."""
    if not repo.take_timer(timer_id, now):
        return "already done"
    try:
        ticket = repo.get_ticket(int(subject))
        # The customer first, then the ticket: an erasure holds them in that order (and writes the
        # ticket), so the other way round the two deadlocked.
        identity = repo.get_identity(repo.get_conversation(ticket.conversation_id).identity_id, lock=True)
        ticket = repo.get_ticket(ticket.id, lock=True)
    except (NotFoundError, ValueError):
        return f"SLA of ticket {subject}: ticket gone"
    if identity.unreachable == ERASED_CUSTOMER:  # nobody left to answer: no breach to chase, no reminder
        return f"SLA of ticket {ticket.id}: the customer was erased; no alert"
    if not ticket.is_open or ticket.sla_due_at is None:
        return f"SLA of ticket {ticket.id}: ticket {ticket.status}"
    due = ticket.sla_due_at
    if due > now:  # the SLA moved later since the timer was set
        repo.schedule(SLA_TIMER, subject, due, now)
        return f"SLA of ticket {ticket.id}: due at {due:%Y-%m-%d %H:%M} UTC"
    overdue = now - due
    told = announce(repo, config, ticket, SLA_BREACHED, now, actor="sla", overdue=overdue)
    detail = f"overdue by {format_duration(overdue)}; {told} target(s) told"
    repo.ticket_event(ticket.id, "sla", "sla_breached", detail, now)
    again = next_alert(due, now, config.notifications.sla.renotify_every)
    if again is not None:
        repo.schedule(SLA_TIMER, subject, again, now)
    return f"ticket {ticket.id} {detail}"
