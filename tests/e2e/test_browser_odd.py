"""The web chat page in headless Chromium under what customers and sites get wrong: a late tap in a
second tab, a paste past the limit, a site's wrong ``user_hash``, a server that fails for a while,
a network that drops and comes back."""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect

from .conftest import AsAgent, LiveServer
from .test_browser import conversation_of, open_chat, signed_in_as

pytestmark = pytest.mark.browser
STUCK = re.compile(r"/api/webchat/messages\?.*wait=20")


def sent(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")
    expect(page.locator("#log li.in").last).to_have_text(text)


@contextmanager
def two_tabs(browser: Browser, url: str, user: str, first: str) -> Iterator[tuple[Page, Page]]:
    """Two tabs of ``user``'s chat, both showing ``first`` (sent in the first); in the second, the
    long poll after the one under way hangs, as on a network that dropped it, until the end."""
    here, there = open_chat(browser, url, user), open_chat(browser, url, user)
    sent(here, first)
    expect(there.locator("#log li.in")).to_have_text(first)
    held: list[Route] = []
    there.route(STUCK, lambda route: held.append(route))
    yield here, there
    for route in held:
        route.abort()


def test_a_late_tap_in_a_second_tab_shows_what_is_current_and_stores_nothing(
    browser: Browser, live: LiveServer, api: httpx.Client, agent: AsAgent
) -> None:
    """Before: the stale tab marked its tap as picked, the server stored it as a message under the
    recorded answer, and nothing answered it."""
    user = "browser-late-tap"
    with two_tabs(browser, live.url, user, "where is my parcel") as (here, there):
        late_tap(api, agent, user, here, there)


def late_tap(api: httpx.Client, agent: AsAgent, user: str, here: Page, there: Page) -> None:
    conversation_id = conversation_of(api, user)["id"]
    api.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}, headers=agent("Bob")
    )
    for tab in (here, there):
        expect(tab.locator('.options[data-step="rating"] button')).to_have_count(5)
    here.locator('.options[data-step="rating"] button[data-value="2"]').click()
    expect(here.locator('.options[data-step="reason"] button')).to_have_count(4)

    there.locator('.options[data-step="rating"] button[data-value="4"]').click()
    expect(there.locator("#status")).to_have_text(
        "That question is already closed (answered in another tab, or expired)."
    )
    expect(there.locator('.options[data-step="rating"] button.picked')).to_have_attribute("data-value", "2")
    expect(there.locator('.options[data-step="rating"] button:enabled')).to_have_count(0)
    expect(there.locator('.options[data-step="reason"] button:enabled')).to_have_count(4)
    expect(there.locator("#log li.in")).to_have_count(2)  # the first message and the other tab's tap
    detail = conversation_of(api, user)
    assert [(a["step"], a.get("score")) for a in detail["survey"]["answers"]] == [("rating", 2)]
    assert len([m for m in detail["transcript"] if m["direction"] == "in"]) == 2


def test_a_paste_past_the_limit_is_counted_and_kept_not_cut(browser: Browser, live: LiveServer) -> None:
    """Before: the box's maxlength cut a 5,000-character paste to 4,096 without a word."""
    page = open_chat(browser, live.url, "browser-long-paste")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/messages" in r.url else None)
    expect(page.locator("#count")).to_be_hidden()
    page.keyboard.insert_text("1009 " + "😀" * 4995)  # as a paste arrives; an emoji is one character
    assert page.eval_on_selector("#text", "e => [...e.value].length") == 5000
    expect(page.locator("#count")).to_have_text("5,000 / 4,096")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(
        "Too long (5,000 / 4,096 characters): please send it in parts."
    )
    assert page.eval_on_selector("#text", "e => [...e.value].length") == 5000  # nothing lost
    assert posts == []
    page.fill("#text", "1009 " + "😀" * 3995)
    expect(page.locator("#count")).to_have_text("4,000 / 4,096")
    page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_count(1)
    expect(page.locator("#count")).to_be_hidden()
    expect(page.locator("#status")).to_be_hidden()
    assert len(posts) == 1


