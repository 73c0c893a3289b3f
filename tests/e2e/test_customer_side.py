"""The customer's side, end to end on the real app over HTTP (web chat): who is waiting, a rating
with a comment, being kept in the loop, replies landing on the ticket, and automatic answers that
ask "Did this solve it?"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.ports import OffsetClock

from ..conftest import PasswordTriage, api_headers
from .conftest import Customer, LiveServer, StartServer, eventually, write_config

Served = tuple[LiveServer, OffsetClock, httpx.Client]
"""The running server, its movable clock and a support API client signed in as admin."""


@pytest.fixture
def app(start_server: StartServer, tmp_path: Path) -> Iterator[Served]:
    """The shipped config (surveys at once, no quiet hours, team hours), a movable clock, triage."""
    path = write_config(tmp_path / "cfg")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["teams"]["support"]["hours"] = {"en": "9:00-18:00", "zh-CN": "9点到18点"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    clock = OffsetClock()
    server = start_server(path, clock=clock)
    server.runtime.service.classifier = PasswordTriage()
    headers = api_headers(server.runtime.database)
    with httpx.Client(base_url=server.url, timeout=30, headers=headers) as api:
        yield server, clock, api


def as_agent(server: LiveServer, name: str) -> dict[str, str]:
    """Headers that make a support API request act as agent ``name``."""
    return api_headers(server.runtime.database, name, "agent")


def detail(api: httpx.Client, conversation_id: int) -> dict[str, Any]:
    found: dict[str, Any] = api.get(f"/api/conversations/{conversation_id}").json()
    return found


def bot_said(c: Customer, text: str) -> None:
    """Wait until the bot has said ``text`` (it may already have been read)."""

    def said() -> bool:
        c.read()
        return any(m["direction"] == "out" and (m.get("prompt") or m)["text"] == text for m in c.seen)

    eventually(said)


def test_a_customer_left_waiting_is_not_idle_resolved_until_someone_answers(app: Served) -> None:
    server, clock, api = app
    c = Customer(api)
    c.say("I want to speak to a manager")
    conversation_id = c.conversation()
    clock.advance(timedelta(hours=2))  # long past idle_resolve_after (30m)
    time.sleep(0.5)  # five rounds of the timer worker (tick_seconds=0.1)
    c.say("hello??")  # nobody answered: still the support side's turn
    assert detail(api, conversation_id)["status"] == "open"
    api.post(
        f"/api/conversations/{conversation_id}/reply",
        json={"text": "I'm the manager."},
        headers=as_agent(server, "bob"),
    )
    c.until(lambda m: m["author"] == "agent:bob")
    clock.advance(timedelta(minutes=31))  # now it waits on the customer, who says nothing
    rating = c.prompt("AskRating", "rating")
    found = detail(api, conversation_id)
    assert (found["status"], found["resolution"]) == ("resolved", "idle")
    assert found["survey"]["id"] == rating["survey"]


def test_the_customer_sees_an_agents_display_name_not_their_sign_in_name(app: Served) -> None:
    from csatbot.console.users import Users

    server, _clock, api = app
    Users(server.runtime.database).add("jchen", "a long enough password 1", "agent", display_name="Jia Chen")
    c = Customer(api)
    c.say("I want to speak to a manager")
    conversation_id = c.conversation()
    for name, text in (("jchen", "Hello, Jia here."), ("bob", "And Bob.")):
        reply = f"/api/conversations/{conversation_id}/reply"
        api.post(reply, json={"text": text}, headers=as_agent(server, name))
    c.until(lambda m: m["text"] == "And Bob.")
    shown = {m["text"]: m["author"] for m in c.seen if m["direction"] == "out"}
    # bob has no console account with a name: the name he acts under is all there is (as in notices)
    assert (shown["Hello, Jia here."], shown["And Bob."]) == ("agent:Jia Chen", "agent:bob")
    assert all("jchen" not in str(m) for m in c.seen)


def test_a_rating_with_a_comment_a_paraphrased_reason_and_a_refused_skip(app: Served) -> None:
    server, _, api = app
    c = Customer(api, locale="zh-CN")
    c.say("我的快递还没到")
    conversation_id = c.conversation()
    api.post(
        f"/api/conversations/{conversation_id}/reply",
        json={"text": "已催促。"},
        headers=as_agent(server, "bob"),
    )
    api.post(
        f"/api/conversations/{conversation_id}/resolve",
        json={"send_survey_now": True},
        headers=as_agent(server, "bob"),
    )
    c.prompt("AskRating", "rating")
    c.say("2，快递一直没到")  # words that name no reason option: the reason is still asked
    c.prompt("AskChoice", "reason")
    c.say("跳过")  # the reason is required: asked again, not handed to the team
    c.prompt("AskChoice", "reason")
    bot_said(c, "抱歉，这道题不能跳过。")
    c.say("没解决")  # a paraphrase of 问题没有解决
    end = c.prompt("End")
    assert (
        end["text"] == "感谢您的反馈！\n已转交Customer Support，会有专人在这里回复您。服务时间：9点到18点。"
    )
    assert not any((m.get("prompt") or {}).get("step") == "comment" for m in c.seen)  # not asked again
    found = detail(api, conversation_id)
    answers = [
        (a["step"], a.get("score"), a.get("option"), a.get("text")) for a in found["survey"]["answers"]
    ]
    assert answers == [
        ("rating", 2, None, None),
        ("reason", None, "unresolved", None),
        ("comment", None, None, "快递一直没到"),
    ]
    listed = api.get("/api/conversations", params={"limit": 500}).json()
    mine = [x["id"] for x in listed if x["customer"]["user"] == c.user]
    assert mine == [conversation_id]  # the skip was not handed to the team as a new conversation
    happy = Customer(api)
    happy.say("thanks for the help")
    happy_id = happy.conversation()
    api.post(
        f"/api/conversations/{happy_id}/reply", json={"text": "Anytime!"}, headers=as_agent(server, "bob")
    )
    api.post(
        f"/api/conversations/{happy_id}/resolve",
        json={"send_survey_now": True},
        headers=as_agent(server, "bob"),
    )
    happy.prompt("AskRating", "rating")
    happy.say("5 stars, super quick reply")
    assert happy.prompt("End")["text"] == "Thank you for your feedback!"
    stored = detail(api, happy_id)["survey"]["answers"]
    assert [(a["step"], a.get("score"), a.get("text")) for a in stored] == [
        ("rating", 5, None),
        ("praise", None, "super quick reply"),  # the words answer the optional praise question
    ]


def test_the_customer_is_kept_in_the_loop_and_replies_land_on_the_ticket(app: Served) -> None:
    server, _, api = app
    c = Customer(api)
    c.say("my refund never came")
    conversation_id = c.conversation()
    ticket = api.post(
        f"/api/conversations/{conversation_id}/escalate",
        json={"reason": "refund missing"},
        headers=as_agent(server, "bob"),
    ).json()
    bot_said(c, "I've passed this to Customer Support: a person will reply here. Our hours: 9:00-18:00.")
    api.post(f"/api/tickets/{ticket['id']}/claim", json={}, headers=as_agent(server, "amy"))
    bot_said(c, "amy from Customer Support is on it.")
    api.post(
        f"/api/tickets/{ticket['id']}/reply",
        json={"text": "What is your order number?"},
        headers=as_agent(server, "amy"),
    )
    c.until(lambda m: m["author"] == "agent:amy")
    c.say("It's A-1009")
    assert c.conversation() == conversation_id  # the reply lands on the ticket's conversation
    shown = api.get(f"/api/tickets/{ticket['id']}").json()
    assert shown["transcript"][-1]["text"] == "It's A-1009"
    assert [t["id"] for t in api.get("/api/tickets").json() if t["conversation_id"] == conversation_id] == [
        ticket["id"]
    ]
    api.post(f"/api/tickets/{ticket['id']}/resolve", json={}, headers=as_agent(server, "amy"))
    bot_said(c, "Your request has been resolved. If anything is still unclear, just reply here.")


def test_an_automatic_answer_asks_whether_it_helped(app: Served) -> None:
    _, clock, api = app
    no = Customer(api)
    no.say("I forgot my password")
    conversation_id = no.conversation()
    question = no.prompt("AskChoice", "helped")
    assert question["text"].endswith("\n\nDid this solve it?")
    assert [o["label"] for o in question["options"]] == ["Yes, solved", "No, I need a person"]
    no.tap(question, "no")
    bot_said(no, "I've passed this to Customer Support: a person will reply here. Our hours: 9:00-18:00.")
    found = detail(api, conversation_id)
    assert found["status"] == "open"
    assert found["ticket"]["reasons"] == ["the automatic answer (password_reset) did not help"]
    yes = Customer(api, locale="zh-CN")
    yes.say("密码 password 忘了")
    yes_id = yes.conversation()
    yes.prompt("AskChoice", "helped")
    yes.say("解决了")
    yes.prompt("AskRating", "rating")  # resolved by the bot and surveyed (delay 0s)
    assert detail(api, yes_id)["resolution"] == "bot_resolved"
    quiet = Customer(api)
    quiet.say("password reset please")
    quiet_id = quiet.conversation()
    quiet.prompt("AskChoice", "helped")
    clock.advance(timedelta(minutes=31))  # no answer within confirm_within (30m): solved
    quiet.prompt("AskRating", "rating")
    assert detail(api, quiet_id)["resolution"] == "bot_resolved"
    report = api.get("/api/reports/auto-answers").json()
    counts = report["by_intent"]["password_reset"]
    assert (counts["sent"], counts["yes"], counts["no"], counts["silent"]) == (3, 1, 1, 1)
    assert counts["deflection_rate"] == round(2 / 3, 4) and counts["n"]["deflection_rate"] == 3
