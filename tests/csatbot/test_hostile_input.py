"""Hostile input gets a clean 4xx with a message and changes nothing, on SQLite and PostgreSQL.

Each case here was a 500 (or a traceback) before: FastAPI's 422 handler choking on NaN or a lone
surrogate, ids past the integer range, dates near year 1 or 9999, NUL in paths, and report ranges
of thousands of years walked day by day.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from adapters.telegram.wire import decode_update
from bot.errors import WireFormatError
from csatbot.console.users import NAME_CHARS, UserError, check_name_and_role
from csatbot.runtime import Runtime

from ..conftest import CONFIG, api_headers, chat_headers, conversation_of, customer_says, served

BIG = 2**63
PG_MAX = 2**31 - 1


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    runtime = Runtime(CONFIG, database_url, tick_seconds=0.1)
    async with served(runtime) as http:
        yield http


async def stored(app: httpx.AsyncClient) -> tuple[int, int]:
    """(conversations, messages in the first one) as the support API lists them."""
    listed = (await app.get("/api/conversations", params={"limit": 500})).json()
    if not listed:
        return 0, 0
    detail = (await app.get(f"/api/conversations/{listed[0]['id']}")).json()
    return len(listed), len(detail["transcript"])


JSON_BODIES = {
    "lone-surrogate": b'{"text": "\\ud800"}',
    "lone-surrogate-in-key": b'{"text": "hi", "\\udc00": 1}',
    "nan": b'{"text": NaN}',
    "infinity": b'{"text": "hi", "name": Infinity}',
    "overflowing-number": b'{"text": "hi", "id": 1e999}',
    "nul": b'{"text": "a\\u0000b"}',
    "deep": b'{"text": "hi", "name": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "bad-utf8": b'{"text": "\xff"}',
    "5000-digits": b'{"text": "hi", "id": ' + b"9" * 5000 + b"}",  # was a generic 400
    "duplicate-key": b'{"text": "hi", "text": "=1+1"}',  # was taken, the last one winning
    # Hunt 17: JSON between systems is UTF-8 (RFC 8259 8.1); these were taken (Python's json guesses
    # the encoding), so a proxy or filter reading the body as UTF-8 saw something else than we stored.
    "utf-16-bom": '{"text": "hi"}'.encode("utf-16"),
    "utf-16-be": '{"text": "hi"}'.encode("utf-16-be"),
    "utf-32-le": '{"text": "hi"}'.encode("utf-32-le"),
}


@pytest.mark.parametrize("body", JSON_BODIES.values(), ids=JSON_BODIES.keys())
async def test_unusable_json_is_422_with_the_reason_and_changes_nothing(
    app: httpx.AsyncClient, body: bytes
) -> None:
    assert (await customer_says(app, "ann", text="first")).status_code == 202
    conversation = await conversation_of(app, "ann")
    headers = {"content-type": "application/json", **await chat_headers(app, "ann")}
    for path in ("/api/webchat/messages", f"/api/conversations/{conversation}/reply"):
        response = await app.post(path, content=body, headers=headers)
        assert response.status_code == 422, (path, response.text)
        [error] = response.json()["detail"]
        assert error["type"] == "json_invalid" and error["ctx"]["error"], error
    assert await stored(app) == (1, 1)


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_a_body_sent_without_a_json_content_type_is_422_whatever_its_bytes(
    app: httpx.AsyncClient, kind: str | None
) -> None:
    """FastAPI echoes such a body as bytes in its 422; bytes that were not UTF-8 made the echo (and
    the request) a 500."""
    assert (await customer_says(app, "ann", text="first")).status_code == 202
    conversation = await conversation_of(app, "ann")
    chat = await chat_headers(app, "ann")
    headers = chat if kind is None else {"content-type": kind, **chat}
    for body in ('{"text": "caf\xe9"}'.encode("latin-1"), '{"text": "hi"}'.encode("utf-16"), b"\xff\xfe\x00"):
        for path in (
            "/api/webchat/session",
            "/api/webchat/messages",
            f"/api/conversations/{conversation}/reply",
        ):
            response = await app.post(path, content=body, headers=headers)
            assert response.status_code == 422, (path, body, response.text)
            [error] = response.json()["detail"]
            assert error["loc"] == ["body"] and "\\x" in error["input"], error
            assert "send it with Content-Type: application/json" in error["msg"]
    assert await stored(app) == (1, 1)


@pytest.mark.parametrize(
    "body",
    [
        {"text": "hi", "id": 1e308 * 10},  # json.dumps writes Infinity
        {"name": ["\ud800" * 3], "text": "hi"},
        {"choice": {"survey": float("nan"), "step": "q", "value": "1"}},
    ],
    ids=["infinity-id", "surrogates-list", "nan-in-choice"],
)
async def test_values_the_default_422_handler_could_not_echo_are_refused_cleanly(
    app: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    raw = json.dumps(body).encode()  # NaN/Infinity/surrogate escapes, as a hostile client sends them
    headers = {"content-type": "application/json", **await chat_headers(app, "ann")}
    response = await app.post("/api/webchat/messages", content=raw, headers=headers)
    assert response.status_code == 422 and response.json()["detail"]
    assert await stored(app) == (0, 0)


@pytest.mark.parametrize("value", [PG_MAX + 1, BIG, BIG * 4, 0, -1])
async def test_ids_outside_the_database_range_are_422_on_every_id_route(
    app: httpx.AsyncClient, value: int
) -> None:
    routes = [
        ("GET", f"/api/conversations/{value}", None),
        ("POST", f"/api/conversations/{value}/reply", {"text": "hi"}),
        ("POST", f"/api/conversations/{value}/resolve", {}),
        ("POST", f"/api/conversations/{value}/escalate", {"reason": "why"}),
        ("POST", f"/api/customers/{value}/link", None),
        ("GET", f"/api/tickets/{value}", None),
        ("POST", f"/api/tickets/{value}/claim", {}),
    ]
    for method, path, body in routes:
        response = await app.request(method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert "Input should be" in response.text
    # The largest id is a plain "not found".
    assert (await app.get(f"/api/tickets/{PG_MAX}")).status_code == 404


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"since": "0001-01-01"}, "since '0001-01-01T00:00:00' is out of range"),
        ({"until": "9999-12-31"}, "until '9999-12-31T00:00:00' is out of range"),
        ({"since": "0002-01-01", "until": "9998-01-01"}, "since '0002-01-01T00:00:00' is out of range"),
        ({"since": "1970-01-01", "until": "2999-01-01"}, "a report covers at most 731 days"),
        ({"since": "2020-01-01T00:00:00+14:00", "until": "2022-01-05"}, "a report covers at most 731 days"),
        ({"day": "0001-01-01"}, "day '0001-01-01' is out of range"),
        ({"day": "9999-12-31"}, "day '9999-12-31' is out of range"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "the range ends before it starts"),  # was a 200
        ({"since": "2026-01-01T00:00:00+08:00", "until": "2025-12-31T15:59:59Z"}, "ends before it starts"),
        ({"until": "5"}, "give an ISO 8601 date or time"),  # was read as Unix seconds: a 200
        ({"since": "1700000000"}, "give an ISO 8601 date or time"),
    ],
)
async def test_report_dates_out_of_range_and_overlong_ranges_are_422(
    app: httpx.AsyncClient, params: dict[str, str], detail: str
) -> None:
    for path in ("/api/reports", "/api/reports/surveys", "/api/reports/export.csv", "/api/reports/recovery"):
        response = await app.get(path, params=params)
        assert response.status_code == 422, (path, response.text)
        assert detail in str(response.json()["detail"]), response.text


async def test_the_longest_allowed_range_is_answered(app: httpx.AsyncClient) -> None:
    response = await app.get("/api/reports", params={"since": "2024-01-01", "until": "2025-12-31"})
    assert response.status_code == 200 and response.json()["total"]["sent"] == 0


@pytest.mark.parametrize(
    "path",
    ["/static/webchat/%00", "/static/webchat/chat.js%00.py", "/console/static/%00x", "/api/tickets?team=%00"],
)
async def test_nul_in_a_url_is_400(app: httpx.AsyncClient, path: str) -> None:
    response = await app.get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": "NUL characters are not allowed in URLs"}
    assert_protected(path, response)


def assert_protected(path: str, response: httpx.Response) -> None:
    """A refusal made before a route is reached still carries the headers of what it refused: the
    console's own (no framing, no caching, a CSP), no-store under /api/."""
    if path.startswith("/console"):
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in response.headers["content-security-policy"]
    if path.startswith(("/console", "/api/")):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_schema_says_no_url_parameter_nor_body_string_holds_nul(app: httpx.AsyncClient) -> None:
    """Else a client (or schemathesis) reading the schema would send one and be surprised by the
    400 (URL) or the 422 (body: strict JSON)."""
    spec = (await app.get("/openapi.json")).json()
    parameters = [
        p
        for item in spec["paths"].values()
        for operation in item.values()
        for p in operation.get("parameters", [])
    ]
    url = [p for p in parameters if p["in"] in ("path", "query")]
    nul = {"type": "string", "pattern": "\u0000"}
    assert len(url) > 50 and all(p["schema"]["not"] == nul for p in url)
    bodies = spec["components"]["schemas"]
    assert bodies["AgentReply"]["properties"]["text"]["not"] == nul
    assert bodies["Choice"]["properties"]["value"]["not"] == nul  # a model inside a body model
    assert [s["not"] for s in bodies["CustomerMessage"]["properties"]["text"]["anyOf"][:1]] == [nul]
    assert "not" not in bodies["Refusal"]["properties"]["detail"]["anyOf"][0]  # an answer, not a body


