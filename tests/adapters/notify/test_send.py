"""Sending notices over HTTP to fake platforms on 127.0.0.1: the exact JSON they receive, signatures
that verify, each platform's errors mapped to retry or give up, and each target's rate limit."""

from __future__ import annotations

import asyncio
import bisect
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import yaml
from starlette.responses import JSONResponse, PlainTextResponse, Response

from adapters.base import AdapterContext
from adapters.http import LocalBuckets
from adapters.notify import digest, feishu, slack, webhook, wecom_robot
from adapters.notify.fake import (
    SLACK_PATH,
    WECOM_KEY,
    FakeNotifyPlatforms,
    feishu_error,
    slack_rate_limited,
    wecom_error,
)
from adapters.notify.limits import RATES, Pacer, Rate
from adapters.notify.sender import Notifications, build_notifier
from adapters.testing import FakeServer
from bot.config import parse_config
from bot.digest import Digest, Praise
from bot.errors import DeliveryError, SecretMissingError
from bot.notifications import Notice
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
NOW = 1_795_400_000.0  # the fake's clock and the sender's agree (Unix seconds)
DOCUMENT = {
    "event": "ticket.opened",
    "ticket": {"id": 12, "status": "open", "reasons": ["CSAT 1 (at most 3)"]},
}
Make = Callable[..., Notifications]


def settings_for(targets: dict[str, Any]) -> Settings:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["notifications"] = {"targets": targets}
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))


@pytest.fixture
async def make(fake_server: FakeServer, fake: FakeNotifyPlatforms) -> AsyncIterator[Make]:
    """``make(targets=..., environ=...)``: a sender for the fake's targets (or others)."""
    made: list[Notifications] = []
    async with httpx.AsyncClient() as http:

        def build(
            targets: dict[str, Any] | None = None, environ: dict[str, str] | None = None
        ) -> Notifications:
            settings = settings_for(targets or fake.targets(fake_server.url))
            sender = Notifications(
                lambda: settings, http, fake.environ if environ is None else environ, clock=lambda: NOW
            )
            made.append(sender)
            return sender

        yield build
    for sender in made:
        sender.close()


def body(notice: Notice) -> dict[str, Any]:
    return {"notice": notice.to_dict(), "document": DOCUMENT}


@pytest.fixture(autouse=True)
def fake_clock(fake: FakeNotifyPlatforms) -> None:
    fake.clock = lambda: NOW


