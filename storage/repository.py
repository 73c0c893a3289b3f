"""The :class:`bot.repository.Repository` on SQLModel rows, inside one session's transaction.

It is assembled from one part per area (each a :class:`storage.rows.Rows` mixin): identities,
conversations, surveys, timers, leases, outbox, inbox, tickets, and the customer's side.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.errors import NotFoundError
from bot.records import OutboxItem
from bot.repository import Handoff
from storage import erasure
from storage.conversations import ConversationRows
from storage.customer_side import CustomerSideRows
from storage.experiments import ExperimentRows
from storage.identities import IdentityRows
from storage.inbox import InboxRows
from storage.leases import LeaseRows
from storage.outbox import OUTBOX_CLAIM_LOCK, OutboxRows
from storage.rows import answer_json, message_json
from storage.surveys import SurveyRows
from storage.tickets import TicketRows
from storage.timers import TimerRows


class SqlRepository(
    IdentityRows,
    InboxRows,
    ConversationRows,
    SurveyRows,
    TimerRows,
    LeaseRows,
    OutboxRows,
    TicketRows,
    CustomerSideRows,
    ExperimentRows,
):
    """Reads and writes rows in the session's open transaction (never commits itself)."""

    def __init__(self, session: Session, handoff: Handoff | None = None) -> None:
        self._session = session
        self.pending_messages: list[dict[str, Any]] = []
        self.handoff = handoff
        """Lease queued chat messages to this process's sender (SQLite; see ``OutboxRows.enqueue``)."""
        self.claimed: list[OutboxItem] = []
        self.claim_until: datetime | None = None
        self.queued = False
        """Something was queued that waits for a claim."""
        self.dialect = session.get_bind().dialect.name
        self.noted: list[tuple[str, dict[str, str]]] = []
        """Events for the metrics, counted by the store only once the transaction commits."""
        self.held: list[Any] = []
        self.surveys: dict[str, dict[str, Any]] = {}
        self.survey_changes: dict[str, dict[str, Any]] = {}

    def flush(self) -> None:
        """Write what this unit of work still holds back (the store calls it before committing)."""
        self.flush_messages()
        self.flush_surveys()

    # privacy --------------------------------------------------------------------------------

    def erase_customer(self, customer_id: int, at: datetime) -> dict[str, int]:
        try:
            return erasure.erase_customer(self.session, customer_id, at)
        except LookupError:
            raise NotFoundError(f"no customer with id {customer_id}") from None

    def forget_before(
        self, transcripts_before: datetime | None, comments_before: datetime | None, now: datetime
    ) -> dict[str, int]:
        return erasure.forget_before(self.session, transcripts_before, comments_before, now)

    def audit(self, actor: str, action: str, subject: str, at: datetime) -> None:
        erasure.audit(self.session, actor, action, subject, at)


__all__ = ["OUTBOX_CLAIM_LOCK", "SqlRepository", "answer_json", "message_json"]
