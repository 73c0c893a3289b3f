"""The web chat page in headless Chromium with what real customers bring: long browser language
tags, blocked cookies, right-to-left text, two tabs, a server restart mid-chat."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import LiveServer
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
