"""The ticket queue's filters, SLA due times and overdue marks."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any


def listed(html: str) -> list[int]:
    """The ticket ids in the queue table, in order."""
    return [int(n) for n in re.findall(r'<tr data-ticket="(\d+)"', html)]


async def test_filters_by_status_team_assignee_channel_and_overdue(console: Any) -> None:
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


async def test_each_row_shows_the_sla_due_time_and_marks_overdue_ones(console: Any) -> None:
    console.add_user("amy")
    ticket = await console.escalated("ann", "CSAT 1 (at most 3)")
    await console.sign_in("amy")
    due = (await console.runtime.store.read(lambda repo: repo.get_ticket(ticket))).sla_due_at
    local = (due + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")  # config timezone: Asia/Shanghai
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
