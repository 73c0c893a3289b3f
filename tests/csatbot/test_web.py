"""The support API (what agents and integrations call), through the real ASGI app."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text as sqltext

from csatbot.console.users import Users
from csatbot.runtime import Runtime

from ..conftest import AsAgent, chat_headers, conversation_of, customer_reads, customer_says
from ..support.config import config_data, write_config_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(app_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return app_client


async def open_conversation(client: httpx.AsyncClient, user: str = "ann") -> int:
    response = await customer_says(client, user, text="my parcel is late")
    assert response.status_code == 202, response.text
    conversation_id = await conversation_of(client, user)
    return conversation_id


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/conversations/999", None),
        ("POST", "/api/conversations/999/reply", {"text": "hello?"}),
        ("POST", "/api/conversations/999/resolve", {}),
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


async def test_resolve_is_idempotent(client: httpx.AsyncClient, as_agent: AsAgent) -> None:
    conversation_id = await open_conversation(client)
    url = f"/api/conversations/{conversation_id}/resolve"
    first = await client.post(url, json={"send_survey_now": True}, headers=as_agent("bob"))
    second = await client.post(url, json={"send_survey_now": True}, headers=as_agent("carol"))
    assert first.status_code == second.status_code == 200
    one, two = first.json(), second.json()
    assert one["already_resolved"] is False and one["survey_id"] and one["skip_reason"] is None
    assert two["already_resolved"] is True
    assert (two["survey_id"], two["survey_due_at"]) == (one["survey_id"], one["survey_due_at"])
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert detail["status"] == "resolved" and detail["survey"]["id"] == one["survey_id"]
    chat = (await customer_reads(client, "ann")).json()["messages"]
    assert [m["prompt"]["type"] for m in chat if m["author"] == "bot"] == ["AskRating"]  # asked once


@pytest.mark.parametrize("flag", [0, 1, 0.0, "true", "yes", None])
async def test_resolve_takes_only_a_json_boolean(client: httpx.AsyncClient, flag: object) -> None:
    """The schema says boolean: a number or a string is refused with 422 and resolves nothing
    (``0.0`` was read as false and resolved the conversation)."""
    conversation_id = await open_conversation(client)
    url = f"/api/conversations/{conversation_id}/resolve"
    response = await client.post(url, json={"send_survey_now": flag})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "send_survey_now"]
    assert (await client.get(f"/api/conversations/{conversation_id}")).json()["status"] == "open"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/webchat/session", {"cookie": 0}),
        ("/api/webchat/session", {"cookie": "false"}),
        ("/api/webchat/messages", {"text": "hi", "name": 7}),
        ("/api/webchat/messages", {"choice": {"survey": "s", "step": "rating", "value": 5}}),
    ],
)
async def test_web_chat_bodies_take_only_their_json_types(
    client: httpx.AsyncClient, path: str, body: dict[str, Any]
) -> None:
    response = await client.post(path, json=body, headers=await chat_headers(client, "ann"))
    assert response.status_code == 422, response.text
    assert (await customer_reads(client, "ann")).json()["messages"] == []


async def test_resolve_with_the_trigger_delay_schedules_the_survey(client: httpx.AsyncClient) -> None:
    conversation_id = await open_conversation(client)
    response = await client.post(f"/api/conversations/{conversation_id}/resolve", json={})
    resolved = response.json()
    assert resolved["already_resolved"] is False and resolved["survey_due_at"]
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert detail["survey"]["status"] == "pending" and detail["survey"]["sent_at"] is None


async def test_agent_reply_is_stored_and_listed_as_the_caller(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    conversation_id = await open_conversation(client)
    response = await client.post(
        f"/api/conversations/{conversation_id}/reply", json={"text": "on its way"}, headers=as_agent("bob")
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


SUPPORT = [
    ("GET", "/api/conversations", None),
    ("GET", "/api/conversations/{c}", None),
    ("POST", "/api/conversations/{c}/reply", {"text": "hi"}),
    ("POST", "/api/conversations/{c}/resolve", {}),
    ("POST", "/api/conversations/{c}/escalate", {"reason": "manager"}),
    ("POST", "/api/customers/1/link", None),
    ("GET", "/api/tickets", None),
    ("GET", "/api/tickets/1", None),
    ("POST", "/api/tickets/1/note", {"text": "hi"}),
    ("GET", "/api/reports", None),
    ("GET", "/api/reports/export.csv", None),
    ("GET", "/api/me", None),
]


async def test_nothing_on_the_support_api_answers_without_credentials(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: with no CSATBOT_API_TOKEN set, every support operation answered anyone."""
    monkeypatch.delenv("CSATBOT_API_TOKEN", raising=False)
    conversation_id = await open_conversation(client)
    before = (await client.get(f"/api/conversations/{conversation_id}")).json()
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer wrong"}, {"Authorization": "csb_x"}):
        for method, path, body in SUPPORT:
            response = await client.request(
                method, path.format(c=conversation_id), json=body, headers=headers
            )
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["www-authenticate"] == "Bearer"
            assert "csatbot tokens add" in response.json()["detail"] or "revoked" in response.json()["detail"]
    assert (await client.get(f"/api/conversations/{conversation_id}")).json() == before
    # The customer side and public pages stay open: customers have no token.
    session = await client.post("/api/webchat/session", json={}, headers={"Authorization": ""})
    assert session.status_code == 200
    said = await client.post("/api/webchat/messages", json={"text": "thanks"}, headers={"Authorization": ""})
    assert said.status_code == 202
    for page in ("/", "/healthz", "/openapi.json"):
        assert (await client.get(page, headers={"Authorization": ""})).status_code == 200, page


