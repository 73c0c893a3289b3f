"""What operators rely on: the team webhook gets each ticket (retried), and a restart loses nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from bot.ports import OffsetClock

from ..conftest import api_headers
from .conftest import MakeConfig, MakeCustomer, StartServer, WaitUntil, WebhookReceiver

Received = tuple[int, str, dict[str, Any]]
"""What the webhook receiver got: the status it answered, the path, the body."""


def shifted(delta: timedelta) -> OffsetClock:
    clock = OffsetClock()
    clock.advance(delta)
    return clock


def test_team_webhook_receives_the_ticket_and_a_500_is_retried_until_it_succeeds(
    start_server: StartServer, make_config: MakeConfig, receiver: WebhookReceiver, customer: MakeCustomer
) -> None:
    receiver.statuses = [500]  # the first POST fails, the retry succeeds
    server = start_server(make_config(webhook_url=receiver.url))
    with httpx.Client(base_url=server.url, timeout=30, headers=api_headers(server.runtime.database)) as api:
        c = customer(http=api)
        c.say("the app keeps crashing")
        conversation_id = c.conversation()
        api.post(f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True})
        rating = c.prompt("AskRating", "rating")
        c.tap(rating, "1")
        c.prompt("AskChoice", "reason")

        def opened(reqs: list[Received]) -> list[Received]:
            return [r for r in reqs if r[2]["event"] == "ticket.opened"]

        receiver.wait_for(lambda reqs: any(status == 200 for status, _, _ in opened(reqs)), timeout=15)
        attempts = opened(receiver.requests)
        assert [status for status, _, _ in attempts] == [500, 200]
        assert attempts[0][2] == attempts[1][2]  # the same document, posted again
        _, path, document = attempts[1]
        assert path == "/hooks/tickets"
        ticket = document["ticket"]
        stored = api.get(f"/api/conversations/{conversation_id}").json()["ticket"]
        assert ticket["id"] == stored["id"] and ticket["conversation_id"] == conversation_id
        assert ticket["team"] == "support" and ticket["status"] == "open"
        assert ticket["reasons"] == ["CSAT 1 (at most 3)"]
        assert [(a["step"], a["score"]) for a in ticket["answers"]] == [("rating", 1)]
        assert "the app keeps crashing" in [m["text"] for m in ticket["transcript"]]
        assert ticket["survey_id"] == rating["survey"]


def test_a_survey_that_fell_due_while_down_is_sent_when_the_server_starts(
    start_server: StartServer, make_config: MakeConfig, customer: MakeCustomer, wait_until: WaitUntil
) -> None:
    config = make_config(delay="10m")
    first = start_server(config)
    with httpx.Client(base_url=first.url, timeout=30, headers=api_headers(first.runtime.database)) as api:
        c = customer(http=api)
        c.say("hi, I need an invoice")
        conversation_id = c.conversation()
        resolved = api.post(f"/api/conversations/{conversation_id}/resolve", json={}).json()
        assert resolved["survey_id"] and resolved["skip_reason"] is None
        assert api.get(f"/api/conversations/{conversation_id}").json()["survey"]["status"] == "pending"
    first.stop()

    # 11 minutes later (the survey was due after 10) a new process starts on the same database.
    second = start_server(config, clock=shifted(timedelta(minutes=11)))
    with httpx.Client(base_url=second.url, timeout=30, headers=api_headers(second.runtime.database)) as api:
        c.http = api
        rating = c.prompt("AskRating", "rating")
        assert rating["survey"] == resolved["survey_id"]
        c.say("5")
        c.prompt("AskText", "praise")
        c.say("skip")
        c.prompt("End")
        survey = api.get(f"/api/conversations/{conversation_id}").json()["survey"]
        assert survey["status"] == "completed"
        assert [(a["step"], a["score"]) for a in survey["answers"]] == [("rating", 5)]
        assert sum(1 for m in c.seen if (m.get("prompt") or {}).get("type") == "AskRating") == 1


def test_a_survey_past_its_expiry_at_restart_is_expired_not_sent(
    start_server: StartServer, make_config: MakeConfig, customer: MakeCustomer, wait_until: WaitUntil
) -> None:
    config = make_config(delay="10m")
    first = start_server(config)
    with httpx.Client(base_url=first.url, timeout=30, headers=api_headers(first.runtime.database)) as api:
        c = customer(http=api)
        c.say("hi, I need an invoice")
        conversation_id = c.conversation()
        api.post(f"/api/conversations/{conversation_id}/resolve", json={})
    first.stop()

    second = start_server(config, clock=shifted(timedelta(days=1, minutes=11)))  # expire_after: 1d
    with httpx.Client(base_url=second.url, timeout=30, headers=api_headers(second.runtime.database)) as api:
        survey = wait_until(
            lambda: (
                (s := api.get(f"/api/conversations/{conversation_id}").json()["survey"])["status"]
                != "pending"
                and s
            )
        )
        assert survey["status"] == "expired" and survey["sent_at"] is None
        c.http = api
        c.read()
        assert [m["author"] for m in c.seen] == ["customer"]  # no survey question was sent
        before = c.after
        c.say("5")  # a late answer is just a new support message, not a score
        assert api.get(f"/api/conversations/{conversation_id}").json()["survey"]["answers"] == []
        assert c.read()[0]["id"] > before
