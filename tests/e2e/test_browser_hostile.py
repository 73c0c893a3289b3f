"""Customer- and staff-written text that is HTML, template syntax or a script URL, on every page it
reaches, in headless Chromium with the Content-Security-Policy switched off (so the escaping alone is
tested): no script runs, no element is injected and the text shows as written. A name, message and
reason with no space to break at keep every page within a 1280 px window.

Chromium is a prerequisite (``CSATBOT_CHROMIUM``, default /usr/bin/chromium): missing, the test fails.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from csatbot.console.users import Users

from ..conftest import api_headers, chat_identity
from .conftest import Customer, LiveServer, new_user

pytestmark = pytest.mark.browser
PASSWORD = "hostile-password-1"
NAME = '<img src=x onerror=__pwned=1>"><svg onload=__pwned=2>{{7*7}}'
"""A customer's display name (the web chat takes at most 100 characters)."""
TEXT = (
    "<script>__pwned=3</script> </textarea></title><b id=injected>bold</b> "
    '<a href="javascript:__pwned=4">click</a> \'><iframe srcdoc=x></iframe> {{7*7}} {% raw %}${7*7}'
)
"""What a customer writes, an agent notes and a survey comment says."""
LONG = "W" * 100
WIDTH = 1280
SAFE_NAME = "{{7*7}}"
"""What of :data:`NAME` a page that shows names in a short cell surely shows."""
CHECK = """() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  injected: document.querySelectorAll(
    "img[src=x], svg[onload], b#injected, iframe, a[href^=javascript]").length,
  handlers: [...document.querySelectorAll("*")]
    .filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
  text: document.body.innerText,
  width: document.scrollingElement.scrollWidth,
})"""


def seeded(server: LiveServer, api: httpx.Client) -> tuple[str, int, int]:
    """A customer named :data:`NAME` writes :data:`TEXT`, is escalated with it as the reason, gets
    a note and a reply of it from an agent whose display name is :data:`NAME`, rates 1 and comments
    it. Returns the customer's user id, the conversation and the ticket."""
    Users(server.runtime.database).add("hostile-agent", PASSWORD, "agent", display_name=NAME)
    customer = Customer(api, new_user("xss"))
    customer.post(text=TEXT, name=NAME)
    conversation = customer.conversation()
    ticket = api.post(f"/api/conversations/{conversation}/escalate", json={"reason": TEXT}).json()["id"]
    as_agent = api_headers(server.runtime.database, "hostile-agent", "agent")
    for action in ("note", "reply"):
        done = api.post(f"/api/tickets/{ticket}/{action}", json={"text": TEXT}, headers=as_agent)
        assert done.status_code == 200, done.text
    resolved = api.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
    assert resolved.status_code == 200, resolved.text
    customer.tap(customer.prompt("AskRating", "rating"), "1")
    customer.tap(customer.prompt("AskChoice", "reason"), "slow")
    customer.say(TEXT)
    customer.prompt("End")
    return customer.user, conversation, ticket


def wide(api: httpx.Client) -> tuple[int, int]:
    """A customer whose name (100 characters, the web chat's most) and message (4,096) have no space
    to break at, escalated: their conversation and ticket."""
    customer = Customer(api, new_user("wide"))
    customer.post(text="W" * 4096, name=LONG)
    conversation = customer.conversation()
    ticket = api.post(f"/api/conversations/{conversation}/escalate", json={"reason": "W" * 500}).json()["id"]
    return conversation, ticket


