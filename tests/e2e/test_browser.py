"""The web chat page and the agent desk in real headless Chromium (Debian's package, via Playwright).

Chromium is a prerequisite: when it is missing these tests FAIL (they never skip). Point
``CSATBOT_CHROMIUM`` at another executable if yours lives elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from csatbot.console.users import Users

from ..conftest import chat_identity
from .conftest import AsAgent, LiveServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` points this at docs/screenshots (the README's pictures); tests alone write to /tmp.
SHOTS = Path(os.environ.get("CSATBOT_SCREENSHOTS") or Path(tempfile.gettempdir()) / "csatbot-screenshots")
expect.set_options(timeout=10_000)


def signed_in_as(page: Page, user: str) -> None:
    """What a site that knows its user puts on its page: the id and its HMAC from the site's server."""
    identity = {"userId": user, "userHash": chat_identity(user)["user_hash"]}
    page.add_init_script(f"window.csatbotIdentity = {json.dumps(identity)};")


def open_chat(browser: Browser, url: str, user: str, locale: str = "en-US") -> Page:
    page = browser.new_page(locale=locale, viewport={"width": 760, "height": 860})
    signed_in_as(page, user)
    page.goto(f"{url}/")
    expect(page.locator("#text")).to_be_focused()
    return page


def conversation_of(api: httpx.Client, user: str) -> dict[str, Any]:
    found = [
        c
        for c in api.get("/api/conversations", params={"limit": 500}).json()
        if c["customer"]["user"] == user
    ]
    assert len(found) >= 1, f"no conversation for {user}"
    detail: dict[str, Any] = api.get(f"/api/conversations/{found[0]['id']}").json()
    return detail


def test_a_customer_rates_by_tapping_and_the_answers_are_stored(
    browser: Browser, live: LiveServer, api: httpx.Client, agent: AsAgent
) -> None:
    user = "browser-ann"
    page = open_chat(browser, live.url, user)
    expect(page.locator("#empty")).to_be_visible()
    page.fill("#text", "Hi, my parcel #A-1009 has not arrived")
    page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text("Hi, my parcel #A-1009 has not arrived")
    expect(page.locator("#text")).to_have_value("")
    expect(page.locator("#empty")).to_be_hidden()

    conversation_id = conversation_of(api, user)["id"]
    api.post(
        f"/api/conversations/{conversation_id}/reply",
        json={"text": "Sorry about that! It left our warehouse today."},
        headers=agent("Bob"),
    )
    expect(page.locator("#log li.agent")).to_contain_text("It left our warehouse today.")
    resolved = api.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}, headers=agent("Bob")
    ).json()

    rating = page.locator(f'.options[data-survey="{resolved["survey_id"]}"][data-step="rating"]')
    expect(rating.locator("button")).to_have_count(5)
    two = rating.locator('button[data-value="2"]')
    two.click()
    expect(two).to_have_class(re.compile(r"\bpicked\b"))
    expect(two).to_have_attribute("aria-pressed", "true")
    expect(rating.locator('button[data-value="5"]')).to_be_disabled()

    reason = page.locator('.options[data-step="reason"]')
    # Numbered, as the hint under them says ("Tap an option or reply with its number").
    expect(reason.locator("button")).to_have_text(
        ["1. Slow response", "2. Problem not solved", "3. Unfriendly service", "4. Something else"]
    )
    expect(page.locator("#log li.out").last.locator(".hint")).to_have_text(
        "Tap an option or reply with its number."
    )
    reason.get_by_role("button", name="Problem not solved").click()
    expect(reason.locator('button[data-value="unresolved"]')).to_have_class(re.compile(r"\bpicked\b"))

    comment = page.locator('.options[data-step="comment"]')
    expect(comment.get_by_role("button", name="Skip this question")).to_be_enabled()
    expect(page.locator("#text")).to_be_focused()
    page.keyboard.type("Nobody called me back.")
    page.keyboard.press("Enter")
    expect(page.locator("#log li.out").last).to_have_text(
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
    )
    expect(comment.locator("button")).to_be_disabled()  # the skip button is retired once answered
    expect(page.locator("#status")).to_be_hidden()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "webchat.png"))

    detail = conversation_of(api, user)
    survey = detail["survey"]
    assert survey["id"] == resolved["survey_id"] and survey["status"] == "completed"
    assert [(a["step"], a.get("score"), a.get("option"), a.get("text")) for a in survey["answers"]] == [
        ("rating", 2, None, None),
        ("reason", None, "unresolved", None),
        ("comment", None, None, "Nobody called me back."),
    ]
    assert detail["ticket"]["reasons"] == ["CSAT 2 (at most 3)"]
    assert survey["opened_at"] is not None  # the page fetched the question to show it

    # After a reload the page shows the same chat, with the picked answers still marked.
    page.reload()
    expect(page.locator('.options[data-step="rating"] button.picked')).to_have_attribute("data-value", "2")
    expect(page.locator('.options[data-step="reason"] button.picked')).to_have_attribute(
        "data-value", "unresolved"
    )
    expect(page.locator(".options:not(.done)")).to_have_count(0)


