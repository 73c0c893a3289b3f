"""Rows of the customer's side of a conversation: automatic answers and their outcome, who answered,
and where a customer's next message belongs. Mixed into :class:`storage.repository.SqlRepository`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select

from bot import records
from models import AutoAnswer, Conversation, Message, Ticket, User
from storage.rows import Rows


class CustomerSideRows(Rows):
    """The part of the repository that :mod:`bot.confirmation` and :mod:`bot.landing` use."""

    def create_auto_answer(
        self,
        *,
        answer_id: str,
        conversation: records.Conversation,
        intent: str,
        intent_confidence: float | None,
        locale: str,
        message_id: int | None,
        at: datetime,
    ) -> records.AutoAnswer:
        row = AutoAnswer(
            id=answer_id,
            conversation_id=conversation.id,
            customer_id=conversation.customer_id,
            channel=conversation.channel,
            locale=locale,
            intent=intent,
            intent_confidence=intent_confidence,
            message_id=message_id,
            sent_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _auto_answer(row)

    def get_auto_answer(self, answer_id: str) -> records.AutoAnswer | None:
        row = self.session.get(AutoAnswer, answer_id)
        return _auto_answer(row) if row is not None else None

    def pending_auto_answer(self, conversation_id: int) -> records.AutoAnswer | None:
        row = self.session.exec(
            select(AutoAnswer)
            .where(AutoAnswer.conversation_id == conversation_id, AutoAnswer.status == "pending")
            .order_by(col(AutoAnswer.sent_at).desc())
        ).first()
        return _auto_answer(row) if row is not None else None

    def settle_auto_answer(
        self, answer_id: str, status: str, how: str, at: datetime, *, was: str = "pending"
    ) -> bool:
        result = self.session.execute(
            update(AutoAnswer)
            .where(col(AutoAnswer.id) == answer_id, col(AutoAnswer.status) == was)
            .values(status=status, how=how, decided_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    def support_replied(self, conversation_id: int) -> bool:
        agent = self.session.exec(
            select(Message.id).where(
                Message.conversation_id == conversation_id, col(Message.author).startswith("agent:")
            )
        ).first()
        if agent is not None:
            return True
        answered = select(AutoAnswer.id).where(AutoAnswer.conversation_id == conversation_id)
        return self.session.exec(answered).first() is not None

    def ticket_conversation(self, identity_id: int) -> records.Conversation | None:
        row = self.session.exec(
            select(Conversation)
            .join(Ticket, col(Ticket.conversation_id) == col(Conversation.id))
            .where(
                Conversation.identity_id == identity_id,
                col(Ticket.status).in_(records.OPEN_TICKET_STATUSES),
            )
            .order_by(col(Ticket.id).desc())
        ).first()
        return conversation_record(row) if row is not None else None

    def last_agent_reply(self, identity_id: int) -> tuple[int, datetime] | None:
        row = self.session.exec(
            select(Message.conversation_id, Message.created_at)
            .where(Message.identity_id == identity_id, col(Message.author).startswith("agent:"))
            .order_by(col(Message.id).desc())
        ).first()
        if row is None or row[0] is None:
            return None
        return int(row[0]), row[1]

    def agent_name(self, username: str) -> str:
        name = self.session.exec(select(User.display_name).where(User.username == username)).first()
        return name or username


def _auto_answer(row: AutoAnswer) -> records.AutoAnswer:
    return records.AutoAnswer(row.id, row.conversation_id, row.intent, row.status, row.sent_at, row.locale)


def conversation_record(row: Conversation) -> records.Conversation:
    """A conversation row as the core sees it."""
    if row.id is None:
        raise RuntimeError("row has no id; flush before reading it")
    return records.Conversation(
        row.id,
        row.customer_id,
        row.identity_id,
        row.channel,
        row.status,
        row.opened_at,
        row.last_message_at,
        row.resolution,
        tuple(row.agents or ()),
        row.waiting_on,
    )
