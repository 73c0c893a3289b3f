"""Sending: the exact requests to the fake WeChat / WeCom API, the token, errcodes, the 48 h window."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.responses import Response

from adapters.testing import Recorded
from adapters.wechat.fake import WeChatSimulator, WeComSimulator
from bot.errors import DeliveryError
from bot.ports import Recipient, Sent
from bot.prompts import Say

from .conftest import App, MakeApp, Simulator

USER = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"


def recipient(app: App, *, hours_ago: float | None = 1.0) -> Recipient:
    last = None if hours_ago is None else datetime.now(UTC) - timedelta(hours=hours_ago)
    return Recipient(app.sim.channel, app.sim.account, USER, last_inbound_at=last)


def channel(app: App) -> Any:
    return app.runtime.adapters[app.sim.channel]


async def test_oa_fetches_a_token_once_and_posts_utf8_json(oa: App) -> None:
    sent = await channel(oa).send(recipient(oa), Say("您好 ⭐"))
    assert sent == Sent("")
    await channel(oa).send(recipient(oa), Say("second"))
    [token] = oa.sim.server.received("/cgi-bin/token")
    assert (token.method, token.query) == (
        "GET",
        {"grant_type": "client_credential", "appid": oa.sim.app_id, "secret": oa.sim.secret},
    )
    first, second = oa.sim.server.received("/cgi-bin/message/custom/send")
    assert (first.method, first.query) == ("POST", {"access_token": "ACCESS-TOKEN-1"})
    assert first.headers["content-type"] == "application/json; charset=utf-8"
    assert (
        first.body
        == json.dumps(
            {"touser": USER, "msgtype": "text", "text": {"content": "您好 ⭐"}},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
    )
    assert second.json() == {"touser": USER, "msgtype": "text", "text": {"content": "second"}}
    assert second.query == {"access_token": "ACCESS-TOKEN-1"}


async def test_wecom_sends_app_messages_and_returns_the_msgid(wecom: App) -> None:
    assert await channel(wecom).send(recipient(wecom), Say("hello")) == Sent("msg-1")
    [token] = wecom.sim.server.received("/cgi-bin/gettoken")
    assert token.query == {"corpid": wecom.sim.account, "corpsecret": wecom.sim.secret}
    [message] = wecom.sim.server.received("/cgi-bin/message/send")
    assert message.query == {"access_token": "ACCESS-TOKEN-1"}
    assert message.json() == {
        "touser": USER,
        "msgtype": "text",
        "agentid": 1000002,
        "text": {"content": "hello"},
    }


@pytest.mark.parametrize("make_sim", [WeChatSimulator, WeComSimulator])
async def test_an_expired_token_is_refreshed_once_and_the_call_retried(
    make_sim: Callable[[], Simulator], make_app: MakeApp
) -> None:
    app = await make_app(make_sim())
    await channel(app).send(recipient(app), Say("one"))
    app.sim.api.expire_tokens()
    await channel(app).send(recipient(app), Say("two"))
    assert len(app.sim.server.received("token")) == 2
    sends = app.sim.server.received("/message/")
    assert [s.query["access_token"] for s in sends] == ["ACCESS-TOKEN-1", "ACCESS-TOKEN-1", "ACCESS-TOKEN-2"]
    assert [b["text"]["content"] for b in app.sim.api.delivered] == ["one", "two"]

    # A server that keeps refusing tokens gets one refresh, not a loop (wechatpy recurses here).
    app.sim.api.fail(
        {"errcode": 40001, "errmsg": "invalid credential"}, {"errcode": 40001, "errmsg": "again"}
    )
    with pytest.raises(DeliveryError) as refused:
        await channel(app).send(recipient(app), Say("three"))
    assert not refused.value.permanent and "refused again after a refresh" in str(refused.value)
    assert len(app.sim.server.received("token")) == 3


ERRORS = [
    (
        {"errcode": 45015, "errmsg": "response out of time limit"},
        True,
        None,
        "48-hour customer-service window",
    ),
    ({"errcode": 45047, "errmsg": "out of response count limit"}, True, None, "quota for this window"),
    ({"errcode": 43004, "errmsg": "require subscribe"}, True, None, "does not follow"),
    ({"errcode": 48001, "errmsg": "api unauthorized"}, True, None, "errcode 48001"),
    ({"errcode": -1, "errmsg": "system error"}, False, None, "system busy"),
    ({"errcode": 45009, "errmsg": "reach max api daily quota limit"}, False, 3600.0, "daily API quota"),
    (429, False, 7.0, "HTTP 429"),
    (503, False, 7.0, "HTTP 503"),
    (400, True, 7.0, "HTTP 400"),
]


async def test_platform_and_network_errors_become_typed_delivery_errors(oa: App) -> None:
    for answer, permanent, retry_after, words in ERRORS:
        oa.sim.api.fail(answer)
        with pytest.raises(DeliveryError) as caught:
            await channel(oa).send(recipient(oa), Say("hi"))
        error = caught.value
        assert (error.permanent, error.retry_after) == (permanent, retry_after), answer
        assert words in str(error) and str(error).startswith("wechat: "), (answer, str(error))
        gone = isinstance(answer, dict) and answer["errcode"] == 43004  # they unfollowed
        assert error.unreachable == ("unsubscribed" if gone else ""), answer
    assert oa.sim.api.delivered == []

    oa.sim.server.stop()
    with pytest.raises(DeliveryError) as caught:
        await channel(oa).send(recipient(oa), Say("hi"))
    assert not caught.value.permanent and "unreachable" in str(caught.value)


async def test_odd_answers_are_read_without_an_unexpected_error(oa: App) -> None:
    """A token whose ``expires_in`` has 400 digits raised OverflowError (the token was never kept
    and every send failed as an unexpected error); an answer nested 100,000 deep raised
    RecursionError; ``"errcode": "0"`` (a string) read as "system busy", so a message that was
    sent was sent again."""
    api = oa.sim.api

    def odd_token(request: Recorded) -> Response:
        if request.path != api.token_path:
            return api(request)
        api.tokens.append("ACCESS-TOKEN-9")
        return Response('{"access_token":"ACCESS-TOKEN-9","expires_in":' + "9" * 400 + "}")

    oa.sim.server.handler = odd_token
    await channel(oa).send(recipient(oa), Say("one"))
    await channel(oa).send(recipient(oa), Say("two"))
    assert len(oa.sim.server.received("/cgi-bin/token")) == 1  # the token was kept
    assert [body["text"]["content"] for body in api.delivered] == ["one", "two"]
    api.fail(Response("[" * 100_000), {"errcode": "0", "errmsg": "ok"})
    with pytest.raises(DeliveryError, match="not a JSON object") as caught:
        await channel(oa).send(recipient(oa), Say("three"))
    assert not caught.value.permanent
    assert await channel(oa).send(recipient(oa), Say("four")) == Sent("")


async def test_wrong_credentials_at_the_token_endpoint_are_permanent(make_app: MakeApp) -> None:
    sim = WeComSimulator()
    app = await make_app(sim, environ=sim.environ | {"WECOM_SECRET": "not-the-secret"})
    with pytest.raises(DeliveryError) as caught:
        await channel(app).send(recipient(app), Say("hi"))
    assert caught.value.permanent and "check the app id and secret" in str(caught.value)
    assert app.sim.server.received("/message/") == []


async def test_outside_the_48_hour_window_nothing_is_sent(oa: App, wecom: App) -> None:
    with pytest.raises(DeliveryError) as caught:
        await channel(oa).send(recipient(oa, hours_ago=48.5), Say("late"))
    assert caught.value.permanent and "48-hour customer-service window closed" in str(caught.value)
    assert oa.sim.server.requests == []
    await channel(oa).send(recipient(oa, hours_ago=47.5), Say("in time"))
    await channel(oa).send(recipient(oa, hours_ago=None), Say("unknown: WeChat decides"))
    assert [b["text"]["content"] for b in oa.sim.api.delivered] == ["in time", "unknown: WeChat decides"]
    # A WeCom app may write to its members at any time.
    await channel(wecom).send(recipient(wecom, hours_ago=24 * 30), Say("a month later"))
    assert [b["text"]["content"] for b in wecom.sim.api.delivered] == ["a month later"]


async def test_a_long_text_goes_out_in_parts(wecom: App) -> None:
    text = "\n".join("这是一条很长的客服回复，" * 10 for _ in range(20))
    await channel(wecom).send(recipient(wecom), Say(text))
    parts = [b["text"]["content"] for b in wecom.sim.api.delivered]
    assert len(parts) > 1 and "\n".join(parts) == text