def test_a_telegram_update_nested_1000_deep_is_a_wire_format_error_not_a_recursion_error() -> None:
    with pytest.raises(WireFormatError, match="nested more than 64 levels"):
        decode_update(b'{"update_id": 1, "message": ' + b"[" * 1000 + b"]" * 1000 + b"}")


async def test_a_report_offset_past_the_integer_range_is_422(app: httpx.AsyncClient) -> None:
    for offset in (2**31, BIG, 2**70):
        response = await app.get("/api/reports/surveys", params={"offset": offset})
        assert response.status_code == 422, offset
        assert response.json()["detail"][0]["loc"] == ["query", "offset"]


@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
@pytest.mark.parametrize("path", ["/api/webchat/session", "/api/webchat/messages", "/console/login"])
async def test_a_body_over_the_limit_is_413_before_it_is_read_whole(
    app: httpx.AsyncClient, path: str, streamed: bool
) -> None:
    # The customer side needs no sign-in: a 422 used to parse and echo back all 3 MB.
    body = b'{"text": "' + b"a" * 3_000_000 + b'"}'

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    kind = "application/x-www-form-urlencoded" if path.startswith("/console") else "application/json"
    response = await app.post(
        path,
        content=chunks() if streamed else body,
        headers={"content-type": kind, **(await chat_headers(app, "ann"))},
    )
    assert response.status_code == 413
    assert "request body over 1000000 bytes" in response.text
    assert len(response.content) < 10_000
    assert_protected(path, response)
    assert await stored(app) == (0, 0)


