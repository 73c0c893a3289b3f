"""The web chat page in headless Chromium with what real customers bring: long browser language
tags, blocked cookies, right-to-left text, two tabs, a server restart mid-chat."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from ..conftest import api_headers
from .conftest import AsAgent, LiveServer, MakeConfig, StartServer
from .test_browser import conversation_of, open_chat

pytestmark = pytest.mark.browser


def sent(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")
    expect(page.locator("#log li.in").last).to_have_text(text)


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        pytest.param("zh-Hans-CN-u-nu-hanidec", "zh-Hans-CN", id="chinese"),
        pytest.param("en-US-u-ca-gregory-hc-h12", "en-US", id="english"),
    ],
)
def test_a_browser_with_a_long_language_tag_can_chat(
    browser: Browser, live: LiveServer, api: httpx.Client, tag: str, language: str
) -> None:
    user = f"browser-tag-{language}"
    page = open_chat(browser, live.url, user, locale=tag)
    assert page.evaluate("navigator.language") == tag
    sent(page, "1009")
    expect(page.locator("#status")).to_be_hidden()
    assert conversation_of(api, user)["transcript"][0]["text"] == "1009"
    with live.runtime.database.reader.connect() as conn:
        stored = list(conn.exec_driver_sql("select locale from identity where user = ?", (user,)))
    assert stored == [(language,)]


def without_cookies(page: Page) -> list[str]:
    """The browser keeps no cookie (blocked by the customer, or a third-party frame): every
    ``Set-Cookie`` of the chat API is dropped. Returns the API requests made ("POST session"...)."""
    requests: list[str] = []

    def strip(route: Route) -> None:
        path = route.request.url.split("/api/webchat/")[1].split("?")[0]
        requests.append(f"{route.request.method} {path}")
        response = route.fetch()
        page.context.clear_cookies()  # route.fetch keeps the cookie in the context's jar
        headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
        route.fulfill(response=response, headers=headers)

    page.route("**/api/webchat/**", strip)
    return requests


def test_a_browser_that_keeps_no_cookie_still_chats_and_keeps_its_chat(
    browser: Browser, live: LiveServer, api: httpx.Client, agent: AsAgent
) -> None:
    """Before: every request was a 401, the page started sessions in a tight loop until the
    address hit its session limit (429), and no message could be sent."""
    page = browser.new_page(locale="en-US")
    requests = without_cookies(page)
    page.goto(f"{live.url}/")
    sent(page, "my cookies are off")
    expect(page.locator("#status")).to_be_hidden()
    conversation = next(
        c
        for c in api.get("/api/conversations", params={"limit": 500}).json()
        if c["customer"]["user"].startswith("anon-")
        and api.get(f"/api/conversations/{c['id']}").json()["transcript"][0]["text"] == "my cookies are off"
    )
    reply = {"text": "We can help."}
    api.post(f"/api/conversations/{conversation['id']}/reply", json=reply, headers=agent("Bob"))
    expect(page.locator("#log li.agent")).to_contain_text("We can help.")
    assert requests.count("POST session") <= 3, requests
    page.reload()  # the same anonymous customer, with their chat
    expect(page.locator("#log li")).to_have_count(2)
    expect(page.locator("#log li.in")).to_have_text("my cookies are off")
    assert requests.count("POST session") <= 4, requests


def test_a_tab_left_open_for_days_renews_its_session_and_stays_the_same_customer(
    browser: Browser, live: LiveServer
) -> None:
    """Sessions last 7 days from their last renewal; before, only a page load renewed one, so a tab
    left open past a week became a new anonymous customer without its chat."""
    page = browser.new_page(locale="en-US")
    renewals: list[str] = []
    page.on("request", lambda r: renewals.append(r.url) if r.url.endswith("/api/webchat/session") else None)
    page.clock.install()
    page.goto(f"{live.url}/")
    sent(page, "before the weekend")
    assert len(renewals) == 1
    page.clock.fast_forward("25:00:00")
    sent(page, "after the weekend")
    assert len(renewals) == 2
    page.reload()
    expect(page.locator("#log li.in")).to_have_text(["before the weekend", "after the weekend"])


def test_right_to_left_text_reads_right_to_left_and_emoji_arrive_whole(
    browser: Browser, live: LiveServer
) -> None:
    page = open_chat(browser, live.url, "browser-rtl")
    expect(page.locator("#text")).to_have_attribute("dir", "auto")  # typing Arabic runs right to left
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/messages") else None,
    )
    page.fill("#text", " \u200b \ufeff ")  # shows nothing: not sent (before: sent, a blank message)
    page.press("#text", "Enter")
    for text in ("مرحبا! طلبي رقم 1009 لم يصل.", "שלום, ההזמנה שלי לא הגיעה?", "Hello, order 1009?"):
        sent(page, text)
    family = "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽"
    sent(page, family)
    directions = page.locator("#log li.in .text").evaluate_all(
        "(all) => all.map(e => getComputedStyle(e).direction)"
    )
    assert directions == ["rtl", "rtl", "ltr", "ltr"]
    assert len(posts) == 4
    page.reload()
    expect(page.locator("#log li.in").last).to_have_text(family)


def shown(page: Page) -> list[tuple[int, str]]:
    """The chat as the page shows it: (message id, text) per bubble, top to bottom."""
    found: list[list[Any]] = page.locator("#log li").evaluate_all(
        "(all) => all.map(li => [Number(li.dataset.id), li.querySelector('.text').textContent])"
    )
    return [(int(i), str(t)) for i, t in found]


def test_two_tabs_and_a_server_restart_mid_poll_show_every_message_once_in_order(
    browser: Browser, start_server: StartServer, make_config: MakeConfig
) -> None:
    first = start_server(make_config())
    user = "browser-restart"
    tabs = [open_chat(browser, first.url, user), open_chat(browser, first.url, user)]
    with httpx.Client(base_url=first.url, timeout=30, headers=api_headers(first.runtime.database)) as api:
        sent(tabs[0], "one")
        conversation_id = conversation_of(api, user)["id"]
        reply = f"/api/conversations/{conversation_id}/reply"
        api.post(reply, json={"text": "r1"}, headers=api_headers(first.runtime.database, "bob", "agent"))
        for tab in tabs:
            expect(tab.locator("#log li")).to_have_count(2)
        first.stop()  # both tabs are in a long poll
        for tab in tabs:
            expect(tab.locator("#status")).to_have_text("Can't reach the server. Retrying…")
    second = start_server(make_config(), port=first.port)
    with httpx.Client(base_url=second.url, timeout=30, headers=api_headers(second.runtime.database)) as api:
        api.post(reply, json={"text": "r2"}, headers=api_headers(second.runtime.database, "bob", "agent"))
        expect(tabs[1].locator("#log li")).to_have_count(3)
        sent(tabs[1], "two")
        sent(tabs[0], "three")
        stored = [(m["id"], m["text"]) for m in conversation_of(api, user)["transcript"]]
    assert [text for _, text in stored] == ["one", "r1", "r2", "two", "three"]
    for tab in tabs:
        expect(tab.locator("#log li")).to_have_count(5)
        expect(tab.locator("#status")).to_be_hidden()
        assert shown(tab) == stored


def test_a_double_tap_and_a_reload_mid_survey_record_one_answer(
    browser: Browser, live: LiveServer, api: httpx.Client, agent: AsAgent
) -> None:
    user = "browser-double-tap"
    page = open_chat(browser, live.url, user)
    sent(page, "where is my parcel")
    conversation_id = conversation_of(api, user)["id"]
    api.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}, headers=agent("Bob")
    )
    stars = page.locator('.options[data-step="rating"] button')
    expect(stars).to_have_count(5)
    page.reload()  # mid-survey: the open question is live again
    expect(page.locator(".options:not(.done) button")).to_have_count(5)
    stars.nth(1).dblclick()
    expect(page.locator('.options[data-step="reason"] button')).to_have_count(4)
    page.locator('.options[data-step="reason"] button').first.click(click_count=3)
    expect(page.locator('.options[data-step="comment"]')).to_have_count(1)
    survey = conversation_of(api, user)["survey"]
    assert [(a["step"], a.get("score"), a.get("option")) for a in survey["answers"]] == [
        ("rating", 2, None),
        ("reason", None, "slow"),
    ]
    taps = [m for m in conversation_of(api, user)["transcript"] if m["direction"] == "in"]
    assert len(taps) == 3  # the first message and one of each tap
    expect(page.locator("#log li.in")).to_have_count(3)


def test_reloading_again_and_again_never_runs_out_of_long_polls(browser: Browser, live: LiveServer) -> None:
    """Before: a poll cut off by a reload held its slot for its whole 20 s wait, so the ninth quick
    reload met 429s and the page flashed "Message not sent: HTTP 429"."""
    page = open_chat(browser, live.url, "browser-reloads")
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if "/api/webchat/messages?" in r.url else None)
    sent(page, "hello?")
    for _ in range(12):
        page.reload()
        expect(page.locator("#log li.in")).to_have_text("hello?")
    sent(page, "still there?")
    expect(page.locator("#status")).to_be_hidden()
    assert 429 not in answers
    assert live.runtime.webchat.waiting <= 2


def test_a_failing_read_never_says_a_message_was_not_sent(browser: Browser, live: LiveServer) -> None:
    """Before: a 503 or 429 on the long poll showed "Message not sent: HTTP 503" to a customer who
    had sent nothing."""
    page = open_chat(browser, live.url, "browser-read-fails")
    page.route(  # the poll under way when this is set still reaches the server
        "**/api/webchat/messages?**",
        lambda route: route.fulfill(
            status=503, json={"detail": "database unavailable"}, headers={"Retry-After": "5"}
        ),
    )
    sent(page, "hello")  # wakes that poll; the next ones fail
    expect(page.locator("#status")).to_have_text("Can't reach the server. Retrying…")
    page.unroute("**/api/webchat/messages?**")
    expect(page.locator("#status")).to_be_hidden()


@pytest.fixture
def shop(live: LiveServer) -> Iterator[str]:
    """Another site's page (``localhost``, where the chat is ``127.0.0.1``) showing the chat in a frame."""
    page = f'<h1>Shop</h1><iframe src="{live.url}/" width="700" height="600"></iframe>'.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, name="shop", daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_address[1]}/help"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_the_chat_works_in_a_frame_on_another_site(browser: Browser, shop: str) -> None:
    """A site may show the chat in an iframe. There the SameSite=Lax cookie is a third-party one the
    browser refuses; before, every request was a 401 and nothing could be sent. (Storage is denied
    there too, so a reload starts a new anonymous chat.)"""
    page = browser.new_page(locale="en-US")
    page.goto(shop)
    chat = page.frame_locator("iframe")
    chat.locator("#text").fill("hello from the shop")
    chat.locator("#text").press("Enter")
    expect(chat.locator("#log li.in")).to_have_text("hello from the shop")
    expect(chat.locator("#status")).to_be_hidden()
    chat.locator("#text").fill("and a second one")
    chat.locator("#text").press("Enter")
    expect(chat.locator("#log li.in")).to_have_text(["hello from the shop", "and a second one"])


def test_a_message_resent_after_a_network_blip_is_not_overtaken_by_the_next(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    """Before: the first message's resend went out 0.5 s later, after the one typed meanwhile, so
    the chat (and a survey's answers) were stored out of order."""
    user = "browser-blip"
    page = open_chat(browser, live.url, user)
    failures = [1]

    def once_offline(route: Route) -> None:
        if route.request.method == "POST" and failures:
            failures.pop()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/webchat/messages", once_offline)
    for text in ("my parcel is late", "order 1009"):
        page.fill("#text", text)
        page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text(["my parcel is late", "order 1009"])
    assert [m["text"] for m in conversation_of(api, user)["transcript"]] == [
        "my parcel is late",
        "order 1009",
    ]
    expect(page.locator("#status")).to_be_hidden()