def test_the_agent_desk_replies_and_resolves_and_the_customer_rates_with_the_keyboard(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    user = "browser-li"
    chat = open_chat(browser, live.url, user)
    chat.fill("#text", "Do you ship to Hangzhou?")
    chat.press("#text", "Enter")
    expect(chat.locator("#log li.in")).to_have_text("Do you ship to Hangzhou?")

    # The old desk (/agent) is the console's conversations, behind its sign-in, acting as whoever signed in.
    Users(live.runtime.database).add("Mei", "desk password 123", "agent")
    desk = browser.new_page(locale="en-US", viewport={"width": 1100, "height": 640})
    desk.goto(f"{live.url}/agent")
    expect(desk).to_have_url(re.compile(r"/console/login\?next=%2Fconsole%2Fconversations$"))
    desk.fill("input[name=username]", "Mei")
    desk.fill("input[name=password]", "desk password 123")
    desk.get_by_role("button", name="Sign in").click()
    expect(desk).to_have_url(f"{live.url}/console/conversations")
    expect(desk.locator("header .who")).to_have_text("Mei (agent)")
    entry = desk.locator("#conversations a", has_text=user)
    expect(entry).to_have_count(1)
    entry.click()
    expect(desk.locator("#title")).to_contain_text(user)
    expect(desk.locator("#transcript")).to_contain_text("Do you ship to Hangzhou?")
    desk.fill("#reply", "Yes, we deliver to Hangzhou in two days.")
    desk.locator("#send").click()
    expect(desk.locator("#flash")).to_contain_text("Reply queued")
    expect(desk.locator("#transcript li.agent")).to_contain_text("Yes, we deliver to Hangzhou in two days.")

    expect(chat.locator("#log li.agent")).to_contain_text("Yes, we deliver to Hangzhou in two days.")
    expect(chat.locator("#log li.agent .by")).to_have_text("Mei")

    desk.get_by_role("button", name="Resolve & survey now").click()
    expect(desk.locator("#flash")).to_contain_text("Resolved; the survey goes out at")
    expect(desk.locator("#flash")).to_contain_text("+08")  # the configured zone is shown

    # The customer answers with the keyboard only: Shift+Tab from the message box to the stars,
    # arrow keys to the 4th, Enter.
    stars = chat.locator('.options[data-step="rating"] button')
    expect(stars).to_have_count(5)
    chat.bring_to_front()
    expect(chat.locator("#text")).to_be_focused()
    chat.keyboard.press("Shift+Tab")
    expect(stars.nth(4)).to_be_focused()
    chat.keyboard.press("Home")
    expect(stars.nth(0)).to_be_focused()
    for _ in range(3):
        chat.keyboard.press("ArrowRight")
    expect(stars.nth(3)).to_be_focused()
    chat.keyboard.press("Enter")
    expect(chat.locator("#log li.out").last).to_contain_text("Glad we could help!")  # the optional praise
    expect(chat.locator('.options[data-step="rating"] button.picked')).to_have_attribute("data-value", "4")
    chat.fill("#text", "Bob was quick and kind")
    chat.press("#text", "Enter")
    expect(chat.locator("#log li.out").last).to_have_text("Thank you for your feedback!")

    desk.reload()
    expect(desk.locator("#answers")).to_contain_text("CSAT rating: 4")
    expect(desk.locator("#status")).to_have_text("resolved")
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SHOTS / "console-conversation.png"))

    survey = conversation_of(api, user)["survey"]
    assert survey["status"] == "completed"
    assert [(a["step"], a.get("score")) for a in survey["answers"]] == [("rating", 4), ("praise", None)]


