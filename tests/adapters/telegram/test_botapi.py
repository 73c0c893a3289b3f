"""The Bot API client on its own against the fake Bot API: JSON bodies, results, errors mapped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from starlette.responses import Response

from adapters.poster import Poster
from adapters.telegram.botapi import TOKEN_SHOWN, BotApi, Call, message_id, result_of, send_message
from adapters.telegram.fake import TOKEN, TelegramSimulator
from adapters.telegram.polling import updates_in
from bot.errors import DeliveryError, WireFormatError

from .conftest import App


@pytest.fixture
async def api(sim: TelegramSimulator) -> AsyncIterator[BotApi]:
    client = BotApi(Poster(), TOKEN, sim.server.url + "/")
    yield client
    await client.aclose()


async def test_a_call_posts_its_parameters_as_json_once_and_returns_the_result(
    api: BotApi, sim: TelegramSimulator
) -> None:
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "a:AbCdEfGh:q1:yes"}]]}
    result = await api.call(send_message("4242", "Did it work?", markup))
    [request] = sim.server.requests
    assert (request.path, request.headers["content-type"]) == (f"/bot{TOKEN}/sendMessage", "application/json")
    assert request.json() == {"chat_id": "4242", "text": "Did it work?", "reply_markup": markup}
    assert message_id(result) == sim.api.messages(4242)[0]["message_id"]
    assert await api.call(Call.of("answerCallbackQuery", callback_query_id="q1", text=None)) is True
    assert sim.api.called("answerCallbackQuery") == [{"callback_query_id": "q1"}]  # None left out


async def test_an_edit_that_changes_nothing_says_so(api: BotApi, sim: TelegramSimulator) -> None:
    sent = message_id(await api.call(send_message(4242, "How was it?")))
    edit = Call.of("editMessageText", chat_id=4242, message_id=sent, text="How was it?")
    with pytest.raises(DeliveryError) as failed:
        await api.call(edit)
    assert "message is not modified" in str(failed.value) and failed.value.permanent


async def test_a_call_reuses_its_connection(api: BotApi, sim: TelegramSimulator) -> None:
    for _ in range(3):
        await api.call(Call.of("getMe"))
    assert len(sim.server.requests) == 3
    assert len({r.peer for r in sim.server.requests}) == 1


async def test_a_network_failure_is_retried_and_never_shows_the_token() -> None:
    api = BotApi(Poster(), TOKEN, "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(DeliveryError) as failed:
        await api.call(send_message(1, "hi"))
    await api.aclose()
    assert not failed.value.permanent and "HTTP 503: ClientConnectorError" in str(failed.value)
    assert TOKEN not in str(failed.value)


async def test_a_call_that_outlives_its_timeout_is_retried(api: BotApi, sim: TelegramSimulator) -> None:
    async def late(_request: object) -> Response:
        await asyncio.sleep(1.0)
        return Response(status_code=200)

    sim.server.handler = late
    with pytest.raises(DeliveryError) as failed:
        await api.call(send_message(1, "hi"), timeout=0.1)
    assert not failed.value.permanent and "HTTP 503: TimeoutError" in str(failed.value)


def answer(status: int, body: str) -> DeliveryError:
    with pytest.raises(DeliveryError) as failed:
        result_of(status, body.encode())
    return failed.value


@pytest.mark.parametrize(
    ("status", "body", "shown", "retry_after", "permanent"),
    [
        (429, '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5",'
         '"parameters":{"retry_after":5}}', "HTTP 429: Too Many Requests", 5.0, False),
        (400, '{"ok":false,"error_code":400,"description":"Bad Request: flood",'
         '"parameters":{"retry_after":2}}', "HTTP 429: Bad Request: flood", 2.0, False),
        (429, '{"ok":false,"error_code":429,"description":"Too Many Requests"}', "HTTP 429", None, False),
        (403, '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}',
         "HTTP 403: Forbidden: bot was blocked", None, True),
        (409, '{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates"}',
         "HTTP 409", None, True),
        (413, '{"ok":false,"error_code":413,"description":"Request Entity Too Large"}',
         "HTTP 413", None, True),
        (500, '{"ok":false,"error_code":500,"description":"Internal Server Error"}', "HTTP 500", None, False),
        (200, '{"ok":false,"error_code":418,"description":"odd"}', "HTTP 502: odd", None, False),
        # A 200 whose body says it failed (a proxy or local Bot API server): the body's error_code
        # decides; a refused message was retried as a 502 until the outbox gave up.
        (200, '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
         "HTTP 400: Bad Request: chat not found (answered with HTTP 200)", None, True),
        (200, '{"ok":false,"error_code":429,"description":"Too Many Requests"}', "HTTP 429", None, False),
        (200, '{"ok":false,"error_code":"403","description":"odd code"}', "HTTP 502: odd code", None, False),
        (418, '{"ok":false,"error_code":418,"description":"I\'m a teapot"}', "HTTP 502", None, False),
        (200, "<html>hello</html>", "not a Bot API answer (HTTP 200)", None, False),
        (502, "", "no body", None, False),
        (200, '["ok"]', "not a Bot API answer", None, False),
        (200, "[" * 100_000, "not a Bot API answer", None, False),  # was a RecursionError
    ],
)  # fmt: skip
def test_answers_map_to_delivery_errors(
    status: int, body: str, shown: str, retry_after: float | None, permanent: bool
) -> None:
    error = answer(status, body)
    assert shown in str(error)
    assert (error.retry_after, error.permanent) == (retry_after, permanent)


@pytest.mark.parametrize(
    ("description", "unreachable"),
    [
        ("Forbidden: bot was blocked by the user", "blocked"),
        ("Forbidden: bot can't send messages to bots", ""),
    ],
)
def test_a_block_says_the_customer_is_unreachable(description: str, unreachable: str) -> None:
    for status in (403, 200):
        error = answer(status, f'{{"ok":false,"error_code":403,"description":"{description}"}}')
        assert (error.permanent, error.unreachable) == (True, unreachable)


def test_a_result_comes_back_as_json_values() -> None:
    assert result_of(200, b'{"ok":true,"result":{"message_id":7,"chat":{"id":1}}}') == {
        "message_id": 7,
        "chat": {"id": 1},
    }
    assert message_id({"message_id": 7}) == 7
    with pytest.raises(DeliveryError, match="without a message_id"):
        message_id(True)


def test_a_get_updates_result_that_holds_no_updates_is_a_wire_format_error() -> None:
    updates, last = updates_in([{"update_id": 5}, {"update_id": 6, "message": {"text": "no chat"}}])
    assert ([u.update_id for u in updates], last) == ([5], 6)  # 6 skipped: the next poll starts at 7
    assert updates_in([]) == ([], None)
    for result in ({"update_id": 5}, [{"update": 5}], [{"update_id": True}]):
        with pytest.raises(WireFormatError):
            updates_in(result)


async def test_the_adapter_logs_no_warning_for_an_edit_that_changes_nothing(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    sent = message_id(await app.adapter.call(send_message(4242, "How was it?")))
    with caplog.at_level(logging.WARNING, logger="csatbot.telegram"):
        await app.adapter.edit(Call.of("editMessageText", chat_id=4242, message_id=sent, text="How was it?"))
        assert caplog.records == []
        await app.adapter.edit(Call.of("editMessageText", chat_id=4242, message_id=sent + 50, text="x"))
    [warning] = caplog.records
    assert "message to edit not found" in warning.getMessage()
    assert TOKEN_SHOWN not in warning.getMessage() and TOKEN not in warning.getMessage()