def looked_at(page: Page, url: str, *shown: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_load_state("load")
    return checked(page, *shown)


def checked(page: Page, *shown: str) -> dict[str, Any]:
    """What of the page ran or was injected (all 0 or ``None`` when the escaping holds)."""
    url = page.url
    found: dict[str, Any] = page.evaluate(CHECK)
    for text in shown:
        assert text in found["text"], f"{url} does not show {text!r}"
    assert found["width"] <= WIDTH, f"{url} is {found['width']} px wide in a {WIDTH} px window"
    return {"url": url, "pwned": found["pwned"], "injected": found["injected"], "handlers": found["handlers"]}


def test_hostile_text_shows_as_written_on_every_page_without_the_csp(
    live: LiveServer, browser: Browser
) -> None:
    with httpx.Client(base_url=live.url, timeout=30, headers=api_headers(live.runtime.database)) as api:
        user, conversation, ticket = seeded(live, api)
        customer_id = api.get(f"/api/tickets/{ticket}").json()["customer_id"]
        long_conversation, long_ticket = wide(api)
    Users(live.runtime.database).add("hostile-lead", PASSWORD, "admin")
    console = browser.new_context(
        bypass_csp=True, locale="en-US", viewport={"width": WIDTH, "height": 800}
    ).new_page()
    console.goto(f"{live.url}/console/login")
    console.fill("input[name=username]", "hostile-lead")
    console.fill("input[name=password]", PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator("h1")).to_contain_text("Ticket queue")
    console.fill("#saved input[name=name]", NAME[:64])
    console.locator("#saved button[type=submit]").last.click()
    expect(console.locator("#saved")).to_contain_text(NAME[:20])

    c = f"{live.url}/console"
    seen = [
        looked_at(console, f"{c}/", SAFE_NAME, NAME[:20], LONG),
        looked_at(console, f"{c}/conversations?status=all", SAFE_NAME, LONG),
        looked_at(console, f"{c}/conversations/{conversation}", NAME, TEXT),
        looked_at(console, f"{c}/tickets/{ticket}", NAME, TEXT),
        looked_at(console, f"{c}/customers/{customer_id}", NAME),
        looked_at(console, f"{c}/reports"),
        looked_at(console, f"{c}/reports/surveys", TEXT[:40]),
        looked_at(console, f"{c}/conversations/{long_conversation}", LONG),
        looked_at(console, f"{c}/tickets/{long_ticket}", LONG),
    ]
    chat = browser.new_context(
        bypass_csp=True, locale="en-US", viewport={"width": WIDTH, "height": 800}
    ).new_page()
    identity = chat_identity(user)
    chat.add_init_script(
        f"window.csatbotIdentity = {json.dumps({'userId': user, 'userHash': identity['user_hash']})};"
    )
    chat.goto(f"{live.url}/")
    expect(chat.locator("#log li.agent .by")).to_have_text(NAME)
    expect(chat.locator("#log li.in").first).to_have_text(TEXT)
    seen.append(checked(chat, NAME, TEXT))
    assert [s for s in seen if s["pwned"] or s["injected"] or s["handlers"]] == []


QUOTE_AFTER = """() => {
  const answers = document.querySelector("#answers");
  const node = [...answers.childNodes].find(n => n.nodeType === 3 && n.data.includes("TAIL"));
  const at = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                      return r.getBoundingClientRect().left; };
  const tail = node.data.indexOf("TAIL");
  return {letter: at(tail), quote: at(node.data.indexOf("\u201d", tail))};
}"""


def test_a_direction_override_in_a_comment_reorders_nothing_after_it(
    live: LiveServer, browser: Browser
) -> None:
    """A survey comment ending in an open right-to-left override, quoted inline on the conversation
    page (``“...”``): the closing quote after it used to be drawn to the left of the comment, inside
    the reversed run; the comment is now an isolate of its own and the quote follows it."""
    with httpx.Client(base_url=live.url, timeout=30, headers=api_headers(live.runtime.database)) as api:
        customer = Customer(api, new_user("bidi"))
        customer.post(text="my parcel is late")
        conversation = customer.conversation()
        resolved = api.post(f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True})
        assert resolved.status_code == 200, resolved.text
        customer.tap(customer.prompt("AskRating", "rating"), "1")
        customer.tap(customer.prompt("AskChoice", "reason"), "slow")
        customer.say("bad \u202eTAIL")
        customer.prompt("End")
    Users(live.runtime.database).add("bidi-lead", PASSWORD, "admin")
    console = browser.new_context(locale="en-US", viewport={"width": WIDTH, "height": 800}).new_page()
    console.goto(f"{live.url}/console/login")
    console.fill("input[name=username]", "bidi-lead")
    console.fill("input[name=password]", PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator("h1")).to_contain_text("Ticket queue")
    console.goto(f"{live.url}/console/conversations/{conversation}")
    where = console.evaluate(QUOTE_AFTER)
    assert where["quote"] > where["letter"], where
