"""The support API (what agents and integrations call), through the real ASGI app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(app_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return app_client


async def open_conversation(client: httpx.AsyncClient, user: str = "ann") -> int:
    response = await client.post("/api/webchat/messages", json={"user": user, "text": "my parcel is late"})
    assert response.status_code == 202, response.text
    conversation_id: int = response.json()["conversation_id"]
    return conversation_id


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/conversations/999", None),
        ("POST", "/api/conversations/999/reply", {"agent": "bob", "text": "hello?"}),
        ("POST", "/api/conversations/999/resolve", {"agent": "bob"}),
    ],
)
async def test_unknown_conversation_is_404(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    await open_conversation(client)
    response = await client.request(method, path, json=body)
    assert response.status_code == 404
    assert response.json() == {"detail": "no conversation with id 999"}
    [only] = (await client.get("/api/conversations")).json()
    assert only["status"] == "open"


async def test_resolve_is_idempotent(client: httpx.AsyncClient) -> None:
    conversation_id = await open_conversation(client)
    url = f"/api/conversations/{conversation_id}/resolve"
    first = await client.post(url, json={"agent": "bob", "send_survey_now": True})
    second = await client.post(url, json={"agent": "carol", "send_survey_now": True})
    assert first.status_code == second.status_code == 200
    one, two = first.json(), second.json()
    assert one["already_resolved"] is False and one["survey_id"] and one["skip_reason"] is None
    assert two["already_resolved"] is True
    assert (two["survey_id"], two["survey_due_at"]) == (one["survey_id"], one["survey_due_at"])
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert detail["status"] == "resolved" and detail["survey"]["id"] == one["survey_id"]
    chat = (await client.get("/api/webchat/messages", params={"user": "ann"})).json()["messages"]
    assert [m["prompt"]["type"] for m in chat if m["author"] == "bot"] == ["AskRating"]  # asked once


async def test_resolve_with_the_trigger_delay_schedules_the_survey(client: httpx.AsyncClient) -> None:
    conversation_id = await open_conversation(client)
    response = await client.post(f"/api/conversations/{conversation_id}/resolve", json={"agent": "bob"})
    resolved = response.json()
    assert resolved["already_resolved"] is False and resolved["survey_due_at"]
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert detail["survey"]["status"] == "pending" and detail["survey"]["sent_at"] is None


async def test_agent_reply_is_stored_and_listed(client: httpx.AsyncClient) -> None:
    conversation_id = await open_conversation(client)
    response = await client.post(
        f"/api/conversations/{conversation_id}/reply", json={"agent": "bob", "text": "on its way"}
    )
    assert response.status_code == 202
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert [(m["author"], m["text"]) for m in detail["transcript"]] == [
        ("customer", "my parcel is late"),
        ("agent:bob", "on its way"),
    ]
    assert detail["transcript"][-1]["id"] == response.json()["message_id"]
    assert detail["agents"] == ["bob"]
    listed = (await client.get("/api/conversations", params={"status": "open"})).json()
    assert [c["id"] for c in listed] == [conversation_id]
    assert (await client.get("/api/conversations", params={"status": "resolved"})).json() == []


async def test_bearer_token_is_required_when_configured(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id = await open_conversation(client)
    monkeypatch.setenv("CSATBOT_API_TOKEN", "s3cret-token")
    support = [
        ("GET", "/api/conversations", None),
        ("GET", f"/api/conversations/{conversation_id}", None),
        ("POST", f"/api/conversations/{conversation_id}/reply", {"agent": "bob", "text": "hi"}),
        ("POST", f"/api/conversations/{conversation_id}/resolve", {"agent": "bob"}),
        ("GET", "/api/tickets", None),
        ("GET", "/api/reports", None),
    ]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"}):
        for method, path, body in support:
            response = await client.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["www-authenticate"] == "Bearer"
    detail = (
        await client.get(
            f"/api/conversations/{conversation_id}", headers={"Authorization": "Bearer s3cret-token"}
        )
    ).json()
    assert detail["status"] == "open" and [m["author"] for m in detail["transcript"]] == ["customer"]
    good = {"Authorization": "Bearer s3cret-token"}
    for method, path, body in support:
        response = await client.request(method, path, json=body, headers=good)
        assert response.status_code in (200, 202), (method, path, response.text)
    # The customer side and the pages stay open: customers have no token.
    assert (
        await client.post("/api/webchat/messages", json={"user": "ann", "text": "thanks"})
    ).status_code == 202
    assert (await client.get("/api/webchat/messages", params={"user": "ann"})).status_code == 200
    for page in ("/", "/agent", "/healthz", "/openapi.json"):
        assert (await client.get(page)).status_code == 200, page


async def test_without_a_token_configured_the_support_api_is_open(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CSATBOT_API_TOKEN", raising=False)
    assert (await client.get("/api/conversations")).status_code == 200
    assert (
        await client.get("/api/conversations", headers={"Authorization": "Bearer anything"})
    ).status_code == 200


async def test_the_agent_desk_page_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/agent")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<title>csatbot agent desk</title>" in response.text and 'id="resolve-now"' in response.text


async def test_reports_and_tickets_validate_their_filters(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/reports", params={"since": "yesterday"})).status_code == 422
    assert (await client.get("/api/tickets", params={"status": "lost"})).status_code == 422
    assert (await client.get("/api/conversations", params={"limit": 0})).status_code == 422
    report = (await client.get("/api/reports")).json()
    assert report["total"]["sent"] == 0 and report["total"]["csat_percent"] is None
    assert (await client.get("/api/tickets")).json() == []


async def test_each_customer_deep_link_is_new_and_expires_and_unknown_customers_are_404(
    client: httpx.AsyncClient,
) -> None:
    conversation_id = await open_conversation(client)
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    customer = detail["customer"]["id"]
    first = await client.post(f"/api/customers/{customer}/link")
    assert first.status_code == 200
    token = first.json()["token"]
    assert len(token) >= 16 and token.replace("-", "").replace("_", "").isalnum()
    expires = datetime.fromisoformat(first.json()["expires_at"])
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)
    assert (await client.post(f"/api/customers/{customer}/link")).json()["token"] != token
    missing = await client.post("/api/customers/999/link")
    assert missing.status_code == 404 and missing.json() == {"detail": "no customer with id 999"}


async def test_ticket_api_lists_filters_and_works_a_ticket(client: httpx.AsyncClient) -> None:
    conversation_id = await open_conversation(client, "tia")
    opened = await client.post(
        f"/api/conversations/{conversation_id}/escalate",
        json={"agent": "bob", "reason": "asked for a manager"},
    )
    assert opened.status_code == 200, opened.text
    ticket = opened.json()
    assert (ticket["status"], ticket["reasons"], ticket["channel"]) == (
        "open",
        ["asked for a manager"],
        "webchat",
    )
    assert ticket["identities"] == [{"channel": "webchat", "account": "", "user": "tia", "name": ""}]
    assert [(e["actor"], e["action"]) for e in ticket["events"]] == [("bob", "opened")]
    path = f"/api/tickets/{ticket['id']}"
    claimed = (await client.post(f"{path}/claim", json={"agent": "mei"})).json()
    assert (claimed["status"], claimed["assignee"]) == ("assigned", "mei")
    assert [t["id"] for t in (await client.get("/api/tickets", params={"assignee": "mei"})).json()] == [
        ticket["id"]
    ]
    assert (await client.get("/api/tickets", params={"assignee": "bob"})).json() == []
    assert (await client.get("/api/tickets", params={"overdue": True})).json() == []  # SLA is 4 h
    missing_text = await client.post(f"{path}/reply", json={"agent": "mei"})
    assert missing_text.status_code == 422 and missing_text.json() == {"detail": "reply needs 'text'"}
    replied = (await client.post(f"{path}/reply", json={"agent": "mei", "text": "Calling you now."})).json()
    assert replied["status"] == "contacted"
    chat = (await client.get("/api/webchat/messages", params={"user": "tia"})).json()["messages"]
    assert chat[-1]["text"] == "Calling you now." and chat[-1]["author"] == "agent:mei"
    assert (await client.post(f"{path}/resolve", json={"agent": "mei"})).json()["status"] == "resolved"
    again = await client.post(f"{path}/resolve", json={"agent": "mei"})
    assert again.status_code == 409
    assert (await client.post(f"{path}/bogus", json={"agent": "mei"})).status_code == 422
    assert (await client.get("/api/tickets/999")).status_code == 404


async def answer_survey(client: httpx.AsyncClient, user: str, agent: str, *texts: str) -> str:
    """A customer chats, ``agent`` replies and resolves, the customer answers ``texts``."""
    conversation_id = await open_conversation(client, user)
    url = f"/api/conversations/{conversation_id}"
    await client.post(f"{url}/reply", json={"agent": agent, "text": "Let me check."})
    resolved = (await client.post(f"{url}/resolve", json={"agent": agent, "send_survey_now": True})).json()
    for text in texts:
        response = await client.post("/api/webchat/messages", json={"user": user, "text": text})
        assert response.status_code == 202
    survey_id: str = resolved["survey_id"]
    return survey_id


async def test_report_api_dimensions_drill_down_reasons_recovery_and_csv(client: httpx.AsyncClient) -> None:
    unhappy = await answer_survey(client, "uma", "bob", "2", "slow", "skip")
    await answer_survey(client, "vic", "mei", "5")
    report = (await client.get("/api/reports", params={"by": ["agent", "channel"]})).json()
    assert list(report["by"]) == ["agent", "channel"] and report["min_answers"] == 10
    bob = report["by"]["agent"]["bob"]
    assert (bob["sent"], bob["csat_n"], bob["dsat"], bob["dsat_rate"]) == (1, 1, 1, 1.0)
    assert bob["n"]["csat_percent"] == 1 and bob["few_answers"] is True
    assert report["total"]["sent"] == 2 and report["by_channel"]["webchat"]["sent"] == 2
    day = next(iter(report["by_day"]))
    drill = (
        await client.get("/api/reports/surveys", params={"agent": "bob", "metric": "dsat", "day": day})
    ).json()
    assert drill["total"] == 1 and [s["id"] for s in drill["surveys"]] == [unhappy]
    assert drill["surveys"][0]["agents"] == ["bob"] and drill["surveys"][0]["ticket"]["status"] == "open"
    satisfied = (await client.get("/api/reports/surveys", params={"metric": "csat_satisfied"})).json()
    assert [s["customer"]["user"] for s in satisfied["surveys"]] == ["vic"]
    reasons = (await client.get("/api/reports/reasons")).json()
    assert [(r["option"], r["count"], r["n"]) for r in reasons] == [("slow", 1, 1)]
    assert (await client.get("/api/reports/comments", params={"agent": "mei"})).json() == []
    recovery = (await client.get("/api/reports/recovery")).json()
    assert (recovery["total"]["dsat_tickets"], recovery["total"]["recovery_rate"]) == (1, None)
    export = await client.get("/api/reports/export.csv", params={"channel": "webchat"})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    assert export.content.startswith("\ufeff".encode())
    lines = export.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "id,sent_at,channel,team,agents,locale,intent,status,csat,nps,ces,comment,escalated,recovered"
    )
    assert len(lines) == 3 and any(line.startswith(f"{unhappy},") and ",2,,," in line for line in lines)


async def test_report_days_and_times_without_an_offset_are_in_the_configured_time_zone(
    client: httpx.AsyncClient,
) -> None:
    shanghai = ZoneInfo("Asia/Shanghai")  # the shipped config.yaml's timezone
    before = datetime.now(UTC)
    await answer_survey(client, "wu", "bob", "5")
    after = datetime.now(UTC)
    report = (await client.get("/api/reports")).json()
    assert report["timezone"] == "Asia/Shanghai" and report["total"]["sent"] == 1
    [day] = report["by_day"]
    assert day in {f"{t.astimezone(shanghai):%Y-%m-%d}" for t in (before, after)}

    def local(t: datetime) -> str:  # a Shanghai wall-clock time, written without an offset
        return t.astimezone(shanghai).replace(tzinfo=None).isoformat()

    hour_ago, soon = local(before - timedelta(hours=1)), local(after + timedelta(minutes=1))
    assert (await client.get("/api/reports", params={"since": hour_ago})).json()["total"]["sent"] == 1
    # Read as UTC, "soon" would be eight hours ago and would count the survey.
    assert (await client.get("/api/reports", params={"since": soon})).json()["total"]["sent"] == 0
    drill = (await client.get("/api/reports/surveys", params={"day": day})).json()
    assert drill["total"] == 1


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/api/reports", {"by": "mood"}, "unknown dimension 'mood'"),
        ("/api/reports/surveys", {"metric": "happiness"}, "unknown metric 'happiness'"),
        ("/api/reports/surveys", {"day": "2026-13-45"}, "day '2026-13-45' is not a date"),
        ("/api/reports/export.csv", {"metric": "joy"}, "unknown metric 'joy'"),
    ],
)
async def test_report_api_rejects_unknown_dimensions_metrics_and_days(
    client: httpx.AsyncClient, path: str, params: dict[str, str], detail: str
) -> None:
    response = await client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)
