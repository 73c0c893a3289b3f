"""Escalation tickets: routing, assignment, the agent actions and their audit trail, on a real DB."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import parse_config
from bot.errors import ConflictError, NotFoundError, TakenError
from bot.prompts import Say
from bot.settings import Settings

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]


def ticket_settings(**changes: Any) -> Settings:
    """The shipped config plus two teams with members, routing rules and a close-the-loop message."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["teams"]["support"]["members"] = ["amy", "bob", "cai"]
    data["teams"]["recovery"] = {"name": "Recovery desk", "sla": "1h", "members": ["dan", "eve"]}
    data["routing"] = [{"when": {"score_at_most": 1}, "team": "recovery", "priority": "urgent"}]
    data["tickets"] = {
        "close_message": {"en": "We fixed it - thanks for your patience!", "zh-CN": "已处理，感谢耐心！"}
    }
    for key, value in changes.items():
        data[key] = value
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


async def unhappy(h: Harness, user: str, score: str) -> int:
    """A customer chats, the conversation is resolved, they rate ``score``: returns the ticket id."""
    result = await h.say(user, "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    await h.tap(user, resolved.survey_id, "rating", score)
    [(ticket_id,)] = h.rows("select id from ticket where conversation_id = :c", c=result.conversation_id)
    return int(ticket_id)


def ticket(h: Harness, ticket_id: int) -> tuple[Any, ...]:
    [row] = h.rows("select team, priority, status, assignee from ticket where id = :t", t=ticket_id)
    return tuple(row)


def events(h: Harness, ticket_id: int) -> list[tuple[str, str, str]]:
    rows = h.rows(
        "select actor, action, detail from ticketevent where ticket_id = :t order by id", t=ticket_id
    )
    return [tuple(r) for r in rows]


async def test_routing_rules_pick_team_and_priority_and_least_loaded_assignment(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(ticket_settings())
    first = await unhappy(h, "ann", "2")
    assert ticket(h, first) == ("support", "normal", "assigned", "amy")
    assert events(h, first) == [("bot", "opened", "CSAT 2 (at most 3)"), ("auto", "assigned", "amy")]
    second = await unhappy(h, "ben", "3")
    assert ticket(h, second) == ("support", "normal", "assigned", "bob")  # amy holds one already
    urgent = await unhappy(h, "cat", "1")
    assert ticket(h, urgent) == ("recovery", "urgent", "assigned", "dan")
    [(sla,)] = h.rows("select sla_due_at from ticket where id = :t", t=urgent)
    assert sla is not None


async def test_round_robin_assignment_cycles_through_the_members(make_harness: MakeHarness) -> None:
    settings = ticket_settings()
    data = settings.config.model_dump(mode="json")
    data["teams"]["support"]["assignment"] = "round_robin"
    h = make_harness(Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True))))
    assignees = []
    for user in ("u1", "u2", "u3", "u4"):
        ticket_id = await unhappy(h, user, "2")
        assignees.append(ticket(h, ticket_id)[3])
    assert assignees == ["amy", "bob", "cai", "amy"]


async def test_a_team_without_members_leaves_the_ticket_in_the_queue_until_claimed(harness: Harness) -> None:
    ticket_id = await unhappy(harness, "ann", "2")
    assert ticket(harness, ticket_id) == ("support", "normal", "open", None)
    await harness.service.ticket("claim", ticket_id, "zoe")
    assert ticket(harness, ticket_id) == ("support", "normal", "assigned", "zoe")
    assert events(harness, ticket_id)[-1] == ("zoe", "claimed", "zoe")


