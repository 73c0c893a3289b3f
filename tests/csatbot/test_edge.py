"""What every request meets first, through the real app: answers under /api/ are never cached, a
body with a Content-Encoding and a row id not written in digits are refused."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from csatbot.runtime import Runtime

from ..conftest import CONFIG, chat_headers, conversation_of, customer_says, served
from ..support.config import config_data, write_config_file


@pytest.mark.parametrize(
    ("path", "as_customer", "status"),
    [
        ("/api/conversations", False, 200),
        ("/api/reports/export.csv", False, 200),
        ("/api/webchat/messages", True, 200),
        ("/api/webchat/messages", False, 401),  # a refusal too
        ("/api/conversations?limit=%00", False, 400),
    ],
)
async def test_api_answers_are_never_stored_by_a_cache(
    app_client: httpx.AsyncClient, path: str, as_customer: bool, status: int
) -> None:
    """Before: the API's answers (a customer's whole chat, transcripts, report exports) said nothing
    about caching, so a browser kept them on disk (a shared computer, after the customer left)."""
    assert (await customer_says(app_client, "ann", text="my card number is in this chat")).status_code == 202
    headers = await chat_headers(app_client, "ann") if as_customer else {}
    response = await app_client.get(path, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    if as_customer:
        assert "my card number" in response.text


async def test_the_chat_page_and_its_files_stay_cacheable(app_client: httpx.AsyncClient) -> None:
    for path in ("/", "/static/webchat/chat.js", "/healthz"):
        response = await app_client.get(path)
        assert response.status_code == 200 and "no-store" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/console", "/console/"),
        ("/console/reports/", "/console/reports"),
        ("/api/conversations/", "/api/conversations"),
        ("/docs/", "/docs"),
    ],
)
async def test_a_redirect_stays_on_this_server_whatever_the_host_header_says(
    app_client: httpx.AsyncClient, path: str, location: str
) -> None:
    """Starlette writes the redirect that adds or drops a trailing slash as an absolute URL made from
    the request's ``Host``: ``Host: evil.example`` sent the browser (or a shared cache's next reader)
    to http://evil.example/console/."""
    response = await app_client.get(path, headers={"Host": "evil.example"})
    assert response.status_code in (307, 308), response.text
    assert response.headers["location"] == location


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({f"k{i}": 0 for i in range(60_000)}, 60_000),  # 768 KB: was 4 s on the event loop and 6 MB back
        ({"text": [{"a": "x" * 500}] * 1_500}, 1),  # one error echoing 750 KB
        ({"cookie": "x" * 500_000}, 1),
    ],
)
async def test_a_422_lists_a_few_errors_with_brief_echoes_whatever_the_body(
    app_client: httpx.AsyncClient, body: dict[str, object], errors: int
) -> None:
    """FastAPI lists every validation error with its whole input: anyone could make the web chat
    spend seconds encoding, and send back, megabytes per request."""
    response = await app_client.post("/api/webchat/session", json=body, headers={"Authorization": ""})
    assert response.status_code == 422
    assert len(response.content) < 4_000, len(response.content)
    detail = response.json()["detail"]
    assert len(detail) == min(errors, 10) + (errors > 10)
    if errors > 10:
        assert detail[-1]["msg"] == f"and {errors - 10} more errors, not listed"
        assert detail[0]["loc"] == ["body", "k0"] and detail[0]["type"] == "extra_forbidden"
    else:
        assert "in all)" in json.dumps(detail[0]["input"])  # the echo says how long it was


CODINGS = [
    ("content-encoding", c, 415) for c in ("gzip", "deflate", "br", "GZIP", "identity, gzip", "x-made-up")
]
CODINGS += [("transfer-encoding", c, 400) for c in ("gzip, chunked", "compress, chunked")]
"""Codings no route reads (the body was taken as if it had none), and the status that refuses each."""


