"""Long polling (development): getUpdates instead of the webhook, the same handling."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from adapters.telegram import TelegramChannel
from adapters.telegram.fake import TOKEN
from csatbot.runtime import Runtime

from .conftest import App, ConfigWriter

MakeApp = Callable[..., AbstractAsyncContextManager[App]]


async def test_polling_needs_no_webhook_secret_and_then_serves_no_webhook(make_app: MakeApp) -> None:
    async with make_app(polling=True, environ={"TELEGRAM_BOT_TOKEN": TOKEN}) as app:
        assert app.adapter.polling is True
        response = await app.sim.say(app.http, "ann", "hello")
        assert response.status_code in (404, 405)
        app.sim.api.queue_update(app.sim.message_update("ann", "/start"))
        await app.shown("ann", lambda s: len(s) == 1)


async def test_updates_are_polled_stored_and_answered(make_app: MakeApp) -> None:
    async with make_app(polling=True) as app:
        app.sim.api.queue_update(app.sim.message_update("ann", "/start"))
        shown = await app.shown("ann", lambda s: len(s) == 1)
        assert shown[0].text == "Hi! Tell us how we can help."
        calls = [c.method for c in app.sim.api.calls]
        assert calls[:2] == ["deleteWebhook", "getUpdates"]
        assert app.sim.api.called("deleteWebhook")[0] == {"drop_pending_updates": False}
        first_poll = app.sim.api.called("getUpdates")[0]
        allowed = ["message", "callback_query", "my_chat_member"]
        assert first_poll == {"timeout": 25, "allowed_updates": allowed}
        [conversation] = await app.conversations()

        response = await app.http.post(
            f"/api/conversations/{conversation['id']}/resolve", json={"send_survey_now": True}
        )
        assert response.status_code == 200
        shown = await app.shown("ann", lambda s: len(s) == 2 and bool(s[-1].buttons))
        update = app.sim.callback_update("ann", shown[-1].buttons[4])
        app.sim.api.queue_update(update)
        shown = await app.shown(
            "ann", lambda s: s[-1].text.startswith("Glad we could help!") and not s[1].buttons
        )
        assert shown[1].text.endswith("\n\n✅ ⭐⭐⭐⭐⭐")
        query_id = update["callback_query"]["id"]
        assert app.sim.api.called("answerCallbackQuery") == [{"callback_query_id": query_id}]
        confirmed = update["update_id"] + 1  # the next poll confirms what was read
        await app.sim.server.wait_for(
            lambda _requests: any(p.get("offset") == confirmed for p in app.sim.api.called("getUpdates"))
        )
        detail = await app.conversation(conversation["id"])
        assert [(a["step"], a["score"]) for a in detail["survey"]["answers"]] == [("rating", 5)]
    assert all(r.path.startswith(f"/bot{TOKEN}/") for r in app.sim.server.requests)


async def test_polling_goes_on_after_telegram_refuses_a_poll(make_app: MakeApp) -> None:
    async with make_app(polling=True) as app:
        app.sim.api.fail("getUpdates", 429, "Too Many Requests: retry after 1", retry_after=1)
        app.sim.api.queue_update(app.sim.message_update("ann", "/start"))
        shown = await app.shown("ann", lambda s: len(s) == 1)
        assert shown[0].text == "Hi! Tell us how we can help."


async def test_an_update_aiogram_cannot_read_is_skipped_not_polled_again_forever(make_app: MakeApp) -> None:
    """One unreadable update made the whole getUpdates answer a WireFormatError: the offset never
    moved past it, so every poll fetched it again and no later update was ever handled."""
    async with make_app(polling=True) as app:
        broken = app.sim.message_update("ann", "hello")
        del broken["message"]["chat"]  # a message aiogram refuses (a field it requires is missing)
        app.sim.api.queue_update(broken)
        app.sim.api.queue_update(app.sim.message_update("ben", "/start"))
        shown = await app.shown("ben", lambda s: len(s) == 1)
        assert shown[0].text == "Hi! Tell us how we can help."
        confirmed = broken["update_id"] + 2
        await app.sim.server.wait_for(
            lambda _requests: any(p.get("offset") == confirmed for p in app.sim.api.called("getUpdates"))
        )
        assert len(await app.conversations()) == 1  # ben's; the unreadable update stored nothing


async def test_polling_stops_with_the_app(make_app: MakeApp) -> None:
    async with make_app(polling=True) as app:
        await app.sim.server.wait_for(lambda requests: any("getUpdates" in r.path for r in requests))
    polls = len(app.sim.api.called("getUpdates"))
    await app.sim.server.wait_for(lambda _requests: True)
    assert len(app.sim.api.called("getUpdates")) == polls


def test_serve_telegram_polling_turns_the_channel_on_in_polling_mode(
    tmp_path: Path, write_config: ConfigWriter
) -> None:
    config = write_config(tmp_path, {"telegram": {"enabled": False}})
    runtime = Runtime(
        config, f"sqlite:///{tmp_path / 'x.db'}", environ={"TELEGRAM_BOT_TOKEN": TOKEN}, telegram_polling=True
    )
    try:
        adapter = runtime.adapters["telegram"]
        assert isinstance(adapter, TelegramChannel) and adapter.polling and adapter.secret is None
    finally:
        runtime.database.dispose()
