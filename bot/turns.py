"""The units of work of the conversation service. Each runs inside ONE transaction.

They are synchronous and get everything (settings, time, classification, new ids) as arguments,
so a turn either happens completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import confirmation
from bot.classification import Classification
from bot.engine import tap_is_open
from bot.errors import UnreachableError
from bot.links import link_digest
from bot.locales import pick_locale, written_locale
from bot.messages import ChoicePicked, Command, InboundMessage, Reachability, Resume, Text, Unsupported
from bot.outbound import send_prompt
from bot.prompts import Say
from bot.reachability import reachability_turn
from bot.records import AutoAnswer, DueTimer, Identity, Survey
from bot.repository import Repository
from bot.resolution import Resolution, ResolveResult, resolve
from bot.settings import Settings
from bot.support import TRIAGE_TIMER, CustomerTurn, apply_triage, support_message, triage_message
from bot.survey import Reply, SurveyState
from bot.survey_turns import message_text, survey_turn
from bot.timers import Firing, fire
from bot.waiting import support_answered

SURVEY_REPLIES = (Text, ChoicePicked, Unsupported, Resume)
"""What an open survey takes as a reply (anything but a command)."""


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What one inbound message did."""

    duplicate: bool = False
    conversation_id: int | None = None
    survey_id: str | None = None
    answered: bool = False
    handed_on: bool = False
    stale: bool = False
    """A tap on a question that is no longer open (answered, maybe in another tab, or its survey
    over): nothing was stored; the client should show what is current."""


def inbound(
    repo: Repository,
    settings: Settings,
    msg: InboundMessage,
    now: datetime,
    classification: Classification | None = None,
    new_survey_id: str = "",
    *,
    queue_triage: bool = False,
) -> TurnResult:
    """Handle one customer message: dedupe, an answer to "Did this solve it?", a survey reply or a
    support message, then triage.

    ``new_survey_id`` names what this turn may create: the survey of a conversation it resolves, or
    the automatic answer it sends.
    ``queue_triage``: the model is not ready yet, so a typed message waits for it (see ``bot.backlog``).
    """
    if not repo.claim_receipt(msg.channel, msg.account, msg.platform_id, now):
        return TurnResult(duplicate=True)
    if isinstance(msg.payload, Reachability):  # blocked or unblocked: not a message, no reply
        reachability_turn(repo, msg, msg.payload, now)
        return TurnResult()
    turn = CustomerTurn(msg, now, classification, new_survey_id, queue_triage)
    identity = _arrived(repo, turn)
    payload = msg.payload
    survey = repo.active_survey(identity.id) if isinstance(payload, ChoicePicked) else None
    confirmed = _auto_answer_reply(repo, settings, identity, survey, turn)
    if confirmed is not None:
        return confirmed
    if isinstance(payload, SURVEY_REPLIES):
        survey = survey if isinstance(payload, ChoicePicked) else repo.active_survey(identity.id)
        if isinstance(payload, ChoicePicked) and (survey is None or not tap_is_open(survey.state, payload)):
            return TurnResult(stale=True)  # a late tap: nothing changes (not even the transcript)
        if survey is not None:
            return _survey_reply(repo, settings, survey, identity, turn)
    if isinstance(payload, Resume):
        return TurnResult()  # asked to see a question of a survey that is over: nothing changes
    return _support_turn(repo, settings, identity, turn)


def _auto_answer_reply(
    repo: Repository, settings: Settings, identity: Identity, survey: Survey | None, turn: CustomerTurn
) -> TurnResult | None:
    """The message answers an automatic answer's "Did this solve it?" (a tap, or typed words):
    what came of it; ``None`` when it is something else. ``survey``: the open survey, for a tap."""
    payload = turn.msg.payload
    if isinstance(payload, ChoicePicked):
        # The usual tap is on the open survey's question; any other may be on an automatic answer.
        auto = repo.get_auto_answer(payload.survey) if survey is None or survey.id != payload.survey else None
        return _tapped(repo, settings, identity, auto, payload, turn) if auto is not None else None
    if isinstance(payload, Text):
        confirmed = confirmation.typed(
            repo,
            settings,
            identity,
            payload.text,
            turn.classification,
            turn.now,
            turn.new_survey_id,
            turn.msg.platform_id,
        )
        if confirmed is not None:
            return TurnResult(conversation_id=confirmed, answered=True)
    return None


