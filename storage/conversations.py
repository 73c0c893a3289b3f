"""Conversations and the messages in and out of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Unpack

from sqlalchemy import update
from sqlmodel import col, select

from bot import records
from bot.classification import Classification
from bot.repository import ConversationChanges, NewMessage
from models import Conversation, Message
from storage.customer_side import conversation_record
from storage.rows import Rows, message_json, message_record


def _columns(message: NewMessage) -> dict[str, Any]:
    """A message's row, every column given (Core: no ORM object to build, track and flush)."""
    c = message.get("classification")
    return {
        "identity_id": message["identity_id"],
        "conversation_id": message["conversation_id"],
        "direction": message["direction"],
        "author": message["author"],
        "text": message["text"],
        "payload": message.get("payload"),
        "platform_id": message.get("platform_id"),
        "survey_id": message.get("survey_id"),
        "created_at": message["at"],
        "intent": c.intent if c else None,
        "intent_confidence": c.intent_confidence if c else None,
        "sentiment": c.sentiment if c else None,
        "sentiment_confidence": c.sentiment_confidence if c else None,
        "needs_human": c.needs_human if c else None,
        "triage": None,
    }


class ConversationRows(Rows):
    """The conversations part of the repository."""

    def open_conversation(self, identity_id: int) -> records.Conversation | None:
        row = self.session.exec(
            select(Conversation)
            .where(Conversation.identity_id == identity_id, Conversation.status == "open")
            .order_by(col(Conversation.id).desc())
        ).first()
        return conversation_record(row) if row is not None else None

    def start_conversation(self, identity: records.Identity, at: datetime) -> records.Conversation:
        row = Conversation(
            customer_id=identity.customer_id,
            identity_id=identity.id,
            channel=identity.channel,
            opened_at=at,
            last_message_at=at,
            agents=[],
        )
        self.session.add(row)
        self.session.flush()
        return conversation_record(row)

    def get_conversation(self, conversation_id: int, *, lock: bool = False) -> records.Conversation:
        return conversation_record(self._get(Conversation, conversation_id, lock=lock))

    def update_conversation(self, conversation_id: int, **changes: Unpack[ConversationChanges]) -> None:
        row = self._get(Conversation, conversation_id)
        for key, value in changes.items():
            setattr(row, key, value)
        if "agents" in changes:  # a JSON column: a list, whatever sequence came
            row.agents = list(changes["agents"])
        self.session.add(row)

    def add_message(
        self,
        *,
        identity_id: int,
        conversation_id: int | None,
        direction: str,
        author: str,
        text: str,
        at: datetime,
        payload: records.JsonObject | None = None,
        platform_id: str | None = None,
        survey_id: str | None = None,
        classification: Classification | None = None,
    ) -> int:
        message = NewMessage(
            identity_id=identity_id,
            conversation_id=conversation_id,
            direction=direction,
            author=author,
            text=text,
            at=at,
            payload=payload,
            platform_id=platform_id,
            survey_id=survey_id,
            classification=classification,
        )
        return self._write_messages([_columns(message)])

    def add_message_later(self, **message: Unpack[NewMessage]) -> None:
        self.pending_messages.append(_columns(message))

    def transcript(self, conversation_id: int) -> list[records.TranscriptMessage]:
        rows = self.session.exec(
            select(Message).where(Message.conversation_id == conversation_id).order_by(col(Message.id))
        ).all()
        return [message_record(row) for row in rows]

    def message(self, message_id: int) -> records.TranscriptMessage:
        return message_record(self._get(Message, message_id))

    def classify_message(self, message_id: int, classification: Classification) -> None:
        self.session.execute(
            update(Message)
            .where(col(Message.id) == message_id)
            .values(
                intent=classification.intent,
                intent_confidence=classification.intent_confidence,
                sentiment=classification.sentiment,
                sentiment_confidence=classification.sentiment_confidence,
                needs_human=classification.needs_human,
            )
        )
        self._note("triage_verdict", intent=classification.intent, sentiment=classification.sentiment)

    def note_triage(self, message_id: int, what: str) -> None:
        self.session.execute(update(Message).where(col(Message.id) == message_id).values(triage=what[:200]))

    def messages_for(self, identity_id: int, after_id: int = 0, limit: int = 200) -> list[records.JsonObject]:
        """Messages in and out of one identity, oldest first, after ``after_id`` (for web chat)."""
        rows = self.session.exec(
            select(Message)
            .where(Message.identity_id == identity_id, col(Message.id) > after_id)
            .order_by(col(Message.id))
            .limit(limit)
        ).all()
        return [message_json(row) for row in rows]
