"""The units of work of the conversation service. Each runs inside ONE transaction.

They are synchronous and get everything (settings, time, classification, new ids) as arguments,
so a turn either happens completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import confirmation
from bot.classification import Classification
from bot.errors import NotFoundError
from bot.landing import conversation_for
from bot.links import link_digest
from bot.locales import pick_locale, written_locale
from bot.messages import ChoicePicked, Command, InboundMessage, Resume, Text, Unsupported
from bot.outbound import send_prompt
from bot.prompts import Say
from bot.records import Identity
from bot.repository import Repository
from bot.resolution import Resolution, ResolveResult, resolve, resolve_idle
from bot.settings import Settings
from bot.survey import (
    Event,
    Expire,
    Remind,
    Reply,
    SurveyState,
)
from bot.survey_turns import message_text, send_survey, survey_turn
from bot.tickets import escalate
from bot.triage import decide, no_action
from bot.waiting import IDLE_TIMER, customer_wrote, support_answered

TRIAGE_TIMER = "triage"
"""Timer kind of a message stored while the triage model was not ready; it expires at ``nlu.queue_for``."""


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What one inbound message did."""

    duplicate: bool = False
    conversation_id: int | None = None
    survey_id: str | None = None
    answered: bool = False
    handed_on: bool = False


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
    config = settings.config
    payload = msg.payload
    # The language the customer writes in; when their words show none, the platform's.
    locale = (written_locale(payload.text) if isinstance(payload, Text) else "") or msg.locale
    identity = repo.identity(
        msg.channel, msg.account, msg.user, display_name=msg.display_name, locale=locale, at=now
    )
    # A deep link (t.me/<bot>?start=<token>) attaches this chat to a customer we already know.
    if (
        isinstance(payload, Command)
        and payload.name == "start"
        and payload.argument
        and repo.link_identity(identity.id, link_digest(payload.argument), now) is not None
    ):
        identity = repo.get_identity(identity.id)
    if isinstance(payload, ChoicePicked) and (auto := repo.get_auto_answer(payload.survey)) is not None:
        answered = confirmation.tapped(
            repo, settings, identity, auto, payload.value, payload.label, now, new_survey_id, msg.platform_id
        )
        return TurnResult(conversation_id=auto.conversation_id, answered=answered)
    if isinstance(payload, Text):
        confirmed = confirmation.typed(
            repo, settings, identity, payload.text, classification, now, new_survey_id, msg.platform_id
        )
        if confirmed is not None:
            return TurnResult(conversation_id=confirmed, answered=True)
    survey = repo.active_survey(identity.id)
    if survey is not None and isinstance(payload, Text | ChoicePicked | Unsupported | Resume):
        conversation_id = survey.conversation_id

        def hand_on(text: str) -> bool:
            nonlocal conversation_id
            conversation_id, message_id = _support_message(
                repo, settings, identity, text, now, msg, classification
            )
            _triage_message(
                repo, settings, identity, conversation_id, message_id, classification, now, new_survey_id,
                during_survey=True, queue=queue_triage,
            )  # fmt: skip
            # Triage already answered it (an automatic answer, "a person will reply here")?
            return bool(repo.transcript(conversation_id)[-1]["direction"] == "out")

        reply = Reply(payload, classification)
        outcome = survey_turn(repo, settings, survey, identity, reply, now, msg, hand_on=hand_on)
        return TurnResult(
            conversation_id=conversation_id,
            survey_id=survey.id,
            answered=outcome.answered,
            handed_on=bool(outcome.handed_on),
        )
    if isinstance(payload, ChoicePicked | Resume):
        return TurnResult()  # a tap on a survey that is over: nothing changes
    conversation_id, message_id = _support_message(
        repo, settings, identity, message_text(msg), now, msg, classification
    )
    if isinstance(payload, Text):
        _triage_message(
            repo, settings, identity, conversation_id, message_id, classification, now, new_survey_id,
            during_survey=False, queue=queue_triage,
        )  # fmt: skip
    if isinstance(payload, Command) and payload.name == "start":
        locale = pick_locale(identity.locale, config.locales, config.default_locale)
        send_prompt(
            repo, identity, conversation_id, Say(settings.text("welcome", locale)), now, locale=locale
        )
        support_answered(repo, settings, conversation_id, now)
    return TurnResult(conversation_id=conversation_id)


def _triage_message(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    conversation_id: int,
    message_id: int,
    classification: Classification | None,
    now: datetime,
    new_survey_id: str,
    *,
    during_survey: bool,
    queue: bool,
) -> None:
    """A typed support message: it may settle a pending automatic answer; then triage acts on it."""
    if classification is None and queue:
        _queue_triage(repo, settings, message_id, now, during_survey=during_survey)
    if not confirmation.implied(
        repo,
        settings,
        identity,
        conversation_id,
        classification,
        now,
        new_survey_id,
        during_survey=during_survey,
    ):
        repo.note_triage(message_id, 'taken as the customer\'s answer to "Did this solve it?"')
        return
    apply_triage(
        repo, settings, identity, conversation_id, classification, now, new_survey_id, during_survey,
        message_id=message_id,
    )  # fmt: skip


