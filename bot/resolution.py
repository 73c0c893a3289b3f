"""Ending a conversation: resolving it (by an agent, the bot or the idle timer) and scheduling the
survey its trigger asks for. Each function runs inside one transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from bot.attribution import credit
from bot.config.schema import Trigger
from bot.errors import NotFoundError
from bot.experiments import Arm, arm_for
from bot.planning import SurveyPlan, open_survey, plan_survey
from bot.records import Conversation, Identity, Survey
from bot.repository import Repository
from bot.settings import Settings
from bot.triggers import pick_trigger
from bot.waiting import IDLE_TIMER, waits_on_support

Resolution = Literal["agent_resolved", "idle", "bot_resolved"]


@dataclass(frozen=True, slots=True)
class ResolveResult:
    conversation_id: int
    already_resolved: bool = False
    survey_id: str | None = None
    survey_due_at: datetime | None = None
    skip_reason: str | None = None
    wait_reason: str | None = None
    """Why the survey goes out later than the trigger's delay (quiet hours, the messaging window)."""

    def as_json(self) -> dict[str, Any]:
        """This result as JSON values (kept to answer a repeated request: no customer words)."""
        due = self.survey_due_at.isoformat() if self.survey_due_at is not None else None
        return {**asdict(self), "survey_due_at": due}

    @classmethod
    def from_json(cls, kept: dict[str, Any]) -> ResolveResult:
        """The result :meth:`as_json` kept."""
        due = kept.get("survey_due_at")
        return cls(**{**kept, "survey_due_at": datetime.fromisoformat(due) if due else None})


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
    require_reply: bool = False,
) -> ResolveResult:
    """End a conversation and schedule the survey its trigger asks for (idempotent).

    ``send_now`` skips the trigger's delay and quiet hours (an agent asked for it explicitly).
    No survey goes out when the conversation already had one (it was reopened), nor, when the
    trigger has ``require_reply`` (or ``require_reply`` is given), when nobody answered the customer.
    """
    conversation = repo.get_conversation(conversation_id, lock=True)
    if conversation.status != "open":
        return _already_resolved(repo, conversation.id)
    repo.update_conversation(
        conversation.id, status="resolved", resolution=how, resolved_by=by, resolved_at=now
    )
    repo.cancel_timer(IDLE_TIMER, str(conversation.id))
    trigger = pick_trigger(settings.config.triggers, how, conversation.channel)
    if trigger is None:
        return ResolveResult(conversation.id, skip_reason=f"no trigger for {how} on {conversation.channel}")
    earlier = repo.survey_for_conversation(conversation.id)
    identity = repo.get_identity(conversation.identity_id)
    arm = arm_for(trigger, conversation.customer_id)  # an experiment's variant: its flow and delay
    ending = _Ending(repo, settings, conversation, identity, trigger, arm, now, send_now)
    if earlier is not None:
        return _after_reopening(ending, earlier)
    if (trigger.require_reply or require_reply) and not repo.support_replied(conversation.id):
        return ResolveResult(
            conversation.id, skip_reason="nobody from support answered the customer in this conversation"
        )
    return _open(ending, how, by, new_survey_id)


@dataclass(frozen=True, slots=True)
class _Ending:
    """What the survey steps of :func:`resolve` share once the conversation is resolved."""

    repo: Repository
    settings: Settings
    conversation: Conversation
    identity: Identity
    trigger: Trigger
    arm: Arm | None
    now: datetime
    send_now: bool

    def plan(self) -> SurveyPlan:
        """When (and whether) the survey goes out, with the arm's delay when there is an arm."""
        delay = self.arm.delay if self.arm is not None else self.trigger.delay
        return plan_survey(
            self.repo,
            self.settings,
            self.conversation,
            self.identity,
            self.now,
            delay=delay,
            send_now=self.send_now,
        )


