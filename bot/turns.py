"""The units of work of the conversation service. Each runs inside ONE transaction.

They are synchronous and get everything (settings, time, classification, new ids) as arguments,
so a turn either happens completely or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.attribution import credit
from bot.classification import Classification
from bot.engine import advance
from bot.errors import NotFoundError
from bot.links import link_digest
from bot.locales import pick_locale, written_locale
from bot.messages import ChoicePicked, Command, InboundMessage, Resume, Text, Unsupported
from bot.outbound import send_prompt
from bot.planning import open_survey, outside_window, plan_survey
from bot.prompts import Say
from bot.records import Conversation, Identity, Survey
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings
from bot.survey import (
    CompleteSurvey,
    Escalate,
    Event,
    Expire,
    HandOn,
    RecordAnswer,
    Remind,
    Reply,
    Schedule,
    Start,
    SurveyState,
)
from bot.tickets import escalate
from bot.triage import decide
from bot.triggers import outside_quiet_hours, pick_trigger, throttled

Resolution = Literal["agent_resolved", "idle", "bot_resolved"]
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


@dataclass(frozen=True, slots=True)
class ResolveResult:
    conversation_id: int
    already_resolved: bool = False
    survey_id: str | None = None
    survey_due_at: datetime | None = None
    skip_reason: str | None = None


@dataclass
class _Outcome:
    handed_on: list[str] = field(default_factory=list)
    answered: bool = False


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
    """Handle one customer message: dedupe, survey reply or support message, then triage.

    ``new_survey_id`` names the survey an automatic answer schedules (it resolves the conversation).
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
    survey = repo.active_survey(identity.id)
    if survey is not None and isinstance(payload, Text | ChoicePicked | Unsupported | Resume):
        conversation_id = survey.conversation_id

        def hand_on(text: str) -> None:
            nonlocal conversation_id
            conversation_id, message_id = _support_message(
                repo, settings, identity, text, now, msg, classification
            )
            if classification is None and queue_triage:
                _queue_triage(repo, settings, message_id, now, during_survey=True)
            apply_triage(repo, settings, identity, conversation_id, classification, now, new_survey_id, True)

        reply = Reply(payload, classification)
        outcome = _survey_turn(repo, settings, survey, identity, reply, now, msg, hand_on=hand_on)
        return TurnResult(
            conversation_id=conversation_id,
            survey_id=survey.id,
            answered=outcome.answered,
            handed_on=bool(outcome.handed_on),
        )
    if isinstance(payload, ChoicePicked | Resume):
        return TurnResult()  # a tap on a survey that is over: nothing changes
    conversation_id, message_id = _support_message(
        repo, settings, identity, _message_text(msg), now, msg, classification
    )
    if isinstance(payload, Text):
        if classification is None and queue_triage:
            _queue_triage(repo, settings, message_id, now, during_survey=False)
        apply_triage(repo, settings, identity, conversation_id, classification, now, new_survey_id, False)
    if isinstance(payload, Command) and payload.name == "start":
        locale = pick_locale(identity.locale, config.locales, config.default_locale)
        send_prompt(
            repo, identity, conversation_id, Say(settings.text("welcome", locale)), now, locale=locale
        )
    return TurnResult(conversation_id=conversation_id)


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
) -> None:
    """Carry out the triage rule that matches the message's classification, if any.

    ``answer=False`` holds back automatic answers (an agent already wrote to the customer).
    """
    config = settings.config
    if verdict is None or not config.triage:
        return
    decision = decide(config.triage, verdict, config.nlu.threshold, during_survey=during_survey)
    if decision is None:
        return
    rule = decision.rule
    if rule.action == "auto_answer" and not answer:
        return
    if rule.action == "auto_answer" and rule.reply is not None:
        locale = pick_locale(identity.locale, config.locales, config.default_locale)
        reply = Say(rule.reply.get(locale) or rule.reply[config.default_locale])
        send_prompt(repo, identity, conversation_id, reply, now, locale=locale)
        resolve(repo, settings, conversation_id, "bot_resolved", "bot", now, new_survey_id)
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


def _message_text(msg: InboundMessage) -> str:
    payload = msg.payload
    match payload:
        case Text(text=text):
            return text
        case Command(name=name, argument=argument):
            return f"/{name} {argument}".strip()
        case Unsupported(kind=kind):
            return f"[{kind}]"
        case ChoicePicked(label=label, value=value):
            return label or value
        case Resume():
            return "[asked to see the question again]"


def _support_message(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    text: str,
    now: datetime,
    msg: InboundMessage,
    classification: Classification | None,
) -> tuple[int, int]:
    """Store a customer message in the open conversation (or a new one) and re-arm the idle timer.

    Returns the conversation's id and the message's.
    """
    conversation = repo.open_conversation(identity.id) or repo.start_conversation(identity, now)
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
    repo.update_conversation(conversation.id, last_message_at=now)
    idle = settings.config.conversations.idle_resolve_after
    if idle is not None:
        repo.schedule("idle", str(conversation.id), now + idle, now)
    return conversation.id, message_id


