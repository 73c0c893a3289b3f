"""Running a survey (``bot.survey_turns``): sending it (or why not), and one engine event carried
out: answers recorded, timers set, a ticket for an unhappy customer, the next question queued. On a
real store (SQLite, and PostgreSQL when configured) with the shipped CSAT flow."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Resume, Text, Unsupported
from bot.records import Identity, Survey
from bot.repository import Repository
from bot.settings import MessagingWindow, Settings
from bot.support import CustomerTurn
from bot.survey import Event, Expire, Reply
from bot.survey_turns import REMIND_TIMER, SURVEY_TIMERS, Outcome, message_text, send_survey, survey_turn

from ..conftest import Harness
from ..support.columns import stored

Work = Callable[[Repository, Identity, Survey], str]
Answerable = Text | ChoicePicked | Unsupported | Resume
"""What a customer may send while a survey waits (a command is not a reply)."""


def windowed(settings: Settings, hours: float) -> Settings:
    return dataclasses.replace(settings, windows={"webchat": MessagingWindow(timedelta(hours=hours))})


async def with_survey(
    h: Harness, work: Work, settings: Settings | None = None, late: timedelta = timedelta()
) -> str:
    """A pending CSAT survey for ann, due now; ``work`` runs on it in the same transaction."""
    at = h.clock.now()
    flow = (settings or h.current).flows["csat"]

    def run(repo: Repository) -> str:
        identity = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=at)
        conversation = repo.start_conversation(identity, at)
        repo.save_flow(flow, at)
        survey = repo.create_survey(
            survey_id="s1", conversation=conversation, flow=flow, locale="en", due_at=at - late, at=at
        )
        return work(repo, identity, survey)

    return await h.store.run(run)


def sending(settings: Settings, at: datetime) -> Work:
    return lambda repo, identity, survey: send_survey(repo, settings, survey, identity, at)


async def test_a_pending_survey_asks_its_first_question_and_sets_its_timers(harness: Harness) -> None:
    now = harness.clock.now()
    assert await with_survey(harness, sending(harness.current, now)) == "sent survey s1"
    [(text, survey_id)] = harness.rows("select text, survey_id from message where direction = 'out'")
    assert text.startswith("How satisfied are you") and survey_id == "s1"
    assert harness.rows("select status from survey") == [("active",)]
    timers = harness.rows("select kind, subject from timer order by kind")
    assert timers == [("expire", "s1"), ("remind", "s1")]
    assert harness.rows("select count(*) from customer where last_surveyed_at is not null") == [(1,)]


async def test_a_survey_is_sent_once(harness: Harness) -> None:
    now = harness.clock.now()
    settings = harness.current

    def twice(repo: Repository, identity: Identity, survey: Survey) -> str:
        send_survey(repo, settings, survey, identity, now)
        return send_survey(repo, settings, repo.get_survey(survey.id), identity, now)

    assert await with_survey(harness, twice) == "survey s1 already active"
    assert harness.rows("select count(*) from message") == [(1,)]


async def test_a_survey_past_its_expiry_is_not_sent(harness: Harness) -> None:
    now = harness.clock.now()
    sent = await with_survey(harness, sending(harness.current, now), late=timedelta(days=1))
    assert sent == "survey s1 expired before it could be sent"
    assert harness.rows("select status from survey") == [("expired",)]
    assert harness.rows("select count(*) from message") == [(0,)]


async def test_a_customer_surveyed_lately_is_not_surveyed_again(harness: Harness) -> None:
    now = harness.clock.now()
    settings = harness.current

    def after_another(repo: Repository, identity: Identity, survey: Survey) -> str:
        repo.mark_surveyed(identity.customer_id, now - timedelta(days=3))  # throttle: 30d
        return send_survey(repo, settings, survey, identity, now)

    assert await with_survey(harness, after_another) == "survey s1 throttled"
    assert harness.rows("select status, skip_reason from survey") == [("skipped", "throttled at send time")]


async def test_a_survey_outside_the_messaging_window_is_not_sent(harness: Harness) -> None:
    later = harness.clock.now() + timedelta(hours=2)
    settings = windowed(harness.current, 1)  # ann last wrote two hours ago; the window is one hour
    sent = await with_survey(harness, sending(settings, later), settings)
    assert sent.startswith("survey s1 ") and "window" in sent
    assert harness.rows("select status from survey") == [("skipped",)]
    assert harness.rows("select count(*) from message") == [(0,)]


@pytest.mark.parametrize(
    ("hours", "remind_after"),
    [
        (None, timedelta(hours=4)),  # remind_after: 4h
        (24, timedelta(hours=4)),
        (4, timedelta(hours=4) - timedelta(minutes=20)),  # pulled inside the window, before its margin
        (1, None),  # it would come so early that it would only nag
    ],
)
async def test_the_reminder_falls_inside_the_messaging_window_or_is_left_out(
    harness: Harness, hours: float | None, remind_after: timedelta | None
) -> None:
    now = harness.clock.now()
    settings = harness.current if hours is None else windowed(harness.current, hours)
    await with_survey(harness, sending(settings, now), settings)
    due = [str(d) for (d,) in harness.rows("select due_at from timer where kind = :kind", kind=REMIND_TIMER)]
    expected = [] if remind_after is None else [str((now + remind_after).replace(tzinfo=None))]
    assert [d[:19] for d in due] == [e[:19] for e in expected]


def answering(settings: Settings, at: datetime, payload: Answerable, event: Event | None = None) -> Work:
    """Send the survey, then ann's reply ``payload`` (or ``event``) as its next turn."""

    def work(repo: Repository, identity: Identity, survey: Survey) -> str:
        send_survey(repo, settings, survey, identity, at)
        msg = InboundMessage("webchat", "", "ann", "m1", at, payload, locale="en")
        turn = CustomerTurn(msg, at) if event is None else None
        outcome = survey_turn(
            repo, settings, repo.get_survey(survey.id), identity, event or Reply(payload), at, turn
        )
        return repr(outcome)

    return work