async def test_agents_claiming_one_ticket_at_once_leave_it_with_one_of_them(harness: Harness) -> None:
    """Six agents tap Claim on the same queue page at once: one gets it, the others are told who
    did, and the trail holds one claim (each used to take it from the one before)."""
    ticket_id = await unhappy(harness, "ann", "2")
    agents = ["amy", "bob", "cai", "dan", "eve", "fay"]
    outcomes = await asyncio.gather(
        *(harness.service.ticket("claim", ticket_id, agent) for agent in agents), return_exceptions=True
    )
    [winner] = [
        agent for agent, outcome in zip(agents, outcomes, strict=True) if not isinstance(outcome, Exception)
    ]
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 5 and all(isinstance(error, TakenError) for error in refused)
    assert {str(error) for error in refused} == {
        f"ticket {ticket_id} is already assigned to {winner}; "
        "ask a lead to assign it to you if you should take it over"
    }
    assert ticket(harness, ticket_id) == ("support", "normal", "assigned", winner)
    assert [row for row in events(harness, ticket_id) if row[1] == "claimed"] == [(winner, "claimed", winner)]
    await harness.service.ticket("claim", ticket_id, winner)  # a double tap of the winner: no change
    await harness.service.ticket("assign", ticket_id, "lead", "amy" if winner != "amy" else "bob")
    assert ticket(harness, ticket_id)[3] != winner  # a lead's assignment still moves it


async def test_working_a_ticket_reply_note_resolve_close_with_audit_trail(make_harness: MakeHarness) -> None:
    h = make_harness(ticket_settings())
    ticket_id = await unhappy(h, "ann", "2")
    await h.service.ticket("assign", ticket_id, "lead", "cai")
    await h.service.ticket("note", ticket_id, "cai", "called twice, no answer")
    await h.service.ticket("reply", ticket_id, "cai", "Hi Ann, your parcel is on its way now.")
    await h.dispatcher.deliver_due()
    assert ticket(h, ticket_id)[2:] == ("contacted", "cai")
    assert h.channel.texts("ann")[-1] == "Hi Ann, your parcel is on its way now."
    await h.service.ticket("resolve", ticket_id, "cai")
    await h.dispatcher.deliver_due()
    assert ticket(h, ticket_id)[2] == "resolved"
    assert isinstance(h.channel.sent[-1][1], Say)
    assert h.channel.texts("ann")[-1] == "We fixed it - thanks for your patience!"
    with pytest.raises(ConflictError, match=r"ticket \d+ is resolved"):
        await h.service.ticket("reply", ticket_id, "cai", "one more thing")
    await h.service.ticket("close", ticket_id, "lead")
    with pytest.raises(ConflictError, match="already closed"):
        await h.service.ticket("close", ticket_id, "lead")
    assert [(actor, action) for actor, action, _ in events(h, ticket_id)] == [
        ("bot", "opened"),
        ("auto", "assigned"),
        ("lead", "assigned"),
        ("cai", "note"),
        ("cai", "replied"),
        ("cai", "resolved"),
        ("lead", "closed"),
    ]
    with pytest.raises(NotFoundError):
        await h.service.ticket("claim", 999, "cai")


async def test_an_agent_escalation_adds_to_the_open_ticket_instead_of_opening_another(
    harness: Harness,
) -> None:
    ticket_id = await unhappy(harness, "ann", "2")
    [(conversation_id,)] = harness.rows("select conversation_id from ticket where id = :t", t=ticket_id)
    again = await harness.service.escalate(conversation_id, "bob", "customer called, still angry")
    assert again.id == ticket_id
    assert again.reasons == ("CSAT 2 (at most 3)", "customer called, still angry")
    assert harness.rows("select count(*) from ticket") == [(1,)]
    assert events(harness, ticket_id)[-1] == ("bob", "updated", "customer called, still angry")


async def test_escalations_at_the_same_moment_open_one_ticket(harness: Harness) -> None:
    """Agents (or an agent and the customer's own turn) escalating one conversation at once: one
    ticket, every reason on it. On PostgreSQL each transaction saw no open ticket and opened its
    own (8 at once opened 3 or 4)."""
    result = await harness.say("ann", "my parcel is late")
    reasons = [f"reason {n}" for n in range(8)]
    opened = await asyncio.gather(
        *(harness.service.escalate(result.conversation_id, "bob", reason) for reason in reasons)
    )
    assert len({ticket.id for ticket in opened}) == 1
    assert harness.rows("select count(*) from ticket") == [(1,)]
    [(stored,)] = harness.rows("select reasons from ticket")
    assert sorted(json.loads(stored) if isinstance(stored, str) else stored) == reasons
