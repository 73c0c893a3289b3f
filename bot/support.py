"""A customer's message to support: stored in the conversation it belongs to, then triaged.

Used by :mod:`bot.turns` for a plain message and by :mod:`bot.survey_turns` for a survey reply that
was not an answer (handed on). Runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import confirmation
from bot.classification import Classification
from bot.landing import conversation_for
from bot.messages import InboundMessage
from bot.records import Identity
from bot.repository import Repository
from bot.settings import Settings
from bot.tickets import escalate
from bot.triage import Decision, judge
from bot.waiting import customer_wrote

TRIAGE_TIMER = "triage"
"""Timer kind of a message stored while the triage model was not ready; it expires at ``nlu.queue_for``."""


@dataclass(frozen=True, slots=True)
class CustomerTurn:
    """One inbound message being handled, and what handling it may use.

    ``new_survey_id`` names what the turn may create (the survey of a conversation it resolves, or
    the automatic answer it sends); ``queue_triage``: the model is not ready, so a typed message
    waits for it (:mod:`bot.backlog`)."""

    msg: InboundMessage
    now: datetime
    classification: Classification | None = None
    new_survey_id: str = ""
    queue_triage: bool = False


def support_message(
    repo: Repository, settings: Settings, identity: Identity, text: str, turn: CustomerTurn
) -> tuple[int, int]:
    """Store a customer message in the conversation it belongs to (:mod:`bot.landing`); it is now
    the support side's turn. Returns the conversation's id and the message's."""
    now = turn.now
    conversation = conversation_for(repo, settings, identity, now)
    message_id = repo.add_message(
        identity_id=identity.id,
        conversation_id=conversation.id,
        direction="in",
        author="customer",
        text=text,
        at=now,
        platform_id=turn.msg.platform_id,
        classification=turn.classification,
    )
    customer_wrote(repo, conversation.id, now)
    ticket = repo.open_ticket_for(conversation.id)
    if ticket is not None:  # the agents working the ticket see the customer's reply on it
        repo.update_ticket(ticket.id, now, transcript=repo.transcript(conversation.id))
        repo.ticket_event(ticket.id, "customer", "customer_wrote", text[:200], now)
    return conversation.id, message_id


def hand_on(
    repo: Repository, settings: Settings, identity: Identity, text: str, turn: CustomerTurn
) -> tuple[int, bool]:
    """A survey reply that was not an answer, stored and triaged as a support message. Returns its
    conversation and whether triage already answered it (an automatic answer, "a person will reply
    here"), so the survey need not say "passed on to our support team" too."""
    conversation_id, message_id = support_message(repo, settings, identity, text, turn)
    triage_message(repo, settings, identity, (conversation_id, message_id), text, turn, during_survey=True)
    return conversation_id, repo.transcript(conversation_id)[-1].direction == "out"


def triage_message(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    stored: tuple[int, int],
    text: str,
    turn: CustomerTurn,
    *,
    during_survey: bool,
) -> None:
    """A typed support message ``text``, ``stored`` as (conversation, message): it may settle a
    pending automatic answer; then triage acts on it."""
    (conversation_id, message_id), verdict = stored, turn.classification
    now, new_id = turn.now, turn.new_survey_id
    if verdict is None and turn.queue_triage:
        _queue_triage(repo, settings, message_id, now, during_survey=during_survey)
    if not confirmation.implied(
        repo,
        settings,
        identity,
        conversation_id,
        verdict,
        now,
        new_id,
        during_survey=during_survey,
        text=text,
    ):
        repo.note_triage(message_id, 'taken as the customer\'s answer to "Did this solve it?"')
        return
    apply_triage(
        repo, settings, identity, conversation_id, verdict, now, new_id, during_survey,
        message_id=message_id, text=text,
    )  # fmt: skip


def _note(repo: Repository, message_id: int, what: str, held_back: bool) -> None:
    """What triage did with the message, and why, for the agents."""
    repo.note_triage(message_id, ("held back, an agent replied: " if held_back else "") + what)


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
    text: str = "",
) -> None:
    """Carry out the triage rule that matches the message's classification (and its ``text``: a rule
    may set aside messages that mention a word), if any.

    An automatic answer asks whether it helped (:mod:`bot.confirmation`), as ``new_survey_id``.
    ``answer=False`` holds back automatic answers (an agent already wrote to the customer). What
    triage did, and why, is noted on the message ``message_id`` for agents.
    """
    config = settings.config
    if verdict is None or not config.triage:
        return
    judged = judge(config.triage, verdict, config.nlu.threshold, during_survey=during_survey, text=text)
    decision = judged.decision
    held_back = decision is not None and decision.rule.action == "auto_answer" and not answer
    if message_id is not None:
        _note(repo, message_id, judged.note, held_back)
    if decision is not None and not held_back:
        _carry_out(
            repo, settings, identity, conversation_id, decision, verdict, now, new_survey_id,
            message_id=message_id,
        )  # fmt: skip


def _carry_out(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    conversation_id: int,
    decision: Decision,
    verdict: Classification,
    now: datetime,
    new_survey_id: str,
    *,
    message_id: int | None,
) -> None:
    """Do what ``decision``'s rule says in the customer's conversation."""
    rule = decision.rule
    if rule.action == "auto_answer" and rule.reply is not None:
        confirmation.ask(
            repo, settings, identity, conversation_id, decision, verdict, now, new_survey_id,
            message_id=message_id,
        )  # fmt: skip
        return
    conversation = repo.get_conversation(conversation_id)
    escalate(
        repo, settings, conversation, [decision.reason], now,
        by="triage", team=rule.team, priority=rule.priority,
    )  # fmt: skip
