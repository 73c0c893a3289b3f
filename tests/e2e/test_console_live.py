"""The console at a desk (1280 px) and on a phone (390 px), in headless Chromium: the live queue shows
a new DSAT ticket without a reload and counts it as unread; the customer page and the reports page
show their figures; no page is wider than the phone.

Chromium is a prerequisite (``CSATBOT_CHROMIUM``, default /usr/bin/chromium): missing, the tests fail.
"""

from __future__ import annotations

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

from ..conftest import api_headers
from .conftest import Customer, LiveServer, new_user

pytestmark = pytest.mark.browser
PASSWORD = "lead-password-1"
# `make screenshots` points this at docs/screenshots (the README's pictures); tests alone write to /tmp.
SHOTS = Path(os.environ.get("CSATBOT_SCREENSHOTS") or Path(tempfile.gettempdir()) / "csatbot-screenshots")
WIDTHS = [1280, 390]
expect.set_options(timeout=10_000)


def dsat_ticket(api: httpx.Client, user: str, text: str = "My order arrived broken") -> None:
    """A web chat customer writes, is surveyed at once, rates 1 star and says why: a DSAT ticket."""
    customer = Customer(api, user)
    customer.say(text)
    resolved = api.post(
        f"/api/conversations/{customer.conversation()}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200, resolved.text
    customer.tap(customer.prompt("AskRating", "rating"), "1")
    customer.tap(customer.prompt("AskChoice", "reason"), "slow")
    customer.say("Nobody answered for days.")
    customer.prompt("End")


def signed_in(browser: Browser, server: LiveServer, width: int) -> Page:
    page = browser.new_page(locale="en-US", viewport={"width": width, "height": 860})
    page.goto(f"{server.url}/console/login")
    page.fill("input[name=username]", "lead")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Ticket queue")
    return page


WIDER = """width => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > width + 0.5)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 0.5)
  .filter(e => !["THEAD", "TBODY", "TR"].includes(e.tagName)).slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${e.getBoundingClientRect().right}px`)"""


def shot(page: Page, name: str, width: int, at: int) -> None:
    """Save the README's picture ``name`` when the test runs at width ``at``."""
    if width == at:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def fits(page: Page, width: int) -> None:
    """Nothing on the loaded page is wider than the window (no sideways scrolling). Measured after
    the load event: the text a test waited for comes before the stylesheet that fits the charts to
    the window (a CI run once measured a chart at its own 568 px, unstyled, after a click)."""
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} is {scroll_width} px wide in a {width} px window: {page.evaluate(WIDER, width)}"
    )


@pytest.fixture
def server(start_server: Callable[..., LiveServer], make_config: Callable[..., Path]) -> LiveServer:
    started = start_server(make_config(delay="0s"))
    Users(started.runtime.database).add("lead", PASSWORD, "admin", display_name="Mei Lin")
    return started


@pytest.fixture
def api(server: LiveServer) -> Any:
    with httpx.Client(
        base_url=server.url, timeout=30, headers=api_headers(server.runtime.database)
    ) as client:
        yield client


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_dsat_ticket_appears_in_the_open_queue_and_counts_as_unread(
    browser: Browser, server: LiveServer, api: httpx.Client, width: int
) -> None:
    dsat_ticket(api, new_user("before"))
    page = signed_in(browser, server, width)
    expect(page.locator("#rows tr")).to_have_count(1)
    expect(page.locator("#count")).to_have_text("1 tickets")
    expect(page.locator("#live-state")).to_be_visible()  # the event stream is open
    expect(page.locator("#unread")).to_be_hidden()
    page.evaluate("window.notReloaded = true")

    late = new_user("late")
    dsat_ticket(api, late)
    row = page.locator("#rows tr", has_text=late)
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bnew\b"))
    expect(row).to_contain_text("CSAT 1 (at most 3)")
    expect(page.locator("#count")).to_have_text("2 tickets")
    expect(page.locator("#unread")).to_have_text("1 new")
    expect(page).to_have_title(re.compile(r"^\(1\) Ticket queue"))
    assert page.evaluate("window.notReloaded") is True  # the rows changed, the page was not reloaded
    fits(page, width)
    shot(page, "console-queue-live.png", width, 1280)

    page.locator("#unread").click()
    expect(page.locator("#unread")).to_be_hidden()
    expect(page.locator("#rows tr.new")).to_have_count(0)
    expect(page).to_have_title(re.compile(r"^Ticket queue"))


