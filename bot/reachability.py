"""Customers we cannot reach: they blocked the bot or unsubscribed, or a survey's question could not
be delivered to them.

Such a customer is not one who did not answer: their open survey closes at once as ``skipped`` (reports
leave skipped surveys out of every rate, and the throttle forgets it), its timers are cancelled, the
messages queued for them fail without a platform call, and no survey is sent while they stay
unreachable. They are reachable again when they unblock the bot, subscribe again or write. Each
function runs inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine import advance
from bot.landing import SEND_TIMER
from bot.messages import InboundMessage, Reachability
from bot.records import Identity, OutboxItem
from bot.repository import Repository
from bot.survey import CLOSED, Expire, RecordAnswer
from bot.survey_turns import SURVEY_TIMERS

REASONS = {"blocked": "customer blocked the bot", "unsubscribed": "customer unsubscribed"}
"""What an identity's ``unreachable`` says, by the cause an adapter reports."""
UNREACHABLE = "customer cannot be reached"
"""The reason for a cause no adapter names yet."""
UNDELIVERED = "undelivered: "
"""How the skip reason of a survey whose question the outbox gave up on begins."""
MAX_ERROR = 160
"""The most of the platform's error a skip reason keeps."""


def reachability_turn(repo: Repository, msg: InboundMessage, change: Reachability, now: datetime) -> str:
    """The customer blocked or unblocked the bot (or unsubscribed): note it on their identity and,
    when they left, close their open survey and fail what is queued for them; what happened, in words."""
    identity = repo.find_identity(msg.channel, msg.account, msg.user)
    if identity is None:
        return "nobody we know: nothing to do"  # a chat that never wrote to us
    if change.reachable:
        repo.set_unreachable(identity.id, None, now)
        return f"identity {identity.id} reachable again"
    reason = REASONS.get(change.cause, UNREACHABLE)
    closed = leave(repo, identity, reason, now)
    return f"identity {identity.id} unreachable ({reason}); surveys closed: {', '.join(closed) or 'none'}"


def leave(repo: Repository, identity: Identity, reason: str, now: datetime) -> list[str]:
    """Mark ``identity`` unreachable for ``reason``, fail what is queued for it unsent and close
    its open survey (and those of the messages failed); the surveys closed."""
    repo.set_unreachable(identity.id, reason, now)
    surveys = set(repo.drop_queued(identity.channel, identity.account, identity.user, reason))
    active = repo.active_survey(identity.id)
    if active is not None:
        surveys.add(active.id)
    return [survey for survey in sorted(surveys) if close_unreached(repo, survey, reason, now)]


def gave_up(repo: Repository, item: OutboxItem, error: str, now: datetime, cause: str = "") -> str | None:
    """The outbox gave up on a message for good: record it, and close the survey whose question it
    carried as ``undelivered``; that survey's id, when one closed. ``cause`` (``blocked``,
    ``unsubscribed``): the platform said why, so the customer is unreachable from now on, as if its
    notice of that had come (:func:`reachability_turn`)."""
    if not repo.outbox_failed(item.id, error, None):
        return None  # the platform confirmed it meanwhile
    closed = undelivered(repo, item.id, error, now)
    if cause:
        to = item.recipient
        identity = repo.find_identity(item.channel, str(to.get("account", "")), str(to.get("user", "")))
        if identity is not None and identity.unreachable is None:
            leave(repo, identity, REASONS.get(cause, UNREACHABLE), now)
    return closed


def undelivered(repo: Repository, item_id: int, error: str, now: datetime) -> str | None:
    """Close the survey whose message outbox row ``item_id`` carried, which could not be delivered
    (``error``: the platform's words); its id, when one closed (idempotent)."""
    survey_id = repo.outbox_survey(item_id)
    if survey_id is None:
        return None
    reason = UNDELIVERED + " ".join(error.split())[:MAX_ERROR]
    return survey_id if close_unreached(repo, survey_id, reason, now) else None


def close_unreached(repo: Repository, survey_id: str, reason: str, now: datetime) -> bool:
    """Close an open survey whose customer cannot be reached: ``skipped`` for ``reason`` when nothing
    was answered, else as its expiry would (``partial``); its timers are cancelled. ``False`` when it
    was closed already."""
    survey = repo.get_survey(survey_id, lock=True)
    if survey.state.status in CLOSED:
        return False
    transition = advance(repo.load_flow(survey.flow_version), survey.state, Expire(), now)
    for effect in transition.effects:
        if isinstance(effect, RecordAnswer):  # a comment typed with a rating, kept as the expiry keeps it
            repo.record_answer(survey.id, effect.answer, now)
    state = transition.state
    skipped = state.status == "expired"
    repo.save_survey(survey.id, state, now, skip_reason=reason if skipped else None)
    repo.cancel_timers(survey.id, (SEND_TIMER, *SURVEY_TIMERS))
    if skipped and survey.kind == "main":
        repo.recount_surveyed(survey.customer_id)  # not surveyed: no throttle from this one
    return True
