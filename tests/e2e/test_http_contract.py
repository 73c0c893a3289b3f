"""The HTTP surface as integrators see it: the OpenAPI schema, and bad input rejected with nothing stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import MakeCustomer


def test_openapi_documents_the_support_and_web_chat_endpoints(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    paths = schema["paths"]
    reply = paths["/api/conversations/{conversation_id}/reply"]["post"]
    resolve = paths["/api/conversations/{conversation_id}/resolve"]["post"]
    for operation in (reply, resolve):
        assert operation["tags"] == ["support"]
        assert operation["description"] or operation["summary"]
        assert operation["parameters"][0]["name"] == "conversation_id"
        assert operation["security"] == [{"HTTPBearer": []}]
    assert [p["name"] for p in resolve["parameters"]] == ["conversation_id", "Idempotency-Key"]
    # a retried reply, resolve, escalation or deep link with the same key happens once
    escalate = paths["/api/conversations/{conversation_id}/escalate"]["post"]
    link = paths["/api/customers/{customer_id}/link"]["post"]
    for operation in (reply, resolve, escalate, link):
        key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert key["in"] == "header" and not key.get("required", False)
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    components = schema["components"]["schemas"]

    def body_schema(operation: dict[str, Any]) -> dict[str, Any]:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        found: dict[str, Any] = components[ref.rsplit("/", 1)[-1]]
        return found

    assert set(body_schema(reply)["properties"]) == {"text"}  # who replies is the caller, not the body
    assert set(body_schema(reply)["required"]) == {"text"}
    assert "send_survey_now" in body_schema(resolve)["properties"]
    resolved_ref = resolve["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert {"already_resolved", "survey_id", "survey_due_at"} <= set(
        components[resolved_ref.rsplit("/", 1)[-1]]["properties"]
    )
    assert "202" in reply["responses"] and "422" in reply["responses"]
    assert {"post", "get"} <= set(paths["/api/webchat/messages"])
    assert {
        "/api/conversations",
        "/api/conversations/{conversation_id}",
        "/api/tickets",
        "/api/reports",
    } <= set(paths)
    assert api.get("/docs").status_code == 200


BAD_CUSTOMER_BODIES = [
    pytest.param(b"{not json", id="not-json"),
    pytest.param(b'{"text": "hi", "choice": {"survey": "s", "step": "r", "value": "1"}}', id="both"),
    pytest.param(b"{}", id="neither"),
    pytest.param(b'{"text": ""}', id="empty-text"),
    pytest.param(b'{"text": "hi", "colour": "red"}', id="unknown-field"),
    pytest.param(b'{"user": "someone-else", "text": "hi"}', id="naming-a-user"),
    pytest.param(b'{"choice": {"survey": "s", "step": "r"}}', id="choice-without-value"),
    pytest.param(b'{"text": 5}', id="text-not-a-string"),
    pytest.param(b'["hi"]', id="not-an-object"),
]


@pytest.mark.parametrize("raw", BAD_CUSTOMER_BODIES)
def test_malformed_customer_messages_are_422_and_store_nothing(
    api: httpx.Client, customer: MakeCustomer, raw: bytes
) -> None:
    c = customer()
    before = len(api.get("/api/conversations", params={"limit": 500}).json())
    response = api.post(
        "/api/webchat/messages", content=raw, headers={"content-type": "application/json", **c.session}
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert c.read() == []
    assert len(api.get("/api/conversations", params={"limit": 500}).json()) == before


def test_malformed_support_calls_are_rejected_and_change_nothing(
    api: httpx.Client, customer: MakeCustomer
) -> None:
    c = customer()
    c.say("hello")
    conversation_id = c.conversation()
    c.read()
    url = f"/api/conversations/{conversation_id}"
    bad = [
        api.post(f"{url}/reply", json={"text": ""}),
        api.post(f"{url}/reply", json={"agent": "bob", "text": "hi"}),
        api.post(f"{url}/reply", json={}),
        api.post(f"{url}/reply", json={"text": "x" * 4097}),
        api.post(f"{url}/reply", content=b"text=hi", headers={"content-type": "application/json"}),
        api.post(f"{url}/resolve", json={"send_survey_now": "soon"}),
        api.post(f"{url}/resolve", json={"when": "now"}),
        api.post("/api/conversations/not-a-number/resolve", json={}),
        api.get("/api/conversations", params={"status": "closed"}),
        api.get("/api/webchat/messages", params={"after": -1}, headers=c.session),
        api.get("/api/webchat/messages", params={"wait": 31}, headers=c.session),
    ]
    assert [r.status_code for r in bad] == [422] * len(bad)
    assert api.post(f"{url}/reply", json={"text": "hi"}).status_code == 202
    assert api.post("/api/conversations/987654321/reply", json={"text": "hi"}).status_code == 404
    detail = api.get(url).json()
    assert detail["status"] == "open" and "survey" not in detail and detail["ticket"] is None
    assert [m["text"] for m in detail["transcript"]] == ["hello", "hi"]
    assert [m["text"] for m in c.read()] == ["hi"]
