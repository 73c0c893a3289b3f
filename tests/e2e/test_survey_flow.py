"""A customer chats, an agent replies and resolves, the survey runs in the chat: all over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import AsAgent, Customer, MakeCustomer


def report(api: httpx.Client) -> dict[str, Any]:
    response = api.get("/api/reports", params={"surveys": "true"})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def conversation(api: httpx.Client, conversation_id: int) -> dict[str, Any]:
    response = api.get(f"/api/conversations/{conversation_id}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def answers_of(api: httpx.Client, conversation_id: int) -> list[tuple[Any, ...]]:
    survey = conversation(api, conversation_id)["survey"]
    return [(a["step"], a.get("score"), a.get("option"), a.get("text")) for a in survey["answers"]]


def resolve_now(
    api: httpx.Client, conversation_id: int, agent: dict[str, str] | None = None
) -> dict[str, Any]:
    response = api.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}, headers=agent
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    assert data["already_resolved"] is False and data["skip_reason"] is None and data["survey_id"]
    return data


def surveyed(api: httpx.Client, c: Customer, first: str = "my parcel is late") -> tuple[int, dict[str, Any]]:
    """Chat, resolve now; return the conversation id and the rating prompt the customer got."""
    c.say(first)
    conversation_id = c.conversation()
    resolved = resolve_now(api, conversation_id)
    rating = c.prompt("AskRating", "rating")
    assert rating["survey"] == resolved["survey_id"]
    return conversation_id, rating


def test_chat_reply_resolve_and_a_low_rating_by_button_opens_a_ticket(
    api: httpx.Client, customer: MakeCustomer, agent: AsAgent
) -> None:
    bob = agent("bob")
    before = report(api)["total"]
    c = customer()
    accepted = c.say("Hi, my parcel #A-1009 has not arrived")
    assert accepted == {
        "duplicate": False,
        "survey_id": None,
        "stale": False,
    }  # no internal ids for customers
    conversation_id = c.conversation()
    assert c.until(lambda m: m["direction"] == "in")["text"] == "Hi, my parcel #A-1009 has not arrived"

    reply = api.post(
        f"/api/conversations/{conversation_id}/reply", json={"text": "Sorry! It ships today."}, headers=bob
    )
    assert reply.status_code == 202, reply.text
    seen = c.until(lambda m: m["author"] == "agent:bob")
    assert (seen["text"], seen["direction"], seen["id"]) == (
        "Sorry! It ships today.",
        "out",
        reply.json()["message_id"],
    )

    resolved = resolve_now(api, conversation_id, bob)
    rating = c.prompt("AskRating", "rating")
    assert rating["survey"] == resolved["survey_id"]
    assert [o["id"] for o in rating["options"]] == ["1", "2", "3", "4", "5"]
    assert rating["text"] == "How satisfied are you with the help you received?"

    tapped = c.tap(rating, "2")
    assert tapped == {"duplicate": False, "survey_id": resolved["survey_id"], "stale": False}
    reason = c.prompt("AskChoice", "reason")
    assert [o["id"] for o in reason["options"]] == ["slow", "unresolved", "attitude", "other"]
    c.tap(reason, "unresolved")
    comment = c.prompt("AskText", "comment")
    assert comment["optional"] is True
    c.say("the courier never came and nobody called me back")
    end = c.prompt("End")
    assert end["text"] == (  # CSAT 2: the closing line says a person will follow up
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
    )

    detail = conversation(api, conversation_id)
    assert detail["status"] == "resolved" and detail["agents"] == ["bob"]
    assert detail["survey"]["status"] == "completed" and detail["survey"]["escalated"] is True
    assert answers_of(api, conversation_id) == [
        ("rating", 2, None, None),
        ("reason", None, "unresolved", None),
        ("comment", None, None, "the courier never came and nobody called me back"),
    ]
    ticket = detail["ticket"]
    assert ticket is not None and ticket["team"] == "support" and ticket["status"] == "open"
    assert ticket["reasons"] == ["CSAT 2 (at most 3)"]
    assert ticket["survey_id"] == resolved["survey_id"]
    tickets = api.get("/api/tickets", params={"status": "open"}).json()
    assert [t["id"] for t in tickets if t["conversation_id"] == conversation_id] == [ticket["id"]]

    after = report(api)
    delta = {
        k: after["total"][k] - before[k] for k in ("sent", "responded", "csat_n", "csat_satisfied", "dsat")
    }
    assert delta == {"sent": 1, "responded": 1, "csat_n": 1, "csat_satisfied": 0, "dsat": 1}
    assert after["total"]["csat_sum"] - before["csat_sum"] == 2
    [listed] = [s for s in after["surveys"] if s["id"] == resolved["survey_id"]]
    assert listed["customer"]["user"] == c.user and listed["channel"] == "webchat"
    assert listed["escalated"] is True and listed["status"] == "completed"
    assert [(a["step"], a.get("score"), a.get("option")) for a in listed["answers"]] == [
        ("rating", 2, None),
        ("reason", None, "unresolved"),
        ("comment", None, None),
    ]


@pytest.mark.parametrize(
    ("typed", "score", "next_prompt"),
    [("4", 4, "AskText"), ("非常满意", 5, "AskText"), ("★★★☆☆", 3, "AskChoice"), ("4/5", 4, "AskText")],
)
def test_rating_by_typing(
    api: httpx.Client, customer: MakeCustomer, typed: str, score: int, next_prompt: str
) -> None:
    before = report(api)["total"]
    c = customer()
    conversation_id, _ = surveyed(api, c)
    result = c.say(typed)
    assert result["survey_id"] and c.conversation() == conversation_id
    c.prompt(next_prompt)
    assert answers_of(api, conversation_id) == [("rating", score, None, None)]
    detail = conversation(api, conversation_id)
    assert (detail["ticket"] is not None) is (score <= 3)
    after = report(api)["total"]
    assert after["csat_n"] - before["csat_n"] == 1
    assert after["csat_satisfied"] - before["csat_satisfied"] == (1 if score >= 4 else 0)
    assert after["dsat"] - before["dsat"] == (1 if score <= 3 else 0)


def test_chinese_customer_is_surveyed_in_chinese(api: httpx.Client, customer: MakeCustomer) -> None:
    c = customer(locale="zh-CN")
    conversation_id, rating = surveyed(api, c, "我的快递还没到")
    assert rating["text"] == "您对本次服务满意吗？"
    c.say("一般")
    reason = c.prompt("AskChoice", "reason")
    assert reason["options"][0]["label"] == "响应太慢"
    c.say("响应太慢")
    c.prompt("AskText", "comment")
    c.say("跳过")
    assert c.prompt("End")["text"] == "感谢您的反馈！\n已转交Customer Support，会有专人在这里回复您。"
    assert answers_of(api, conversation_id) == [("rating", 3, None, None), ("reason", None, "slow", None)]


def test_a_retried_post_with_the_same_id_changes_nothing(api: httpx.Client, customer: MakeCustomer) -> None:
    c = customer()
    conversation_id, rating = surveyed(api, c)
    first = c.tap(rating, "5", id="client-msg-1")
    again = c.tap(rating, "5", id="client-msg-1")
    also_text = c.say("1", id="client-msg-1")  # same id, different body: still the same message
    assert first["duplicate"] is False and first["survey_id"] == rating["survey"]
    assert again == {"duplicate": True, "survey_id": None, "stale": False}
    assert also_text["duplicate"] is True
    c.prompt("AskText", "praise")  # asked once: the optional praise question
    assert answers_of(api, conversation_id) == [("rating", 5, None, None)]
    transcript = conversation(api, conversation_id)["transcript"]
    assert [m["text"] for m in transcript if m["direction"] == "in"] == ["my parcel is late", "⭐⭐⭐⭐⭐"]
    assert sum(1 for m in transcript if (m.get("prompt") or {}).get("type") == "AskText") == 1


def test_a_double_tap_changes_nothing(api: httpx.Client, customer: MakeCustomer) -> None:
    c = customer()
    conversation_id, rating = surveyed(api, c)
    results = [c.tap(rating, "1"), c.tap(rating, "1"), c.tap(rating, "4")]  # new client ids each time
    assert [r["duplicate"] for r in results] == [False, False, False]
    c.prompt("AskChoice", "reason")
    assert answers_of(api, conversation_id) == [("rating", 1, None, None)]
    # Let the late taps' effects (if any) be delivered, then check that no second question went out.
    api.post(f"/api/conversations/{conversation_id}/reply", json={"text": "marker"})
    c.until(lambda m: m["text"] == "marker")
    reasons = [m for m in c.seen if (m.get("prompt") or {}).get("step") == "reason"]
    assert len(reasons) == 1
    assert conversation(api, conversation_id)["ticket"]["reasons"] == ["CSAT 1 (at most 3)"]


def test_a_non_answer_is_reprompted_once_handed_on_and_never_scored(
    api: httpx.Client, customer: MakeCustomer
) -> None:
    before = report(api)["total"]
    c = customer()
    conversation_id, rating = surveyed(api, c)

    first = c.say("where is my refund?")
    assert first["survey_id"] == rating["survey"]
    handed_to = c.conversation()
    assert handed_to != conversation_id
    again = c.prompt("AskRating", "rating")
    assert again["survey"] == rating["survey"]
    assert c.bot_texts()[-3:] == [
        "I've passed your message on to our support team.",
        "Sorry, I didn't catch that as an answer.",
        "How satisfied are you with the help you received?",
    ]
    # The customer's message is shown before the bot's answer to it.
    order = [m["text"] for m in c.seen[-4:]]
    assert order[0] == "where is my refund?", order

    c.say("and my order 20261123-4411?")
    assert c.conversation() == handed_to
    c.until(lambda m: m["text"] == "I've passed your message on to our support team.")
    # Re-prompted once only: no third rating question.
    api.post(f"/api/conversations/{handed_to}/reply", json={"text": "checking your refund"})
    c.until(lambda m: m["text"] == "checking your refund")
    assert sum(1 for m in c.seen if (m.get("prompt") or {}).get("type") == "AskRating") == 2

    assert answers_of(api, conversation_id) == []
    handed = conversation(api, handed_to)
    assert handed["status"] == "open" and handed["customer"]["user"] == c.user
    assert [m["text"] for m in handed["transcript"] if m["direction"] == "in"] == [
        "where is my refund?",
        "and my order 20261123-4411?",
    ]
    open_ids = [x["id"] for x in api.get("/api/conversations", params={"status": "open"}).json()]
    assert handed_to in open_ids and conversation_id not in open_ids
    after = report(api)["total"]
    assert (after["csat_n"], after["responded"]) == (before["csat_n"], before["responded"])

    c.say("5")  # a real answer is still taken
    c.prompt("AskText", "praise")
    c.say("skip")
    c.prompt("End")
    assert answers_of(api, conversation_id) == [("rating", 5, None, None)]


def test_the_survey_is_sent_by_the_timer_worker_when_resolved_without_send_now(
    api: httpx.Client, customer: MakeCustomer
) -> None:
    c = customer()
    c.say("hello?")
    conversation_id = c.conversation()
    response = api.post(f"/api/conversations/{conversation_id}/resolve", json={})
    assert response.status_code == 200, response.text
    assert response.json()["survey_id"]
    rating = c.prompt("AskRating", "rating")  # `delay: 0s`: only the scheduler's timer worker sends it
    assert rating["survey"] == response.json()["survey_id"]
    assert conversation(api, conversation_id)["survey"]["status"] == "active"
