"""Sending through the fake Bot API over HTTP: exact requests, errors mapped, limits honoured."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import pytest

from adapters.telegram.fake import TOKEN
from bot.errors import DeliveryError
from bot.ports import Recipient, Sent
from bot.prompts import AskChoice, Option, Say

from .conftest import App

ANN = Recipient("telegram", "123456", "4242", locale="en")


async def test_a_message_is_one_json_post_to_send_message(app: App) -> None:
    prompt = AskChoice("AbCdEfGh", "reason", "What went wrong?", (Option("slow", "Slow response"),))
    sent = await app.adapter.send(ANN, prompt)
    [request] = app.sim.server.requests
    assert (request.method, request.path) == ("POST", f"/bot{TOKEN}/sendMessage")
    assert request.headers["content-type"] == "application/json"
    assert app.sim.api.called("sendMessage") == [
        {
            "chat_id": "4242",
            "text": "What went wrong?",
            "reply_markup": {
                "inline_keyboard": [[{"text": "Slow response", "callback_data": "a:AbCdEfGh:reason:slow"}]]
            },
        }
    ]
    assert sent == Sent(str(app.sim.shown("ann")[0].raw["message_id"]))


async def test_a_long_text_goes_out_in_parts_and_the_last_id_is_kept(app: App) -> None:
    text = "\n".join(f"line {i:04d} " + "x" * 90 for i in range(100))  # about 10 000 characters
    sent = await app.adapter.send(ANN, Say(text))
    parts = [p["text"] for p in app.sim.api.called("sendMessage")]
    assert len(parts) == 3 and "\n".join(parts) == text
    assert sent == Sent(str(app.sim.shown("ann")[-1].raw["message_id"]))


async def test_nothing_is_posted_for_an_empty_text(app: App) -> None:
    assert await app.adapter.send(ANN, Say("")) == Sent()
    assert app.sim.server.requests == []


@pytest.mark.parametrize(
    ("code", "description", "retry_after", "permanent"),
    [
        (429, "Too Many Requests: retry after 7", 7, False),
        (500, "Internal Server Error", None, False),
        (502, "Bad Gateway", None, False),
        (400, "Bad Request: chat not found", None, True),
        (401, "Unauthorized", None, True),
        (403, "Forbidden: bot was blocked by the user", None, True),
        (403, "Forbidden: bot can't initiate conversation with a user", None, True),
        (404, "Not Found", None, True),
    ],
)
async def test_platform_errors_map_to_delivery_errors(
    app: App, code: int, description: str, retry_after: int | None, permanent: bool
) -> None:
    app.sim.api.fail("sendMessage", code, description, retry_after=retry_after)
    with pytest.raises(DeliveryError) as failed:
        await app.adapter.send(ANN, Say("hello"))
    assert failed.value.permanent is permanent
    assert failed.value.retry_after == (None if retry_after is None else float(retry_after))
    assert description in str(failed.value)


async def test_an_answer_that_is_not_the_bot_api_is_retried(app: App) -> None:
    from starlette.responses import PlainTextResponse

    app.sim.server.handler = lambda _request: PlainTextResponse("<html>502 Bad Gateway</html>", 502)
    with pytest.raises(DeliveryError) as failed:
        await app.adapter.send(ANN, Say("hello"))
    assert failed.value.permanent is False


async def test_an_unreachable_api_is_retried(
    make_app: Callable[..., AbstractAsyncContextManager[App]],
) -> None:
    async with make_app(api_base="http://127.0.0.1:9") as app:  # nothing listens on the discard port
        with pytest.raises(DeliveryError) as failed:
            await app.adapter.send(ANN, Say("hello"))
        assert failed.value.permanent is False
        assert "TelegramNetworkError" in str(failed.value) or "HTTP 503" in str(failed.value)


async def test_the_outbox_waits_retry_after_and_then_delivers(app: App) -> None:
    app.sim.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    started = time.monotonic()
    await app.sim.say(app.http, "ann", "/start")
    shown = await app.shown("ann", lambda s: len(s) == 1)
    assert shown[0].text == "Hi! Tell us how we can help."
    assert time.monotonic() - started >= 0.9
    assert len(app.sim.api.called("sendMessage")) == 2  # the refused one, then the one that went out


async def test_about_one_message_per_second_per_chat_after_a_short_burst(app: App) -> None:
    others = [Recipient("telegram", "123456", str(5000 + i)) for i in range(5)]
    started = time.monotonic()
    await asyncio.gather(*(app.adapter.send(to, Say("hi")) for to in others))
    assert time.monotonic() - started < 0.8  # different chats do not wait for each other
    started = time.monotonic()
    await asyncio.gather(*(app.adapter.send(ANN, Say(f"message {i}")) for i in range(5)))
    assert time.monotonic() - started >= 1.5  # a burst of 3, then 1 per second
    assert len(app.sim.api.called("sendMessage")) == 10


async def test_the_bot_token_never_reaches_the_logs(
    make_app: Callable[..., AbstractAsyncContextManager[App]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with make_app() as app:
        await app.adapter.send(ANN, Say("hello"))
    assert '/bot[redacted]/sendMessage "200 OK"' in caplog.text  # each request, at DEBUG
    async with make_app(api_base="http://127.0.0.1:9", polling=True) as app:  # every call fails
        with pytest.raises(DeliveryError):
            await app.adapter.send(ANN, Say("hello"))
        await app.sim.server.wait_for(lambda _: "telegram polling failed" in caplog.text, timeout=5)
    assert "ClientConnectorError" in caplog.text  # the failure, with its traceback, is logged
    assert TOKEN not in caplog.text
