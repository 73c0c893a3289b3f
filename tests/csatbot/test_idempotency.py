"""A support-API request sent with an ``Idempotency-Key``, on SQLite and PostgreSQL: a repeat (a retry
after a timeout, two sent at once) does nothing again and answers what the first one answered; the
key sent with another route or body is a 422 that says so (IETF httpapi idempotency-key draft)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import select

from csatbot.console.users import Users
from csatbot.runtime import Runtime
from models.tables import AuditEvent, LinkToken

from ..conftest import CONFIG, AsAgent, api_headers, conversation_of, customer_says, served

_LINKS = select(func.count()).select_from(LinkToken)
_AUDITS = select(func.count()).select_from(AuditEvent)


@pytest.fixture
def runtime(database_url: str) -> Runtime:
    return Runtime(CONFIG, database_url, tick_seconds=0.1)


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with served(runtime) as http:
        yield http


@pytest.fixture
def as_agent(runtime: Runtime) -> AsAgent:
    return lambda name, role="agent": api_headers(runtime.database, name, role)


async def open_conversation(client: httpx.AsyncClient, user: str) -> int:
    assert (await customer_says(client, user, text="my parcel is late")).status_code == 202
    return await conversation_of(client, user)


async def open_ticket(client: httpx.AsyncClient, headers: dict[str, str], user: str) -> str:
    """The path of a new ticket on ``user``'s new conversation."""
    conversation_id = await open_conversation(client, user)
    escalate = f"/api/conversations/{conversation_id}/escalate"
    opened = await client.post(escalate, json={"reason": "asked for a manager"}, headers=headers)
    assert opened.status_code == 200, opened.text
    return f"/api/tickets/{opened.json()['id']}"


async def customer_of(client: httpx.AsyncClient, user: str) -> int:
    """The customer id of ``user``'s new conversation."""
    conversation_id = await open_conversation(client, user)
    return int((await client.get(f"/api/conversations/{conversation_id}")).json()["customer"]["id"])


async def sent_four_times(send: Callable[[], Awaitable[httpx.Response]]) -> list[httpx.Response]:
    """``send`` three times at once, then once more (a retry after a timeout): every copy must get
    the first one's status and body."""
    copies = list(await asyncio.gather(*(send() for _ in range(3))))
    copies.append(await send())
    assert [(r.status_code, r.json()) for r in copies] == [(copies[0].status_code, copies[0].json())] * 4
    return copies