def _survey_turn(
    repo: Repository,
    settings: Settings,
    survey: Survey,
    identity: Identity,
    event: Event,
    now: datetime,
    msg: InboundMessage | None = None,
    *,
    hand_on: Callable[[str], None] | None = None,
) -> _Outcome:
    """Run the engine for one survey event and carry out its effects.

    ``hand_on`` stores a reply that was not an answer as a support message; it runs before the bot's
    prompts are written, so the customer's message comes before the bot's answer to it.
    """
    flow = repo.load_flow(survey.flow_version)
    transition = advance(flow, survey.state, event, now)
    outcome = _Outcome()
    if msg is not None and isinstance(event, Reply):
        handed = any(isinstance(e, HandOn) for e in transition.effects)
        if not handed:
            repo.add_message(
                identity_id=identity.id,
                conversation_id=survey.conversation_id,
                direction="in",
                author="customer",
                text=_message_text(msg),
                at=now,
                platform_id=msg.platform_id,
                survey_id=survey.id,
                classification=event.classification,
            )
    quiet = settings.config.surveying.quiet_hours
    escalate_reasons: list[str] = []
    for effect in transition.effects:
        match effect:
            case RecordAnswer(answer=answer):
                outcome.answered = repo.record_answer(survey.id, answer, now) or outcome.answered
            case Schedule(kind=kind, due_at=due_at):
                if kind == "remind":
                    due_at = outside_quiet_hours(due_at, quiet, settings.config.timezone)
                    remind_at = _remind_in_window(
                        settings.windows.get(identity.channel), identity, due_at, now
                    )
                    if remind_at is None:
                        continue
                    due_at = remind_at
                repo.schedule(kind, survey.id, due_at, now)
            case CompleteSurvey():
                repo.cancel_timer("remind", survey.id)
                repo.cancel_timer("expire", survey.id)
            case Escalate(reasons=reasons):
                escalate_reasons.extend(reasons)
            case HandOn(text=text):
                outcome.handed_on.append(text)
                if hand_on is not None:
                    hand_on(text)
    repo.save_survey(survey.id, transition.state, now, sent=isinstance(event, Start))
    locale = transition.state.locale
    if outcome.handed_on:
        text = flow.text("handed_on", locale)
        send_prompt(
            repo, identity, survey.conversation_id, Say(text), now, survey_id=survey.id, locale=locale
        )
    for prompt in transition.prompts:
        send_prompt(repo, identity, survey.conversation_id, prompt, now, survey_id=survey.id, locale=locale)
    conversation = repo.get_conversation(survey.conversation_id)
    if escalate_reasons:
        escalate(repo, settings, conversation, escalate_reasons, now, survey_id=survey.id)
    elif outcome.answered and transition.state.escalated:
        ticket = repo.open_ticket_for(conversation.id)
        if ticket is not None:
            escalate(repo, settings, conversation, [], now, survey_id=survey.id)
    return outcome


def agent_reply(
    repo: Repository,
    conversation_id: int,
    agent: str,
    text: str,
    now: datetime,
    windows: Mapping[str, MessagingWindow] | None = None,
) -> int:
    """Queue a support agent's message to the customer, in the conversation's channel.

    Raises :class:`WindowClosedError` when the channel's messaging window (``windows``) is closed,
    rather than queueing a message the platform would refuse.
    """
    # Locked: two agents replying at once must both end up in ``agents`` (who surveys credit).
    conversation = repo.get_conversation(conversation_id, lock=True)
    identity = repo.get_identity(conversation.identity_id)
    window = (windows or {}).get(conversation.channel)
    refusal = window.refusal(conversation.channel, identity.last_inbound_at, now) if window else None
    if refusal is not None:
        raise refusal
    message_id = send_prompt(repo, identity, conversation.id, Say(text), now, author=f"agent:{agent}")
    changes: dict[str, object] = {"last_message_at": now}
    if agent not in conversation.agents:
        changes["agents"] = [*conversation.agents, agent]
    repo.update_conversation(conversation.id, **changes)
    return message_id