async def test_a_low_rating_is_recorded_escalated_and_asked_why(harness: Harness) -> None:
    now = harness.clock.now()
    outcome = await with_survey(harness, answering(harness.current, now, Text("1, nobody called me back")))
    assert outcome == repr(Outcome(answered=True, escalate=["CSAT 1 (at most 3)"]))
    assert harness.rows("select step, score from answer") == [("rating", 1)]
    [(status, reasons, survey_id)] = harness.rows("select status, reasons, survey_id from ticket")
    assert (status, stored(reasons), survey_id) == ("open", ["CSAT 1 (at most 3)"], "s1")
    replies = harness.rows("select direction, text, survey_id from message order by id")
    assert replies[1] == ("in", "1, nobody called me back", "s1")
    assert replies[2][0] == "out" and replies[2][1].startswith("Sorry to hear that. What went wrong?")


async def test_words_with_a_low_rating_that_name_the_reason_answer_it_and_end_the_survey(
    harness: Harness,
) -> None:
    now = harness.clock.now()
    outcome = await with_survey(harness, answering(harness.current, now, Text("1, agent was rude")))
    assert outcome == repr(Outcome(answered=True, escalate=["CSAT 1 (at most 3)"]))
    stored_answers = harness.rows("select step, score, option, text from answer order by id")
    assert stored_answers == [
        ("rating", 1, None, None),
        ("reason", None, "attitude", None),
        ("comment", None, None, "agent was rude"),
    ]
    replies = harness.rows("select direction, text from message order by id")
    assert replies[2][0] == "out" and replies[2][1].startswith("Thank you for your feedback!")
    assert not any("What went wrong?" in text for _, text in replies)


