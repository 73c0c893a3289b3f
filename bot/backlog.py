"""Messages that waited for the triage model: classified and acted on once it is ready.

While the model is not ready (the first start trains it), each typed customer message is stored with
a ``triage`` timer that expires at ``nlu.queue_for``. When the model is ready the service takes those
timers oldest first, classifies their messages and runs :func:`triage_late` for each, one
transaction per message; a timer taken once is never taken again, so nothing is triaged twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.classification import Classification
from bot.errors import ERASED_CUSTOMER, NotFoundError
from bot.records import DueTimer
from bot.repository import Repository
from bot.settings import Settings
from bot.turns import TRIAGE_TIMER, apply_triage


@dataclass(frozen=True, slots=True)
class Queued:
    """A message waiting for triage."""

    timer_id: int
    message_id: int
    text: str
    during_survey: bool


def waiting(repo: Repository, limit: int) -> list[Queued]:
    """The oldest messages still waiting for the model (their messages may have been deleted)."""
    found: list[Queued] = []
    for timer in repo.pending_timers(TRIAGE_TIMER, limit):
        queued = _queued(repo, timer)
        if queued is None:
            repo.take_timer(timer.id)
        else:
            found.append(queued)
    return found


def _queued(repo: Repository, timer: DueTimer) -> Queued | None:
    message_id, _, where = timer.subject.partition("/")
    try:
        message = repo.message(int(message_id))
    except (NotFoundError, ValueError):
        return None
    return Queued(timer.id, int(message_id), message.text, where == "survey")


def triage_late(
    repo: Repository,
    settings: Settings,
    item: Queued,
    verdict: Classification,
    now: datetime,
    new_survey_id: str,
) -> str | None:
    """Label the message and act as triage would have when it came in, if that still makes sense.

    The labels are always stored. A resolved conversation gets no action (someone already dealt with
    it), nor does an erased customer's, and an automatic answer is not sent once an agent has
    written to the customer. Returns what happened, or ``None`` when another worker had already
    taken the message.
    """
    if not repo.take_timer(item.timer_id):
        return None
    message = repo.message(item.message_id)
    labels = f"{verdict.intent}/{verdict.sentiment}"
    if message.conversation_id is None:  # triage queues customer messages, which all belong to one
        repo.classify_message(item.message_id, verdict)
        return f"message {item.message_id} labelled {labels}; it belongs to no conversation"
    conversation = repo.get_conversation(message.conversation_id)
    # Locked before anything is written: an erasure in progress ends first (and is seen below), or
    # one that starts meanwhile waits for this transaction and then forgets what it queued.
    identity = repo.get_identity(conversation.identity_id, lock=True)
    repo.classify_message(item.message_id, verdict)
    if identity.unreachable == ERASED_CUSTOMER:  # no ticket about nobody, no answer to nobody
        return f"message {item.message_id} labelled {labels}; the customer was erased"
    if conversation.status != "open":
        return f"message {item.message_id} labelled {labels}; conversation already {conversation.status}"
    later = [m for m in repo.transcript(conversation.id) if m.id > item.message_id]
    agent_wrote = any(m.author.startswith("agent:") for m in later)
    apply_triage(
        repo, settings, identity, conversation.id, verdict, now, new_survey_id, item.during_survey,
        answer=not agent_wrote, message_id=item.message_id, text=message.text,
    )  # fmt: skip
    return f"message {item.message_id} triaged late: {labels}"