def resolve(
    repo: Repository,
    settings: Settings,
    conversation_id: int,
    how: Resolution,
    by: str,
    now: datetime,
    new_survey_id: str,
    *,
    send_now: bool = False,
) -> ResolveResult:
    """End a conversation and schedule the survey its trigger asks for (idempotent).

    ``send_now`` skips the trigger's delay and quiet hours (an agent asked for it explicitly).
    """
    conversation = repo.get_conversation(conversation_id, lock=True)
    if conversation.status != "open":
        existing = repo.survey_for_conversation(conversation.id)
        return ResolveResult(
            conversation.id,
            already_resolved=True,
            survey_id=existing.id if existing else None,
            survey_due_at=existing.due_at if existing else None,
        )
    repo.update_conversation(
        conversation.id, status="resolved", resolution=how, resolved_by=by, resolved_at=now
    )
    repo.cancel_timer("idle", str(conversation.id))
    config = settings.config
    trigger = pick_trigger(config.triggers, how, conversation.channel)
    if trigger is None:
        return ResolveResult(conversation.id, skip_reason=f"no trigger for {how} on {conversation.channel}")
    identity = repo.get_identity(conversation.identity_id)
    plan = plan_survey(repo, settings, conversation, identity, now, delay=trigger.delay, send_now=send_now)
    transcript, ticket = repo.transcript(conversation.id), repo.open_ticket_for(conversation.id)
    survey = open_survey(
        repo,
        conversation,
        settings.flows[trigger.survey],
        plan,
        now,
        new_survey_id,
        credit=credit(config, conversation, how, by, transcript, ticket),
    )
    return ResolveResult(
        conversation.id, survey_id=survey.id, survey_due_at=plan.due, skip_reason=plan.skip_reason
    )


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
    if kind == "idle":
        return _idle(repo, settings, int(subject), now, new_survey_id)
    if kind == TRIAGE_TIMER:
        return f"message {subject.split('/')[0]} left untriaged: the model was not ready in time"
    try:
        survey = repo.get_survey(subject, lock=True)
    except NotFoundError:
        return "survey gone"
    identity = repo.get_identity(survey.identity_id)
    if kind == "send":
        return _send_survey(repo, settings, survey, identity, now)
    event: Event = Remind() if kind == "remind" else Expire()
    _survey_turn(repo, settings, survey, identity, event, now)
    return f"{kind} survey {survey.id}"


def _send_survey(
    repo: Repository, settings: Settings, survey: Survey, identity: Identity, now: datetime
) -> str:
    if survey.state.status != "pending":
        return f"survey {survey.id} already {survey.state.status}"
    flow = repo.load_flow(survey.flow_version)
    if now >= survey.due_at + flow.expire_after:
        _survey_turn(repo, settings, survey, identity, Expire(), now)
        return f"survey {survey.id} expired before it could be sent"
    window = settings.windows.get(survey.channel)
    if window is not None and not window.reopenable:
        closes = window.closes_at(identity.last_inbound_at)
        if closes is None or now >= closes:
            reason = outside_window(window, survey.channel)
            repo.save_survey(survey.id, survey.state.evolve(status="expired"), now, skip_reason=reason)
            return f"survey {survey.id} {reason}"
    main = survey.kind == "main"  # a follow-up (bot.resurvey) is neither throttled nor counted
    last = repo.last_surveyed_at(survey.customer_id)
    if main and throttled(last, now, settings.config.surveying.throttle):
        repo.save_survey(
            survey.id, survey.state.evolve(status="expired"), now, skip_reason="throttled at send time"
        )
        return f"survey {survey.id} throttled"
    _survey_turn(repo, settings, survey, identity, Start(), now)
    if main:
        repo.mark_surveyed(survey.customer_id, now)
    return f"sent survey {survey.id}"


def _remind_in_window(
    window: MessagingWindow | None, identity: Identity, due: datetime, now: datetime
) -> datetime | None:
    """The reminder time moved inside the window, or ``None`` when no reminder fits in it."""
    if window is None:
        return due
    closes = window.closes_at(identity.last_inbound_at)
    if closes is None:
        return None  # a survey opened by a template outside the window: no second template
    pulled = min(due, closes - window.margin())
    # A reminder pulled to a quarter of its planned wait or less would only nag: skip it.
    return pulled if pulled - now > (due - now) / 4 else None


def _idle(
    repo: Repository, settings: Settings, conversation_id: int, now: datetime, new_survey_id: str
) -> str:
    try:
        conversation: Conversation = repo.get_conversation(conversation_id, lock=True)
    except NotFoundError:
        return "conversation gone"
    idle = settings.config.conversations.idle_resolve_after
    if conversation.status != "open" or idle is None:
        return f"conversation {conversation_id} not open"
    if conversation.last_message_at + idle > now:
        repo.schedule("idle", str(conversation_id), conversation.last_message_at + idle, now)
        return f"conversation {conversation_id} active again"
    resolve(repo, settings, conversation_id, "idle", "idle", now, new_survey_id)
    return f"conversation {conversation_id} resolved after being idle"


__all__ = ["ResolveResult", "SurveyState", "TurnResult", "agent_reply", "fire_timer", "inbound", "resolve"]