async def test_each_platform_receives_exactly_its_json_and_signatures_verify(
    make: Make, fake: FakeNotifyPlatforms, notice: Notice
) -> None:
    sender = make()
    for target in ("slack_support", "wecom_support", "feishu_support", "ticketing"):
        assert await sender.notify(target, body(notice), 41, wait=1.0) == ""
    assert fake.accepted["slack"] == [slack.render(notice, "en")]
    assert fake.accepted["wecom_robot"] == [wecom_robot.render(notice, "en")]
    [wecom] = fake.attempts["wecom_robot"]
    assert wecom.query == {"key": WECOM_KEY}
    # Feishu took it only because timestamp and sign verified against its secret.
    assert fake.accepted["feishu"] == [
        feishu.render(notice, "en", secret=fake.feishu_secret, timestamp=int(NOW))
    ]
    # The receiver took it only because X-Csatbot-Signature verified.
    assert fake.accepted["webhook"] == [DOCUMENT]
    [hook] = fake.attempts["webhook"]
    assert hook.body == webhook.encode(DOCUMENT)
    assert hook.headers["x-csatbot-event"] == "ticket.opened"
    assert hook.headers["x-csatbot-delivery"] == "41"
    assert hook.headers["x-csatbot-timestamp"] == str(int(NOW))
    assert hook.headers["content-type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("target", "platform", "answer", "retry_after", "permanent"),
    [
        pytest.param("slack_support", "slack", slack_rate_limited(7), 7.0, False, id="slack-429"),
        pytest.param(
            "slack_support", "slack", PlainTextResponse("rollup_error", 500), None, False, id="slack-500"
        ),
        pytest.param(
            "slack_support",
            "slack",
            PlainTextResponse("channel_is_archived", 410),
            None,
            True,
            id="slack-410",
        ),
        pytest.param(
            "slack_support", "slack", PlainTextResponse("invalid_payload", 400), None, True, id="slack-400"
        ),
        pytest.param(
            "wecom_support",
            "wecom_robot",
            wecom_error(45009, "api freq out of limit"),
            60.0,
            False,
            id="wecom-45009",
        ),
        pytest.param(
            "wecom_support", "wecom_robot", wecom_error(-1, "system busy"), None, False, id="wecom-busy"
        ),
        pytest.param(
            "wecom_support",
            "wecom_robot",
            wecom_error(93000, "invalid webhook url"),
            None,
            True,
            id="wecom-93000",
        ),
        pytest.param(
            "wecom_support", "wecom_robot", PlainTextResponse("bad gateway", 502), None, False, id="wecom-502"
        ),
        # An answer nested 100,000 deep raised RecursionError out of the sender (not a DeliveryError).
        pytest.param(
            "wecom_support", "wecom_robot", Response("[" * 100_000), None, False, id="wecom-too-deep"
        ),
        pytest.param("feishu_support", "feishu", Response("[" * 100_000), None, False, id="feishu-too-deep"),
        pytest.param(
            "feishu_support",
            "feishu",
            feishu_error(11232, "frequency limited"),
            None,
            False,
            id="feishu-11232",
        ),
        pytest.param(
            "feishu_support",
            "feishu",
            feishu_error(9499, "too many request"),
            None,
            False,
            id="feishu-9499-limit",
        ),
        pytest.param(
            "feishu_support",
            "feishu",
            feishu_error(9499, "Bad Request", 400),
            None,
            True,
            id="feishu-9499-bad",
        ),
        pytest.param(
            "feishu_support",
            "feishu",
            feishu_error(19024, "Key Words Not Found"),
            None,
            True,
            id="feishu-19024",
        ),
        pytest.param(
            "ticketing",
            "webhook",
            JSONResponse({}, 503, headers={"Retry-After": "12"}),
            12.0,
            False,
            id="webhook-503",
        ),
        pytest.param("ticketing", "webhook", JSONResponse({}, 422), None, True, id="webhook-422"),
    ],
)
async def test_platform_errors_map_to_retry_or_give_up(
    make: Make,
    fake: FakeNotifyPlatforms,
    notice: Notice,
    target: str,
    platform: str,
    answer: Response,
    retry_after: float | None,
    permanent: bool,
) -> None:
    sender = make()
    fake.fail(platform, answer)
    with pytest.raises(DeliveryError) as info:
        await sender.notify(target, body(notice), 1, wait=1.0)
    assert (info.value.retry_after, info.value.permanent) == (retry_after, permanent)
    assert fake.accepted[platform] == []
    assert await sender.notify(target, body(notice), 1, wait=1.0) == ""  # the retry goes through
    assert len(fake.accepted[platform]) == 1


async def test_wrong_secrets_are_refused_by_the_platforms_and_not_retried(
    make: Make, fake: FakeNotifyPlatforms, notice: Notice
) -> None:
    sender = make(environ={"FEISHU_BOT_SECRET": "not-the-secret", "TICKETING_WEBHOOK_SECRET": "nor-this"})
    with pytest.raises(DeliveryError, match="feishu: code 19021: sign match fail") as info:
        await sender.notify("feishu_support", body(notice), 1, wait=1.0)
    assert info.value.permanent
    with pytest.raises(DeliveryError, match="webhook answered HTTP 401") as info:
        await sender.notify("ticketing", body(notice), 1, wait=1.0)
    assert info.value.permanent
    assert fake.accepted == {"slack": [], "wecom_robot": [], "feishu": [], "webhook": []}


async def test_an_unreachable_webhook_is_retried_and_its_secret_url_never_logged(
    make: Make, notice: Notice, caplog: pytest.LogCaptureFixture
) -> None:
    secret_url = "http://127.0.0.1:9/services/T0/B0/very-secret-path"
    sender = make({"slack_support": {"kind": "slack", "url": secret_url}})
    caplog.set_level(logging.INFO, logger="httpx")
    with pytest.raises(DeliveryError) as info:
        await sender.notify("slack_support", body(notice), 1, wait=1.0)
    assert not info.value.permanent
    assert "very-secret-path" not in str(info.value)
    assert str(info.value) == "slack_support: could not reach the webhook (ConnectError)"