@pytest.mark.parametrize(("header", "coding", "status"), CODINGS)
async def test_a_body_with_a_content_encoding_is_415_and_changes_nothing(
    database_url: str, tmp_path: Path, header: str, coding: str, status: int
) -> None:
    """Hunt 19: no route decompresses a body, and each took one labelled ``gzip`` or ``deflate`` as
    it came: a plain body so labelled was stored (202, and a Telegram update 200), so a proxy or
    filter that honours the label read something else than was stored, and a really gzipped body was
    a 422 (400 on the webhook) that never said why. Now 415 saying what to do, before anything is
    read: on the web chat, the support API, the console's forms and the webhook lane. A
    ``Transfer-Encoding`` of ``gzip, chunked`` was read as plain ``chunked`` (202); now 400."""
    secrets = {"TELEGRAM_BOT_TOKEN": "123456:edge-token", "TELEGRAM_WEBHOOK_SECRET": "edge-secret"}
    config = write_config_file(tmp_path, config_data(channels={"telegram": {"enabled": True}}))
    runtime = Runtime(config, database_url, tick_seconds=0.1, environ={**os.environ, **secrets})
    async with served(runtime) as http:
        assert (await customer_says(http, "ann", text="first")).status_code == 202
        conversation = await conversation_of(http, "ann")
        before = await _inbox_rows(runtime)
        plain = json.dumps({"text": "labelled but plain"}).encode()
        update = json.dumps(_telegram_update("labelled but plain")).encode()
        posts = [
            ("/api/webchat/messages", plain, await chat_headers(http, "ann")),
            (f"/api/conversations/{conversation}/reply", plain, {}),
            (f"/api/conversations/{conversation}/escalate", b'{"reason": "labelled"}', {}),
            ("/webhooks/telegram", update, {"x-telegram-bot-api-secret-token": "edge-secret"}),
            ("/console/login", b"username=amy&password=x&csrf=x", {}),
        ]
        for path, body, headers in posts:
            for content in (body, gzip.compress(body)):
                response = await http.post(
                    path,
                    content=content,
                    headers={**headers, "content-type": "application/json", header: coding},
                )
                assert response.status_code == status, (path, response.text)
                assert "send the body without" in response.json()["detail"]
                assert response.headers["accept-encoding"] == "identity"
        detail = (await http.get(f"/api/conversations/{conversation}")).json()
        assert [m["text"] for m in detail["transcript"]] == ["first"] and detail.get("ticket") is None
        assert await _inbox_rows(runtime) == before
        identity = {"content-type": "application/json", "content-encoding": "identity"}
        said = await http.post(
            "/api/webchat/messages", content=plain, headers=identity | await chat_headers(http, "ann")
        )
        assert said.status_code == 202, said.text  # the one coding that changes nothing


def _telegram_update(text: str) -> dict[str, Any]:
    sender = {"id": 4242, "is_bot": False, "first_name": "Zed"}
    chat = {"id": 4242, "type": "private"}
    return {
        "update_id": 7001,
        "message": {"message_id": 5, "date": 1765000000, "chat": chat, "from": sender, "text": text},
    }


async def _inbox_rows(runtime: Runtime) -> int:
    def count() -> int:
        with runtime.database.writer.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM inbox")).scalar_one())

    return await asyncio.to_thread(count)


async def test_a_row_id_written_other_than_in_digits_is_422_and_changes_nothing(database_url: str) -> None:
    """Hunt 19: route ids went through ``int()``, so ``+1``, `` 1``, ``1.0`` and ``0_1`` all named row
    1 (``1_0`` row 10): one conversation, ticket or customer had any number of URLs, and a proxy rule
    or cache keyed on one (``DELETE /api/customers/1`` refused) missed the others, which erased."""
    runtime = Runtime(CONFIG, database_url, tick_seconds=0.1)
    async with served(runtime) as http:
        assert (await customer_says(http, "ann", text="keep me")).status_code == 202
        conversation = await conversation_of(http, "ann")
        customer = (await http.get(f"/api/conversations/{conversation}")).json()["customer"]["id"]
        for spelling in ("+{}", "%20{}", "{}%20", "{}.0", "0_{}", "{}%EF%BC%8E"):
            for method, path in (
                ("GET", f"/api/conversations/{spelling.format(conversation)}"),
                ("POST", f"/api/conversations/{spelling.format(conversation)}/resolve"),
                ("DELETE", f"/api/customers/{spelling.format(customer)}"),
            ):
                response = await http.request(method, path, json={} if method == "POST" else None)
                assert response.status_code == 422, (method, path, response.text)
                assert "digits 0-9 only" in response.text
        detail = (await http.get(f"/api/conversations/{conversation}")).json()
        assert detail["status"] == "open" and [m["text"] for m in detail["transcript"]] == ["keep me"]


async def test_counts_and_offsets_in_queries_are_digits_only(app_client: httpx.AsyncClient) -> None:
    """``limit=5_0`` was 50 and ``limit=+5`` 5 (``int()``): a count in a query is digits too."""
    for path in ("/api/conversations?limit={}", "/api/tickets?limit={}", "/api/reports/surveys?offset={}"):
        for spelling in ("5_0", "+5", "5.0", "%205", "5%EF%BC%8E"):
            response = await app_client.get(path.format(spelling))
            assert response.status_code == 422, (path, spelling, response.text)
            assert "digits 0-9 only" in response.text
        assert (await app_client.get(path.format("5"))).status_code == 200, path


async def test_row_ids_keep_their_documented_range(app_client: httpx.AsyncClient) -> None:
    """The digits check must not cost the schema its bounds (written before ``Path``, it turned
    ``minimum`` into a ``ge`` no client reads, and the API fuzzer sent negative ids as valid)."""
    schema = (await app_client.get("/openapi.json")).json()
    [parameter] = schema["paths"]["/api/tickets/{ticket_id}"]["get"]["parameters"]
    assert parameter["schema"]["minimum"] == 1 and parameter["schema"]["maximum"] == 2**31 - 1