def _already_resolved(repo: Repository, conversation_id: int) -> ResolveResult:
    """Resolving again changes nothing: the result names the survey the first resolution opened."""
    existing = repo.survey_for_conversation(conversation_id)
    return ResolveResult(
        conversation_id,
        already_resolved=True,
        survey_id=existing.id if existing else None,
        survey_due_at=existing.due_at if existing else None,
    )


def _after_reopening(ending: _Ending, earlier: Survey) -> ResolveResult:
    """The conversation was reopened after it had a survey: one survey per conversation."""
    conversation_id = ending.conversation.id
    if earlier.sent_at is not None or earlier.state.status != "pending":
        return ResolveResult(
            conversation_id,
            survey_id=earlier.id,
            skip_reason=f"already surveyed (survey {earlier.id}) before the conversation was reopened",
        )
    # Reopened before its survey went out: the survey goes out as planned now.
    repo, plan = ending.repo, ending.plan()
    if plan.skip_reason is not None:
        repo.save_survey(
            earlier.id, earlier.state.evolve(status="expired"), ending.now, skip_reason=plan.skip_reason
        )
    else:
        repo.reschedule_survey(earlier.id, plan.due)
        repo.schedule("send", earlier.id, plan.due, ending.now)
    return _planned(conversation_id, earlier.id, plan)


def _open(ending: _Ending, how: Resolution, by: str, new_survey_id: str) -> ResolveResult:
    """Open the conversation's survey, credited to who resolved it, in the arm's flow if any."""
    repo, conversation, arm = ending.repo, ending.conversation, ending.arm
    plan = ending.plan()
    transcript, ticket = repo.transcript(conversation.id), repo.open_ticket_for(conversation.id)
    survey = open_survey(
        repo,
        conversation,
        ending.settings.flows[arm.survey if arm is not None else ending.trigger.survey],
        plan,
        ending.now,
        new_survey_id,
        credit=credit(ending.settings.config, conversation, how, by, transcript, ticket),
    )
    if arm is not None:
        repo.record_variant(survey.id, arm.experiment, arm.variant)
    return _planned(conversation.id, survey.id, plan)


def _planned(conversation_id: int, survey_id: str, plan: SurveyPlan) -> ResolveResult:
    return ResolveResult(
        conversation_id,
        survey_id=survey_id,
        survey_due_at=plan.due,
        skip_reason=plan.skip_reason,
        wait_reason=plan.wait_reason,
    )


def resolve_idle(
    repo: Repository, settings: Settings, conversation_id: int, now: datetime, new_survey_id: str
) -> str:
    """The idle timer fired: end the conversation if it still waits on the customer and is quiet."""
    try:
        conversation: Conversation = repo.get_conversation(conversation_id, lock=True)
    except NotFoundError:
        return "conversation gone"
    idle = settings.config.conversations.idle_resolve_after
    if conversation.status != "open" or idle is None:
        return f"conversation {conversation_id} not open"
    waiting = waits_on_support(repo, conversation)
    if waiting is not None:
        return f"conversation {conversation_id} not idle: {waiting}"
    if conversation.last_message_at + idle > now:
        repo.schedule(IDLE_TIMER, str(conversation_id), conversation.last_message_at + idle, now)
        return f"conversation {conversation_id} active again"
    # Only a conversation someone answered gets a survey (a greeting alone is not help).
    result = resolve(repo, settings, conversation_id, "idle", "idle", now, new_survey_id, require_reply=True)
    return f"conversation {conversation_id} resolved after being idle; {survey_outcome(result, now)}"


def survey_outcome(result: ResolveResult, now: datetime) -> str:
    """What happens to the survey of a resolved conversation, in words: due when, or why not."""
    if result.skip_reason is not None:
        return f"no survey: {result.skip_reason}"
    if result.survey_due_at is None:
        return "no survey"
    minutes = max(0, round((result.survey_due_at - now).total_seconds() / 60))
    due = f"survey {result.survey_id} due in {minutes} min"
    return f"{due} ({result.wait_reason})" if result.wait_reason else due
