"""Taps and long text from a page that is out of date or bypassed: a late tap from a second tab,
text over the limit, and how many long polls one address may hold."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from csatbot.runtime import Runtime

from ...conftest import chat_headers, conversation_of

MESSAGES = "/api/webchat/messages"


@pytest.fixture
def client(app_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return app_client


async def say(client: httpx.AsyncClient, user: str, /, **body: Any) -> httpx.Response:
    return await client.post(MESSAGES, json=body, headers=await chat_headers(client, user))


async def read(client: httpx.AsyncClient, user: str) -> list[dict[str, Any]]:
    response = await client.get(MESSAGES, headers=await chat_headers(client, user))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["messages"]
    return found


async def surveyed(client: httpx.AsyncClient, user: str) -> tuple[int, dict[str, Any]]:
    """``user`` wrote, the conversation was resolved: (its id, the rating question's prompt)."""
    await say(client, user, text="my parcel is late")
    conversation_id = await conversation_of(client, user)
    resolved = await client.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200, resolved.text
    deadline = time.monotonic() + 10
    while True:
        asked = [
            m["prompt"] for m in await read(client, user) if (m.get("prompt") or {}).get("step") == "rating"
        ]
        if asked:
            return conversation_id, asked[0]
        assert time.monotonic() < deadline, "the survey was not sent"
        await asyncio.sleep(0.05)


def tap(prompt: dict[str, Any], value: str) -> dict[str, Any]:
    return {"choice": {"survey": prompt["survey"], "step": prompt["step"], "value": value, "label": value}}


async def test_a_late_tap_from_another_tab_is_reported_and_stores_nothing(client: httpx.AsyncClient) -> None:
    """Before: the second tab's tap was stored as a message ("4" under the recorded "2"), nothing
    answered it, and the page showed it as sent."""
    conversation_id, rating = await surveyed(client, "ann")
    first = await say(client, "ann", **tap(rating, "2"))
    assert first.json() == {"duplicate": False, "survey_id": rating["survey"], "stale": False}
    before = await read(client, "ann")
    late = await say(client, "ann", **tap(rating, "4"))  # the other tab still showed the stars
    assert late.status_code == 202
    assert late.json() == {"duplicate": False, "survey_id": None, "stale": True}
    assert await read(client, "ann") == before  # nothing stored, nothing asked again
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert [(a["step"], a.get("score")) for a in detail["survey"]["answers"]] == [("rating", 2)]


@pytest.mark.parametrize(
    ("text", "length"),
    [pytest.param("x" * 4097, "4,097", id="latin"), pytest.param("😀" * 5000, "5,000", id="emoji")],
)
async def test_text_over_the_limit_is_refused_with_a_sentence(
    client: httpx.AsyncClient, text: str, length: str
) -> None:
    """What a client that bypasses the page's counter gets (emoji count as one character each)."""
    response = await say(client, "ann", text=text)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["msg"] == (
        f"the message is {length} characters long: at most 4,096 fit in one; send it in parts"
    )
    assert await read(client, "ann") == []


async def test_one_address_may_hold_only_so_many_long_polls(
    client: httpx.AsyncClient, app_runtime: Runtime
) -> None:
    """Before: one address could start 30 sessions a minute with 8 polls each and fill every one of
    the 10,000 slots in about 40 minutes."""
    channel = app_runtime.webchat
    channel.max_per_address = 3
    app = client._transport.app  # type: ignore[attr-defined]

    def from_(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://chat.test", timeout=30)

    async with (
        from_("2001:db8:7:1::1") as one,
        from_("2001:db8:7:1::2") as same_net,
        from_("198.51.100.4") as other,
    ):
        sessions = [await chat_headers(one, f"poller-{i}") for i in range(4)]
        held = [asyncio.create_task(one.get(MESSAGES, params={"wait": 5}, headers=h)) for h in sessions[:3]]
        while channel.waiting < 3:
            await asyncio.sleep(0.01)
        busy = await same_net.get(MESSAGES, params={"wait": 5}, headers=sessions[3])
        assert busy.status_code == 429 and busy.headers["retry-after"] == "5"
        assert busy.json()["detail"] == "too many open long polls from this address (at most 3): retry in 5 s"
        assert (await same_net.get(MESSAGES, headers=sessions[3])).status_code == 200  # no wait: fine
        elsewhere = await other.get(MESSAGES, params={"wait": 0.05}, headers=await chat_headers(other, "bob"))
        assert elsewhere.status_code == 200
        local = await client.get(MESSAGES, params={"wait": 0.05}, headers=await chat_headers(client, "cy"))
        assert local.status_code == 200  # loopback (a proxy that forwards no address) is not counted
        for user in ("poller-0", "poller-1", "poller-2"):
            await say(client, user, text="wake up")
        assert {r.status_code for r in await asyncio.gather(*held)} == {200}
    assert (channel.waiting, channel.tracked) == (0, 0)


async def test_the_skip_tap_skips_and_a_late_one_opens_nothing(client: httpx.AsyncClient) -> None:
    """Before: the page's skip button sent the skip word as text, so a second tab's (or a day-old
    tab's) skip after the survey ended went to support as a new message "skip"."""
    conversation_id, rating = await surveyed(client, "ann")
    await say(client, "ann", **tap(rating, "5"))
    praise = {"survey": rating["survey"], "step": "praise", "value": "", "label": "skip"}
    assert (await say(client, "ann", choice=praise)).json()["stale"] is False
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert detail["survey"]["status"] == "completed"
    assert [a["step"] for a in detail["survey"]["answers"]] == ["rating"]
    before = await read(client, "ann")
    assert (await say(client, "ann", choice=praise)).json()["stale"] is True  # the other tab's skip
    assert await read(client, "ann") == before
    assert len((await client.get("/api/conversations", params={"limit": 500})).json()) == 1


async def test_a_tap_naming_another_survey_is_stale_and_changes_neither(client: httpx.AsyncClient) -> None:
    """A forged or old page's choice: another customer's open survey, or one that does not exist."""
    ann_conversation, ann_rating = await surveyed(client, "ann")
    bob_conversation, bob_rating = await surveyed(client, "bob")
    ann_before, bob_before = await read(client, "ann"), await read(client, "bob")
    made_up = {"choice": {"survey": "zzzzzzzz", "step": "rating", "value": "5", "label": "5"}}
    for body in (tap(bob_rating, "1"), made_up, tap(ann_rating | {"step": "comment"}, "5")):
        response = await say(client, "ann", **body)
        assert (response.status_code, response.json()["stale"]) == (202, True), body
    assert (await read(client, "ann"), await read(client, "bob")) == (ann_before, bob_before)
    for conversation_id in (ann_conversation, bob_conversation):
        survey = (await client.get(f"/api/conversations/{conversation_id}")).json()["survey"]
        assert (survey["status"], survey["answers"]) == ("active", [])


async def test_a_tap_labelled_with_nothing_visible_is_stored_as_its_value(client: httpx.AsyncClient) -> None:
    """The page sends the button's words as ``label`` and the chat shows them as what the customer
    said; a label of spaces or invisible characters was stored as a blank message (a text of them is
    refused), and the transcript showed the customer saying nothing."""
    conversation_id, rating = await surveyed(client, "ann")
    blank = tap(rating, "4")
    blank["choice"]["label"] = " \u200b\ufeff "
    assert (await say(client, "ann", **blank)).json()["stale"] is False
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    said = [m["text"] for m in detail["transcript"] if m["author"] == "customer"]
    assert said == ["my parcel is late", "4"]
    assert [(a["step"], a.get("score")) for a in detail["survey"]["answers"]] == [("rating", 4)]