async def test_httpx_request_logs_name_the_target_not_its_url(
    make: Make, fake_server: FakeServer, notice: Notice, caplog: pytest.LogCaptureFixture
) -> None:
    sender = make()
    caplog.set_level(logging.INFO, logger="httpx")
    await sender.notify("slack_support", body(notice), 1, wait=1.0)
    logged = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert logged and all(SLACK_PATH not in message for message in logged)
    assert any("<notifications.targets.slack_support>" in message for message in logged)


async def test_a_target_gone_from_config_or_a_broken_row_gives_up(make: Make, notice: Notice) -> None:
    sender = make()
    with pytest.raises(DeliveryError, match=r"'old_chat' is no longer in config\.yaml") as info:
        await sender.notify("old_chat", body(notice), 1, wait=1.0)
    assert info.value.permanent
    with pytest.raises(DeliveryError, match="outbox body is not a notice") as info:
        await sender.notify("slack_support", {"notice": {"event": "x"}}, 1, wait=1.0)
    assert info.value.permanent


async def test_slack_sends_are_paced_one_per_second_and_a_full_target_is_left_for_later(
    make: Make, fake: FakeNotifyPlatforms, notice: Notice
) -> None:
    sender = make()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(3):
        assert await sender.notify("slack_support", body(notice), 1, wait=5.0) == ""
    assert loop.time() - started >= 1.9  # 1 per second: the 2nd waits ~1 s, the 3rd ~1 s more
    assert await sender.notify("slack_support", body(notice), 1, wait=0.0) is None  # no room: later
    assert len(fake.attempts["slack"]) == 3  # the refused one was never posted
    assert await sender.notify("wecom_support", body(notice), 1, wait=0.0) == ""  # other targets are free


async def test_the_pacer_keeps_each_webhook_and_each_feishu_limit() -> None:
    pacer = Pacer()
    assert await pacer.take("https://hooks.slack.com/x", "slack", within=0.0)
    assert not await pacer.take("https://hooks.slack.com/x", "slack", within=0.0)
    assert await pacer.take("https://hooks.slack.com/other", "slack", within=0.0)  # per webhook
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(5):
        assert await pacer.take("feishu-bot", "feishu", within=2.0)
    assert loop.time() - started >= 0.9  # 5 per second: a burst of 1, then one every 0.25 s
    assert not await pacer.take("feishu-bot", "feishu", within=0.0)


async def greedy(rates: tuple[Rate, ...]) -> list[float]:
    """When a sender that takes every moment the buckets allow sends, for three of the longest
    windows, on a clock stepped by 1/64 s (exact in binary)."""
    now = [0.0]
    buckets = LocalBuckets(clock=lambda: now[0])
    wanted = [(f"{r.count}/{r.per}", *r.leak()) for r in rates]
    taken: list[float] = []
    while now[0] < 3 * max(r.per for r in rates):
        while await buckets.reserve(wanted, within=0.0) == 0.0:
            taken.append(now[0])
        now[0] += 1 / 64
    return taken


async def test_no_window_of_any_platform_sees_more_than_its_published_limit() -> None:
    for kind, rates in RATES.items():
        for rate in rates:
            per_second, burst = rate.leak()
            # At most the burst at once, plus what drains during the window.
            assert burst + per_second * rate.per <= rate.count + 1, kind
        taken = await greedy(rates)
        for rate in rates:
            busiest = max(bisect.bisect_left(taken, t + rate.per) - i for i, t in enumerate(taken))
            assert rate.count * 3 // 4 <= busiest <= rate.count, (kind, rate)
    assert [(r.count, r.per) for r in RATES["wecom_robot"]] == [(20, 60.0)]
    assert [(r.count, r.per) for r in RATES["feishu"]] == [(5, 1.0), (100, 60.0)]
    assert [(r.count, r.per) for r in RATES["telegram_group"]] == [(20, 60.0)]
    assert [(r.count, r.per) for r in RATES["slack"]] == [(1, 1.0)]


