"""The web chat's customer API contract, through the real ASGI app (httpx.ASGITransport)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
MESSAGES = "/api/webchat/messages"


@pytest.fixture
def client(app_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return app_client


async def messages(client: httpx.AsyncClient, user: str, after: int = 0, wait: float = 0) -> dict[str, Any]:
    response = await client.get(MESSAGES, params={"user": user, "after": after, "wait": wait})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def stored_conversations(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/api/conversations", params={"limit": 500})
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()
    return data


CHOICE = {"survey": "abc", "step": "rating", "value": "4"}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        pytest.param(
            {"user": "ann", "text": "hi", "choice": CHOICE}, "exactly one of text and choice", id="both"
        ),
        pytest.param({"user": "ann"}, "exactly one of text and choice", id="neither"),
        pytest.param({"user": "ann", "text": None, "choice": None}, "exactly one", id="both-null"),
        pytest.param({"user": "ann smith", "text": "hi"}, "pattern", id="user-with-space"),
        pytest.param({"user": "../etc", "text": "hi"}, "pattern", id="user-with-slash"),
        pytest.param({"user": "", "text": "hi"}, "at least 1", id="user-empty"),
        pytest.param({"user": "u" * 129, "text": "hi"}, "at most 128", id="user-too-long"),
        pytest.param({"text": "hi"}, "Field required", id="user-missing"),
        pytest.param({"user": "ann", "text": "x" * 4097}, "at most 4096", id="text-too-long"),
        pytest.param({"user": "ann", "text": ""}, "at least 1", id="text-empty"),
        pytest.param({"user": "ann", "text": "hi", "id": "i" * 65}, "at most 64", id="client-id-too-long"),
        pytest.param(
            {"user": "ann", "choice": {**CHOICE, "value": "v" * 65}}, "at most 64", id="choice-long"
        ),
        pytest.param(
            {"user": "ann", "choice": {"survey": "abc", "step": "rating"}}, "Field required", id="no-value"
        ),
        pytest.param({"user": "ann", "choice": {**CHOICE, "extra": 1}}, "Extra inputs", id="choice-extra"),
        pytest.param({"user": "ann", "text": "hi", "admin": True}, "Extra inputs", id="unknown-field"),
    ],
)
async def test_invalid_messages_are_422_and_nothing_is_stored(
    client: httpx.AsyncClient, body: dict[str, Any], complaint: str
) -> None:
    response = await client.post(MESSAGES, json=body)
    assert response.status_code == 422, response.text
    assert complaint in response.text
    assert await stored_conversations(client) == []
    for user in {"ann", str(body.get("user") or "ann")}:
        if 0 < len(user) <= 128:
            assert (await messages(client, user))["messages"] == []


async def test_a_text_message_is_stored_and_read_back(client: httpx.AsyncClient) -> None:
    longest = "好" * 4096
    response = await client.post(
        MESSAGES, json={"user": "ann.lee@example.com", "text": longest, "name": "Ann"}
    )
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["duplicate"] is False and isinstance(accepted["conversation_id"], int)
    [message] = (await messages(client, "ann.lee@example.com"))["messages"]
    assert (message["direction"], message["author"], message["text"]) == ("in", "customer", longest)
    assert message["conversation_id"] == accepted["conversation_id"]
    [listed] = await stored_conversations(client)
    assert listed["customer"]["name"] == "Ann" and listed["status"] == "open"


async def test_a_resend_with_the_same_id_is_reported_as_duplicate_and_stored_once(
    client: httpx.AsyncClient,
) -> None:
    first = await client.post(MESSAGES, json={"user": "ann", "text": "hello", "id": "c-1"})
    again = await client.post(MESSAGES, json={"user": "ann", "text": "hello", "id": "c-1"})
    assert first.json()["duplicate"] is False and again.json()["duplicate"] is True
    assert [m["text"] for m in (await messages(client, "ann"))["messages"]] == ["hello"]


async def test_a_tap_with_no_survey_under_way_changes_nothing(client: httpx.AsyncClient) -> None:
    response = await client.post(MESSAGES, json={"user": "ann", "choice": CHOICE})
    assert response.status_code == 202
    assert response.json() == {"duplicate": False, "conversation_id": None, "survey_id": None}
    assert await stored_conversations(client) == []
    assert (await messages(client, "ann"))["messages"] == []


async def test_the_after_cursor_returns_only_newer_messages(client: httpx.AsyncClient) -> None:
    for text in ("one", "two", "three"):
        await client.post(MESSAGES, json={"user": "ann", "text": text})
    await client.post(MESSAGES, json={"user": "bob", "text": "not yours"})
    everything = await messages(client, "ann")
    ids = [m["id"] for m in everything["messages"]]
    assert [m["text"] for m in everything["messages"]] == ["one", "two", "three"]
    assert ids == sorted(ids) and everything["last_id"] == ids[-1]
    later = await messages(client, "ann", after=ids[0])
    assert [m["text"] for m in later["messages"]] == ["two", "three"] and later["last_id"] == ids[-1]
    assert await messages(client, "ann", after=ids[-1]) == {"messages": [], "last_id": ids[-1]}
    assert await messages(client, "nobody", after=7) == {"messages": [], "last_id": 7}


async def test_a_long_poll_waits_and_returns_as_soon_as_a_bot_message_arrives(
    client: httpx.AsyncClient,
) -> None:
    accepted = (await client.post(MESSAGES, json={"user": "ann", "text": "hi"})).json()
    after = (await messages(client, "ann"))["last_id"]
    started = time.monotonic()
    poll = asyncio.create_task(messages(client, "ann", after=after, wait=20))
    done, _ = await asyncio.wait({poll}, timeout=0.3)
    assert not done, "the long poll returned although nothing was new"
    resolved = await client.post(
        f"/api/conversations/{accepted['conversation_id']}/resolve",
        json={"send_survey_now": True},
    )
    assert resolved.status_code == 200
    data = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - started < 5
    [question] = data["messages"]
    assert question["author"] == "bot" and question["prompt"]["type"] == "AskRating"
    assert question["prompt"]["survey"] == resolved.json()["survey_id"]
    assert data["last_id"] == question["id"]


async def test_a_long_poll_returns_when_the_customer_writes_from_another_tab(
    client: httpx.AsyncClient,
) -> None:
    poll = asyncio.create_task(messages(client, "ann", wait=20))
    done, _ = await asyncio.wait({poll}, timeout=0.3)
    assert not done
    await client.post(MESSAGES, json={"user": "ann", "text": "typed in the other tab"})
    data = await asyncio.wait_for(poll, 5)
    assert [m["text"] for m in data["messages"]] == ["typed in the other tab"]


async def test_a_long_poll_with_nothing_new_returns_empty_after_the_wait(client: httpx.AsyncClient) -> None:
    started = time.monotonic()
    data = await messages(client, "ann", after=3, wait=0.3)
    assert data == {"messages": [], "last_id": 3}
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize(
    "params",
    [{"user": "ann", "after": -1}, {"user": "ann", "wait": 31}, {"user": ""}, {"after": 0}],
    ids=["negative-after", "wait-too-long", "empty-user", "no-user"],
)
async def test_bad_read_parameters_are_422(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    assert (await client.get(MESSAGES, params=params)).status_code == 422


async def test_the_page_and_its_assets_are_served_and_nothing_else(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/webchat/chat.js"' in page.text
    for name, kind in (("chat.js", "javascript"), ("chat.css", "text/css")):
        asset = await client.get(f"/static/webchat/{name}")
        assert asset.status_code == 200 and kind in asset.headers["content-type"]
    for sneaky in ("api.py", "..%2Fapi.py", "%2E%2E/channel.py", "nope.js"):
        assert (await client.get(f"/static/webchat/{sneaky}")).status_code == 404
