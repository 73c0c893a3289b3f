"""What every request meets first, through the real app: answers under /api/ are never cached."""

from __future__ import annotations

import json

import httpx
import pytest

from ..conftest import chat_headers, customer_says


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