def test_a_target_without_its_environment_variable_refuses_to_start() -> None:
    settings = settings_for(
        {
            "hooks": {"kind": "webhook", "url": "https://t.example.com/h", "secret_env": "HOOKS_SECRET"},
            "slack_ops": {"kind": "slack", "url_env": "SLACK_OPS_URL"},
            "off": {"kind": "feishu", "url_env": "NOT_NEEDED", "enabled": False},
        }
    )

    def context(environ: dict[str, str]) -> AdapterContext:
        return AdapterContext(cast(Any, None), cast(Any, None), cast(Any, None), lambda: settings, environ)

    with pytest.raises(SecretMissingError) as info:
        build_notifier(context({"SLACK_OPS_URL": "hooks.slack.com/services/x"}))
    assert info.value.problems == [
        "notifications.targets.hooks: enabled but the environment variable HOOKS_SECRET is not set "
        "(set it, or set notifications.targets.hooks.enabled: false)",
        "notifications.targets.slack_ops: the environment variable SLACK_OPS_URL must hold the webhook's "
        "http(s) URL",
    ]
    sender = build_notifier(
        context({"HOOKS_SECRET": "s", "SLACK_OPS_URL": "https://hooks.slack.com/services/x"})
    )
    sender.close()


# ---- the good-news digest ----------------------------------------------------------------------------


def good_news() -> Digest:
    praise = Praise(
        survey_id="s1",
        conversation_id=3,
        text="Amy <b>sorted</b> my refund & more",
        score="CSAT 5",
        agents=("amy",),
        named=("bob",),
        team="support",
        team_name="Customer Support",
        channel="webchat",
    )
    return Digest(
        key="weekly:2026-11-23",
        every="weekly",
        first="2026-11-23",
        last="2026-11-29",
        timezone="Asia/Shanghai",
        link="https://support.example.com/console/reports/good-news?since=2026-11-23&until=2026-11-29",
        praises=(praise,),
        considered=4,
        agents=(("amy", 1), ("bob", 1)),
        teams=(("Customer Support", 1),),
    )


async def test_the_digest_reaches_each_chat_platform_as_its_own_message(
    make: Make, fake: FakeNotifyPlatforms
) -> None:
    sender = make()
    found = good_news()
    for target in ("slack_support", "wecom_support", "feishu_support"):
        assert await sender.notify(target, {"digest": found.to_dict()}, 42, wait=1.0) == ""
    assert fake.accepted["slack"] == [digest.slack(found, "en")]
    assert fake.accepted["wecom_robot"] == [digest.wecom(found, "en")]
    card = {"msg_type": "interactive", "card": digest.feishu_card(found, "en")}
    assert fake.accepted["feishu"] == [
        feishu.signed(card, fake.feishu_secret, int(NOW))
    ]  # signature verified
    [slack_json] = fake.accepted["slack"]
    texts = [b["text"]["text"] for b in slack_json["blocks"] if b["type"] == "section"]
    quote = "> Amy &lt;b&gt;sorted&lt;/b&gt; my refund &amp; more"
    assert texts[0] == f"{quote}\n_CSAT 5 · amy, bob (named) · Customer Support_"
    assert slack_json["blocks"][-1]["elements"][0]["text"] == (
        "Thanks to: amy ×1, bob ×1 · Teams: Customer Support ×1 · 1 of 4 happy comments"
    )
    with pytest.raises(DeliveryError, match="a webhook target gets no digest") as info:
        await sender.notify("ticketing", {"digest": found.to_dict()}, 43, wait=1.0)
    assert info.value.permanent and fake.accepted["webhook"] == []
    with pytest.raises(DeliveryError, match="outbox body is not a digest") as bad:
        await sender.notify("slack_support", {"digest": {"key": "x"}}, 44, wait=1.0)
    assert bad.value.permanent and len(fake.accepted["slack"]) == 1


def test_the_digest_in_chinese_and_as_plain_text() -> None:
    found = good_news()
    text = digest.plain_text(found, "zh-CN")
    assert text.splitlines()[:3] == [
        "🌟 好消息：2026-11-23 – 2026-11-29 的最佳评价",
        "",
        "“Amy <b>sorted</b> my refund & more”",
    ]
    assert "— CSAT 5 · amy, bob (被点名) · Customer Support" in text
    assert "共 4 条好评，精选 1 条" in text and text.endswith(found.link)
    content = digest.wecom(found, "zh-CN")["markdown"]["content"]
    assert "> Amy ‹b›sorted‹/b› my refund & more" in content  # no tags reach WeCom's markdown
