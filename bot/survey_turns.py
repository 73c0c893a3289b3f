"""Running a survey: one engine event and its effects, inside the caller's transaction.

:func:`survey_turn` feeds an event (a reply, a timer) to the pure engine (:func:`bot.engine.advance`)
and carries out what it decided: answers recorded, timers set, the ticket opened, prompts queued.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.engine import advance
from bot.flow import Flow
from bot.messages import ChoicePicked, Command, InboundMessage, Reachability, Resume, Text, Unsupported
from bot.notices import follow_up_line
from bot.outbound import send_prompt
from bot.planning import outside_window
from bot.prompts import End, Prompt, Say
from bot.records import Identity, Survey
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings
from bot.support import CustomerTurn, hand_on
from bot.survey import (
    CompleteSurvey,
    Escalate,
    Event,
    Expire,
    HandOn,
    RecordAnswer,
    Reply,
    ReviseAnswer,
    Schedule,
    Start,
    SurveyState,
)
from bot.tickets import escalate
from bot.triggers import outside_quiet_hours, throttled

REMIND_TIMER, EXPIRE_TIMER = "remind", "expire"
SURVEY_TIMERS = (REMIND_TIMER, EXPIRE_TIMER)
"""The timers of a survey out (subject: its id); ``send`` (``bot.landing.SEND_TIMER``) sends it."""


@dataclass
class Outcome:
    """What a survey turn did: the replies handed on as support messages (and the conversation the
    last went to), whether triage already answered one of them (``told``), whether it answered
    the survey, and the reasons to escalate it."""

    handed_on: list[str] = field(default_factory=list)
    conversation_id: int | None = None
    answered: bool = False
    told: bool = False
    escalate: list[str] = field(default_factory=list)


def message_text(msg: InboundMessage) -> str:
    """The customer's message as text for the transcript."""
    payload = msg.payload
    match payload:
        case Text(text=text, attached=attached):
            return f"[{attached}] {text}" if attached else text  # "[photo] the box came crushed"
        case Command(name=name, argument=argument):
            return f"/{name} {argument}".strip()
        case Unsupported(kind=kind):
            return f"[{kind}]"
        case ChoicePicked(label=label, value=value):
            return label or value
        case Resume():
            return "[asked to see the question again]"
        case Reachability(reachable=reachable):
            return "[can receive messages again]" if reachable else "[can no longer receive messages]"


def survey_turn(
    repo: Repository,
    settings: Settings,
    survey: Survey,
    identity: Identity,
    event: Event,
    now: datetime,
    turn: CustomerTurn | None = None,
) -> Outcome:
    """Run the engine for one survey event and carry out its effects.

    ``turn`` is the customer's message when the event is their reply: one that is not an answer is
    handed on as a support message (:func:`bot.support.hand_on`) before the bot's prompts are
    written, so the customer's message comes before the bot's answer to it.
    """
    flow = repo.load_flow(survey.flow_version)
    transition = advance(flow, survey.state, event, now)
    handed = any(isinstance(e, HandOn) for e in transition.effects)
    if turn is not None and isinstance(event, Reply) and not handed:
        _store_reply(repo, survey, identity, event, transition.effects, turn)
    outcome = _apply(repo, settings, survey, identity, transition.effects, now, turn)
    repo.save_survey(survey.id, transition.state, now, sent=isinstance(event, Start))
    state = transition.state
    if outcome.escalate or (outcome.answered and state.escalated):
        conversation = repo.get_conversation(survey.conversation_id)
        if outcome.escalate:
            escalate(repo, settings, conversation, outcome.escalate, now, survey_id=survey.id)
        elif repo.open_ticket_for(conversation.id) is not None:
            escalate(repo, settings, conversation, [], now, survey_id=survey.id)
    _say(repo, settings, survey, identity, flow, transition.prompts, state, outcome, now)
    return outcome


def _store_reply(
    repo: Repository,
    survey: Survey,
    identity: Identity,
    reply: Reply,
    effects: tuple[object, ...],
    turn: CustomerTurn,
) -> None:
    """The customer's answer, in the transcript (a reply that is not one is handed on instead)."""
    repo.add_message_later(
        identity_id=identity.id,
        conversation_id=survey.conversation_id,
        direction="in",
        author="customer",
        text=message_text(turn.msg),
        at=turn.now,
        payload=_recorded(survey.id, effects),
        platform_id=turn.msg.platform_id,
        survey_id=survey.id,
        classification=reply.classification,
    )