async def test_a_retried_reply_with_the_same_idempotency_key_goes_out_once(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    """A client that retries a POST after a timeout (or sends it twice at once) with the same
    ``Idempotency-Key`` gets the first request's answer (same status, same body) and the customer one
    reply; the same key with another body or on another route is a 422 saying so, and sends nothing.
    Hunt 15: a repeated conversation reply answered 409, so a client retrying after a timeout could
    not learn the message id of the reply that did go out. A new key sends again."""
    bob = as_agent("bob")
    conversation_id = await open_conversation(client, "tia")
    opened = await client.post(
        f"/api/conversations/{conversation_id}/escalate", json={"reason": "asked for a manager"}, headers=bob
    )
    path = f"/api/tickets/{opened.json()['id']}"
    once = bob | {"Idempotency-Key": "9b1f0c2e-reply-1"}
    twice = await asyncio.gather(
        *(client.post(f"{path}/reply", json={"text": "on its way"}, headers=once) for _ in range(2))
    )
    assert [r.status_code for r in twice] == [200, 200]
    assert twice[0].json()["id"] == twice[1].json()["id"] == opened.json()["id"]
    replied = f"/api/conversations/{conversation_id}/reply"
    again = bob | {"Idempotency-Key": "9b1f0c2e-reply-2"}
    at_once = await asyncio.gather(
        *(client.post(replied, json={"text": "tracking: 42"}, headers=again) for _ in range(3))
    )
    later = await client.post(replied, json={"text": "tracking: 42"}, headers=again)
    assert [(r.status_code, r.json()) for r in [*at_once, later]] == [(202, at_once[0].json())] * 4
    other_text = await client.post(replied, json={"text": "tracking: 43"}, headers=again)
    other_route = await client.post(f"{path}/reply", json={"text": "tracking: 42"}, headers=again)
    other_ticket_text = await client.post(f"{path}/reply", json={"text": "on its way!"}, headers=once)
    for refused in (other_text, other_route, other_ticket_text):
        assert refused.status_code == 422
        assert "was used for a different request" in refused.json()["detail"]
    new_key = bob | {"Idempotency-Key": "9b1f0c2e-reply-3"}
    assert (await client.post(replied, json={"text": "tracking: 42"}, headers=new_key)).status_code == 202
    assert (await client.post(replied, json={"text": "tracking: 42"}, headers=bob)).status_code == 202
    amy = as_agent("amy")  # keys are each caller's own
    amy_once = amy | {"Idempotency-Key": "9b1f0c2e-reply-2"}
    assert (await client.post(replied, json={"text": "amy here"}, headers=amy_once)).status_code == 202
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert [m["text"] for m in detail["transcript"] if m["author"].startswith("agent:")] == [
        "on its way",
        "tracking: 42",
        "tracking: 42",
        "tracking: 42",
        "amy here",
    ]
    events = (await client.get(path)).json()["events"]
    assert [e["action"] for e in events].count("replied") == 1


ACTIONS = [
    ("claim", {}),
    ("assign", {"assignee": "dan"}),
    ("note", {"text": "called the depot"}),
    ("reply", {"text": "on its way"}),
    ("resolve", {}),
]


async def test_every_ticket_action_sent_twice_at_once_happens_once(
    client: httpx.AsyncClient, runtime: Runtime, as_agent: AsAgent
) -> None:
    """Each ticket action, sent four times at once and once more later with one key, happens once
    (one event each) and every copy gets the first one's status; the key sent with another action
    is refused and does nothing."""
    Users(runtime.database).add("dan", "a long enough password", "agent")
    bob = as_agent("bob")
    path = await open_ticket(client, bob, "uma")
    for action, body in ACTIONS:
        keyed = bob | {"Idempotency-Key": f"k-{action}"}
        copies = await asyncio.gather(
            *(client.post(f"{path}/{action}", json=body, headers=keyed) for _ in range(4))
        )
        copies.append(await client.post(f"{path}/{action}", json=body, headers=keyed))
        assert [r.status_code for r in copies] == [200] * 5, [r.text for r in copies]
        reused = await client.post(f"{path}/close", json={}, headers=keyed)
        assert reused.status_code == 422
        assert f"'k-{action}' was used for a different request" in reused.json()["detail"]
    ticket = (await client.get(path)).json()
    assert ticket["status"] == "resolved"
    actions = [e["action"] for e in ticket["events"]]
    assert actions == ["opened", "claimed", "assigned", "note", "replied", "resolved"]


async def test_a_request_that_failed_leaves_its_key_free(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    """A request refused (an unknown ticket, 404) does nothing and keeps nothing: the same key on the
    right ticket then works, once."""
    bob = as_agent("bob")
    path = await open_ticket(client, bob, "vic")
    keyed = bob | {"Idempotency-Key": "retry-after-a-typo"}
    missing = await client.post("/api/tickets/999999/note", json={"text": "seen"}, headers=keyed)
    assert missing.status_code == 404
    first, again = [await client.post(f"{path}/note", json={"text": "seen"}, headers=keyed) for _ in range(2)]
    assert (first.status_code, again.status_code) == (200, 200)
    assert [e["action"] for e in (await client.get(path)).json()["events"]].count("note") == 1


@pytest.mark.parametrize(
    ("key", "says"),
    [
        *((key, "Idempotency-Key") for key in ("", "x" * 129, "caf\u00e9", "tab\there")),
        # In process (a served app's HTTP server strips a blank key to an empty one): it was taken.
        (" ", "Idempotency-Key is only spaces"),
        ("   ", "Idempotency-Key is only spaces"),
    ],
)
async def test_a_key_that_is_not_printable_ascii_is_refused(
    client: httpx.AsyncClient, as_agent: AsAgent, key: str, says: str
) -> None:
    """An empty, blank, overlong or non-ASCII key (stored as given, so every database must hold it)
    is a 422 naming the header, and nothing is sent."""
    bob = as_agent("bob")
    conversation_id = await open_conversation(client, "wes")
    headers = [*bob.items(), ("Idempotency-Key", key.encode("latin-1"))]
    replied = await client.post(
        f"/api/conversations/{conversation_id}/reply", json={"text": "hi"}, headers=headers
    )
    assert replied.status_code == 422
    assert says in replied.text
    transcript = (await client.get(f"/api/conversations/{conversation_id}")).json()["transcript"]
    assert [m["author"] for m in transcript if m["author"].startswith("agent:")] == []


@pytest.mark.parametrize("text", ["a\\ud800b", "\\udfff"])
async def test_a_keyed_body_holding_a_lone_surrogate_is_refused_and_leaves_the_key_free(
    client: httpx.AsyncClient, as_agent: AsAgent, text: str
) -> None:
    """A lone surrogate (``"\\ud800"`` in the JSON: the key's digest could not be taken of it) is a
    422 before the key is taken, on both keyed routes; the same key with a clean body then works."""
    bob = as_agent("bob")
    conversation_id = await open_conversation(client, "xia")
    path = await open_ticket(client, bob, "yan")
    for url in (f"/api/conversations/{conversation_id}/reply", f"{path}/note"):
        keyed = bob | {"Idempotency-Key": url, "Content-Type": "application/json"}
        refused = await client.post(url, content=b'{"text": "' + text.encode() + b'"}', headers=keyed)
        assert refused.status_code == 422
        assert "lone surrogates" in refused.text
        assert (await client.post(url, json={"text": "clean"}, headers=keyed)).status_code in (200, 202)


async def test_an_escalation_sent_with_one_key_adds_its_reason_once(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    """Hunt 16: an escalation retried (or sent three times at once) with one ``Idempotency-Key``
    opens one ticket holding the reason once, and every copy answers that ticket, also once the
    ticket is resolved; the key with another reason is a 422 and adds nothing. Before, a retry
    that came after the ticket was resolved opened a second ticket (and told the team again)."""
    bob = as_agent("bob")
    conversation_id = await open_conversation(client, "zed")
    escalate = f"/api/conversations/{conversation_id}/escalate"
    keyed = bob | {"Idempotency-Key": "esc-1"}
    copies = await asyncio.gather(
        *(client.post(escalate, json={"reason": "wants a refund"}, headers=keyed) for _ in range(3))
    )
    path = f"/api/tickets/{copies[0].json()['id']}"
    assert (await client.post(f"{path}/resolve", json={}, headers=bob)).status_code == 200
    copies.append(await client.post(escalate, json={"reason": "wants a refund"}, headers=keyed))
    assert [r.status_code for r in copies] == [200] * 4, [r.text for r in copies]
    assert {(r.json()["id"], r.json()["reasons"][0]) for r in copies} == {
        (copies[0].json()["id"], "wants a refund")
    }
    assert [t["id"] for t in (await client.get("/api/tickets")).json()] == [copies[0].json()["id"]]
    assert (await client.get(path)).json()["reasons"] == ["wants a refund"]
    reused = await client.post(escalate, json={"reason": "angry"}, headers=keyed)
    assert reused.status_code == 422
    assert "'esc-1' was used for a different request" in reused.json()["detail"]
    assert (await client.get(path)).json()["reasons"] == ["wants a refund"]
    again = bob | {"Idempotency-Key": "esc-2"}  # a new key escalates again, as without one
    added = await client.post(escalate, json={"reason": "angry"}, headers=again)
    assert (added.status_code, added.json()["reasons"]) == (200, ["angry"])
    assert added.json()["id"] != copies[0].json()["id"]


async def test_a_deep_link_asked_with_one_key_is_made_once(
    client: httpx.AsyncClient, runtime: Runtime, as_agent: AsAgent
) -> None:
    """Hunt 16: a deep link retried (or asked three times at once) with one ``Idempotency-Key``
    answers the same token and expiry each time and stores one token; without a key, or with a new
    one, each call makes a new link (as before); another customer under the key is a 422."""
    bob = as_agent("bob")
    customer_id, other = await customer_of(client, "ana"), await customer_of(client, "ben")
    link = f"/api/customers/{customer_id}/link"
    keyed = bob | {"Idempotency-Key": "link-1"}
    copies = await sent_four_times(lambda: client.post(link, headers=keyed))
    assert copies[0].status_code == 200
    reused = await client.post(f"/api/customers/{other}/link", headers=keyed)
    assert reused.status_code == 422
    fresh = [await client.post(link, headers=h) for h in (bob, bob, bob | {"Idempotency-Key": "link-2"})]
    tokens = {r.json()["token"] for r in [copies[0], *fresh]}
    assert len(tokens) == 4
    assert await runtime.store.read(lambda repo: repo.session.exec(_LINKS).one()) == 4


async def test_a_resolve_sent_with_one_key_answers_as_the_first(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    """Hunt 16: a resolve retried (or sent three times at once) with one ``Idempotency-Key`` answers
    what the first answered (``already_resolved`` false, the same survey) rather than the later
    ``already_resolved`` true; the key with another body is a 422."""
    bob = as_agent("bob")
    conversation_id = await open_conversation(client, "cai")
    resolve = f"/api/conversations/{conversation_id}/resolve"
    keyed = bob | {"Idempotency-Key": "res-1"}
    copies = await sent_four_times(lambda: client.post(resolve, json={}, headers=keyed))
    assert (copies[0].status_code, copies[0].json()["already_resolved"]) == (200, False)
    reused = await client.post(resolve, json={"send_survey_now": True}, headers=keyed)
    assert reused.status_code == 422
    unkeyed = await client.post(resolve, json={}, headers=bob)
    assert unkeyed.json()["already_resolved"] is True


async def test_an_erasure_sent_with_one_key_is_done_and_audited_once(
    client: httpx.AsyncClient, runtime: Runtime, as_agent: AsAgent
) -> None:
    """Hunt 16: an erasure retried (or sent three times at once) with one ``Idempotency-Key`` answers
    the first one's counts each time and leaves one audit entry; without a key a repeat erases (and
    is audited) again, as before."""
    admin = as_agent("ada", "admin")
    erase = f"/api/customers/{await customer_of(client, 'dee')}"
    keyed = admin | {"Idempotency-Key": "erase-1"}
    copies = await sent_four_times(lambda: client.delete(erase, headers=keyed))
    assert (copies[0].status_code, copies[0].json()["erased"]["messages"] >= 1) == (200, True)
    assert await runtime.store.read(lambda repo: repo.session.exec(_AUDITS).one()) == 1
    assert (await client.delete(erase, headers=admin)).status_code == 200
    assert await runtime.store.read(lambda repo: repo.session.exec(_AUDITS).one()) == 2
