"""Closing the loop: after a DSAT ticket is resolved, ask the customer again ("Is it solved now?").

The re-survey is an ordinary survey of kind ``followup`` on the same conversation: the same timers
send, remind and expire it, and the same engine and channel run it. It is not throttled (the
customer was just surveyed) and does not count as the customer's latest survey for the throttle.

It cannot loop: only a ticket opened by the conversation's *main* survey gets one, and a
conversation holds at most one follow-up (``uq_survey_conversation_kind``). A follow-up that comes
back unhappy opens a ticket again (the customer still needs help), but resolving that one asks
nothing more.
"""

from __future__ import annotations

from datetime import datetime

from bot.attribution import ticket_credit
from bot.errors import NotFoundError
from bot.planning import open_survey, plan_survey
from bot.records import Ticket
from bot.repository import Repository
from bot.settings import Settings

FOLLOWUP = "followup"


def schedule_resurvey(
    repo: Repository, settings: Settings, ticket: Ticket, agent: str, at: datetime, new_survey_id: str
) -> str | None:
    """Create and time the re-survey for a ticket ``agent`` just resolved; returns its id, or
    ``None`` when re-surveys are off or this ticket gets none."""
    config = settings.config
    policy = config.tickets.resurvey
    if policy is None or not new_survey_id or ticket.survey_id is None:
        return None
    try:
        origin = repo.get_survey(ticket.survey_id)
    except NotFoundError:
        return None
    if origin.kind != "main" or repo.survey_for_conversation(ticket.conversation_id, FOLLOWUP) is not None:
        return None
    conversation = repo.get_conversation(ticket.conversation_id)
    identity = repo.get_identity(conversation.identity_id)
    # Not throttled: the customer was just surveyed, and this one asks about the ticket's outcome.
    plan = plan_survey(repo, settings, conversation, identity, at, delay=policy.delay, throttle=False)
    survey = open_survey(
        repo,
        conversation,
        settings.flows[policy.flow],
        plan,
        at,
        new_survey_id,
        credit=ticket_credit(ticket, agent),
        kind=FOLLOWUP,
        ticket_id=ticket.id,
    )
    repo.cancel_timer("remind", origin.id)  # no nagging about the first survey once help has come
    outcome = plan.skip_reason or f"due {plan.due:%Y-%m-%d %H:%M} UTC"
    repo.ticket_event(ticket.id, "bot", "resurvey", f"survey {survey.id} {outcome}", at)
    return survey.id