def _apply(
    repo: Repository,
    settings: Settings,
    survey: Survey,
    identity: Identity,
    effects: tuple[object, ...],
    now: datetime,
    turn: CustomerTurn | None,
) -> Outcome:
    """Carry out the engine's effects (all of them, here); escalation is left to the caller."""
    outcome = Outcome()
    for effect in effects:
        match effect:
            case RecordAnswer(answer=answer):
                outcome.answered = repo.record_answer(survey.id, answer, now) or outcome.answered
            case ReviseAnswer(answer=answer):
                repo.revise_answer(survey.id, answer, now)
                outcome.answered = True
            case Schedule(kind=kind, due_at=due_at):
                due = _remind_at(settings, identity, due_at, now) if kind == REMIND_TIMER else due_at
                if due is not None:
                    repo.schedule(kind, survey.id, due, now)
            case CompleteSurvey():
                repo.cancel_timers(survey.id, SURVEY_TIMERS)
            case Escalate(reasons=reasons):
                outcome.escalate.extend(reasons)
            case HandOn(text=text):
                outcome.handed_on.append(text)
                if turn is not None:
                    outcome.conversation_id, told = hand_on(repo, settings, identity, text, turn)
                    outcome.told = outcome.told or told
    return outcome


def _say(
    repo: Repository,
    settings: Settings,
    survey: Survey,
    identity: Identity,
    flow: Flow,
    prompts: Sequence[Prompt],
    state: SurveyState,
    outcome: Outcome,
    now: datetime,
) -> None:
    """Queue the bot's side of the turn: "passed on to our support team" for a reply handed on
    (unless triage said more), then the engine's prompts."""
    locale, conversation_id = state.locale, survey.conversation_id
    if outcome.handed_on and not outcome.told:
        text = flow.text("handed_on", locale)
        send_prompt(repo, identity, conversation_id, Say(text), now, survey_id=survey.id, locale=locale)
    for prompt in prompts:
        if isinstance(prompt, End) and state.escalated:
            prompt = _what_next(repo, settings, conversation_id, prompt, locale)
        send_prompt(repo, identity, conversation_id, prompt, now, survey_id=survey.id, locale=locale)


def _recorded(survey_id: str, effects: tuple[object, ...]) -> dict[str, Any] | None:
    """What a tap or typed reply was recorded as (the web chat marks that button)."""
    for effect in effects:
        if isinstance(effect, RecordAnswer) and effect.answer.kind != "text":
            answer = effect.answer
            value = answer.option if answer.score is None else str(answer.score)
            return {"survey": survey_id, "step": answer.step, "value": value}
    return None


def _what_next(repo: Repository, settings: Settings, conversation_id: int, end: End, locale: str) -> Prompt:
    """The closing line of a survey that went to a person, saying that a person will follow up."""
    ticket = repo.open_ticket_for(conversation_id)
    if ticket is None or not settings.config.tickets.keep_customer_posted:
        return end
    line = follow_up_line(repo, settings, ticket, locale)
    return End(end.survey, f"{end.text}\n{line}" if end.text else line)


def send_survey(
    repo: Repository, settings: Settings, survey: Survey, identity: Identity, now: datetime
) -> str:
    if survey.state.status != "pending":
        return f"survey {survey.id} already {survey.state.status}"
    unreachable = identity.unreachable  # blocked the bot or unsubscribed since it was planned
    if unreachable is not None:
        repo.save_survey(survey.id, survey.state.evolve(status="expired"), now, skip_reason=unreachable)
        return f"survey {survey.id} skipped: {unreachable}"
    flow = repo.load_flow(survey.flow_version)
    if now >= survey.due_at + flow.expire_after:
        survey_turn(repo, settings, survey, identity, Expire(), now)
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
    survey_turn(repo, settings, survey, identity, Start(), now)
    if main:
        repo.mark_surveyed(survey.customer_id, now)
    return f"sent survey {survey.id}"


def _remind_at(settings: Settings, identity: Identity, due: datetime, now: datetime) -> datetime | None:
    """When to remind: outside quiet hours and inside the messaging window (``None``: not at all)."""
    config = settings.config
    due = outside_quiet_hours(due, config.surveying.quiet_hours, config.timezone)
    return _remind_in_window(settings.windows.get(identity.channel), identity, due, now)


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