def test_the_queue_opens_its_live_stream_again_after_a_refusal(
    browser: Browser, server: LiveServer, api: httpx.Client
) -> None:
    """A browser's EventSource gives up for good on an answer other than 200 (a 429 when the lead has
    too many tabs open, a proxy's 502 while the server restarts): the page stayed without live
    updates until reloaded. Now it opens the stream again a little later."""
    refused: list[str] = []

    def twice_busy(route: Route) -> None:
        if len(refused) < 2:
            refused.append(route.request.url)
            route.fulfill(status=429, headers={"Retry-After": "10"}, body="too many live streams")
        else:
            route.continue_()

    page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 860})
    page.route("**/console/events", twice_busy)
    page.goto(f"{server.url}/console/login")
    page.fill("input[name=username]", "lead")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Ticket queue")
    expect(page.locator("#live-state")).to_be_visible()  # after 2 s and 4 s
    assert len(refused) == 2
    late = new_user("after-429")
    dsat_ticket(api, late)
    expect(page.locator("#rows tr", has_text=late)).to_have_count(1)


# The browser's notifications, as a lead who allowed them and looks at another tab would have them.
BACKGROUND_TAB = """
window.shown = [];
window.Notification = class {
  static permission = "default";
  static requestPermission() {
    window.Notification.permission = "granted";
    return Promise.resolve("granted");
  }
  constructor(title) { window.shown.push(title); }
};
Object.defineProperty(document, "hidden", { get: () => true });
"""