async def test_the_environment_token_acts_as_api_with_the_admin_role(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSATBOT_API_TOKEN", "s3cret-token-of-at-least-32-characters")
    conversation_id = await open_conversation(client)
    good = {"Authorization": "Bearer s3cret-token-of-at-least-32-characters"}
    assert (await client.get("/api/me", headers=good)).json() == {
        "name": "api", "role": "admin", "via": "token", "csrf": ""
    }  # fmt: skip
    replied = await client.post(
        f"/api/conversations/{conversation_id}/reply", json={"text": "hi"}, headers=good
    )
    assert replied.status_code == 202
    detail = (await client.get(f"/api/conversations/{conversation_id}")).json()
    assert detail["transcript"][-1]["author"] == "agent:api"
    for wrong in (
        {"Authorization": "Bearer s3cret-token"},
        {"Authorization": "s3cret-token-of-at-least-32-characters"},
    ):
        assert (await client.get("/api/me", headers=wrong)).status_code == 401


async def test_who_acts_comes_from_the_token_never_from_the_body(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    """Before: anyone could reply as "bob" and move bob's CSAT."""
    conversation_id = await open_conversation(client)
    url = f"/api/conversations/{conversation_id}"
    for path, body in (
        ("reply", {"agent": "bob", "text": "as bob?"}),
        ("resolve", {"agent": "bob"}),
        ("escalate", {"agent": "bob", "reason": "why"}),
    ):
        response = await client.post(f"{url}/{path}", json=body, headers=as_agent("mallory"))
        assert response.status_code == 422 and "Extra inputs are not permitted" in response.text
    assert [m["author"] for m in (await client.get(url)).json()["transcript"]] == ["customer"]
    await client.post(f"{url}/reply", json={"text": "hello"}, headers=as_agent("mallory"))
    detail = (await client.get(url)).json()
    assert detail["transcript"][-1]["author"] == "agent:mallory" and detail["agents"] == ["mallory"]


async def test_agents_see_their_own_reports_and_admins_everyones(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    await answer_survey(client, "uma", as_agent("bob"), "2", "slow", "skip")
    await answer_survey(client, "vic", as_agent("mei"), "5")
    bob = as_agent("bob")
    mine = (await client.get("/api/reports", headers=bob)).json()
    assert mine["total"]["sent"] == 1 and mine["filters"] == {"agent": "bob"}
    asked_for_mei = (await client.get("/api/reports", params={"agent": "mei"}, headers=bob)).json()
    assert asked_for_mei["filters"] == {"agent": "bob"} and asked_for_mei["total"]["sent"] == 1
    export = (await client.get("/api/reports/export.csv", headers=bob)).content.decode("utf-8-sig")
    assert len(export.splitlines()) == 2
    assert (await client.get("/api/reports")).json()["total"]["sent"] == 2  # the admin's client


async def test_revoking_a_token_or_removing_the_user_locks_it_out_at_once(
    client: httpx.AsyncClient, app_runtime: Runtime
) -> None:
    from csatbot.console.users import Users
    from csatbot.tokens import ApiTokens

    tokens = ApiTokens(app_runtime.database)
    carol, dan = tokens.issue("carol", "agent"), tokens.issue("dan", "agent")
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {carol}"})).status_code == 200
    assert tokens.revoke("carol") == 1
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {carol}"})).status_code == 401
    Users(app_runtime.database).add("dan", "a long enough password", "agent")
    Users(app_runtime.database).remove("dan")
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {dan}"})).status_code == 401
    assert [t.name for t in tokens.list()] == ["support"]


async def test_the_agent_desk_needs_a_console_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/agent", follow_redirects=True)
    assert response.url.path == "/console/login"
    assert response.url.params["next"] == "/console/conversations"


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


async def test_ticket_api_lists_filters_and_works_a_ticket(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    bob, mei = as_agent("bob"), as_agent("mei")
    conversation_id = await open_conversation(client, "tia")
    opened = await client.post(
        f"/api/conversations/{conversation_id}/escalate",
        json={"reason": "asked for a manager"},
        headers=bob,
    )
    assert opened.status_code == 200, opened.text
    ticket = opened.json()
    assert (ticket["status"], ticket["reasons"], ticket["channel"]) == (
        "open",
        ["asked for a manager"],
        "webchat",
    )
    assert ticket["identities"] == [
        {
            "channel": "webchat",
            "account": "",
            "user": "tia",
            "name": "",
            "unreachable": None,
            "unreachable_since": None,
        }
    ]
    assert [(e["actor"], e["action"]) for e in ticket["events"]] == [("bob", "opened")]
    path = f"/api/tickets/{ticket['id']}"
    claimed = (await client.post(f"{path}/claim", json={}, headers=mei)).json()
    assert (claimed["status"], claimed["assignee"]) == ("assigned", "mei")
    taken = await client.post(f"{path}/claim", json={}, headers=bob)  # bob's page still showed Claim
    assert taken.status_code == 409 and taken.json() == {
        "detail": f"ticket {ticket['id']} is already assigned to mei; "
        "ask a lead to assign it to you if you should take it over"
    }
    assert [t["id"] for t in (await client.get("/api/tickets", params={"assignee": "mei"})).json()] == [
        ticket["id"]
    ]
    assert (await client.get("/api/tickets", params={"assignee": "bob"})).json() == []
    assert (await client.get("/api/tickets", params={"overdue": True})).json() == []  # SLA is 4 h
    missing_text = await client.post(f"{path}/reply", json={}, headers=mei)
    assert missing_text.status_code == 422 and missing_text.json() == {"detail": "reply needs 'text'"}
    replied = (await client.post(f"{path}/reply", json={"text": "Calling you now."}, headers=mei)).json()
    assert replied["status"] == "contacted"
    chat = (await customer_reads(client, "tia")).json()["messages"]
    assert chat[-1]["text"] == "Calling you now." and chat[-1]["author"] == "agent:mei"
    assert (await client.post(f"{path}/resolve", json={}, headers=mei)).json()["status"] == "resolved"
    again = await client.post(f"{path}/resolve", json={}, headers=mei)
    assert again.status_code == 409
    assert (await client.post(f"{path}/bogus", json={}, headers=mei)).status_code == 422
    assert (await client.get("/api/tickets/999")).status_code == 404


@pytest.mark.parametrize("assignee", ["nobody", "  ", "<b>amy</b>", "a\u202eb"])
async def test_assigning_to_someone_unknown_is_422_and_changes_nothing(
    client: httpx.AsyncClient, app_runtime: Runtime, assignee: str
) -> None:
    """The API assigns only to whom the console could: a console user or a member of the ticket's
    team. Before, any name (blank, markup) was stored and the ticket sat with nobody."""
    Users(app_runtime.database).add("dan", "a long enough password", "agent")
    conversation_id = await open_conversation(client, "tia")
    escalated = await client.post(f"/api/conversations/{conversation_id}/escalate", json={"reason": "r"})
    ticket = escalated.json()
    path = f"/api/tickets/{ticket['id']}"
    refused = await client.post(f"{path}/assign", json={"assignee": assignee})
    assert refused.status_code == 422, refused.text
    assert "neither a console user nor a member of team 'support'" in refused.json()["detail"]
    assert "assign to one of: dan" in refused.json()["detail"]
    after = (await client.get(path)).json()
    assert (after["status"], after["assignee"], len(after["events"])) == ("open", None, len(ticket["events"]))
    assigned = await client.post(f"{path}/assign", json={"assignee": "dan"})
    assert (assigned.status_code, assigned.json()["assignee"]) == (200, "dan")
    assert (await client.post("/api/tickets/999/assign", json={"assignee": "dan"})).status_code == 404


@pytest.mark.parametrize("blank", ["   ", "\n\n", "\u200b\u3000"])
async def test_a_text_of_only_spaces_is_422_and_nothing_goes_out(
    client: httpx.AsyncClient, blank: str
) -> None:
    """A reply, note or reason that shows nothing is refused, naming the field, as the console
    refuses it. Before, the API took "   " and sent the customer an empty message."""
    conversation_id = await open_conversation(client, "tia")
    url = f"/api/conversations/{conversation_id}"
    ticket = (await client.post(f"{url}/escalate", json={"reason": "r"})).json()
    before = (await client.get(f"/api/tickets/{ticket['id']}")).json()
    refusals = [
        (f"{url}/reply", {"text": blank}, "text"),
        (f"{url}/escalate", {"reason": blank}, "reason"),
        (f"/api/tickets/{ticket['id']}/reply", {"text": blank}, "text"),
        (f"/api/tickets/{ticket['id']}/note", {"text": blank}, "text"),
    ]
    for path, body, field in refusals:
        refused = await client.post(path, json=body)
        assert refused.status_code == 422, (path, refused.text)
        [error] = refused.json()["detail"]
        assert error["loc"] == ["body", field] and f"{field} is only spaces: write something" in error["msg"]
    after = (await client.get(f"/api/tickets/{ticket['id']}")).json()
    assert (after["transcript"], after["events"], after["reasons"]) == (
        before["transcript"],
        before["events"],
        before["reasons"],
    )
    chat = (await customer_reads(client, "tia")).json()["messages"]
    assert not [m for m in chat if m["author"].startswith("agent:")]


async def answer_survey(client: httpx.AsyncClient, user: str, agent: dict[str, str], *texts: str) -> str:
    """A customer chats, ``agent`` (headers) replies and resolves, the customer answers ``texts``."""
    conversation_id = await open_conversation(client, user)
    url = f"/api/conversations/{conversation_id}"
    await client.post(f"{url}/reply", json={"text": "Let me check."}, headers=agent)
    resolved = (await client.post(f"{url}/resolve", json={"send_survey_now": True}, headers=agent)).json()
    for text in texts:
        response = await customer_says(client, user, text=text)
        assert response.status_code == 202
    survey_id: str = resolved["survey_id"]
    return survey_id


async def test_report_api_dimensions_drill_down_reasons_recovery_and_csv(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    unhappy = await answer_survey(client, "uma", as_agent("bob"), "2", "slow", "skip")
    await answer_survey(client, "vic", as_agent("mei"), "5")
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
    assert lines[0] == (
        "id,sent_at,customer_id,customer,channel,team,agents,locale,intent,status,csat,nps,ces,"
        "reason,comment,escalated,ticket,recovered"
    )
    [row] = [line.split(",") for line in lines if line.startswith(f"{unhappy},")]
    ticket = (await client.get("/api/tickets")).json()[0]
    assert ticket["survey_id"] == unhappy
    assert (row[3], row[4], row[10], row[13], row[15], row[16]) == (
        "uma",
        "webchat",
        "2",
        "slow",
        "true",
        str(ticket["id"]),
    )
    assert len(lines) == 3


async def test_report_api_fcr_funnel_and_drivers(client: httpx.AsyncClient, as_agent: AsAgent) -> None:
    await answer_survey(client, "uma", as_agent("bob"), "2")  # waits at the reason question
    await answer_survey(client, "vic", as_agent("mei"), "5", "skip")  # skips the optional praise
    fcr = (await client.get("/api/reports/fcr")).json()
    assert fcr["answered"] == {"rate": None, "yes": 0, "n": 0}  # the shipped flow asks no FCR question
    assert (fcr["operational"]["resolved"], fcr["operational"]["rate"], fcr["operational"]["n"]) == (
        2,
        1.0,
        2,
    )
    funnel = (await client.get("/api/reports/funnel")).json()
    total = funnel["total"]
    assert (total["sent"], total["answered"], total["completed"], total["partial"]) == (2, 2, 1, 0)
    assert funnel["steps"]["csat"]["rating"]["answered"] == 2 and funnel["drop_step"] == {"csat": None}
    drivers = (await client.get("/api/reports/drivers")).json()
    assert (drivers["n"], drivers["dsat"], drivers["fix_first"]) == (2, 1, [])  # too few to name any
    mine = (await client.get("/api/reports/funnel", headers=as_agent("bob"))).json()
    assert mine["total"]["sent"] == 1  # an agent sees their own surveys only
    # Automatic answers are the bot's (the console shows them to admins only): an agent was told
    # "automatic answers cannot be filtered by 'agent'", a 422 about a filter they never sent.
    refused = await client.get("/api/reports/auto-answers", headers=as_agent("bob"))
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "bob is an agent; this needs the admin role"},
    )
    assert (await client.get("/api/reports/auto-answers")).status_code == 200


async def test_report_api_digest_ranks_and_credits_happy_comments(
    client: httpx.AsyncClient, as_agent: AsAgent
) -> None:
    await answer_survey(client, "dee", as_agent("bob"), "5", "Quick answer, thanks a lot")
    await answer_survey(
        client, "eli", as_agent("mei"), "4", "Mei and Bob explained the refund rules very clearly"
    )
    await answer_survey(
        client, "fox", as_agent("bob"), "2", "slow", "the refund took three weeks, explain that"
    )
    recent = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    latest = (await client.get("/api/reports/digest")).json()  # the last full week: nothing yet
    assert (latest["key"].split(":")[0], latest["praises"], latest["targets"]) == ("weekly", [], [])
    assert latest["sent_at"] is not None  # the server's start-up check took the period (no target to tell)
    assert latest["schedule"] == {
        "every": "weekly",
        "weekday": "mon",
        "at": "09:00",
        "timezone": "Asia/Shanghai",
    }
    for _ in range(100):  # the customers' messages are handled by the workers, not in the request
        found = (await client.get("/api/reports/digest", params={"since": recent})).json()
        if found["considered"] == 2:
            break
        await asyncio.sleep(0.1)
    assert [(p["text"], p["agents"], p["named"]) for p in found["praises"]] == [
        ("Mei and Bob explained the refund rules very clearly", ["mei"], ["bob"]),
        ("Quick answer, thanks a lot", ["bob"], []),
    ]
    assert found["agents"] == [{"name": "bob", "count": 2}, {"name": "mei", "count": 1}]
    assert found["considered"] == 2 and found["sent_at"] is None
    mine = (await client.get("/api/reports/digest", params={"since": recent}, headers=as_agent("mei"))).json()
    assert [p["agents"] for p in mine["praises"]] == [["mei"]]  # an agent sees their own surveys only


async def test_report_days_and_times_without_an_offset_are_in_the_configured_time_zone(
    client: httpx.AsyncClient,
) -> None:
    shanghai = ZoneInfo("Asia/Shanghai")  # the shipped config.yaml's timezone
    before = datetime.now(UTC)
    await answer_survey(client, "wu", {}, "5")
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
        ("/api/reports/auto-answers", {"team": "billing"}, "automatic answers cannot be filtered by 'team'"),
    ],
)
async def test_report_api_rejects_unknown_dimensions_metrics_and_days(
    client: httpx.AsyncClient, path: str, params: dict[str, str], detail: str
) -> None:
    response = await client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)


