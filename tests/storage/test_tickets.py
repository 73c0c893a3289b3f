"""Tickets on SQLite and PostgreSQL: the transcript and answers they copy come back as typed records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bot.classification import Classification
from bot.prompts import Say, prompt_to_dict
from bot.records import MessageLabels, SurveyAnswer, Ticket, TranscriptMessage
from bot.survey import Answer
from storage import SqlStore

T0 = datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=UTC)


def _escalated(store: SqlStore, settings: Any) -> Ticket:
    """A conversation with a classified complaint, a rating question, a tapped 2 and a ticket."""
    flow = settings.flows["csat"]
    rating = prompt_to_dict(Say("How did we do?"))
    labels = Classification("complaint", 0.91, "negative", 0.8, needs_human=0.75)

    def work(repo: Any) -> Ticket:
        ident = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=T0)
        conv = repo.start_conversation(ident, T0)
        common = {"identity_id": ident.id, "conversation_id": conv.id}
        said = repo.add_message(**common, direction="in", author="customer", text="late!", at=T0)
        repo.classify_message(said, labels)
        repo.note_triage(said, "escalated: complaint")
        repo.add_message(
            **common, direction="out", author="bot", text="How did we do?", at=T0, payload=rating
        )
        recorded = {"survey": "s1", "step": "rating", "value": "2"}
        repo.add_message(**common, direction="in", author="customer", text="2", at=T0, payload=recorded)
        repo.save_flow(flow, T0)
        repo.create_survey(survey_id="s1", conversation=conv, flow=flow, locale="en", due_at=T0, at=T0)
        repo.record_answer("s1", Answer("rating", "csat", score=2, raw="2"), T0)
        repo.record_answer("s1", Answer("reason", "choice", option="slow"), T0)
        ticket: Ticket = repo.open_ticket(
            conversation=conv,
            survey_id="s1",
            team="support",
            reasons=["low score"],
            transcript=repo.transcript(conv.id),
            answers=repo.survey_answers("s1"),
            sla_due_at=T0 + timedelta(hours=4),
            at=T0,
        )
        return ticket

    opened: Ticket = store.run_sync(work)
    return opened


def test_a_ticket_copies_the_transcript_and_answers_as_records(store: SqlStore, settings: Any) -> None:
    ticket = _escalated(store, settings)
    complaint, question, reply = ticket.transcript
    assert (complaint.direction, complaint.text, complaint.at) == ("in", "late!", T0)
    assert complaint.classification == MessageLabels(
        intent="complaint",
        intent_confidence=0.91,
        sentiment="negative",
        sentiment_confidence=0.8,
        needs_human=0.75,
        triage="escalated: complaint",
    )
    assert question.prompt == {"type": "Say", "text": "How did we do?"} and question.recorded is None
    assert reply.recorded == {"survey": "s1", "step": "rating", "value": "2"} and reply.prompt is None
    assert ticket.answers == (
        SurveyAnswer(step="rating", kind="csat", at=T0, score=2),
        SurveyAnswer(step="reason", kind="choice", at=T0, option="slow"),
    )
    assert ticket.score == 2
    assert store.run_sync(lambda r: r.get_ticket(ticket.id)) == ticket  # read back from the JSON columns


def test_the_ticket_row_keeps_the_json_the_api_shows(store: SqlStore, settings: Any) -> None:
    ticket = _escalated(store, settings)

    def stored(repo: Any) -> tuple[Any, Any]:
        row = repo.session.execute(text("select transcript, answers from ticket")).one()
        return tuple(json.loads(v) if isinstance(v, str) else v for v in row)

    transcript, answers = store.run_sync(stored)
    assert transcript == [m.as_json() for m in ticket.transcript]
    assert transcript[0]["classification"]["needs_human"] == 0.75
    assert "prompt" not in transcript[0] and "recorded" not in transcript[1] and "prompt" not in transcript[2]
    assert answers == [
        {"step": "rating", "kind": "csat", "at": T0.isoformat(), "score": 2},
        {"step": "reason", "kind": "choice", "at": T0.isoformat(), "option": "slow"},
    ]


def test_update_ticket_stores_a_new_transcript_and_keeps_what_it_is_not_given(
    store: SqlStore, settings: Any
) -> None:
    ticket = _escalated(store, settings)

    def customer_wrote(repo: Any) -> Ticket:
        repo.add_message(
            identity_id=repo.get_conversation(ticket.conversation_id).identity_id,
            conversation_id=ticket.conversation_id,
            direction="in",
            author="customer",
            text="anyone?",
            at=T0 + timedelta(minutes=1),
        )
        updated: Ticket = repo.update_ticket(
            ticket.id, T0, transcript=repo.transcript(ticket.conversation_id), reasons=("low score", "again")
        )
        return updated

    updated = store.run_sync(customer_wrote)
    assert [m.text for m in updated.transcript] == ["late!", "How did we do?", "2", "anyone?"]
    assert updated.answers == ticket.answers and updated.reasons == ("low score", "again")
    assert store.run_sync(lambda r: r.get_ticket(ticket.id)) == updated


def test_a_message_reads_as_a_transcript_entry(store: SqlStore) -> None:
    def work(repo: Any) -> tuple[int, TranscriptMessage]:
        ident = repo.identity("webchat", "", "ann", display_name="", locale="", at=T0)
        said = repo.add_message(
            identity_id=ident.id, conversation_id=None, direction="in", author="customer", text="hi", at=T0
        )
        return said, repo.message(said)

    said, message = store.run_sync(work)
    assert message == TranscriptMessage(
        id=said, conversation_id=None, direction="in", author="customer", text="hi", at=T0
    )
