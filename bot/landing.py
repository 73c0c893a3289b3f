"""Where a customer's message belongs: the conversation it continues, or a new one.

A reply goes back to the conversation of the customer's open ticket (reopened if it was resolved),
else to the open conversation, else to the conversation an agent answered within
``conversations.reopen_within`` unless its survey went out already (reopened), else to a new one.
So an answer to an agent's ticket reply lands on the ticket, and a customer with an open ticket
never gets a second one for the same issue.
"""

from __future__ import annotations

from datetime import datetime

from bot.records import Conversation, Identity
from bot.repository import Repository
from bot.settings import Settings

SEND_TIMER = "send"


def conversation_for(repo: Repository, settings: Settings, identity: Identity, now: datetime) -> Conversation:
    """The conversation a new message from ``identity`` goes to (opened or reopened as needed)."""
    ticketed = repo.ticket_conversation(identity.id)
    if ticketed is not None:
        return reopen(repo, ticketed)
    current = repo.open_conversation(identity.id)
    if current is not None:
        return current
    window = settings.config.conversations.reopen_within
    last = repo.last_agent_reply(identity.id) if window is not None else None
    if window is not None and last is not None and now - last[1] <= window:
        answered = repo.get_conversation(last[0])
        survey = repo.survey_for_conversation(answered.id)
        if survey is None or survey.sent_at is None:  # once surveyed, a new message is a new issue
            return reopen(repo, answered)
    return repo.start_conversation(identity, now)


def reopen(repo: Repository, conversation: Conversation) -> Conversation:
    """``conversation``, opened again if it was resolved; a survey not sent yet waits until it is
    resolved again (the customer is not done)."""
    if conversation.status == "open":
        return conversation
    survey = repo.survey_for_conversation(conversation.id)
    if survey is not None and survey.sent_at is None:
        repo.cancel_timer(SEND_TIMER, survey.id)
    repo.update_conversation(
        conversation.id, status="open", resolution=None, resolved_by=None, resolved_at=None
    )
    return repo.get_conversation(conversation.id)
