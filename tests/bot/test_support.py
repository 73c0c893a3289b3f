"""A customer's message to support (``bot.support``): stored in its conversation, then triaged by
the configured rules. On a real store (SQLite, and PostgreSQL when configured) with the shipped
triage rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from bot.classification import Classification
from bot.messages import InboundMessage, Text
from bot.repository import Repository
from bot.settings import Settings
from bot.support import TRIAGE_TIMER, CustomerTurn, apply_triage, hand_on, support_message, triage_message

from ..conftest import Harness

SURE_RESET = Classification("password_reset", 0.97, "neutral", 0.9)
UNSURE = Classification("other", 0.4, "neutral", 0.9)
UPSET = Classification("complaint", 0.9, "negative", 0.9, needs_human=0.95)


@dataclass(frozen=True)
class Handled:
    """What one support message left behind."""

    conversation_id: int
    message_id: int
    replies: list[str]
    ticket: bool
    timers: list[str]


def turn(
    text: str, at: datetime, verdict: Classification | None, queue: bool = False, n: int = 1
) -> CustomerTurn:
    msg = InboundMessage("webchat", "", "ann", f"m{n}", at, Text(text), locale="en")
    return CustomerTurn(msg, at, classification=verdict, new_survey_id=f"a{n}", queue_triage=queue)


def handle(
    settings: Settings, customer: CustomerTurn, *, during_survey: bool = False
) -> Callable[[Repository], Handled]:
    def work(repo: Repository) -> Handled:
        identity = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=customer.now)
        text = customer.msg.payload.text if isinstance(customer.msg.payload, Text) else ""
        conversation_id, message_id = support_message(repo, settings, identity, text, customer)
        triage_message(
            repo,
            settings,
            identity,
            (conversation_id, message_id),
            text,
            customer,
            during_survey=during_survey,
        )
        transcript = repo.transcript(conversation_id)
        return Handled(
            conversation_id,
            message_id,
            [m.text for m in transcript if m.direction == "out"],
            repo.open_ticket_for(conversation_id) is not None,
            [kind for kind in (TRIAGE_TIMER,) if repo.has_timer(kind, str(message_id))],
        )

    return work


async def run(h: Harness, customer: CustomerTurn, *, during_survey: bool = False) -> Handled:
    return await h.store.run(handle(h.current, customer, during_survey=during_survey))


def triage_note(h: Harness, message_id: int) -> str | None:
    """What triage noted on the message, for the agents."""
    [(note,)] = h.rows("select triage from message where id = :id", id=message_id)
    return None if note is None else str(note)


@pytest.mark.parametrize(
    ("verdict", "note", "reply", "ticket"),
    [
        (SURE_RESET, "auto_answer (rule 3): triage: password_reset (97%), neutral (90%)",
         "reset your password", False),
        (UPSET, "escalate (rule 1): triage: complaint (90%), negative (90%), needs a person (95%)",
         "a person will reply here", True),
        (UNSURE, "no rule matched: triage: other (40%), neutral (90%)", None, False),
    ],
)  # fmt: skip
async def test_triage_acts_on_the_message_and_notes_why(
    harness: Harness, verdict: Classification, note: str, reply: str | None, ticket: bool
) -> None:
    done = await run(harness, turn("I forgot my password", harness.clock.now(), verdict))
    assert triage_note(harness, done.message_id) == note
    if reply is None:
        assert done.replies == []
    else:
        [said] = done.replies
        assert reply in said
    assert done.ticket is ticket


async def test_messages_land_in_the_open_conversation_and_wait_on_support(harness: Harness) -> None:
    now = harness.clock.now()
    first = await run(harness, turn("hello", now, UNSURE, n=1))
    second = await run(harness, turn("anyone there", now + timedelta(minutes=1), UNSURE, n=2))
    assert first.conversation_id == second.conversation_id
    assert harness.rows("select waiting_on from conversation") == [("support",)]
    assert harness.rows("select text, author from message where direction = 'in' order by id") == [
        ("hello", "customer"),
        ("anyone there", "customer"),
    ]


async def test_a_customers_message_reaches_the_agents_on_the_open_ticket(harness: Harness) -> None:
    now = harness.clock.now()
    await run(harness, turn("this is awful", now, UPSET, n=1))
    await run(harness, turn("my order number is 42", now + timedelta(minutes=1), UNSURE, n=2))
    assert ("customer", "customer_wrote", "my order number is 42") in harness.rows(
        "select actor, action, detail from ticketevent"
    )
    [(transcript,)] = harness.rows("select transcript from ticket")
    assert "my order number is 42" in str(transcript)


async def test_a_message_waits_for_the_model_when_it_is_not_ready(harness: Harness) -> None:
    done = await run(harness, turn("help", harness.clock.now(), None, queue=True))
    assert done.timers == [TRIAGE_TIMER]
    assert triage_note(harness, done.message_id) is None and done.replies == []


async def test_a_message_during_a_survey_is_queued_as_such(harness: Harness) -> None:
    done = await run(harness, turn("help", harness.clock.now(), None, queue=True), during_survey=True)
    assert done.timers == []  # its subject says it came during a survey
    subject = f"{done.message_id}/survey"
    assert await harness.store.run(lambda repo: repo.has_timer(TRIAGE_TIMER, subject))


async def test_an_automatic_answer_is_held_back_once_an_agent_wrote(harness: Harness) -> None:
    now = harness.clock.now()
    done = await run(harness, turn("hello", now, UNSURE))
    settings = harness.current

    def triage_again(repo: Repository) -> None:
        identity = repo.get_identity(repo.get_conversation(done.conversation_id).identity_id)
        apply_triage(
            repo, settings, identity, done.conversation_id, SURE_RESET, now, "a9", False,
            answer=False, message_id=done.message_id, text="I forgot my password",
        )  # fmt: skip

    await harness.store.run(triage_again)
    assert (
        triage_note(harness, done.message_id)
        == "held back, an agent replied: auto_answer (rule 3): triage: password_reset (97%), neutral (90%)"
    )
    assert harness.rows("select count(*) from message where direction = 'out'") == [(0,)]


@pytest.mark.parametrize(("verdict", "told"), [(SURE_RESET, True), (UNSURE, False)])
async def test_a_survey_reply_handed_on_says_whether_triage_already_answered(
    harness: Harness, verdict: Classification, told: bool
) -> None:
    customer = turn("I forgot my password", harness.clock.now(), verdict)
    settings = harness.current

    def work(repo: Repository) -> tuple[int, bool]:
        identity = repo.identity("webchat", "", "ann", display_name="Ann", locale="en", at=customer.now)
        return hand_on(repo, settings, identity, "I forgot my password", customer)

    conversation_id, said = await harness.store.run(work)
    assert said is told
    assert harness.rows("select conversation_id, text from message where direction = 'in'") == [
        (conversation_id, "I forgot my password")
    ]