def test_a_new_ticket_is_announced_by_a_browser_notification_once_allowed(
    browser: Browser, server: LiveServer, api: httpx.Client
) -> None:
    page = signed_in(browser, server, 1280)
    page.add_init_script(BACKGROUND_TAB)
    page.reload()
    expect(page.locator("#live-state")).to_be_visible()
    page.locator("#notify").click()  # asks the browser's permission, then hides
    expect(page.locator("#notify")).to_be_hidden()
    dsat_ticket(api, new_user("notified"))
    expect(page.locator("#unread")).to_have_text("1 new")
    assert page.evaluate("window.shown") == ["1 new ticket(s) in the queue"]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_conversation_shows_the_customer_s_new_message_without_a_reload_and_counts_it(
    browser: Browser, server: LiveServer, api: httpx.Client, width: int
) -> None:
    customer = Customer(api, new_user("writer"))
    customer.say("Where is my parcel?")
    page = signed_in(browser, server, width)
    page.goto(f"{server.url}/console/conversations/{customer.conversation()}")
    expect(page.locator("#transcript li.in")).to_have_count(1)
    expect(page.locator("#unread-messages")).to_be_hidden()
    page.evaluate("window.notReloaded = true")

    customer.say("Hello? Anyone there?")
    expect(page.locator("#transcript li.in")).to_have_count(2)
    expect(page.locator("#transcript li.in").last).to_contain_text("Hello? Anyone there?")
    expect(page.locator("#unread-messages")).to_have_text("1 new")
    expect(page).to_have_title(re.compile(r"^\(1\) Conversation #"))
    assert page.evaluate("window.notReloaded") is True
    fits(page, width)
    page.locator("#unread-messages").click()
    expect(page.locator("#unread-messages")).to_be_hidden()
    expect(page).to_have_title(re.compile(r"^Conversation #"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_customer_page_shows_their_history_and_health(
    browser: Browser, server: LiveServer, api: httpx.Client, width: int
) -> None:
    user = new_user("regular")
    dsat_ticket(api, user)
    page = signed_in(browser, server, width)
    page.locator("#rows tr", has_text=user).get_by_role("link", name=user).click()
    expect(page.locator("h1")).to_contain_text(user)
    expect(page.locator("#health")).to_have_text("at risk")
    expect(page.locator("#identities")).to_contain_text("Web chat")  # the channel's name
    expect(page.locator("#trend li")).to_have_count(1)
    expect(page.locator("#trend")).to_contain_text("CSAT 1")
    expect(page.locator("#open-dsat a")).to_have_count(1)
    expect(page.locator("#timeline li.ticket")).to_contain_text("CSAT 1 (at most 3)")
    expect(page.locator("#timeline li.conversation")).to_have_count(1)
    # A timeline entry reads as one line of a list, not laid out like the ticket page's two columns.
    for entry in page.locator("#timeline li").all():
        expect(entry).to_have_css("display", "list-item")
    fits(page, width)
    shot(page, "console-customer.png", width, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_reports_page_shows_every_figure_with_its_sample(
    browser: Browser, server: LiveServer, api: httpx.Client, width: int
) -> None:
    dsat_ticket(api, new_user("rated"))
    page = signed_in(browser, server, width)
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("h1")).to_contain_text("Reports")
    expect(page.locator("#fig-csat b")).to_have_text("0%")
    expect(page.locator("#fig-dsat small")).to_contain_text("1 / n=1")
    expect(page.locator("#reasons")).to_contain_text("Slow response")
    expect(page.locator("#by-channel tbody tr")).to_contain_text("Web chat")  # a label, not the id
    # Every figure says when it rests on too few answers, and no change is claimed from them.
    expect(page.locator("#fig-csat .few")).to_have_text("few answers")
    expect(page.locator("#fig-csat .change")).to_have_text("previous 30 days: no answers")
    expect(page.locator("#fig-dsat .few")).to_be_visible()
    expect(page.locator("#dist-csat tbody tr")).to_have_count(5)
    expect(page.locator("#dist-nps tbody tr")).to_have_count(11)
    expect(page.locator("#dist-ces tbody tr")).to_have_count(7)
    expect(page.locator("#dist-csat caption")).to_contain_text("n=1")
    rows = [page.locator(f"#dist-{n} tbody tr").first.bounding_box() for n in ("csat", "nps", "ces")]
    assert len({round(r["height"]) for r in rows if r}) == 1, rows  # bars as tall in each distribution
    board = page.locator("#leaderboard tbody tr")
    expect(board).to_have_count(1)
    expect(board).to_contain_text("0%")
    expect(board.locator(".ci")).to_have_text("[0–79]")  # Wilson 95% for 0 of 1
    fits(page, width)
    shot(page, "console-reports-phone.png", width, 390)
    page.locator("#presets").get_by_role("link", name="Last 7 days").click()
    expect(page.locator("#fig-csat .change")).to_have_text("previous 7 days: no answers")
    expect(page.locator("#presets a[aria-current]")).to_have_text("Last 7 days")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("#by-channel tbody tr")).to_contain_text("网页聊天")
    expect(page.locator("#fig-csat .change")).to_have_text("之前 7 天：没有回答")
    fits(page, width)


def test_swagger_ui_renders_the_api_with_no_other_host_reachable(
    browser: Browser, server: LiveServer
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    strays: list[str] = []

    def offline(route: Route) -> None:
        strays.append(route.request.url)
        route.abort()

    page.route(re.compile(rf"^(?!{re.escape(server.url)}/).*"), offline)
    page.goto(f"{server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("csatbot")
    expect(page.locator(".opblock-summary-path", has_text="/api/tickets").first).to_be_visible()
    assert strays == []


def test_every_console_page_fits_a_phone(browser: Browser, server: LiveServer, api: httpx.Client) -> None:
    dsat_ticket(api, new_user("phone"))
    login = browser.new_page(viewport={"width": 390, "height": 860})
    login.goto(f"{server.url}/console/login")
    fits(login, 390)
    page = signed_in(browser, server, 390)
    overdue = page.locator("input[name=overdue]").bounding_box()  # a checkbox, not a stretched field
    assert overdue is not None and overdue["width"] < 30, overdue
    label = page.locator("label.check").bounding_box()
    assert label is not None and label["height"] < 30, label  # "Overdue only" on one line beside it
    ticket = page.locator("#rows tr a[href*='/tickets/']").first.get_attribute("href")
    customer = page.locator("#rows tr a.customer").first.get_attribute("href")
    page.goto(f"{server.url}{customer}")
    conversation = page.locator("#timeline a[href*='/conversations/']").first.get_attribute("href")
    for path in [
        "/console/",
        ticket,
        customer,
        "/console/conversations",
        conversation,
        "/console/reports",
        "/console/reports/surveys?metric=sent",
        "/console/reports/good-news",
        "/console/flows",
        "/console/flows/csat/preview?channel=whatsapp&locale=en",
        "/console/flows/nps/preview?channel=telegram&locale=zh-CN",
    ]:
        page.goto(f"{server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        if "/preview" in path:  # a flow's preview, not an error page
            expect(page.locator(".preview-step .tap").first).to_be_visible()
        fits(page, 390)
