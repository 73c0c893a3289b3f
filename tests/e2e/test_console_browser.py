"""The support console in real headless Chromium: an admin signs in, a customer rates 1 star in the
web chat (another browser context), the DSAT ticket shows up in the queue, the admin claims it and
replies (the customer sees the reply), resolves it, and the report's counts change.

Chromium is a prerequisite (``CSATBOT_CHROMIUM``, default /usr/bin/chromium): missing, the test fails.
With ``CSATBOT_SCREENSHOTS`` set, the README's console pictures are saved there.
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
from playwright.sync_api import Browser, Page, Request, expect

from csatbot.console.users import Users

from ..conftest import api_headers, chat_identity

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("CSATBOT_SCREENSHOTS") or Path(tempfile.gettempdir()) / "csatbot-screenshots")
CHROMIUM = os.environ.get("CSATBOT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
PASSWORD = "lead-password-1"
expect.set_options(timeout=10_000)


def watch_requests(page: Page, base: str, strays: list[str]) -> None:
    """Record any request the page makes beyond the app (the console must load nothing remote)."""

    def seen(request: Request) -> None:
        if not request.url.startswith((base, "data:", "about:")):
            strays.append(request.url)

    page.on("request", seen)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_dsat_ticket_from_the_web_chat_is_worked_in_the_console(
    browser: Browser, start_server: Callable[..., Any], make_config: Callable[..., Path]
) -> None:
    server = start_server(make_config(delay="0s"))
    Users(server.runtime.database).add("lead", PASSWORD, "admin", display_name="Mei Lin")
    strays: list[str] = []
    console = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 860})
    watch_requests(console, server.url, strays)

    console.goto(f"{server.url}/console/")
    expect(console).to_have_url(re.compile(r"/console/login\?next=%2Fconsole%2F$"))
    console.fill("input[name=username]", "lead")
    console.fill("input[name=password]", "wrong password")
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator("#failed")).to_have_text("Wrong user name or password.")
    shot(console, "console-login.png")
    console.fill("input[name=password]", PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator("h1")).to_contain_text("Ticket queue")
    expect(console.locator("#empty")).to_be_visible()

    console.goto(f"{server.url}/console/reports")
    expect(console.locator("#fig-response b")).to_have_text("–")
    expect(console.locator("#fig-dsat small")).to_have_text("0 / n=0")

    # The customer, in a browser of their own, writes, is surveyed, and gives 1 star.
    customer = browser.new_context(locale="en-US", viewport={"width": 760, "height": 860}).new_page()
    identity = {"userId": "browser-dora", "userHash": chat_identity("browser-dora")["user_hash"]}
    customer.add_init_script(f"window.csatbotIdentity = {json.dumps(identity)};")  # the site knows Dora
    customer.goto(f"{server.url}/")
    customer.fill("#text", "My order #A-2001 arrived broken")
    customer.press("#text", "Enter")
    expect(customer.locator("#log li.in")).to_have_text("My order #A-2001 arrived broken")
    with httpx.Client(base_url=server.url, timeout=30, headers=api_headers(server.runtime.database)) as api:
        [conversation] = [
            c for c in api.get("/api/conversations").json() if c["customer"]["user"] == "browser-dora"
        ]
        resolved = api.post(
            f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
        )
        assert resolved.status_code == 200, resolved.text
    customer.locator('.options[data-step="rating"] button[data-value="1"]').click()
    customer.locator('.options[data-step="reason"]').get_by_role("button", name="Problem not solved").click()
    expect(customer.locator('.options[data-step="comment"]')).to_be_visible()
    customer.fill("#text", "The screen is cracked.")
    customer.press("#text", "Enter")
    expect(customer.locator("#log li.out").last).to_have_text(
        "Thank you for your feedback!\nI've passed this to Customer Support: a person will reply here."
    )

    # The ticket is in the queue: most urgent first, unassigned (the team has no members).
    console.goto(f"{server.url}/console/")
    row = console.locator("#tickets tbody tr", has_text="browser-dora")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("CSAT 1 (at most 3)")
    expect(row).to_contain_text("open")
    shot(console, "console-queue.png")
    row.get_by_role("link", name=re.compile(r"^#\d+$")).click()  # the customer's name opens their page
    expect(console.locator("#transcript")).to_contain_text("My order #A-2001 arrived broken")
    expect(console.locator("#answers")).to_contain_text("Problem not solved")
    expect(console.locator("#answers")).to_contain_text("The screen is cracked.")

    console.locator("#claim").click()
    expect(console.locator("#flash")).to_have_text("You claimed the ticket.")
    expect(console.locator("#assignee")).to_have_text("lead")
    console.fill("#reply", "So sorry, Dora! A replacement ships today.")
    console.locator("#send").click()
    expect(console.locator("#flash")).to_have_text("Reply queued: it goes out in the customer's chat now.")
    expect(customer.locator("#log li.agent")).to_contain_text("A replacement ships today.")
    expect(customer.locator("#log li.agent .by").last).to_have_text("Mei Lin")  # not the sign-in name
    expect(console.locator("#transcript li.agent")).to_contain_text("A replacement ships today.")
    shot(console, "console-ticket.png")

    console.locator("#resolve").click()
    expect(console.locator("#status")).to_have_text("resolved")
    expect(customer.locator("#log li.out").last).to_contain_text("We've looked into your feedback")
    expect(console.locator("#audit")).to_contain_text("lead resolved")

    console.goto(f"{server.url}/console/reports")
    expect(console.locator("#fig-response b")).to_have_text("100%")
    expect(console.locator("#fig-dsat small")).to_have_text("1 / n=1")
    expect(console.locator("#fig-csat b")).to_have_text("0%")
    expect(console.locator("#reasons")).to_contain_text("Problem not solved — 1")
    expect(console.locator("#by-channel tbody tr")).to_contain_text("Web chat")
    shot(console, "console-reports.png")
    console.locator("#fig-dsat b a").click()
    expect(console.locator("#surveys tbody tr")).to_have_count(1)
    expect(console.locator("#surveys")).to_contain_text("browser-dora")

    # The same pages in Chinese, from the switch.
    console.get_by_role("link", name="中文").click()
    expect(console.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(console.locator("header nav")).to_contain_text("工单")
    assert strays == []