def _arrived(repo: Repository, turn: CustomerTurn) -> Identity:
    """The sender's identity, noted as just heard from (a deep link may attach it to a customer)."""
    msg, payload = turn.msg, turn.msg.payload
    # The language the customer writes in; when their words show none, the platform's.
    locale = (written_locale(payload.text) if isinstance(payload, Text) else "") or msg.locale
    identity = repo.identity(
        msg.channel, msg.account, msg.user, display_name=msg.display_name, locale=locale, at=turn.now
    )
    # A deep link (t.me/<bot>?start=<token>) attaches this chat to a customer we already know.
    if (
        isinstance(payload, Command)
        and payload.name == "start"
        and payload.argument
        and repo.link_identity(identity.id, link_digest(payload.argument), turn.now) is not None
    ):
        identity = repo.get_identity(identity.id)
    return identity


def _tapped(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    auto: AutoAnswer,
    tap: ChoicePicked,
    turn: CustomerTurn,
) -> TurnResult:
    """A tap under an automatic answer's "Did this solve it?"."""
    answered = confirmation.tapped(
        repo,
        settings,
        identity,
        auto,
        tap.value,
        tap.label,
        turn.now,
        turn.new_survey_id,
        turn.msg.platform_id,
    )
    # One that changed nothing (settled already, in another tab) is a late tap like a survey's.
    return TurnResult(conversation_id=auto.conversation_id, answered=answered, stale=not answered)


def _survey_reply(
    repo: Repository, settings: Settings, survey: Survey, identity: Identity, turn: CustomerTurn
) -> TurnResult:
    reply = Reply(turn.msg.payload, turn.classification)  # type: ignore[arg-type]
    outcome = survey_turn(repo, settings, survey, identity, reply, turn.now, turn)
    return TurnResult(
        conversation_id=outcome.conversation_id or survey.conversation_id,
        survey_id=survey.id,
        answered=outcome.answered,
        handed_on=bool(outcome.handed_on),
    )


def _support_turn(repo: Repository, settings: Settings, identity: Identity, turn: CustomerTurn) -> TurnResult:
    """A message outside any survey: stored, triaged if typed, welcomed if ``/start``."""
    payload, now = turn.msg.payload, turn.now
    text = message_text(turn.msg)
    conversation_id, message_id = support_message(repo, settings, identity, text, turn)
    if isinstance(payload, Text):
        triage_message(
            repo, settings, identity, (conversation_id, message_id), text, turn, during_survey=False
        )
    if isinstance(payload, Command) and payload.name == "start":
        config = settings.config
        locale = pick_locale(identity.locale, config.locales, config.default_locale)
        welcome = Say(settings.text("welcome", locale))
        send_prompt(repo, identity, conversation_id, welcome, now, locale=locale)
        support_answered(repo, settings, conversation_id, now)
    return TurnResult(conversation_id=conversation_id)


def agent_reply(
    repo: Repository,
    settings: Settings,
    conversation_id: int,
    agent: str,
    text: str,
    now: datetime,
) -> int:
    """Queue a support agent's message to the customer, in the conversation's channel.

    Raises :class:`WindowClosedError` when the channel's messaging window is closed, and
    :class:`UnreachableError` when the customer blocked the bot or unsubscribed, rather than
    queueing a message the platform would refuse. The conversation now waits on the customer.
    """
    # Locked: two agents replying at once must both end up in ``agents`` (who surveys credit).
    conversation = repo.get_conversation(conversation_id, lock=True)
    identity = repo.get_identity(conversation.identity_id, lock=True)  # after an erasure in progress
    if identity.unreachable is not None:
        raise UnreachableError(conversation.channel, identity.unreachable)
    window = settings.windows.get(conversation.channel)
    refusal = window.refusal(conversation.channel, identity.last_inbound_at, now) if window else None
    if refusal is not None:
        raise refusal
    message_id = send_prompt(repo, identity, conversation.id, Say(text), now, author=f"agent:{agent}")
    confirmation.taken_over(repo, conversation.id, now)
    if agent not in conversation.agents:
        repo.update_conversation(conversation.id, agents=[*conversation.agents, agent])
    if conversation.status == "open":
        support_answered(repo, settings, conversation.id, now)
    return message_id


def fire_timer(
    repo: Repository, settings: Settings, timer: DueTimer, now: datetime, new_survey_id: str
) -> str:
    """Carry out one due timer (:data:`bot.timers.TIMER_KINDS`); returns what happened, for the log."""
    return fire(Firing(repo, settings, timer, now, new_survey_id))


__all__ = [
    "TRIAGE_TIMER",
    "Resolution",
    "ResolveResult",
    "SurveyState",
    "TurnResult",
    "agent_reply",
    "apply_triage",
    "fire_timer",
    "inbound",
    "resolve",
]
