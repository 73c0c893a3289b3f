"""The web chat's customer API contract, through the real ASGI app (httpx.ASGITransport): sessions the
server issues, messages, the long poll, and what a customer can (not) see."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.webchat.sessions import ChatSession, ChatSessions, identity_hash
from csatbot.runtime import Runtime

from ...conftest import chat_headers, chat_identity, conversation_of, served

ROOT = Path(__file__).resolve().parents[3]
MESSAGES = "/api/webchat/messages"
SESSION = "/api/webchat/session"


@pytest.fixture
def client(app_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return app_client


async def messages(client: httpx.AsyncClient, user: str, after: int = 0, wait: float = 0) -> dict[str, Any]:
    response = await client.get(
        MESSAGES, params={"after": after, "wait": wait}, headers=await chat_headers(client, user)
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def say(client: httpx.AsyncClient, user: str, /, **body: Any) -> httpx.Response:
    return await client.post(MESSAGES, json=body, headers=await chat_headers(client, user))


async def stored_conversations(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/api/conversations", params={"limit": 500})
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()
    return data


CHOICE = {"survey": "abc", "step": "rating", "value": "4"}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        pytest.param({"text": "hi", "choice": CHOICE}, "exactly one of text and choice", id="both"),
        pytest.param({}, "exactly one of text and choice", id="neither"),
        pytest.param({"text": None, "choice": None}, "exactly one", id="both-null"),
        pytest.param({"user": "bob", "text": "hi"}, "Extra inputs", id="naming-a-user"),
        pytest.param({"text": "x" * 4097}, "at most 4,096 fit in one", id="text-too-long"),
        pytest.param({"text": ""}, "at least 1", id="text-empty"),
        pytest.param({"text": "hi", "id": "i" * 65}, "at most 64", id="client-id-too-long"),
        pytest.param({"choice": {**CHOICE, "value": "v" * 65}}, "at most 64", id="choice-long"),
        pytest.param({"choice": {"survey": "abc", "step": "rating"}}, "Field required", id="no-value"),
        pytest.param({"choice": {**CHOICE, "extra": 1}}, "Extra inputs", id="choice-extra"),
        pytest.param({"text": "hi", "admin": True}, "Extra inputs", id="unknown-field"),
    ],
)
async def test_invalid_messages_are_422_and_nothing_is_stored(
    client: httpx.AsyncClient, body: dict[str, Any], complaint: str
) -> None:
    response = await say(client, "ann", **body)
    assert response.status_code == 422, response.text
    assert complaint in response.text
    assert await stored_conversations(client) == []
    assert (await messages(client, "ann"))["messages"] == []


async def test_without_a_session_nothing_is_read_or_written(client: httpx.AsyncClient) -> None:
    """Before: the only credential was a user id the browser chose, sent in every poll URL."""
    await say(client, "ann", text="my address is 5 Main St")
    forged = ChatSessions("some other key").issue(ChatSession("ann", verified=True))
    for headers in ({}, {"X-Chat-Session": "garbage"}, {"X-Chat-Session": forged}):
        read = await client.get(MESSAGES, headers=headers)
        assert read.status_code == 401 and "POST /api/webchat/session" in read.json()["detail"]
        assert (await client.post(MESSAGES, json={"text": "hi"}, headers=headers)).status_code == 401
    assert (await client.get(MESSAGES, params={"user": "ann"})).status_code == 401
    assert len(await stored_conversations(client)) == 1
    assert [m["text"] for m in (await messages(client, "ann"))["messages"]] == ["my address is 5 Main St"]


async def test_a_signed_identity_needs_the_sites_hmac(client: httpx.AsyncClient) -> None:
    """A site could also sign ``erased-<id>``, the name erasure gives an identity: the chat took the
    erased customer's row (nothing reached them), or erasing web chat identity <id> later failed on
    the name already taken."""
    good = chat_identity("ann")
    assert (await client.post(SESSION, json=good)).status_code == 200
    for wrong in (
        {**good, "user_hash": identity_hash("guessed secret", "ann")},
        {**good, "user_hash": ""},
        {"user_id": "ann", "cookie": False},
        {**good, "user_id": "bob"},  # ann's hash for bob
    ):
        response = await client.post(SESSION, json=wrong)
        assert response.status_code == 403 and "HMAC-SHA256" in response.json()["detail"]
    for reserved in ("anon-abc", "erased-7"):  # an anonymous chat's name, an erased identity's
        refused = await client.post(SESSION, json=chat_identity(reserved))
        assert refused.status_code == 422 and reserved.split("-")[0] in refused.json()["detail"]


async def test_signed_identities_are_off_without_the_secret(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CSATBOT_WEBCHAT_IDENTITY_SECRET")
    response = await client.post(SESSION, json=chat_identity("ann"))
    assert response.status_code == 400
    assert "CSATBOT_WEBCHAT_IDENTITY_SECRET" in response.json()["detail"]
    assert (await client.post(SESSION, json={})).status_code == 200  # anonymous chats still work


async def test_the_page_gets_an_httponly_cookie_and_stays_the_same_anonymous_customer(
    app_runtime: Runtime,
) -> None:
    async with served(app_runtime, signed_in=False) as browser:
        started = await browser.post(SESSION, json={})
        assert started.status_code == 200 and started.json()["verified"] is False
        assert started.json()["token"] is None  # the page never sees the token
        cookie = started.headers["set-cookie"].lower()
        for flag in ("httponly", "samesite=lax", "path=/api/webchat", "max-age=604800"):
            assert flag in cookie, flag
        assert (await browser.post(MESSAGES, json={"text": "hello"})).status_code == 202
        renewed = await browser.post(SESSION, json={})  # the page loads again
        assert renewed.status_code == 200
        chat = (await browser.get(MESSAGES)).json()["messages"]
        assert [m["text"] for m in chat] == ["hello"]
        stranger = httpx.AsyncClient(transport=browser._transport, base_url="http://csatbot.test")
        async with stranger:
            await stranger.post(SESSION, json={})
            assert (await stranger.get(MESSAGES)).json()["messages"] == []
        users = [c["customer"]["user"] for c in await stored_conversations_as_admin(app_runtime)]
        assert len(users) == 1 and users[0].startswith("anon-") and len(users[0]) >= 25


async def stored_conversations_as_admin(runtime: Any) -> list[dict[str, Any]]:
    async with served(runtime) as admin:
        return await stored_conversations(admin)


def test_sessions_expire_and_forgeries_fail() -> None:
    sessions = ChatSessions("k" * 32)
    token = sessions.issue(ChatSession("ann", verified=True))
    assert sessions.read(token) == ChatSession("ann", verified=True)
    assert ChatSessions("k" * 32, ttl=sessions.ttl * -1).read(token) is None  # expired
    assert ChatSessions("another key").read(token) is None
    assert sessions.read(token[:-2] + "xx") is None
    assert sessions.read(None) is None and sessions.read("") is None


async def test_a_returning_customer_gets_their_history_on_another_device(client: httpx.AsyncClient) -> None:
    await say(client, "ann.lee@example.com", text="first visit")
    phone = await chat_headers(client, "ann.lee@example.com")  # a new session, the same signed id
    chat = (await client.get(MESSAGES, headers=phone)).json()["messages"]
    assert [m["text"] for m in chat] == ["first visit"]


async def test_a_text_message_is_stored_and_read_back_without_internal_fields(
    client: httpx.AsyncClient,
) -> None:
    longest = "好" * 4096
    response = await say(client, "ann.lee@example.com", text=longest, name="Ann")
    assert response.status_code == 202, response.text
    assert response.json() == {"duplicate": False, "survey_id": None, "stale": False}
    [message] = (await messages(client, "ann.lee@example.com"))["messages"]
    assert (message["direction"], message["author"], message["text"]) == ("in", "customer", longest)
    assert set(message) <= {"id", "direction", "author", "text", "at", "prompt", "recorded", "survey_id"}
    [listed] = await stored_conversations(client)
    assert listed["customer"]["name"] == "Ann" and listed["status"] == "open"
    assert listed["customer"]["user"] == "ann.lee@example.com"


async def test_a_resend_with_the_same_id_is_reported_as_duplicate_and_stored_once(
    client: httpx.AsyncClient,
) -> None:
    first = await say(client, "ann", text="hello", id="c-1")
    again = await say(client, "ann", text="hello", id="c-1")
    assert first.json()["duplicate"] is False and again.json()["duplicate"] is True
    assert [m["text"] for m in (await messages(client, "ann"))["messages"]] == ["hello"]


async def test_another_customers_client_id_never_swallows_a_message(client: httpx.AsyncClient) -> None:
    await say(client, "ann", text="hello", id="c-1")
    bob = await say(client, "bob", text="hi, I am bob", id="c-1")
    assert bob.json()["duplicate"] is False
    assert [m["text"] for m in (await messages(client, "bob"))["messages"]] == ["hi, I am bob"]


async def test_a_tap_with_no_survey_under_way_changes_nothing(client: httpx.AsyncClient) -> None:
    response = await say(client, "ann", choice=CHOICE)
    assert response.status_code == 202
    assert response.json() == {"duplicate": False, "survey_id": None, "stale": True}  # the page catches up
    assert await stored_conversations(client) == []
    assert (await messages(client, "ann"))["messages"] == []


async def test_the_after_cursor_returns_only_newer_messages(client: httpx.AsyncClient) -> None:
    for text in ("one", "two", "three"):
        await say(client, "ann", text=text)
    await say(client, "bob", text="not yours")
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
    await say(client, "ann", text="hi")
    conversation_id = await conversation_of(client, "ann")
    after = (await messages(client, "ann"))["last_id"]
    started = time.monotonic()
    poll = asyncio.create_task(messages(client, "ann", after=after, wait=20))
    done, _ = await asyncio.wait({poll}, timeout=0.3)
    assert not done, "the long poll returned although nothing was new"
    resolved = await client.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
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
    await say(client, "ann", text="typed in the other tab")
    data = await asyncio.wait_for(poll, 5)
    assert [m["text"] for m in data["messages"]] == ["typed in the other tab"]


async def test_a_long_poll_with_nothing_new_returns_empty_after_the_wait(client: httpx.AsyncClient) -> None:
    started = time.monotonic()
    data = await messages(client, "ann", after=3, wait=0.3)
    assert data == {"messages": [], "last_id": 3}
    assert time.monotonic() - started >= 0.3


async def test_long_poll_state_is_freed_and_bounded(client: httpx.AsyncClient, app_runtime: Runtime) -> None:
    """Before: every distinct user id left about 1 KB behind for good."""
    channel = app_runtime.webchat
    polls = [await chat_headers(client, f"poller-{i}") for i in range(30)]
    await asyncio.gather(*(client.get(MESSAGES, params={"wait": 0.05}, headers=h) for h in polls))
    assert (channel.waiting, channel.tracked) == (0, 0)
    ann = await chat_headers(client, "ann")
    held = [asyncio.create_task(client.get(MESSAGES, params={"wait": 5}, headers=ann)) for _ in range(8)]
    while channel.waiting < 8:
        await asyncio.sleep(0.01)
    busy = await client.get(MESSAGES, params={"wait": 5}, headers=ann)
    assert busy.status_code == 429 and busy.headers["retry-after"] == "1"
    assert (await client.get(MESSAGES, headers=ann)).status_code == 200  # reading without waiting is fine
    await say(client, "ann", text="wake up")
    assert {r.status_code for r in await asyncio.gather(*held)} == {200}
    assert (channel.waiting, channel.tracked) == (0, 0)


@pytest.mark.parametrize(
    "params",
    [{"after": -1}, {"wait": 31}, {"after": 2**63}, {"after": 2**31}, {"wait": "soon"}],
    ids=["negative-after", "wait-too-long", "after-too-big", "after-past-a-row-id", "wait-not-a-number"],
)
async def test_bad_read_parameters_are_422(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    headers = await chat_headers(client, "ann")
    assert (await client.get(MESSAGES, params=params, headers=headers)).status_code == 422


async def test_the_page_and_its_assets_are_served_and_nothing_else(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/webchat/chat.js"' in page.text
    assert "/agent" not in page.text and "agent desk" not in page.text  # no staff link for customers
    for name, kind in (("chat.js", "javascript"), ("chat.css", "text/css")):
        asset = await client.get(f"/static/webchat/{name}")
        assert asset.status_code == 200 and kind in asset.headers["content-type"]
        head = await client.head(f"/static/webchat/{name}")  # as the page's HEAD (caches, CDNs): not 405
        assert (head.status_code, head.content) == (200, b"") and kind in head.headers["content-type"]
    script = (await client.get("/static/webchat/chat.js")).text
    assert "?user=" not in script and 'params.get("user")' not in script and "/agent" not in script
    for sneaky in ("api.py", "..%2Fapi.py", "%2E%2E/channel.py", "nope.js"):
        assert (await client.get(f"/static/webchat/{sneaky}")).status_code == 404


async def test_an_asset_name_too_long_for_the_file_system_is_404_not_500(client: httpx.AsyncClient) -> None:
    for name in ("a" * 256, "a" * 5000, "é" * 200):  # over 255 bytes: the stat raised OSError (ENAMETOOLONG)
        response = await client.get(f"/static/webchat/{name}")
        assert response.status_code == 404, response.text[:200]


async def test_the_page_is_served_with_a_content_security_policy(client: httpx.AsyncClient) -> None:
    for path in ("/", "/static/webchat/chat.js"):
        headers = (await client.get(path)).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


async def test_a_customer_writing_faster_than_a_person_gets_429_and_nothing_more_is_stored(
    client: httpx.AsyncClient, app_runtime: Runtime
) -> None:
    headers = await chat_headers(client, "flood")
    started = time.monotonic()
    answers: list[int] = []
    while 429 not in answers and len(answers) < 100:
        answers.append(
            (await client.post(MESSAGES, json={"text": f"spam {len(answers)}"}, headers=headers)).status_code
        )
    refill = int(time.monotonic() - started) + 1  # one more a second (60 a minute) on a slow machine
    assert answers[:20] == [202] * 20 and answers[-1] == 429  # a first 20 at once, then refused
    assert answers.count(202) <= 20 + refill
    accepted = answers.count(202)
    refused = await client.post(MESSAGES, json={"text": "more"}, headers=headers)
    if refused.status_code == 202:  # the bucket refilled in between: the next one at once is refused
        accepted += 1
        refused = await client.post(MESSAGES, json={"text": "more"}, headers=headers)
    assert refused.headers["retry-after"] == "1" and "at most 60 a minute" in refused.json()["detail"]
    with app_runtime.database.reader.connect() as conn:
        stored = conn.exec_driver_sql(
            "select count(*) from message where text like 'spam %' or text = 'more'"
        ).scalar()
    assert stored == accepted
    assert (await say(client, "someone-else", text="hello")).status_code == 202  # per customer


async def test_one_address_may_start_only_so_many_sessions_a_minute(client: httpx.AsyncClient) -> None:
    outside = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client._transport.app, client=("203.0.113.7", 40000)),  # type: ignore[attr-defined]
        base_url="http://chat.test",
    )
    async with outside:
        started = [(await outside.post(SESSION, json={"cookie": False})).status_code for _ in range(32)]
        assert started == [200] * 30 + [429] * 2
        other = httpx.ASGITransport(app=client._transport.app, client=("203.0.113.8", 40000))  # type: ignore[attr-defined]
        async with httpx.AsyncClient(transport=other, base_url="http://chat.test") as neighbour:
            assert (await neighbour.post(SESSION, json={"cookie": False})).status_code == 200
    # loopback (a local proxy that forwards no addresses, the tests) is never limited
    local = [(await client.post(SESSION, json={"cookie": False})).status_code for _ in range(35)]
    assert local == [200] * 35


async def test_one_address_may_write_only_so_many_messages_whatever_its_sessions(
    client: httpx.AsyncClient, app_runtime: Runtime
) -> None:
    """Each new session brought its own 20 at once and 60 a minute: measured on 2026-12-06, one
    address stored 660 messages in 8 s through 33 sessions, and wrote faster the longer it went on.
    All the customers of an address now share 300 a minute after a first 100."""
    app = client._transport.app  # type: ignore[attr-defined]
    outside = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.9", 40000)), base_url="http://chat.test"
    )
    started = time.monotonic()
    answers: list[int] = []
    refused: httpx.Response | None = None
    async with outside:
        # fresh customers of one address, 16 messages each (under their own 20), until refused:
        # a slow machine refills the address's bucket meanwhile (5 a second), so no fixed count
        for _ in range(25):
            token = (await outside.post(SESSION, json={"cookie": False})).json()["token"]
            for i in range(16):
                sent = await outside.post(
                    MESSAGES, json={"text": f"flood {i}"}, headers={"X-Chat-Session": token}
                )
                answers.append(sent.status_code)
                refused = refused or (sent if sent.status_code == 429 else None)
            if refused is not None:
                break
    refill = int((time.monotonic() - started) * 5) + 1  # 300 a minute: 5 a second
    assert answers[:100] == [202] * 100 and answers.count(202) <= 100 + refill
    assert refused is not None and "from this address" in refused.json()["detail"]
    with app_runtime.database.reader.connect() as conn:
        stored = conn.exec_driver_sql("select count(*) from message where text like 'flood %'").scalar()
    assert stored == answers.count(202)


async def test_addresses_of_one_ipv6_network_share_the_session_limit(client: httpx.AsyncClient) -> None:
    """Any IPv6 host holds a /64 network (2**64 addresses): one address per request started
    unlimited anonymous sessions. A /64 is counted as one address; another /64 is another one."""
    app = client._transport.app  # type: ignore[attr-defined]

    async def start(address: str) -> int:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://chat.test") as outside:
            return (await outside.post(SESSION, json={"cookie": False})).status_code

    started = [await start(f"2001:db8:7:1::{i:x}") for i in range(1, 33)]
    assert started == [200] * 30 + [429] * 2
    assert await start("2001:db8:7:2::1") == 200


async def test_the_page_fetching_a_survey_question_marks_the_survey_opened_once(
    client: httpx.AsyncClient, app_runtime: Runtime
) -> None:
    def opened() -> list[Any]:
        with app_runtime.database.reader.connect() as conn:
            return list(conn.exec_driver_sql("select opened_at from survey"))

    await say(client, "ann", text="hi")
    conversation_id = await conversation_of(client, "ann")
    before = (await messages(client, "ann"))["last_id"]
    resolved = await client.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200
    deadline = time.monotonic() + 10
    while (await client.get(f"/api/conversations/{conversation_id}")).json()["survey"]["status"] != "active":
        assert time.monotonic() < deadline, "the survey was not sent"
        await asyncio.sleep(0.05)
    assert opened() == [(None,)]  # sent, not seen: the page has not fetched it
    [question] = (await messages(client, "ann", after=before))["messages"]
    assert question["prompt"]["type"] == "AskRating"
    [(first,)] = opened()
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert first is not None and detail["survey"]["opened_at"] is not None
    await messages(client, "ann")  # a reload fetches it again: the first sighting stays
    assert opened() == [(first,)]
    funnel = (await client.get("/api/reports/funnel")).json()
    assert (funnel["total"]["opened"], funnel["by_channel"]["webchat"]["open_rate"]) == (1, 1.0)
