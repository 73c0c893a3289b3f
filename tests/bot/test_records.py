"""Plain records the core reads from storage (``bot.records``), and those a ticket copies: their JSON
form, read back unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.records import (
    MAX_ROW_ID,
    OPEN_TICKET_STATUSES,
    Conversation,
    Identity,
    MessageLabels,
    Survey,
    SurveyAnswer,
    Ticket,
    TranscriptMessage,
    row_id,
)
from bot.survey import SurveyState

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LABELS = MessageLabels("refund", 0.9, "negative", 0.7, needs_human=0.8, triage="escalated")


def test_a_message_leaves_out_what_does_not_apply() -> None:
    plain = TranscriptMessage(id=1, conversation_id=None, direction="in", author="customer", text="hi", at=T0)
    assert plain.as_json() == {
        "id": 1,
        "conversation_id": None,
        "direction": "in",
        "author": "customer",
        "text": "hi",
        "at": "2026-11-23T02:00:00+00:00",
    }


def test_a_message_keeps_the_order_of_its_keys() -> None:
    message = TranscriptMessage(
        id=2, conversation_id=1, direction="in", author="customer", text="2", at=T0,
        recorded={"survey": "s1", "step": "rating", "value": "2"}, survey_id="s1", classification=LABELS,
    )  # fmt: skip
    data = message.as_json()
    order = ["id", "conversation_id", "direction", "author", "text", "at", "recorded", "survey_id"]
    assert list(data) == [*order, "classification"]
    assert data["classification"] == {
        "intent": "refund",
        "intent_confidence": 0.9,
        "sentiment": "negative",
        "sentiment_confidence": 0.7,
        "needs_human": 0.8,
        "triage": "escalated",
    }


@pytest.mark.parametrize(
    "at",
    [T0, T0 + timedelta(microseconds=5), datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=8)))],
)
def test_messages_and_answers_read_back_equal_and_write_the_same_text(at: datetime) -> None:
    message = TranscriptMessage(
        id=3, conversation_id=1, direction="out", author="bot", text="How did we do?", at=at,
        prompt={"type": "Say", "text": "How did we do?"}, survey_id="s1",
    )  # fmt: skip
    answer = SurveyAnswer(step="comment", kind="text", at=at, text="slow", sentiment="negative")
    for record in (message, answer):
        data = record.as_json()
        again = type(record).from_json(data)
        assert again == record and again.as_json() == data


def test_an_answer_leaves_out_unset_values() -> None:
    assert SurveyAnswer(step="rating", kind="csat", at=T0, score=0).as_json() == {
        "step": "rating",
        "kind": "csat",
        "at": "2026-11-23T02:00:00+00:00",
        "score": 0,
    }


def test_a_copy_made_before_a_label_existed_still_reads() -> None:
    old = {
        "id": 4,
        "conversation_id": 1,
        "direction": "in",
        "author": "customer",
        "text": "x",
        "at": T0.isoformat(),
    }
    old["classification"] = {"intent": "other", "intent_confidence": 0.4, "sentiment": None}
    read = TranscriptMessage.from_json(old)
    assert read.classification == MessageLabels("other", 0.4, None)


def test_a_tickets_score_is_its_first_rating() -> None:
    ticket = Ticket(
        id=1, customer_id=1, conversation_id=1, team="support", status="open", reasons=(),
        answers=(
            SurveyAnswer(step="reason", kind="choice", at=T0, option="slow"),
            SurveyAnswer(step="rating", kind="csat", at=T0, score=2),
        ),
    )  # fmt: skip
    assert ticket.score == 2
    assert Ticket(id=1, customer_id=1, conversation_id=1, team="t", status="open", reasons=()).score is None


@pytest.mark.parametrize(
    ("status", "is_open"),
    [("open", True), ("assigned", True), ("contacted", True), ("resolved", False), ("closed", False)],
)
def test_a_ticket_is_open_while_it_is_being_worked(status: str, is_open: bool) -> None:
    ticket = Ticket(1, 1, 1, "support", status, ("DSAT",))
    assert ticket.is_open is is_open
    assert (status in OPEN_TICKET_STATUSES) is is_open


def test_defaults_of_what_storage_may_leave_out() -> None:
    identity = Identity(1, 2, "webchat", "", "ann")
    assert (identity.display_name, identity.locale, identity.last_inbound_at) == ("", "", None)
    conversation = Conversation(1, 2, 1, "webchat", "open", T0, T0)
    assert (conversation.waiting_on, conversation.agents, conversation.resolution) == ("support", (), None)
    survey = Survey("s1", 2, 1, 1, "webchat", "csat", "v1", SurveyState("s1", "en"), T0)
    assert (survey.kind, survey.sent_at, survey.ticket_id) == ("main", None, None)
    ticket = Ticket(1, 2, 1, "support", "open", ())
    assert (ticket.priority, ticket.answers, ticket.transcript, ticket.assignee) == ("normal", (), (), None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1", 1),
        ("2147483647", MAX_ROW_ID),
        ("007", 7),
        ("0", None),
        ("2147483648", None),
        ("-1", None),
        ("²", None),
        ("١٢٣", None),
        ("1" * 5000, None),
        ("", None),
        (" 1", None),
        ("1_0", None),
    ],
)
def test_a_row_id_a_platform_echoes_is_ascii_digits_within_the_column(text: str, found: int | None) -> None:
    assert row_id(text) == found


def test_the_row_id_bound_is_the_tables() -> None:
    from models import MAX_ROW_ID as TABLES_MAX_ROW_ID

    assert MAX_ROW_ID == TABLES_MAX_ROW_ID
