"""Escalation tickets: routing, assignment and the agent actions that work a ticket to its end.

Every function runs inside one transaction (a :class:`bot.repository.Repository`) and writes the
ticket's audit trail as it goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import alerts, notices, waiting
from bot.config.schema import Config, Team
from bot.errors import ConflictError, TakenError
from bot.locales import pick_locale
from bot.outbound import send_prompt
from bot.prompts import Say
from bot.records import Conversation, SurveyAnswer, Ticket, TranscriptMessage, first_score
from bot.repository import Repository
from bot.resurvey import schedule_resurvey
from bot.settings import Settings


def route(
    config: Config, *, channel: str, locale: str, intent: str | None, score: int | None
) -> tuple[str, str]:
    """The team and priority for a new ticket: the first matching routing rule, else the DSAT team."""
    for rule in config.routing:
        when = rule.when
        if when.intents is not None and intent not in when.intents:
            continue
        if when.channels is not None and channel not in when.channels:
            continue
        if when.locales is not None and locale not in when.locales:
            continue
        if when.score_at_most is not None and (score is None or score > when.score_at_most):
            continue
        return rule.team, rule.priority
    return config.dsat.team, "normal"


def pick_assignee(repo: Repository, team_id: str, team: Team) -> str | None:
    """The agent of ``team`` who gets the next ticket, or ``None`` when the team has no members."""
    members = team.members
    if not members:
        return None
    if team.assignment == "round_robin":
        last = repo.last_assignee(team_id)
        return members[(members.index(last) + 1) % len(members)] if last in members else members[0]
    load = repo.open_tickets_by_assignee(team_id)
    return min(members, key=lambda member: (load.get(member, 0), members.index(member)))


def labels(transcript: Sequence[TranscriptMessage]) -> tuple[str | None, str | None]:
    """The intent and sentiment of the customer's latest classified message."""
    for message in reversed(transcript):
        found = message.classification
        if message.direction == "in" and found:
            return found.intent, found.sentiment
    return None, None


@dataclass(frozen=True, slots=True)
class _Escalation:
    """What one escalation brings: the conversation as it stands and the survey's answers."""

    conversation: Conversation
    reasons: list[str]
    transcript: list[TranscriptMessage]
    answers: list[SurveyAnswer]
    survey_id: str | None
    by: str
    at: datetime


def escalate(
    repo: Repository,
    settings: Settings,
    conversation: Conversation,
    reasons: list[str],
    at: datetime,
    *,
    survey_id: str | None = None,
    by: str = "bot",
    team: str | None = None,
    priority: str | None = None,
) -> Ticket:
    """Open a ticket for the conversation, or add the reasons to the one already open.

    A new ticket goes to ``team`` with ``priority`` when given, else as the config's routing rules
    say, and is assigned within the team.
    The targets in ``notifications`` that get the event are told (:mod:`bot.alerts`).
    """
    # Locked first: escalations of one conversation at once (two agents, an agent and the customer's
    # turn) must find each other's ticket, not each open one (PostgreSQL reads committed rows only).
    repo.get_conversation(conversation.id, lock=True)
    transcript = repo.transcript(conversation.id)
    answers = repo.survey_answers(survey_id) if survey_id else []
    what = _Escalation(conversation, reasons, transcript, answers, survey_id, by, at)
    ticket = repo.open_ticket_for(conversation.id)
    if ticket is not None:
        ticket, changed = _add_to(repo, ticket, what)
        event = "ticket.updated"
    else:
        ticket = _open(repo, settings, what, team=team, priority=priority)
        event, changed = "ticket.opened", True
    if changed:
        alerts.announce(repo, settings.config, ticket, event, at, actor=by)
    return ticket


def _add_to(repo: Repository, ticket: Ticket, what: _Escalation) -> tuple[Ticket, bool]:
    """Bring the open ticket up to date; whether that changed what it says (new reasons or answers)."""
    added = [r for r in what.reasons if r not in ticket.reasons]
    before = ticket.answers
    ticket = repo.update_ticket(
        ticket.id,
        what.at,
        reasons=[*ticket.reasons, *added],
        transcript=what.transcript,
        answers=what.answers or list(ticket.answers),
        survey_id=ticket.survey_id or what.survey_id,
    )
    if added:
        repo.ticket_event(ticket.id, what.by, "updated", "; ".join(added), what.at)
    return ticket, bool(added) or ticket.answers != before


def _open(
    repo: Repository, settings: Settings, what: _Escalation, *, team: str | None, priority: str | None
) -> Ticket:
    """Open a new ticket, routed, assigned and watched; tell the customer unless a survey will."""
    config, conversation, at = settings.config, what.conversation, what.at
    identity = repo.get_identity(conversation.identity_id)
    locale = pick_locale(identity.locale, config.locales, config.default_locale)
    intent, sentiment = labels(what.transcript)
    team_id, routed_priority = route(
        config, channel=conversation.channel, locale=locale, intent=intent, score=first_score(what.answers)
    )
    team_id = team or team_id
    priority = priority or routed_priority
    spec = config.teams[team_id]
    first = spec.first_response_for(priority)
    assignee = pick_assignee(repo, team_id, spec)
    ticket = repo.open_ticket(
        conversation=conversation,
        survey_id=what.survey_id,
        team=team_id,
        reasons=what.reasons,
        transcript=what.transcript,
        answers=what.answers,
        sla_due_at=at + spec.sla_for(priority),
        first_response_due_at=at + first if first is not None else None,
        at=at,
        priority=priority,
        assignee=assignee,
        intent=intent,
        sentiment=sentiment,
    )
    _opened(repo, settings, what, ticket)
    return ticket


