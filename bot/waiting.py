"""Who a conversation waits on, and the idle timer that only runs while it waits on the customer.

A conversation waits on the support side while the customer wrote last, a ticket is open or an
automatic answer waits for "Did this solve it?" (its own timer settles that). Only one that waits on
the customer (an agent or the bot answered, nothing open) ends by itself after
``conversations.idle_resolve_after``: nobody is surveyed about help they are still waiting for.
"""

from __future__ import annotations

from datetime import datetime

from bot.records import Conversation
from bot.repository import Repository
from bot.settings import Settings

IDLE_TIMER = "idle"
SUPPORT = "support"
CUSTOMER = "customer"


def customer_wrote(repo: Repository, conversation_id: int, now: datetime) -> None:
    """The customer wrote: it is the support side's turn, so the conversation cannot go idle."""
    repo.update_conversation(conversation_id, last_message_at=now, waiting_on=SUPPORT)
    repo.cancel_timer(IDLE_TIMER, str(conversation_id))


def support_answered(
    repo: Repository, settings: Settings, conversation_id: int, now: datetime, *, idle_timer: bool = True
) -> None:
    """An agent or the bot answered: the customer's turn; the idle timer starts (unless another timer
    decides what silence means, as for an automatic answer)."""
    repo.update_conversation(conversation_id, last_message_at=now, waiting_on=CUSTOMER)
    idle = settings.config.conversations.idle_resolve_after
    if idle is not None and idle_timer:
        repo.schedule(IDLE_TIMER, str(conversation_id), now + idle, now)


def waits_on_support(repo: Repository, conversation: Conversation) -> str | None:
    """Why the conversation is the support side's turn (so it must not end as idle), or ``None``."""
    if conversation.waiting_on == SUPPORT:
        return "the customer wrote last"
    if repo.open_ticket_for(conversation.id) is not None:
        return "its ticket is open"
    if repo.pending_auto_answer(conversation.id) is not None:
        return "the customer has not said yet whether the automatic answer helped"
    return None
