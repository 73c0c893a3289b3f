"""Odd but legitimate things a web chat customer's browser sends: long language tags, long or
unusual texts. The customer can always write; only what no browser sends is refused."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from csatbot.runtime import Runtime

from ...conftest import chat_headers, conversation_of

MESSAGES = "/api/webchat/messages"


async def say(client: httpx.AsyncClient, user: str, /, **body: Any) -> httpx.Response:
    return await client.post(MESSAGES, json=body, headers=await chat_headers(client, user))


def stored_locale(runtime: Runtime, user: str) -> str:
    with runtime.database.reader.connect() as conn:
        [(locale,)] = list(conn.exec_driver_sql("select locale from identity where user = ?", (user,)))
    return str(locale)


@pytest.mark.parametrize(
    ("tag", "kept"),
    [
        pytest.param("zh-Hans-CN-u-nu-hanidec", "zh-Hans-CN", id="chinese-numbers"),
        pytest.param("en-US-u-ca-gregory-hc-h12", "en-US", id="calendar-and-clock"),
        pytest.param("sr-Latn-RS-x-private", "sr-Latn-RS", id="private-use"),
        pytest.param(
            "en-US-u-ca-gregory-co-standard-hc-h12-ms-metric-nu-latn-tz-usnyc", "en-US", id="65-chars"
        ),
        pytest.param("es-419", "es-419", id="latin-america"),
        pytest.param("zh_TW", "zh-TW", id="underscore"),
        pytest.param("not a language", "", id="not-a-tag"),
        pytest.param("", "", id="none"),
    ],
)
async def test_any_browser_language_tag_lets_the_customer_chat(
    app_client: httpx.AsyncClient, app_runtime: Runtime, tag: str, kept: str
) -> None:
    """Before: a tag over 16 characters made every message of that browser a 422."""
    response = await say(app_client, "ann", text="1009", locale=tag)
    assert response.status_code == 202, response.text
    tapped = await say(app_client, "ann", choice={"survey": "s", "step": "q", "value": "1"}, locale=tag)
    assert tapped.status_code == 202, tapped.text
    assert stored_locale(app_runtime, "ann") == kept


async def test_a_name_that_shows_nothing_leaves_the_name_the_customer_gave(
    app_client: httpx.AsyncClient, app_runtime: Runtime
) -> None:
    """A name of spaces or invisible characters replaced the customer's name: the console then
    showed a blank where their name was."""
    assert (await say(app_client, "ann", text="hello", name="Ann Lee")).status_code == 202
    assert (await say(app_client, "ann", text="still there?", name=" \u200b\u3000 ")).status_code == 202
    with app_runtime.database.reader.connect() as conn:
        names = list(conn.exec_driver_sql("select display_name from identity where user = 'ann'"))
    assert names == [("Ann Lee",)]


@pytest.mark.parametrize("length", [101, 5000])
async def test_a_locale_longer_than_any_tag_is_refused_by_name(
    app_client: httpx.AsyncClient, length: int
) -> None:
    response = await say(app_client, "ann", text="hello", locale="a" * length)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "locale"] and "at most 100 characters" in problem["msg"]


@pytest.mark.parametrize(
    ("tag", "question"),
    [
        pytest.param("zh-Hans-CN-u-nu-hanidec", "您对本次服务满意吗？", id="chinese"),
        pytest.param("en-GB-u-ca-gregory-hc-h23", "How satisfied are you", id="english"),
    ],
)
async def test_the_survey_comes_in_the_language_of_a_long_browser_tag(
    app_client: httpx.AsyncClient, tag: str, question: str
) -> None:
    await say(app_client, "ann", text="1009", locale=tag)
    conversation_id = await conversation_of(app_client, "ann")
    resolved = await app_client.post(
        f"/api/conversations/{conversation_id}/resolve", json={"send_survey_now": True}
    )
    assert resolved.status_code == 200, resolved.text
    headers = await chat_headers(app_client, "ann")
    deadline = time.monotonic() + 10
    while True:
        chat = (await app_client.get(MESSAGES, headers=headers)).json()["messages"]
        asked = [m for m in chat if (m.get("prompt") or {}).get("type") == "AskRating"]
        if asked:
            break
        assert time.monotonic() < deadline, "the survey was not sent"
        await asyncio.sleep(0.05)
    assert question in asked[0]["text"]


@pytest.mark.parametrize("text", ["   ", "\r\n\t", "\u3000", "\u200b", "\ufeff \u200d"])
async def test_a_message_of_nothing_but_spaces_is_refused_and_opens_no_conversation(
    app_client: httpx.AsyncClient, text: str
) -> None:
    response = await say(app_client, "ann", text=text)
    assert response.status_code == 422
    assert "text is only spaces" in response.text
    assert (await app_client.get("/api/conversations")).json() == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("好" * 4096, id="4096-chinese"),
        pytest.param("👍" * 4096, id="4096-emoji-outside-the-bmp"),
        pytest.param("👩\u200d👩\u200d👧\u200d👦" * 585, id="zwj-families-4095"),
        pytest.param("مرحبا! طلبي رقم 1009 لم يصل.", id="arabic"),
        pytest.param("5 Main St\r\nSpringfield\r\n", id="crlf"),
        pytest.param(" \u200b hi \u200b ", id="text-between-invisibles"),
    ],
)
async def test_odd_but_real_texts_come_back_as_sent(app_client: httpx.AsyncClient, text: str) -> None:
    response = await say(app_client, "ann", text=text)
    assert response.status_code == 202, response.text
    headers = await chat_headers(app_client, "ann")
    [shown] = (await app_client.get(MESSAGES, headers=headers)).json()["messages"]
    assert shown["text"] == text
