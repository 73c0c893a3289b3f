"""The webhook through the whole app: the secret, bad bodies, dedupe, taps answered and marked."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from sqlalchemy import event

from adapters.telegram.fake import BOT_USER, TOKEN, TelegramSimulator
from adapters.testing import Button
from csatbot.inbox import DELAY_ENV

from .conftest import App

HEADER = "X-Telegram-Bot-Api-Secret-Token"

PRAISE = "Glad we could help!"
"""The start of the optional question a 4-5 star rating leads to."""


async def post_raw(app: App, body: bytes, secret: str | bytes | None) -> Any:
    headers: dict[str, Any] = {"content-type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    return await app.http.post(app.sim.path, content=body, headers=headers)


async def test_the_right_secret_is_accepted_and_the_message_stored(app: App) -> None:
    response = await app.sim.say(app.http, "ann", "my parcel never arrived")
    assert (response.status_code, response.json()) == (200, {})
    assert await app.transcript() == [("customer", "my parcel never arrived")]


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("wrong-secret", id="wrong"),
        pytest.param("fake-webhook-secret_012345678", id="one-character-short"),
        pytest.param("fake-webhook-secret_0123456789x", id="one-character-more"),
        pytest.param("FAKE-WEBHOOK-SECRET_0123456789", id="other-case"),
        pytest.param(b"\xff\xfe-not-ascii", id="not-ascii"),
    ],
)
async def test_a_missing_or_wrong_secret_is_401_and_nothing_is_stored(
    app: App, secret: str | bytes | None
) -> None:
    body = json.dumps(app.sim.message_update("ann", "hello")).encode()
    response = await post_raw(app, body, secret)
    assert response.status_code == 401
    assert HEADER in response.json()["detail"]
    assert await app.conversations() == []
    assert app.sim.api.calls == []


async def test_another_bots_secret_is_401(make_app: Callable[..., AbstractAsyncContextManager[App]]) -> None:
    async with make_app() as app:
        app.sim.secret = "another-bots-secret"
        response = await app.sim.say(app.http, "ann", "hello")
        assert response.status_code == 401
        assert await app.conversations() == []


async def test_the_secret_is_checked_before_the_body_is_read(app: App) -> None:
    assert (await post_raw(app, b"x" * 2_000_000, None)).status_code == 401
    assert (await post_raw(app, b"not json", "wrong")).status_code == 401


async def test_a_tampered_body_is_taken_as_sent_since_telegram_signs_nothing_but_the_header(app: App) -> None:
    # Telegram's secret token authenticates the sender, not the body: there is no body signature to
    # break. What matters is that only a holder of the secret can post (see the 401 tests above).
    update = app.sim.message_update("ann", "original")
    update["message"]["text"] = "tampered"
    assert (await app.sim.post(app.http, update)).status_code == 200
    assert await app.transcript() == [("customer", "tampered")]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"update_id": "x"}',
        b'{"message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "hi"}}',
        b'{"update_id": 5, "message": {"message_id": 1, "chat": {"id": 1, "type": "private"}, "text": "hi"}}',
        b'{"update_id": 5, "callback_query": {"id": "q", "data": "a:s:q:1"}}',
    ],
)
async def test_malformed_payloads_are_400_and_nothing_is_stored(app: App, body: bytes) -> None:
    response = await post_raw(app, body, app.sim.secret)
    assert response.status_code == 400
    assert "not an Update" in response.json()["detail"]
    assert await app.conversations() == []


async def test_a_body_over_the_limit_is_413(
    make_app: Callable[..., AbstractAsyncContextManager[App]],
) -> None:
    async with make_app(max_body_bytes=2048) as app:
        update = app.sim.message_update("ann", "x" * 3000)
        response = await post_raw(app, json.dumps(update).encode(), app.sim.secret)
        assert response.status_code == 413
        assert (await app.sim.say(app.http, "ann", "short")).status_code == 200
        assert await app.transcript() == [("customer", "short")]


async def test_a_redelivered_update_is_stored_once(app: App) -> None:
    update = app.sim.message_update("ann", "hello?")
    for _ in range(3):  # Telegram re-sends when our answer was lost
        assert (await app.sim.post(app.http, update)).status_code == 200
    assert await app.transcript() == [("customer", "hello?")]


async def test_an_update_is_acknowledged_once_stored_and_a_redelivery_before_its_turn_runs_once(
    make_app: Callable[..., AbstractAsyncContextManager[App]], sim: TelegramSimulator
) -> None:
    async with make_app(environ={**sim.environ, DELAY_ENV: "3600"}) as app:  # the worker held back
        update = app.sim.message_update("ann", "hello?")
        for _ in range(2):  # the second delivery comes before the first one's turn ran
            response = await app.sim.post(app.http, update)
            assert (response.status_code, response.json()) == (200, {})
        assert await app.conversations() == []  # acknowledged: stored, its turn not run yet
        assert app.runtime.inbox.storage.pending_sync() == 1
        app.runtime.inbox.open()
        await app.runtime.inbox_settled()
        assert await app.transcript() == [("customer", "hello?")]
        assert app.runtime.inbox.storage.pending_sync() == 0
        assert (await app.sim.post(app.http, update)).status_code == 200  # after its turn: still once
        assert await app.transcript() == [("customer", "hello?")]


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "edit_date": 2, "text": "edit",
                                            "chat": {"id": 4242, "type": "private"}}},
        {"update_id": 2, "my_chat_member": {"chat": {"id": 4242, "type": "private"}, "date": 1,
                                            "from": {"id": 4242, "is_bot": False, "first_name": "A"},
                                            "old_chat_member": {"status": "member", "user": BOT_USER},
                                            "new_chat_member": {"status": "kicked", "user": BOT_USER,
                                                                "until_date": 0}}},
        {"update_id": 3, "message": {"message_id": 1, "date": 1, "text": "hi all",
                                     "from": {"id": 7, "is_bot": False, "first_name": "B"},
                                     "chat": {"id": -100, "type": "supergroup", "title": "G"}}},
        # a text that shows nothing once stored opened a conversation about nothing
        {"update_id": 4, "message": {"message_id": 1, "date": 1, "text": "\x00 \u200b\ufeff\u2060",
                                     "from": {"id": 7, "is_bot": False, "first_name": "B"},
                                     "chat": {"id": 7, "type": "private"}}},
    ],
)  # fmt: skip
async def test_updates_the_bot_does_not_handle_are_200_and_not_stored(
    app: App, update: dict[str, Any]
) -> None:
    response = await app.sim.post(app.http, update)
    assert (response.status_code, response.json()) == (200, {})
    assert await app.conversations() == []


async def test_a_sticker_is_stored_as_unsupported(app: App) -> None:
    update = app.sim.message_update("ann", "x")
    del update["message"]["text"]
    update["message"]["sticker"] = {
        "file_id": "CAAC",
        "file_unique_id": "AgAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    assert (await app.sim.post(app.http, update)).status_code == 200
    assert await app.transcript() == [("customer", "[sticker]")]


async def test_start_with_a_deep_link_is_a_command_and_gets_the_welcome(app: App) -> None:
    assert (await app.sim.say(app.http, "ann", "/start s_abc123")).status_code == 200
    shown = await app.shown("ann", lambda s: len(s) == 1)
    assert shown[0].text == "Hi! Tell us how we can help."
    assert (await app.transcript())[0] == ("customer", "/start s_abc123")
    [request] = app.sim.server.received("/sendMessage")
    assert (request.method, request.path) == ("POST", f"/bot{TOKEN}/sendMessage")
    assert request.headers["content-type"] == "application/json"
    assert app.sim.api.called("sendMessage") == [{"chat_id": "4242", "text": "Hi! Tell us how we can help."}]


async def survey_question(app: App, user: str) -> list[Any]:
    """Open a conversation, resolve it with the survey sent now, and wait for the rating question."""
    await app.sim.say(app.http, user, "help please")
    [conversation] = await app.conversations()
    response = await app.http.post(
        f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
    )
    assert response.status_code == 200, response.text
    shown = await app.shown(user, lambda s: any(m.buttons for m in s))
    return [conversation["id"], shown[-1]]


async def test_a_tap_is_answered_in_the_webhook_reply_and_the_question_marked(app: App) -> None:
    conversation_id, question = await survey_question(app, "ann")
    five = next(b for b in question.buttons if b.value == "5")
    update = app.sim.callback_update("ann", five)
    response = await app.sim.post(app.http, update)
    assert response.status_code == 200
    assert response.json() == {
        "method": "answerCallbackQuery",
        "callback_query_id": update["callback_query"]["id"],
    }
    message_id = question.raw["message_id"]
    assert app.sim.api.called("editMessageText") == [
        {"chat_id": 4242, "message_id": message_id, "text": f"{question.text}\n\n✅ ⭐⭐⭐⭐⭐"}
    ]
    shown = await app.shown("ann", lambda s: s[-1].text.startswith(PRAISE))
    marked = next(m for m in shown if m.raw["message_id"] == message_id)
    assert (marked.text, marked.buttons) == (f"{question.text}\n\n✅ ⭐⭐⭐⭐⭐", ())
    detail = await app.conversation(conversation_id)
    assert [(a["step"], a["score"]) for a in detail["survey"]["answers"]] == [("rating", 5)]


async def test_a_second_tap_changes_nothing(app: App) -> None:
    conversation_id, question = await survey_question(app, "ann")
    four, two = (next(b for b in question.buttons if b.value == v) for v in ("4", "2"))
    first = app.sim.callback_update("ann", four)
    await app.sim.post(app.http, first)
    await app.shown("ann", lambda s: s[-1].text.startswith(PRAISE))
    for again in (first, app.sim.callback_update("ann", two), app.sim.callback_update("ann", four)):
        response = await app.sim.post(
            app.http, again
        )  # the same delivery again, or a new tap from an old screen
        assert response.status_code == 200
        assert response.json()["method"] == "answerCallbackQuery"  # the client's spinner always stops
    assert len(app.sim.api.called("editMessageText")) == 1
    assert len(app.sim.api.answered) == 4
    detail = await app.conversation(conversation_id)
    assert [(a["step"], a["score"]) for a in detail["survey"]["answers"]] == [("rating", 4)]


async def test_a_tap_on_a_foreign_button_is_answered_and_nothing_stored(app: App) -> None:
    update = {
        "update_id": 77,
        "callback_query": {
            "id": "cbq-x",
            "chat_instance": "1",
            "data": "something-else",
            "from": {"id": 4242, "is_bot": False, "first_name": "Ann"},
        },
    }
    response = await app.sim.post(app.http, update)
    assert response.json() == {"method": "answerCallbackQuery", "callback_query_id": "cbq-x"}
    assert await app.conversations() == []


@pytest.mark.parametrize("data", ["t:c:²", "t:r:" + "1" * 5000, "t:c:2147483648", "t:r:0"])
async def test_a_ticket_button_naming_no_possible_ticket_is_answered_like_a_foreign_one(
    app: App, data: str
) -> None:
    """``"²"`` is a digit to ``str.isdigit`` but not to ``int``: the ValueError answered 500 (after the
    update was stored) and failed every retry of its turn; an id past the integer range reached the
    database."""
    update = {
        "update_id": 78,
        "callback_query": {
            "id": "cbq-y",
            "chat_instance": "1",
            "data": data,
            "from": {"id": 4242, "is_bot": False, "first_name": "Ann"},
        },
    }
    response = await app.sim.post(app.http, update)
    assert (response.status_code, response.json()) == (
        200,
        {"method": "answerCallbackQuery", "callback_query_id": "cbq-y"},
    )
    assert app.rows("select status, error from inbox") == [("done", None)]


async def test_a_failed_edit_does_not_fail_the_webhook(app: App) -> None:
    _, question = await survey_question(app, "ann")
    app.sim.api.fail("editMessageText", 400, "Bad Request: message can't be edited")
    response = await app.sim.tap(app.http, "ann", Button("⭐⭐⭐⭐⭐", "rating", "5"))
    assert response.status_code == 200
    await app.shown("ann", lambda s: s[-1].text.startswith(PRAISE))
    assert question.buttons  # the keyboard stays, and a second tap is still ignored by the core


async def test_a_tap_takes_its_two_messages_rate_room_in_one_transaction_and_marks_its_row_with_its_turn(
    app: App,
) -> None:
    _, question = await survey_question(app, "ann")
    await app.runtime.inbox_settled()
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement.split(" (")[0].split(" SET")[0])

    engine = app.runtime.database.writer
    event.listen(engine, "before_cursor_execute", note)
    try:
        five = next(b for b in question.buttons if b.value == "5")
        assert (await app.sim.post(app.http, app.sim.callback_update("ann", five))).status_code == 200
        await app.shown("ann", lambda s: s[-1].text.startswith(PRAISE))
        await app.runtime.inbox_settled()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert app.sim.api.called("editMessageText")
    assert statements.count("INSERT INTO rate_bucket") == 1  # the edit's and the next question's room
    assert statements.count("UPDATE inbox") == 2  # the claim, and the turn's mark (no batch mark)
    assert app.rows("select status from inbox order by id desc limit 1") == [("done",)]


async def test_a_tap_whose_query_id_is_a_lone_surrogate_is_answered_with_it_not_a_500(app: App) -> None:
    """JSON may write ``"\\ud800"``, which UTF-8 cannot: the webhook reply echoing the id was a
    UnicodeEncodeError (a 500 after the update was stored, and again on every redelivery)."""
    update = {
        "update_id": 79,
        "callback_query": {
            "id": "cbq-\ud800",
            "chat_instance": "1",
            "data": "something-else",
            "from": {"id": 4242, "is_bot": False, "first_name": "Ann"},
        },
    }
    for _ in range(2):  # and when Telegram delivers it again
        response = await app.sim.post(app.http, update)
        assert response.status_code == 200, response.text
        assert response.content == b'{"method":"answerCallbackQuery","callback_query_id":"cbq-\\ud800"}'
    await app.runtime.inbox_settled()
    assert app.rows("select status, error from inbox") == [("done", None)]