WALK_ENVIRON = {
    "CSATBOT_SECRET_KEY": "a-signing-key-of-the-route-walk-test",
    "TELEGRAM_BOT_TOKEN": "123456:walk-test-token",
    "TELEGRAM_WEBHOOK_SECRET": "walk-test-webhook-secret",
    "WECHAT_TOKEN": "walk-test-token",
    "WECHAT_APP_SECRET": "walk-test-app-secret",
    "WECHAT_ENCODING_AES_KEY": "a" * 43,
    "WECOM_TOKEN": "walk-test-token",
    "WECOM_SECRET": "walk-test-secret",
    "WECOM_ENCODING_AES_KEY": "b" * 43,
    "WHATSAPP_TOKEN": "walk-test-token",
    "WHATSAPP_APP_SECRET": "walk-test-app-secret",
    "WHATSAPP_VERIFY_TOKEN": "walk-test-verify-token",
}
"""Every channel on (its webhooks are routes too), never contacted: the app's workers do not run."""
PUBLIC = {
    ("GET", "/"),  # the web chat page and its files
    ("HEAD", "/"),
    ("GET", "/static/webchat/{name}"),
    ("HEAD", "/static/webchat/{name}"),
    ("POST", "/api/webchat/session"),  # a customer starts a session: customers have no sign-in
    ("GET", "/openapi.json"),  # the documentation holds no customer data
    ("HEAD", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/docs/assets/{path}"),
    ("GET", "/redoc"),
    ("GET", "/healthz"),
    ("HEAD", "/healthz"),
    ("GET", "/readyz"),
    ("HEAD", "/readyz"),
    ("GET", "/metrics"),  # counts only; CSATBOT_METRICS_TOKEN closes it
    ("GET", "/agent"),  # a redirect into the console, which asks who you are
    ("GET", "/console/login"),
    ("POST", "/console/login"),  # CSRF-checked; the throttle counts every try
    ("GET", "/console/lang/{code}"),  # a language in the session, then back to a console page
    ("GET", "/console/static/{path}"),
}
"""(method, path) that answer without a sign-in, an API token, a chat session or a platform's
signature. Every other route of the app refuses (README, Security: who can reach what)."""


def app_routes(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every route of the app: included routers, mounted apps and file mounts."""
    from fastapi.routing import iter_route_contexts
    from starlette.routing import Mount

    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(routes):
        original = route.original_route
        if isinstance(original, Mount) and not hasattr(original.app, "routes"):
            found.add(("GET", f"{prefix}{original.path}/{{path}}"))  # files (StaticFiles)
        elif isinstance(original, Mount):
            found |= app_routes(original.app.routes, prefix + original.path)
        else:
            found |= {(method, f"{prefix}{route.path}") for method in route.methods or ()}
    return found


def refused(response: httpx.Response) -> bool:
    """401 or 403, or a console page's redirect to its sign-in form."""
    location = response.headers.get("location", "")
    return response.status_code in (401, 403) or (
        response.status_code == 303 and location.startswith("/console/login?next=")
    )


def walk_app(tmp_path: Path) -> tuple[Any, Runtime]:
    """The app with every channel on (its webhooks are routes too), workers not running."""
    from csatbot.web import create_app

    channels = {
        "telegram": {"enabled": True, "api_base": "http://127.0.0.1:9/"},
        "wechat": {"enabled": True, "app_id": "wx-walk", "api_base": "http://127.0.0.1:9/"},
        "wecom": {"enabled": True, "corp_id": "ww-walk", "agent_id": 1, "api_base": "http://127.0.0.1:9/"},
        "whatsapp": {"enabled": True, "phone_number_id": "1", "api_base": "http://127.0.0.1:9/"},
    }
    config = write_config_file(tmp_path, config_data(channels=channels))
    runtime = Runtime(config, f"sqlite:///{tmp_path / 'walk.db'}", environ=WALK_ENVIRON)
    return create_app(runtime, start_workers=False), runtime


async def signed_in(http: httpx.AsyncClient, name: str, password: str) -> str:
    """Sign ``http`` in to the console as ``name``; the session's CSRF token."""
    form = await http.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    data = {"username": name, "password": password, "csrf": token.group(1)}
    assert (await http.post("/console/login", data=data)).status_code == 303
    page = await http.get("/console/")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None, page.text[:300]
    return token.group(1)


ADMIN_ONLY = {
    ("DELETE", "/api/customers/{customer_id}"),  # erasure
    ("GET", "/api/reports/auto-answers"),
    ("GET", "/console/flows"),
    ("GET", "/console/flows/{flow_id}/preview"),
}
"""Routes an agent's token or console session is refused (403); every other route takes them."""
STREAMS = {("GET", "/console/events")}
"""Routes that answer a signed-in user with a stream that does not end (walked signed out only)."""
SIGNED_OUT = {("POST", "/console/logout")}
"""Routes that end the session walking them (last)."""


async def test_every_route_refuses_a_revoked_expired_or_forged_credential(tmp_path: Path) -> None:
    """Every route but the public ones, with a revoked admin token, a token of another case, a
    bearer of 5,000 characters, and the cookie of a console session that has expired (its row still
    there): each is refused (401, 403 or the sign-in redirect) as a stranger is."""
    from csatbot.tokens import ApiTokens

    app, runtime = walk_app(tmp_path)
    routes = app_routes(app.routes) - PUBLIC
    tokens = ApiTokens(runtime.database)
    revoked = tokens.issue("gone", "admin")
    tokens.revoke("gone")
    live = tokens.issue("live", "admin")
    Users(runtime.database).add("lapsed", "a-password-of-lapsed", "admin")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://csatbot.test") as http:
        csrf = await signed_in(http, "lapsed", "a-password-of-lapsed")
        with runtime.database.writer.begin() as conn:
            conn.execute(sqltext("update console_session set expires_at = :at"), {"at": datetime(2020, 1, 1)})
        answers: dict[tuple[str, str, str], int] = {}
        bearers = {"revoked": revoked, "other case": live.swapcase(), "long": "x" * 5000}
        for method, path in sorted(routes):
            url = re.sub(r"\{[^}]+\}", "1", path)
            for what, token in bearers.items():
                response = await http.request(method, url, headers={"Authorization": f"Bearer {token}"})
                if not refused(response):
                    answers[(method, path, what)] = response.status_code
            response = await http.request(method, url, data={"csrf": csrf} if method == "POST" else None)
            if not refused(response):
                answers[(method, path, "expired session")] = response.status_code
    runtime.database.dispose()
    assert answers == {}


async def test_admin_routes_refuse_an_agent_and_the_rest_take_one(tmp_path: Path) -> None:
    """Every route but the public ones and the customers' (webhooks, web chat), as an agent: with
    their API token on the API, signed in on the console. Exactly :data:`ADMIN_ONLY` refuse them
    (403); a new route must be put there or be one an agent may use, and the walk shows that the
    agent's credential works everywhere else (so a refusal is the role's, not a broken sign-in)."""
    from csatbot.tokens import ApiTokens

    app, runtime = walk_app(tmp_path)
    customers = ("/webhooks/", "/api/webchat/")  # platforms' signatures and chat sessions, not staff
    routes = {r for r in app_routes(app.routes) - PUBLIC - STREAMS if not r[1].startswith(customers)}
    token = ApiTokens(runtime.database).issue("walker", "agent")
    Users(runtime.database).add("walker", "a-password-of-walker", "agent")
    transport = httpx.ASGITransport(app=app)
    refused_agent: set[tuple[str, str]] = set()
    async with httpx.AsyncClient(transport=transport, base_url="http://csatbot.test") as http:
        csrf = await signed_in(http, "walker", "a-password-of-walker")
        for method, path in sorted(routes - SIGNED_OUT) + sorted(SIGNED_OUT):
            url = re.sub(r"\{[^}]+\}", "1", path)
            if path.startswith("/console"):
                response = await http.request(method, url, data={"csrf": csrf} if method == "POST" else None)
            else:
                response = await http.request(method, url, headers={"Authorization": f"Bearer {token}"})
            if refused(response):
                refused_agent.add((method, path))
    runtime.database.dispose()
    assert refused_agent == ADMIN_ONLY
    assert len(routes) >= 45


async def test_every_route_refuses_a_stranger_but_the_public_ones(tmp_path: Path) -> None:
    """Walks every route of the app (the console, the support API, the customer API and every
    channel's webhook) as someone with no token, no sign-in, no chat session and no signature: each
    answers 401 or 403 (or the console's sign-in redirect), with nothing but its path and an empty
    body, and also with a console cookie of a visitor who opened the sign-in page (a real CSRF token,
    nobody signed in). A new route that answers anyone fails here until it is added to ``PUBLIC``."""
    app, runtime = walk_app(tmp_path)
    routes = app_routes(app.routes)
    assert {
        ("POST", "/webhooks/telegram"),
        ("GET", "/webhooks/wechat"),
        ("DELETE", "/api/customers/{customer_id}"),
    } <= routes
    assert PUBLIC - routes == set()  # no stale entry
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://csatbot.test") as stranger,
        httpx.AsyncClient(transport=transport, base_url="http://csatbot.test") as visitor,
    ):
        form = await visitor.get("/console/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None and visitor.cookies.get("csatbot_console")
        answers: dict[tuple[str, str], list[int]] = {}
        for method, path in sorted(routes - PUBLIC):
            url = re.sub(r"\{[^}]+\}", "1", path)
            by_stranger = await stranger.request(method, url)
            data = {"csrf": csrf.group(1)} if method == "POST" else None
            by_visitor = await visitor.request(method, url, data=data)
            if not (refused(by_stranger) and refused(by_visitor)):
                answers[(method, path)] = [by_stranger.status_code, by_visitor.status_code]
    runtime.database.dispose()
    assert answers == {}
    assert len(routes - PUBLIC) >= 55  # the walk reached the console, the API and the webhooks