def test_a_sites_wrong_user_hash_stops_the_page_instead_of_retrying_for_ever(
    browser: Browser, live: LiveServer
) -> None:
    """Before: the 403 was retried every second for as long as the page stayed open."""
    page = browser.new_page(locale="en-US")
    identity = {"userId": "browser-bad-hash", "userHash": "0" * 64}
    page.add_init_script(f"window.csatbotIdentity = {json.dumps(identity)};")
    starts: list[Request] = []
    page.on("request", lambda r: starts.append(r) if r.url.endswith("/api/webchat/session") else None)
    errors: list[ConsoleMessage] = []
    page.on("console", lambda m: errors.append(m) if m.type == "error" else None)
    page.goto(f"{live.url}/")
    expect(page.locator("#status")).to_have_text(
        "This chat can't confirm who you are, so it can't start. Please reload the page; "
        "if it keeps happening, contact us another way."
    )
    expect(page.locator("#text")).to_be_disabled()
    page.wait_for_timeout(3000)
    assert len(starts) == 1
    said = [m.text for m in errors if "csatbot chat" in m.text]
    assert said and "HTTP 403: user_hash is not the HMAC-SHA256 of user_id" in said[0], said


def test_a_server_that_fails_for_a_while_is_asked_less_and_less_often(
    browser: Browser, live: LiveServer
) -> None:
    """Transient failures (503, 429, no answer) are retried, each wait longer than the last; a
    refusal that cannot change is not (above)."""
    page = browser.new_page(locale="en-US")
    tries: list[float] = []

    def down_three_times(route: Route) -> None:
        tries.append(time.monotonic())
        if len(tries) <= 3:
            route.fulfill(status=503, json={"detail": "database unavailable"})
        else:
            route.continue_()

    page.route("**/api/webchat/session", down_three_times)
    page.goto(f"{live.url}/")
    expect(page.locator("#status")).to_have_text("Can't reach the server. Retrying…")
    expect(page.locator("#status")).to_be_hidden()
    sent(page, "back again")
    gaps = [b - a for a, b in itertools.pairwise(tries[:4])]
    assert 0.7 < gaps[0] < 1.6 and gaps[1] > 1.3 * gaps[0] and gaps[2] > 1.3 * gaps[1], gaps


