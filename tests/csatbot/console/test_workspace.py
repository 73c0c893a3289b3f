"""One agent workspace: conversations (the old /agent desk), bulk actions, saved filters and the
live queue (server-sent events and the rows it fetches)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

from csatbot.console.live import LiveSettings

from ...conftest import conversation_of, customer_says
from .conftest import Console
from .test_queue import escalated_with, listed


async def test_an_agent_replies_resolves_and_escalates_conversations_as_themselves(console: Console) -> None:
    console.add_user("amy")
    await customer_says(console.http, "ann", text="Do you ship to Hangzhou?")
    conversation = await conversation_of(console.http, "ann")
    await console.sign_in("amy")
    listing = (await console.page("/conversations")).text
    assert f'data-conversation="{conversation}"' in listing and "ann" in listing
    await console.post(f"/conversations/{conversation}/reply", text="Yes, in two days.")
    page = (await console.page(f"/conversations/{conversation}")).text
    assert "Reply queued" in page and "agent amy" in page and "Yes, in two days." in page
    await console.post(f"/conversations/{conversation}/escalate", text="wants a refund")
    page = (await console.page(f"/conversations/{conversation}")).text
    ticket = re.search(r"Escalated: ticket #(\d+)\.", page)
    assert ticket is not None and f'href="/console/tickets/{ticket.group(1)}"' in page
    await console.post(f"/conversations/{conversation}/resolve_now")
    page = (await console.page(f"/conversations/{conversation}")).text
    assert "Resolved; the survey goes out at" in page
    detail = (await console.http.get(f"/api/conversations/{conversation}")).json()
    assert detail["resolution"] is not None and detail["agents"] == ["amy"]
    assert f'data-conversation="{conversation}"' not in (await console.page("/conversations")).text
    assert f'data-conversation="{conversation}"' in (await console.page("/conversations", status="all")).text


async def test_bulk_assign_and_resolve_say_what_was_done_and_what_was_not(console: Console) -> None:
    console.add_user("amy")
    console.add_user("dan")
    one, two, three = [await escalated_with(console, user, "normal") for user in ("ann", "ben", "cat")]
    await console.sign_in("amy")
    await console.post(f"/tickets/{three}/close")
    done = await console.http.post(
        "/console/tickets/bulk",
        data={
            "csrf": console.token,
            "action": "assign",
            "assignee": "dan",
            "ids": [one, two, three],
            "back": "status=active&team=support&evil=1",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/console/?status=active&team=support"
    html = (await console.page("/")).text
    assert "Assigned 2 ticket(s) to dan. 1 not changed: ticket " in html and "is closed" in html
    assignees = dict(console.rows("SELECT id, assignee FROM ticket"))
    assert (assignees[one], assignees[two]) == ("dan", "dan")
    await console.http.post(
        "/console/tickets/bulk", data={"csrf": console.token, "action": "resolve", "ids": [one, two]}
    )
    assert "Resolved 2 ticket(s)." in (await console.page("/")).text
    assert listed((await console.page("/")).text) == []
    forged = await console.http.post(
        "/console/tickets/bulk", data={"csrf": "forged", "action": "resolve", "ids": [three]}
    )
    assert forged.status_code == 403
    unknown = await console.http.post(
        "/console/tickets/bulk",
        data={"csrf": console.token, "action": "assign", "assignee": "zed", "ids": [one]},
    )
    assert unknown.status_code == 303
    assert "zed is neither a console user nor a member of the team." in (await console.page("/")).text


async def test_bulk_assign_refuses_whom_the_ticket_page_refuses_and_changes_nothing(console: Console) -> None:
    """carol is in billing, not a console user: each support ticket's own page refuses her; the bulk
    form (checking against every team's members) gave her both tickets, where support never saw them."""
    console.add_user("amy")
    one, two = [await escalated_with(console, user, "normal") for user in ("ann", "ben")]
    await console.sign_in("amy")
    before = console.rows("SELECT id, status, assignee FROM ticket ORDER BY id")
    events = console.rows("SELECT count(*) FROM ticketevent")
    form = {"csrf": console.token, "action": "assign", "assignee": "carol", "ids": [one, two]}
    assert (await console.http.post("/console/tickets/bulk", data=form)).status_code == 303
    html = (await console.page("/")).text
    assert "Assigned 0 ticket(s) to carol. 2 not changed: " in html
    assert f"#{one}: carol is neither a console user nor a member of the team." in html
    assert console.rows("SELECT id, status, assignee FROM ticket ORDER BY id") == before
    assert console.rows("SELECT count(*) FROM ticketevent") == events
    form["assignee"] = "bob"  # a support member: still fine
    await console.http.post("/console/tickets/bulk", data=form)
    assert [a for _, a in console.rows("SELECT id, assignee FROM ticket ORDER BY id")] == ["bob", "bob"]


async def test_saved_filters_are_links_on_the_queue_page_for_their_owner_only(console: Console) -> None:
    console.add_user("amy")
    console.add_user("dan")
    await console.sign_in("amy")
    saved = await console.post("/filters", name="My overdue", query="assignee=mine&overdue=true&bogus=1")
    assert saved.headers["location"] == "/console/?assignee=mine&overdue=true"
    html = (await console.page("/", assignee="mine", overdue="true")).text
    assert '<a href="/console/?assignee=mine&amp;overdue=true" aria-current="page">My overdue</a>' in html
    await console.sign_in("dan")
    assert "My overdue" not in (await console.page("/")).text
    [(filter_id,)] = console.rows("SELECT id FROM saved_filter")
    await console.post(f"/filters/{filter_id}/delete")  # not dan's: nothing happens
    assert console.rows("SELECT count(*) FROM saved_filter") == [(1,)]
    await console.sign_in("amy")
    await console.post(f"/filters/{filter_id}/delete")
    assert console.rows("SELECT count(*) FROM saved_filter") == [(0,)]


async def test_a_filter_saved_twice_at_once_is_one_filter_with_the_last_query(console: Console) -> None:
    """A double click sent the form twice at once: on PostgreSQL both inserted the name and the second
    insert's unique violation was a 500."""
    console.add_user("amy")
    await console.sign_in("amy")
    for n in range(3):
        sent = await asyncio.gather(
            *(console.post("/filters", name="Mine", query=f"team=t{n}") for _ in range(8))
        )
        assert [r.status_code for r in sent] == [303] * 8
    [(query,)] = console.rows("select query from saved_filter")
    assert query == "team=t2"


async def test_a_filter_too_long_as_a_link_or_without_a_name_is_refused_and_nothing_is_saved(
    console: Console,
) -> None:
    """The query is kept as its link (percent-encoded): 120 characters of "é" are 725 as a link, past
    the column's 500, and PostgreSQL's refusal was a 500 (SQLite kept it whole). A name of only
    spaces was saved as a filter named ""."""
    console.add_user("amy")
    await console.sign_in("amy")
    for name, query in (("Mine", "team=" + "é" * 120), ("Mine", "team=" + "<" * 400), (" \u200b ", "team=a")):
        refused = await console.post("/filters", name=name, query=query)
        assert refused.status_code == 400, refused.text
        assert ("500 characters" in refused.text) != ("team=a" in query), refused.text
    assert console.rows("select count(*) from saved_filter") == [(0,)]
    kept = await console.post("/filters", name=" Mine ", query="team=" + "é" * 80)  # 485 as a link
    assert kept.status_code == 303
    assert console.rows("select name, length(query) from saved_filter") == [("Mine", 485)]


async def test_the_live_stream_says_how_many_are_open_and_the_rows_come_as_a_fragment(
    console: Console,
) -> None:
    console.add_user("amy")
    await console.sign_in("amy")
    app = console.http._transport.app  # the console is mounted at /console
    console_app = next(r.app for r in app.routes if getattr(r, "path", "") == "/console")
    console_app.state.live = LiveSettings(poll=0.01, lifetime=0.0)  # one event, then the stream ends
    first = await console.http.get("/console/events")
    assert first.headers["content-type"].startswith("text/event-stream")
    assert _queue_events(first.text) == [{"open": 0, "latest": 0, "latest_open": 0, "changed": ""}]
    ticket = await escalated_with(console, "ann", "high")
    [event] = _queue_events((await console.http.get("/console/events")).text)
    assert (event["open"], event["latest"]) == (1, ticket) and event["changed"]
    fragment = (await console.page("/", fragment="true")).text
    assert fragment.startswith('<tbody id="rows" data-total="1"') and "<html" not in fragment
    assert listed(fragment) == [ticket]
    # A conversation's page follows its newest message, and fetches only the transcript again.
    [(conversation,)] = console.rows(f"select conversation_id from ticket where id = {ticket}")
    [before] = _queue_events((await console.http.get(f"/console/events?conversation={conversation}")).text)
    await customer_says(console.http, "ann", text="any news?")
    [after] = _queue_events((await console.http.get(f"/console/events?conversation={conversation}")).text)
    assert after["messages"] > before["messages"] > 0
    transcript = (await console.page(f"/conversations/{conversation}/transcript")).text
    assert transcript.strip().startswith('<ol id="transcript"') and "any news?" in transcript
    console.http.headers.pop("Authorization", None)
    await console.post("/logout")
    assert (await console.http.get("/console/events")).status_code == 303


async def test_a_live_stream_ends_when_its_session_does(console: Console) -> None:
    """A stream lasts minutes; a password change (or signing out, or removing the user) ends what it
    shows at once. Before, it went on telling the queue's changes until its lifetime ran out."""
    console.add_user("amy")
    await console.sign_in("amy")
    app = console.http._transport.app
    console_app = next(r.app for r in app.routes if getattr(r, "path", "") == "/console")
    console_app.state.live = LiveSettings(poll=0.02, lifetime=20.0)
    streaming = asyncio.create_task(console.http.get("/console/events"))
    await asyncio.sleep(0.3)
    console.users.set_password("amy", "another long password")  # ends amy's sessions
    ticket = await escalated_with(console, "ann", "high")  # the queue changes after that
    started = time.monotonic()
    body = (await asyncio.wait_for(streaming, timeout=10)).text
    assert time.monotonic() - started < 5
    assert _queue_events(body) == [{"open": 0, "latest": 0, "latest_open": 0, "changed": ""}], ticket


async def test_a_live_stream_for_a_conversation_that_does_not_exist_is_refused_at_once(
    console: Console,
) -> None:
    """Like the conversation's page: a 404. Before, the stream ran until its lifetime ended."""
    console.add_user("amy")
    await console.sign_in("amy")
    _console_app(console).state.live = LiveSettings(poll=0.02, lifetime=20.0)
    response = await asyncio.wait_for(console.http.get("/console/events?conversation=999999"), timeout=3)
    assert response.status_code == 404
    assert "no conversation with id 999999" in response.text


async def test_one_user_holds_at_most_twenty_live_streams_and_closing_one_frees_its_slot(
    console: Console,
) -> None:
    """A person with many tabs, not a script: the 21st stream gets a 429 with Retry-After (before,
    every one was served and held a database poll for its whole lifetime)."""
    console.add_user("amy")
    await console.sign_in("amy")
    app = _console_app(console)
    app.state.live = LiveSettings(poll=0.05, lifetime=30.0)
    streams = [asyncio.create_task(console.http.get("/console/events")) for _ in range(20)]
    try:
        deadline = time.monotonic() + 5  # until all 20 hold their slots (before the fix: no slots)
        while _open_streams(app, "amy") < 20 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        refused = await asyncio.wait_for(console.http.get("/console/events"), timeout=3)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert "at most 20" in refused.text
        streams[0].cancel()  # one tab closed
        await asyncio.gather(streams[0], return_exceptions=True)
        assert _open_streams(app, "amy") == 19
        app.state.live = LiveSettings(poll=0.05, lifetime=0.0)
        again = await asyncio.wait_for(console.http.get("/console/events"), timeout=3)
        assert again.status_code == 200 and _queue_events(again.text)
    finally:
        for stream in streams:
            stream.cancel()
        await asyncio.gather(*streams, return_exceptions=True)
    assert app.state.live_streams.keys == frozenset()


def _open_streams(app: Any, user: str) -> int:
    slots: Any = getattr(app.state, "live_streams", None)
    return 0 if slots is None else int(slots.count(user))


def _console_app(console: Console) -> Any:
    app = console.http._transport.app  # the console is mounted at /console
    return next(r.app for r in app.routes if getattr(r, "path", "") == "/console")


def _queue_events(body: str) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]