def _queue_triage(
    repo: Repository, settings: Settings, message_id: int, now: datetime, *, during_survey: bool
) -> None:
    wait = settings.config.nlu.queue_for
    if wait is not None and settings.config.triage:
        subject = f"{message_id}/survey" if during_survey else str(message_id)
        repo.schedule(TRIAGE_TIMER, subject, now + wait, now)


def apply_triage(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    conversation_id: int,
    verdict: Classification | None,
    now: datetime,
    new_survey_id: str,
    during_survey: bool,
    *,
    answer: bool = True,
    message_id: int | None = None,
) -> None:
    """Carry out the triage rule that matches the message's classification, if any.

    An automatic answer asks whether it helped (:mod:`bot.confirmation`), as ``new_survey_id``.
    ``answer=False`` holds back automatic answers (an agent already wrote to the customer). What
    triage did, and why, is noted on the message ``message_id`` for agents.
    """
    config = settings.config
    if verdict is None or not config.triage:
        return
    decision = decide(config.triage, verdict, config.nlu.threshold, during_survey=during_survey)
    held_back = decision is not None and decision.rule.action == "auto_answer" and not answer
    if message_id is not None:
        if decision is None:
            repo.note_triage(message_id, no_action(verdict))
        else:
            repo.note_triage(
                message_id, ("held back, an agent replied: " if held_back else "") + decision.summary
            )
    if decision is None or held_back:
        return
    rule = decision.rule
    if rule.action == "auto_answer" and rule.reply is not None:
        confirmation.ask(
            repo, settings, identity, conversation_id, decision, verdict, now, new_survey_id,
            message_id=message_id,
        )  # fmt: skip
        return
    conversation = repo.get_conversation(conversation_id)
    escalate(
        repo,
        settings,
        conversation,
        [decision.reason],
        now,
        by="triage",
        team=rule.team,
        priority=rule.priority,
    )


def _support_message(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    text: str,
    now: datetime,
    msg: InboundMessage,
    classification: Classification | None,
) -> tuple[int, int]:
    """Store a customer message in the conversation it belongs to (:mod:`bot.landing`); it is now
    the support side's turn. Returns the conversation's id and the message's."""
    conversation = conversation_for(repo, settings, identity, now)
    message_id = repo.add_message(
        identity_id=identity.id,
        conversation_id=conversation.id,
        direction="in",
        author="customer",
        text=text,
        at=now,
        platform_id=msg.platform_id,
        classification=classification,
    )
    customer_wrote(repo, conversation.id, now)
    ticket = repo.open_ticket_for(conversation.id)
    if ticket is not None:  # the agents working the ticket see the customer's reply on it
        repo.update_ticket(ticket.id, now, transcript=repo.transcript(conversation.id))
        repo.ticket_event(ticket.id, "customer", "customer_wrote", text[:200], now)
    return conversation.id, message_id


def agent_reply(
    repo: Repository,
    settings: Settings,
    conversation_id: int,
    agent: str,
    text: str,
    now: datetime,
) -> int:
    """Queue a support agent's message to the customer, in the conversation's channel.

    Raises :class:`WindowClosedError` when the channel's messaging window is closed, rather than
    queueing a message the platform would refuse. The conversation now waits on the customer.
    """
    # Locked: two agents replying at once must both end up in ``agents`` (who surveys credit).
    conversation = repo.get_conversation(conversation_id, lock=True)
    identity = repo.get_identity(conversation.identity_id)
    window = settings.windows.get(conversation.channel)
    refusal = window.refusal(conversation.channel, identity.last_inbound_at, now) if window else None
    if refusal is not None:
        raise refusal
    message_id = send_prompt(repo, identity, conversation.id, Say(text), now, author=f"agent:{agent}")
    if agent not in conversation.agents:
        repo.update_conversation(conversation.id, agents=[*conversation.agents, agent])
    if conversation.status == "open":
        support_answered(repo, settings, conversation.id, now)
    return message_id


def fire_timer(
    repo: Repository,
    settings: Settings,
    timer_id: int,
    kind: str,
    subject: str,
    now: datetime,
    new_survey_id: str,
) -> str:
    """Carry out one due timer; returns what happened, for the log."""
    if not repo.take_timer(timer_id):
        return "already done"
    if kind == IDLE_TIMER:
        return resolve_idle(repo, settings, int(subject), now, new_survey_id)
    if kind == confirmation.CONFIRM_TIMER:
        return confirmation.silence(repo, settings, subject, now, new_survey_id)
    if kind == TRIAGE_TIMER:
        return f"message {subject.split('/')[0]} left untriaged: the model was not ready in time"
    try:
        survey = repo.get_survey(subject, lock=True)
    except NotFoundError:
        return "survey gone"
    identity = repo.get_identity(survey.identity_id)
    if kind == "send":
        return send_survey(repo, settings, survey, identity, now)
    event: Event = Remind() if kind == "remind" else Expire()
    survey_turn(repo, settings, survey, identity, event, now)
    return f"{kind} survey {survey.id}"


__all__ = [
    "Resolution",
    "ResolveResult",
    "SurveyState",
    "TurnResult",
    "agent_reply",
    "fire_timer",
    "inbound",
    "resolve",
]
