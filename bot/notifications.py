"""Which targets hear about a ticket event, and what they are told (pure: no I/O).

A :class:`Notice` is the neutral content of one notification: the ticket's id, team, priority,
reasons, score, customer, SLA due time and a link to its console page. Adapters in
``adapters/notify`` render it for each platform; a webhook target also gets the whole ticket as the
document :func:`ticket_document` builds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from bot.config.notifications import NotificationTarget
from bot.config.schema import Config
from bot.records import OPEN_TICKET_STATUSES, Ticket

SLA_BREACHED = "sla.breached"


@dataclass(frozen=True, slots=True)
class Notice:
    """What happened to a ticket, in words any platform can show."""

    event: str
    ticket_id: int
    team: str
    team_name: str
    status: str
    priority: str
    reasons: tuple[str, ...]
    customer: str
    channel: str
    link: str
    at: datetime
    actor: str
    timezone: str = "UTC"
    assignee: str | None = None
    score: int | None = None
    intent: str | None = None
    sla_due_at: datetime | None = None
    overdue: timedelta | None = None
    """How long past its SLA the ticket is (``sla.breached`` only)."""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TICKET_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (for the outbox)."""
        data = asdict(self)
        data["reasons"] = list(self.reasons)
        for key in ("at", "sla_due_at"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        data["overdue"] = self.overdue.total_seconds() if self.overdue is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notice:
        """The notice :meth:`to_dict` wrote; ``KeyError``/``TypeError``/``ValueError`` if it is not one."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["reasons"] = tuple(values.get("reasons", ()))
        values["at"] = datetime.fromisoformat(values["at"])
        due = values.get("sla_due_at")
        values["sla_due_at"] = datetime.fromisoformat(due) if due else None
        overdue = values.get("overdue")
        values["overdue"] = timedelta(seconds=float(overdue)) if overdue is not None else None
        return cls(**values)


def subscribers(config: Config, team: str, event: str) -> list[tuple[str, NotificationTarget]]:
    """The enabled targets that get ``event`` for a ticket of ``team``, in config order."""
    return [
        (name, target)
        for name, target in config.notifications.enabled()
        if target.covers(team) and target.subscribed(event)
    ]


def team_webhook(config: Config, team: str) -> str | None:
    """``teams.<team>.webhook_url``: gets every event as plain JSON (the unsigned webhook of old)."""
    spec = config.teams.get(team)
    return str(spec.webhook_url) if spec is not None and spec.webhook_url is not None else None


def sla_watched(config: Config, team: str) -> bool:
    """Whether anyone hears about the team's SLA breaches (else no SLA timer is set)."""
    return bool(subscribers(config, team, SLA_BREACHED)) or team_webhook(config, team) is not None


def make_notice(
    config: Config,
    ticket: Ticket,
    event: str,
    at: datetime,
    *,
    actor: str,
    customer: str,
    channel: str,
    overdue: timedelta | None = None,
) -> Notice:
    """The notice of ``event`` for ``ticket`` (as it is after the event)."""
    spec = config.teams.get(ticket.team)
    return Notice(
        event=event,
        ticket_id=ticket.id,
        team=ticket.team,
        team_name=(spec.name if spec is not None else "") or ticket.team,
        status=ticket.status,
        priority=ticket.priority,
        reasons=ticket.reasons,
        customer=customer,
        channel=channel,
        link=config.notifications.link(ticket.id),
        at=at,
        actor=actor,
        timezone=config.timezone,
        assignee=ticket.assignee,
        score=ticket.score,
        intent=ticket.intent,
        sla_due_at=ticket.sla_due_at,
        overdue=overdue,
    )


def ticket_json(ticket: Ticket, event: str) -> dict[str, Any]:
    """The JSON document a team webhook receives."""
    return {
        "event": event,
        "ticket": {
            "id": ticket.id,
            "status": ticket.status,
            "team": ticket.team,
            "priority": ticket.priority,
            "assignee": ticket.assignee,
            "intent": ticket.intent,
            "sentiment": ticket.sentiment,
            "customer_id": ticket.customer_id,
            "conversation_id": ticket.conversation_id,
            "survey_id": ticket.survey_id,
            "reasons": list(ticket.reasons),
            "created_at": ticket.created_at.isoformat() if ticket.created_at else None,
            "sla_due_at": ticket.sla_due_at.isoformat() if ticket.sla_due_at else None,
            "answers": [a.as_json() for a in ticket.answers],
            "transcript": [m.as_json() for m in ticket.transcript],
        },
    }


def ticket_document(ticket: Ticket, notice: Notice) -> dict[str, Any]:
    """What a webhook target receives: :func:`ticket_json` plus who did it, when, and the links."""
    document = ticket_json(ticket, notice.event)
    document["at"] = notice.at.isoformat()
    document["actor"] = notice.actor
    if notice.overdue is not None:
        document["overdue_seconds"] = int(notice.overdue.total_seconds())
    document["ticket"].update(
        resolved_at=ticket.resolved_at.isoformat() if ticket.resolved_at else None,
        score=notice.score,
        customer={"name": notice.customer, "channel": notice.channel},
        link=notice.link,
    )
    return document


def next_alert(due: datetime, now: datetime, every: timedelta | None) -> datetime | None:
    """When to announce a breach again: the next ``due + k * every`` after ``now`` (never drifts)."""
    if every is None:
        return None
    periods = (now - due) // every + 1
    return due + every * max(periods, 1)