@pytest.mark.parametrize("path", ["/api/webchat/session", "/api/webchat/messages", "/console/login"])
async def test_a_declared_length_of_5000_digits_is_413_not_a_500(app: httpx.AsyncClient, path: str) -> None:
    # int() refuses more than 4,300 digits: its ValueError was a 500 on every route
    response = await app.post(path, content=b"{}", headers={"content-length": "9" * 5000})
    assert response.status_code == 413, response.text
    assert_protected(path, response)
    assert await stored(app) == (0, 0)


async def test_the_longest_agent_name_can_reply_escalate_and_resolve(database_url: str) -> None:
    """A reply is stored signed ``agent:<name>`` (message.author, 64 characters): an agent or token
    named with 64 characters, which the name rule allowed, got a 500 on PostgreSQL for every reply."""
    runtime = Runtime(CONFIG, database_url, tick_seconds=0.1)
    async with served(runtime) as app:
        longest = api_headers(runtime.database, "a" * NAME_CHARS, "agent")
        assert (await customer_says(app, "ann", text="my parcel is late")).status_code == 202
        conversation = await conversation_of(app, "ann")
        url = f"/api/conversations/{conversation}"
        assert (
            await app.post(f"{url}/reply", json={"text": "on its way"}, headers=longest)
        ).status_code == 202
        ticket = await app.post(f"{url}/escalate", json={"reason": "a call"}, headers=longest)
        assert ticket.status_code == 200, ticket.text
        for action, body in (("reply", {"text": "we called"}), ("resolve", {})):
            worked = await app.post(
                f"/api/tickets/{ticket.json()['id']}/{action}", json=body, headers=longest
            )
            assert worked.status_code == 200, (action, worked.text)
        authors = {m["author"] for m in (await app.get(url)).json()["transcript"]}
        assert f"agent:{'a' * NAME_CHARS}" in authors
    with pytest.raises(UserError, match=f"use 1-{NAME_CHARS} letters"):
        check_name_and_role("a" * (NAME_CHARS + 1), "agent", "token name")


async def test_a_survey_reply_made_of_a_thousand_scale_notes_is_taken_not_a_500(
    app: httpx.AsyncClient,
) -> None:
    """The rating reader recursed once per "满分" note: 4,096 characters of them were a
    RecursionError, the customer's message a 500 (and, from a platform, an update given up on)."""
    assert (await customer_says(app, "ann", text="hello")).status_code == 202
    conversation = await conversation_of(app, "ann")
    await app.post(f"/api/conversations/{conversation}/reply", json={"text": "done"})
    resolve = await app.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
    survey = resolve.json()["survey_id"]
    reply = await customer_says(app, "ann", text=("5满分" * 1366)[:4096])
    assert reply.status_code == 202, reply.text
    assert (await customer_says(app, "ann", text="4")).json()["survey_id"] == survey
    detail = (await app.get(f"/api/conversations/{conversation}")).json()
    assert [a["score"] for a in detail["survey"]["answers"]] == [4]