def _opened(repo: Repository, settings: Settings, what: _Escalation, ticket: Ticket) -> None:
    """The audit trail, the SLA watch and the customer's notice of a ticket just opened."""
    repo.ticket_event(ticket.id, what.by, "opened", "; ".join(what.reasons), what.at)
    if ticket.assignee is not None:
        repo.ticket_event(ticket.id, "auto", "assigned", ticket.assignee, what.at)
    alerts.watch_sla(repo, settings.config, ticket, what.at)
    if what.survey_id is None:  # a survey says it in its closing line instead (bot.turns)
        notices.tell_escalated(repo, settings, what.conversation, ticket, what.at)


def assign(
    repo: Repository,
    ticket_id: int,
    agent: str,
    by: str,
    at: datetime,
    *,
    config: Config | None = None,
    settings: Settings | None = None,
    claim: bool = False,
    holder: str | None = None,
) -> Ticket:
    """Give the ticket to ``agent`` (a claim when ``by`` is the agent); nothing changes when it is
    theirs already (a double tap). A ``claim`` takes the ticket only from nobody or from the
    ``holder`` its caller saw (:class:`TakenError` otherwise: two agents who claim it at once do not
    both get it). With ``config`` (or ``settings``), ``ticket.assigned`` is announced; with
    ``settings`` the customer is told who took it."""
    ticket = _working(repo, ticket_id)
    if ticket.assignee == agent and ticket.status != "open":
        return ticket
    if claim and ticket.assignee not in (None, agent, holder):
        raise TakenError(ticket_id, ticket.assignee)  # the row is locked: the first claim keeps it
    changed = ticket.assignee != agent
    status = "assigned" if ticket.status == "open" else ticket.status
    ticket = repo.update_ticket(ticket_id, at, assignee=agent, status=status)
    repo.ticket_event(ticket_id, by, "claimed" if by == agent else "assigned", agent, at)
    config = settings.config if settings is not None else config
    if config is not None:
        alerts.announce(repo, config, ticket, "ticket.assigned", at, actor=by)
    if settings is not None and changed:
        notices.tell_taken(repo, settings, ticket, agent, at)
    return ticket


def note(repo: Repository, ticket_id: int, agent: str, text: str, at: datetime) -> Ticket:
    """Add an internal note (the customer never sees it)."""
    ticket = repo.get_ticket(ticket_id)
    repo.ticket_event(ticket_id, agent, "note", text, at)
    return repo.update_ticket(ticket.id, at)


def contacted(repo: Repository, ticket_id: int, agent: str, at: datetime) -> Ticket:
    """The agent replied to the customer: the ticket is ``contacted`` (and theirs if unassigned)."""
    ticket = _working(repo, ticket_id)
    ticket = repo.update_ticket(
        ticket_id,
        at,
        status="contacted",
        assignee=ticket.assignee or agent,
        first_responded_at=ticket.first_responded_at or at,
    )
    repo.ticket_event(ticket_id, agent, "replied", "", at)
    return ticket


def resolve(
    repo: Repository, settings: Settings, ticket_id: int, agent: str, at: datetime, new_survey_id: str = ""
) -> Ticket:
    """Resolve the ticket and, when configured, tell the customer in their chat (closing the loop)
    and re-survey them as ``new_survey_id`` (:mod:`bot.resurvey`)."""
    ticket = _working(repo, ticket_id)
    ticket = repo.update_ticket(
        ticket_id,
        at,
        status="resolved",
        resolved_at=at,
        assignee=ticket.assignee or agent,
        first_responded_at=ticket.first_responded_at or at,
    )
    repo.ticket_event(ticket_id, agent, "resolved", "", at)
    alerts.unwatch_sla(repo, ticket_id)
    alerts.announce(repo, settings.config, ticket, "ticket.resolved", at, actor=agent)
    policy = settings.config.tickets
    # A ticket a survey answer opened closes the feedback loop; any other one answers a request.
    message = policy.close_message if ticket.survey_id else policy.resolved_message or policy.close_message
    conversation = repo.get_conversation(ticket.conversation_id)
    if message:
        identity = repo.get_identity(conversation.identity_id)
        config = settings.config
        locale = pick_locale(identity.locale, config.locales, config.default_locale)
        text = message.get(locale) or message[config.default_locale]
        send_prompt(repo, identity, conversation.id, Say(text), at, author=f"agent:{agent}", locale=locale)
    if conversation.status == "open":  # the support side has answered: now the customer's turn
        waiting.support_answered(repo, settings, conversation.id, at)
    schedule_resurvey(repo, settings, ticket, agent, at, new_survey_id)
    return ticket


def close(
    repo: Repository, ticket_id: int, agent: str, at: datetime, *, config: Config | None = None
) -> Ticket:
    """Close a ticket for good (from any state but closed); with ``config``, announce it."""
    ticket = repo.get_ticket(ticket_id, lock=True)
    if ticket.status == "closed":
        raise ConflictError(f"ticket {ticket_id} is already closed")
    ticket = repo.update_ticket(ticket_id, at, status="closed")
    repo.ticket_event(ticket_id, agent, "closed", "", at)
    alerts.unwatch_sla(repo, ticket_id)
    if config is not None:
        alerts.announce(repo, config, ticket, "ticket.closed", at, actor=agent)
    return ticket


def _working(repo: Repository, ticket_id: int) -> Ticket:
    ticket = repo.get_ticket(ticket_id, lock=True)
    if not ticket.is_open:
        raise ConflictError(f"ticket {ticket_id} is {ticket.status}; reopen it by escalating again")
    return ticket