def test_a_typed_answer_marks_its_button_and_an_open_question_keeps_its_buttons(
    browser: Browser, live: LiveServer, api: httpx.Client, agent: Callable[[str], dict[str, str]]
) -> None:
    user = "browser-typed"
    page = open_chat(browser, live.url, user, locale="zh-CN")
    page.fill("#text", "我的快递还没到")
    page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text("我的快递还没到")
    conversation_id = conversation_of(api, user)["id"]
    bob = agent("Bob")
    api.post(f"/api/conversations/{conversation_id}/reply", json={"text": "已经发出了。"}, headers=bob)
    api.post(f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}, headers=bob)
    rating = page.locator('.options[data-step="rating"]')
    expect(rating.locator("button")).to_have_count(5)
    # The scale's words show under the stars.
    expect(page.locator("#log li.out .anchors").last).to_have_text("1 = 非常不满意5 = 非常满意")

    for text in ("我的退款呢？", "订单号 12345678"):  # not answers: the question stays open
        page.fill("#text", text)
        page.press("#text", "Enter")
        expect(page.locator("#log li.in").last).to_have_text(text)
    live_stars = page.locator(".options:not(.done)")
    expect(live_stars).to_have_count(1)
    expect(live_stars.locator("button")).to_have_count(5)
    expect(live_stars.locator('button[data-value="3"]')).to_be_enabled()

    page.fill("#text", "五星")
    page.press("#text", "Enter")
    five = page.locator('.options[data-step="rating"] button.picked')
    expect(five).to_have_count(1)
    expect(five).to_have_attribute("data-value", "5")
    expect(page.locator('.options[data-step="rating"]:not(.done)')).to_have_count(0)
    page.reload()  # what was recorded is still shown after a reload
    expect(page.locator('.options[data-step="rating"] button.picked')).to_have_attribute("data-value", "5")
    answers = api.get(f"/api/conversations/{conversation_id}").json()["survey"]["answers"]
    assert [(a["step"], a.get("score")) for a in answers] == [("rating", 5)]


def test_chinese_page_chrome_and_error_lines(browser: Browser, live: LiveServer, api: httpx.Client) -> None:
    page = browser.new_page(locale="zh-CN", viewport={"width": 760, "height": 600})
    # The server is unreachable: the page says so, and recovers by itself when it is back.
    page.route("**/api/webchat/messages?**", lambda route: route.abort("connectionrefused"))
    signed_in_as(page, "browser-wang")
    page.goto(f"{live.url}/")
    expect(page.locator("#text")).to_have_attribute("placeholder", "输入消息…")
    expect(page.locator("#send")).to_have_text("发送")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#status")).to_have_text("无法连接服务器，正在重试…")
    page.unroute("**/api/webchat/messages?**")
    expect(page.locator("#status")).to_be_hidden()

    page.fill("#text", "你好")
    page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text("你好")

    # A message the server refuses is not lost: the text goes back into the box with the reason.
    bad = browser.new_page(locale="en-US")
    signed_in_as(bad, "browser-refused")

    def mangle(route: Route) -> None:  # what the server gets is not a message it accepts
        if route.request.method == "POST":
            route.continue_(post_data=(route.request.post_data or "").replace('"text"', '"txt"'))
        else:
            route.continue_()

    bad.route("**/api/webchat/messages", mangle)
    bad.goto(f"{live.url}/")
    bad.fill("#text", "hello?")
    bad.press("#text", "Enter")
    expect(bad.locator("#status")).to_contain_text("Message not sent: HTTP 422")
    expect(bad.locator("#text")).to_have_value("hello?")
    assert all(c["customer"]["user"] != "browser-refused" for c in api.get("/api/conversations").json())


def test_an_anonymous_customer_keeps_their_chat_across_reloads_and_scripts_cannot_read_the_session(
    browser: Browser, live: LiveServer
) -> None:
    page = browser.new_page(locale="en-US", viewport={"width": 760, "height": 600})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live.url}/")
    page.fill("#text", "anonymous hello")
    page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text("anonymous hello")
    assert "csatbot_chat" not in page.evaluate("document.cookie")  # HttpOnly
    page.reload()
    expect(page.locator("#log li.in")).to_have_text("anonymous hello")
    assert not [url for url in requests if "user" in url.split("?", 1)[-1]]  # no id in any URL
    expect(page.locator("a[href='/agent']")).to_have_count(0)
    other = browser.new_page(locale="en-US")  # another browser profile: a different customer
    other.goto(f"{live.url}/")
    expect(other.locator("#empty")).to_be_visible()
    expect(other.locator("#log li")).to_have_count(0)
