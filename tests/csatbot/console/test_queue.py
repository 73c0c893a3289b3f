"""The ticket queue's filters, SLA due times and overdue marks."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import yaml

from bot import tickets
from csatbot.console import queue as queue_page

from ...conftest import conversation_of, customer_says
from .conftest import Console


def listed(html: str) -> list[int]:
    """The ticket ids in the queue table, in order."""
    return [int(n) for n in re.findall(r'<tr data-ticket="(\d+)"', html)]


async def test_filters_by_status_team_assignee_channel_and_overdue(console: Console) -> None:
    console.add_user("amy")
    console.add_user("dan")
    one = await console.escalated("ann")  # support, auto-assigned to amy
    two = await console.escalated("ben")  # support, bob
    three = await console.escalated("cat")  # moved to billing, unassigned
    now = console.clock.now()
    billing = await console.runtime.store.run(
        lambda repo: repo.update_ticket(
            three, now, team="billing", assignee=None, status="open", sla_due_at=now + timedelta(days=1)
        )
    )
    assert billing.team == "billing"
    await console.sign_in("amy")
    await console.post(f"/tickets/{two}/resolve")

    async def ids(**params: Any) -> list[int]:
        response = await console.page("/", **params)
        assert response.status_code == 200
        return listed(response.text)

    assert await ids() == [one, three]  # open tickets, earliest SLA due first
    assert await ids(status="resolved") == [two]
    assert await ids(status="all") == [three, two, one]  # newest first
    assert await ids(team="billing") == [three]
    assert await ids(assignee="mine") == [one]
    assert await ids(assignee="unassigned") == [three]
    assert await ids(status="all", assignee="bob") == [two]
    assert await ids(channel="webchat") == [one, three]
    assert await ids(channel="telegram") == []
    assert "No tickets match these filters." in (await console.page("/", channel="telegram")).text
    assert await ids(overdue="true") == []
    console.clock.advance(timedelta(hours=5))  # past support's 4 h SLA, inside billing's day
    assert await ids(overdue="true") == [one]
    await console.sign_in("dan")
    assert await ids(assignee="mine") == []


async def test_each_row_shows_the_sla_due_time_and_marks_overdue_ones(console: Console) -> None:
    console.add_user("amy")
    ticket = await console.escalated("ann", "CSAT 1 (at most 3)")
    await console.sign_in("amy")
    due = (await console.runtime.store.read(lambda repo: repo.get_ticket(ticket))).sla_due_at
    local = (due + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M +08:00")  # config timezone: Asia/Shanghai
    row = re.search(r'<tr data-ticket="\d+" class="">(.*?)</tr>', (await console.page("/")).text, re.S)
    assert row is not None
    cells = row.group(1)
    assert local in cells and "overdue" not in cells
    assert "CSAT 1 (at most 3)" in cells and "ann" in cells and "normal" in cells and "amy" in cells
    console.clock.advance(timedelta(hours=4, minutes=1))
    late = re.search(
        r'<tr data-ticket="\d+" class="overdue">(.*?)</tr>', (await console.page("/")).text, re.S
    )
    assert late is not None and '<strong class="late">overdue</strong>' in late.group(1)


def reconfigure(console: Console, **team: Any) -> None:
    """Change the support team in the running config (as an admin editing config.yaml would)."""
    path = console.runtime.config_path
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["teams"]["support"].update(team)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert console.runtime.reload()


async def escalated_with(console: Console, user: str, priority: str) -> int:
    """A web chat customer writes; triage escalates the conversation at ``priority``."""
    assert (await customer_says(console.http, user, text="where is my parcel")).status_code == 202
    conversation = await conversation_of(console.http, user)
    settings, now = console.runtime.settings(), console.clock.now()
    ticket = await console.runtime.store.run(
        lambda repo: tickets.escalate(
            repo,
            settings,
            repo.get_conversation(conversation),
            ["asked"],
            now,
            by="triage",
            priority=priority,
        )
    )
    return int(ticket.id)


async def test_open_tickets_come_by_priority_then_due_time_with_sla_per_priority(console: Console) -> None:
    reconfigure(console, sla={"urgent": "30m", "high": "1h", "normal": "4h", "low": "1d"})
    console.add_user("amy")
    low = await escalated_with(console, "ann", "low")
    normal = await escalated_with(console, "ben", "normal")
    console.clock.advance(timedelta(minutes=5))
    high_later = await escalated_with(console, "cat", "high")
    urgent = await escalated_with(console, "dan", "urgent")
    console.clock.advance(timedelta(minutes=5))
    high_latest = await escalated_with(console, "eve", "high")
    await console.sign_in("amy")
    assert listed((await console.page("/")).text) == [urgent, high_later, high_latest, normal, low]
    ids = (low, normal, high_later, urgent, high_latest)
    rows = await console.runtime.store.read(lambda repo: [repo.get_ticket(i) for i in ids])
    due = {row.id: row.sla_due_at - row.created_at for row in rows}
    assert due == {
        low: timedelta(days=1),
        normal: timedelta(hours=4),
        high_later: timedelta(hours=1),
        urgent: timedelta(minutes=30),
        high_latest: timedelta(hours=1),
    }


async def test_first_response_sla_makes_a_ticket_overdue_until_an_agent_replies(console: Console) -> None:
    reconfigure(console, sla="4h", first_response={"normal": "1h", "high": "15m"})
    console.add_user("amy")
    normal = await escalated_with(console, "ann", "normal")
    await console.sign_in("amy")
    assert "first reply by" in (await console.page("/")).text
    console.clock.advance(timedelta(minutes=61))
    assert listed((await console.page("/", overdue="true")).text) == [normal]
    await console.post(f"/tickets/{normal}/reply", text="Looking into it now.")
    assert listed((await console.page("/", overdue="true")).text) == []
    detail = (await console.page(f"/tickets/{normal}")).text
    assert "first reply late" in detail


async def test_resolved_tickets_say_whether_the_sla_was_met(console: Console) -> None:
    console.add_user("amy")
    early = await escalated_with(console, "ann", "normal")
    late = await escalated_with(console, "ben", "normal")
    await console.sign_in("amy")
    await console.post(f"/tickets/{early}/resolve")
    console.clock.advance(timedelta(hours=5))  # past support's 4 h
    await console.post(f"/tickets/{late}/resolve")
    html = (await console.page("/", status="resolved")).text
    cells = dict(re.findall(r'<tr data-ticket="(\d+)"[^>]*>(.*?)</tr>', html, re.S))
    assert "SLA met" in cells[str(early)] and "SLA missed" not in cells[str(early)]
    assert "SLA missed" in cells[str(late)]
    assert "SLA missed" in (await console.page(f"/tickets/{late}")).text
    api = (await console.http.get(f"/api/tickets/{late}", headers=console.agent("amy"))).json()
    assert (api["sla_met"], api["first_response_met"]) == (False, None)


async def test_the_header_counts_every_open_ticket_not_the_page(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_page, "LIMIT", 2)
    console.add_user("amy")
    for user in ("ann", "ben", "cat"):
        await escalated_with(console, user, "normal")
    await console.sign_in("amy")
    html = (await console.page("/")).text
    assert len(listed(html)) == 2
    assert re.search(r'<small id="count">3 tickets</small>', html)
    assert "Showing the first 2" in html