async def test_a_rating_corrected_at_the_next_question_is_replaced_in_storage(harness: Harness) -> None:
    now, settings = harness.clock.now(), harness.current

    def rated_then_corrected(repo: Repository, identity: Identity, survey: Survey) -> str:
        answering(settings, now, Text("2"))(repo, identity, survey)
        msg = InboundMessage("webchat", "", "ann", "m2", now, Text("sorry I meant 4"), locale="en")
        turn = CustomerTurn(msg, now)
        return repr(
            survey_turn(repo, settings, repo.get_survey(survey.id), identity, Reply(msg.payload), now, turn)
        )

    outcome = await with_survey(harness, rated_then_corrected)
    assert outcome == repr(Outcome(answered=True))  # nothing handed on to support as a request
    assert harness.rows("select step, score from answer") == [("rating", 4)]
    assert harness.rows("select csat, step from survey") == [(4, "praise")]
    last = harness.rows("select text from message where direction = 'out' order by id desc limit 1")
    assert last[0][0].startswith("Glad we could help!")  # no "What went wrong?" for 4 stars


async def test_a_tap_is_recorded_with_what_it_picked(harness: Harness) -> None:
    now = harness.clock.now()
    outcome = await with_survey(
        harness, answering(harness.current, now, ChoicePicked("s1", "rating", "5", "⭐⭐⭐⭐⭐"))
    )
    assert outcome == repr(Outcome(answered=True))
    [(text, payload)] = harness.rows("select text, payload from message where direction = 'in'")
    assert (text, stored(payload)) == ("⭐⭐⭐⭐⭐", {"survey": "s1", "step": "rating", "value": "5"})
    assert harness.rows("select count(*) from ticket") == [(0,)]


async def test_a_tap_and_the_thanks_are_written_together_in_transcript_order(harness: Harness) -> None:
    inserts: list[str] = []

    def counted(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith("INSERT INTO MESSAGE"):
            inserts.append(sql)

    event.listen(harness.database.writer, "before_cursor_execute", counted)
    tap = ChoicePicked("s1", "rating", "5", "5 stars")
    await with_survey(harness, answering(harness.current, harness.clock.now(), tap))
    event.remove(harness.database.writer, "before_cursor_execute", counted)
    said = harness.rows("select direction, text from message order by id")
    assert [d for d, _ in said] == ["out", "in", "out"]
    assert said[0][1].startswith("How satisfied") and said[1][1] == "5 stars"
    assert len(inserts) == 2  # the question; then the tap with the thank-you, in one INSERT


async def test_expiry_closes_the_survey_and_its_timers(harness: Harness) -> None:
    now = harness.clock.now()
    await with_survey(harness, answering(harness.current, now, Text(""), Expire()))
    assert harness.rows("select status from survey") == [("expired",)]
    assert harness.rows("select kind, status from timer where status = 'pending'") == []
    assert set(SURVEY_TIMERS) == {"remind", "expire"}


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        (Text("too slow"), "too slow"),
        (Text("the box came crushed", attached="photo"), "[photo] the box came crushed"),  # a caption
        (Command("start", "ref-1"), "/start ref-1"),
        (Command("help"), "/help"),
        (Unsupported("sticker"), "[sticker]"),
        (ChoicePicked("s1", "rating", "5", "⭐⭐⭐⭐⭐"), "⭐⭐⭐⭐⭐"),
        (ChoicePicked("s1", "reason", "slow"), "slow"),  # no label echoed: the option id
        (Resume("s1"), "[asked to see the question again]"),
    ],
)
def test_a_message_as_the_transcript_shows_it(payload: Payload, text: str, t0: datetime) -> None:
    assert message_text(InboundMessage("telegram", "", "42", "1", t0, payload)) == text


async def test_a_reply_that_is_no_answer_goes_to_support_and_the_customer_is_told(harness: Harness) -> None:
    now = harness.clock.now()
    text = "where is my parcel? it has been a week since I ordered it"
    outcome = await with_survey(harness, answering(harness.current, now, Text(text)))
    assert outcome == repr(Outcome(handed_on=[text], conversation_id=1))
    rows = harness.rows("select direction, text, survey_id from message order by id")
    assert rows[1] == ("in", text, None)  # a support message, not a survey answer
    assert rows[2][0] == "out" and "support" in rows[2][1]
    assert harness.rows("select count(*) from answer") == [(0,)]