def test_offline_then_online_the_page_comes_back_at_once_and_sends_once(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    user = "browser-offline"
    page = open_chat(browser, live.url, user)
    sent(page, "before the tunnel")
    page.context.set_offline(True)
    page.fill("#text", "in the tunnel")
    page.press("#text", "Enter")
    expect(page.locator("#status")).to_have_text("Can't reach the server. Retrying…")
    page.wait_for_timeout(3500)  # the waits between tries have grown past 2 s
    page.context.set_offline(False)
    expect(page.locator("#log li.in")).to_have_text(["before the tunnel", "in the tunnel"], timeout=1500)
    expect(page.locator("#status")).to_be_hidden()
    texts = [m["text"] for m in conversation_of(api, user)["transcript"] if m["direction"] == "in"]
    assert texts == ["before the tunnel", "in the tunnel"]


def test_a_tab_the_customer_comes_back_to_reads_at_once(browser: Browser, live: LiveServer) -> None:
    """Its long poll may have been cut while it was hidden or frozen; before, it showed the old chat
    (and old questions as open) until that poll gave up."""
    with two_tabs(browser, live.url, "browser-come-back", "first") as (here, there):
        sent(here, "second")  # wakes the poll under way; the next one hangs
        sent(here, "third")
        expect(there.locator("#log li.in")).to_have_text(["first", "second"])
        there.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the customer looks again
        expect(there.locator("#log li.in")).to_have_text(["first", "second", "third"])


def test_text_json_cannot_carry_is_cleaned_not_refused(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    """A lone surrogate half (a broken paste) or a NUL made the whole message a 422 "JSON decode
    error" the customer could not get past."""
    user = "browser-odd-text"
    page = open_chat(browser, live.url, user)
    for text in ("abc\ud800def", "nul\x00here"):
        page.evaluate("t => { document.getElementById('text').value = t; }", text)
        page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text(["abc\ufffddef", "nulhere"])
    expect(page.locator("#status")).to_be_hidden()
    texts = [m["text"] for m in conversation_of(api, user)["transcript"]]
    assert texts == ["abc\ufffddef", "nulhere"]


def test_a_burst_past_the_rate_limit_waits_and_every_line_arrives_in_order(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    """A customer pasting a list line by line: past the first 20 the server answers 429. Before, the
    page gave up on each ("Message not sent: HTTP 429") and all but one of those lines were lost."""
    user = "browser-burst"
    page = open_chat(browser, live.url, user)
    lines = [f"line {i}" for i in range(24)]
    for line in lines:
        page.fill("#text", line)
        page.press("#text", "Enter")
    expect(page.locator("#log li.in")).to_have_text(lines)
    expect(page.locator("#status")).to_be_hidden()
    assert [m["text"] for m in conversation_of(api, user)["transcript"]] == lines


def test_a_message_whose_request_is_never_answered_is_sent_again_and_the_next_follows(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    """A connection the network dropped without a word: before, the first message waited for ever,
    and everything typed after it waited behind it."""
    user = "browser-black-hole"
    page = browser.new_page(locale="en-US")
    page.clock.install()
    signed_in_as(page, user)
    page.goto(f"{live.url}/")
    held: list[Route] = []
    page.route("**/api/webchat/messages", lambda route: held.append(route), times=1)  # never answered
    for text in ("hello?", "anyone there?"):
        page.fill("#text", text)
        page.press("#text", "Enter")
    for _ in range(100):  # the route handler runs while the page is driven
        if held:
            break
        page.wait_for_timeout(50)
    assert held
    page.clock.run_for(15_000)  # the page gives up on it ...
    page.clock.run_for(1_000)  # ... and sends it again after a pause
    expect(page.locator("#log li.in")).to_have_text(["hello?", "anyone there?"])
    assert [m["text"] for m in conversation_of(api, user)["transcript"]] == ["hello?", "anyone there?"]
    held[0].abort()


def hold_enter(page: Page) -> None:
    for _ in range(8):  # the key's auto-repeat
        page.keyboard.down("Enter")
    page.keyboard.up("Enter")


def test_enter_held_down_or_send_clicked_twice_sends_once(
    browser: Browser, live: LiveServer, api: httpx.Client
) -> None:
    page = open_chat(browser, live.url, "browser-held-enter")
    ways = {"held": hold_enter, "clicked": lambda p: p.locator("#send").dblclick()}
    for text, way in ways.items():
        page.fill("#text", text)
        way(page)
    expect(page.locator("#log li.in")).to_have_text(list(ways))
    page.wait_for_timeout(500)  # room for a second copy to arrive, if one was sent
    expect(page.locator("#log li.in")).to_have_count(2)
    stored = conversation_of(api, "browser-held-enter")["transcript"]
    assert [m["text"] for m in stored] == ["held", "clicked"]


def test_the_skip_button_skips_and_a_late_one_in_another_tab_sends_nothing(
    browser: Browser, live: LiveServer, api: httpx.Client, agent: AsAgent
) -> None:
    """Before: the skip button sent the word "skip" as text; from a tab that had missed the end of
    the survey it reached support as a new message."""
    user = "browser-late-skip"
    with two_tabs(browser, live.url, user, "thanks, all sorted") as (here, there):
        conversation_id = conversation_of(api, user)["id"]
        resolve = f"/api/conversations/{conversation_id}/resolve"
        api.post(resolve, json={"send_survey_now": True}, headers=agent("Bob"))
        for tab in (here, there):
            expect(tab.locator('.options[data-step="rating"] button')).to_have_count(5)
        here.locator('.options[data-step="rating"] button[data-value="5"]').click()
        for tab in (here, there):  # the other tab learns of the praise question on its catch-up
            tab.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
            expect(tab.get_by_role("button", name="Skip this question")).to_be_enabled()
        here.get_by_role("button", name="Skip this question").click()
        expect(here.locator("#log li.out").last).to_have_text("Thank you for your feedback!")
        there.get_by_role("button", name="Skip this question").click()
        expect(there.locator("#status")).to_have_text(
            "That question is already closed (answered in another tab, or expired)."
        )
        expect(there.locator("#log li.out").last).to_have_text("Thank you for your feedback!")
    detail = conversation_of(api, user)
    assert [m["text"] for m in detail["transcript"] if m["direction"] == "in"] == [
        "thanks, all sorted",
        "⭐⭐⭐⭐⭐",
        "skip",
    ]
    assert (
        len(
            [
                c
                for c in api.get("/api/conversations", params={"limit": 500}).json()
                if c["customer"]["user"] == user
            ]
        )
        == 1
    )
