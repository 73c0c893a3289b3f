"""Tickets: escalations to a support team, their audit trail, and who holds how many."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Unpack

from sqlmodel import col, func, select

from bot import records
from bot.repository import TicketChanges
from models import Ticket, TicketEvent
from storage.rows import Rows, ticket_record


class TicketRows(Rows):
    """The tickets part of the repository."""

    def open_ticket_for(self, conversation_id: int) -> records.Ticket | None:
        row = self.session.exec(
            select(Ticket).where(
                Ticket.conversation_id == conversation_id,
                col(Ticket.status).in_(records.OPEN_TICKET_STATUSES),
            )
        ).first()
        return ticket_record(row) if row is not None else None

    def open_ticket(
        self,
        *,
        conversation: records.Conversation,
        survey_id: str | None,
        team: str,
        reasons: list[str],
        transcript: Sequence[records.TranscriptMessage],
        answers: Sequence[records.SurveyAnswer],
        sla_due_at: datetime,
        at: datetime,
        priority: str = "normal",
        assignee: str | None = None,
        intent: str | None = None,
        sentiment: str | None = None,
        first_response_due_at: datetime | None = None,
    ) -> records.Ticket:
        row = Ticket(
            first_response_due_at=first_response_due_at,
            customer_id=conversation.customer_id,
            conversation_id=conversation.id,
            survey_id=survey_id,
            team=team,
            reasons=list(reasons),
            transcript=[m.as_json() for m in transcript],
            answers=[a.as_json() for a in answers],
            created_at=at,
            updated_at=at,
            sla_due_at=sla_due_at,
            priority=priority,
            assignee=assignee,
            status="assigned" if assignee else "open",
            intent=intent,
            sentiment=sentiment,
        )
        self.session.add(row)
        self.session.flush()
        # A ticket opened from a survey answer is a DSAT ticket; others come from triage or agents.
        self._note("ticket_opened", cause="survey" if survey_id and answers else "conversation")
        return ticket_record(row)

    def get_ticket(self, ticket_id: int, *, lock: bool = False) -> records.Ticket:
        return ticket_record(self._get(Ticket, ticket_id, lock=lock))

    def ticket_event(self, ticket_id: int, actor: str, action: str, detail: str, at: datetime) -> None:
        self.session.add(TicketEvent(ticket_id=ticket_id, at=at, actor=actor, action=action, detail=detail))

    def open_tickets_by_assignee(self, team: str) -> dict[str, int]:
        rows = self.session.exec(
            select(Ticket.assignee, func.count())
            .where(
                Ticket.team == team,
                col(Ticket.assignee).is_not(None),
                col(Ticket.status).in_(records.OPEN_TICKET_STATUSES),
            )
            .group_by(col(Ticket.assignee))
        ).all()
        return {str(assignee): int(count) for assignee, count in rows}

    def last_assignee(self, team: str) -> str | None:
        return self.session.exec(
            select(TicketEvent.detail)
            .join(Ticket, col(Ticket.id) == TicketEvent.ticket_id)
            .where(Ticket.team == team, TicketEvent.action == "assigned")
            .order_by(col(TicketEvent.id).desc())
            .limit(1)
        ).first()

    def update_ticket(self, ticket_id: int, at: datetime, **changes: Unpack[TicketChanges]) -> records.Ticket:
        row = self._get(Ticket, ticket_id)
        for key, value in _columns(changes).items():
            setattr(row, key, value)
        row.updated_at = at
        self.session.add(row)
        self.session.flush()
        return ticket_record(row)


def _columns(changes: TicketChanges) -> dict[str, object]:
    """The changes as the ticket row's columns hold them (JSON for the copied messages and answers)."""
    columns: dict[str, object] = dict(changes)
    if "reasons" in changes:
        columns["reasons"] = list(changes["reasons"])
    if "transcript" in changes:
        columns["transcript"] = [m.as_json() for m in changes["transcript"]]
    if "answers" in changes:
        columns["answers"] = [a.as_json() for a in changes["answers"]]
    return columns
