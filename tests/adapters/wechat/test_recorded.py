"""Recorded callbacks (fixtures/, one file per message or event type) through ``verify`` and ``wire``.

``oa/`` and ``wecom/`` hold the message XML as an Official Account and a WeCom app receive it (in
plain mode, or once decrypted); ``oa_safe/`` and ``wecom_safe/`` hold encrypted envelopes with the
query string WeChat signs them with (``<name>.query.json``), for the accounts of Tencent's and
wechatpy's crypto test vectors (channels.md 3.3): each is opened with the account's token and
EncodingAESKey, then parsed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.wechat.crypto import Cipher
from adapters.wechat.verify import Verifier
from adapters.wechat.wire import parse_message
from bot.messages import ChoicePicked, Command, Payload, Reachability, Text, Unsupported

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

OA_USER = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
OA_ACCOUNT = "gh_10f6c3c3ac5a"
WECOM_USER = "ZhangSan"
WECOM_ACCOUNT = "ww0c5a7b07fa4e0002:1000002"


def event_id(user: str, event: str, key: str = "") -> str:
    """The dedupe key of an event sent at 1700000000 (events carry no MsgId)."""
    digest = ":" + hashlib.sha256(key.encode()).hexdigest()[:12] if key else ""
    return f"{user}:1700000000:{event}{digest}"


Expected = tuple[str, Payload, str] | None
"""(platform_id, payload, msg_type) of the message, or ``None`` when the callback is no message."""

OA: dict[str, Expected] = {
    "text": ("24356512345678901", Text("我的订单还没到"), "text"),
    "menu_tap": ("24356512345678902", ChoicePicked("Ab3_-x9Z", "rating", "4", "⭐⭐⭐⭐"), "text"),
    "menu_tap_foreign": ("24356512345678903", Text("满意"), "text"),  # a menu we did not send
    "image": ("24356512345678904", Unsupported("image"), "image"),
    "voice": ("24356512345678905", Unsupported("voice"), "voice"),
    "voice_recognised": ("24356512345678906", Text("四分"), "voice"),
    "video": ("24356512345678907", Unsupported("video"), "video"),
    "location": ("24356512345678908", Unsupported("location"), "location"),
    "link": ("24356512345678909", Unsupported("link"), "link"),
    "subscribe": (event_id(OA_USER, "subscribe"), Command("start", ""), "event"),
    "subscribe_scan": (
        event_id(OA_USER, "subscribe_scan", "survey42"),  # wechatpy strips the "qrscene_" prefix
        Command("start", "survey42"),
        "event",
    ),
    "scan": (event_id(OA_USER, "scan", "survey42"), Command("start", "survey42"), "event"),
    "click": (event_id(OA_USER, "click", "RATE_US"), Command("menu", "RATE_US"), "event"),
    "unsubscribe": (event_id(OA_USER, "unsubscribe"), Reachability(False, "unsubscribed"), "event"),
    "view": None,
    "location_report": None,
    "template_send_job_finish": None,
}

WECOM: dict[str, Expected] = {
    "text": ("7396318294782156800", Text("发票怎么开？"), "text"),
    "image": ("7396318294782156801", Unsupported("image"), "image"),
    "voice": ("7396318294782156802", Unsupported("voice"), "voice"),
    "location": ("7396318294782156803", Unsupported("location"), "location"),
    "template_card_event": (
        event_id(WECOM_USER, "template_card_event", "Ab3_-x9Z:reason:slow"),
        ChoicePicked("Ab3_-x9Z", "reason", "slow"),
        "event",
    ),
    "template_card_event_foreign": None,  # a card of another app (an approval)
    "click": (event_id(WECOM_USER, "click", "RATE_US"), Command("menu", "RATE_US"), "event"),
    "subscribe": (event_id(WECOM_USER, "subscribe"), Command("start", ""), "event"),
    "enter_agent": None,
    "unsubscribe": (event_id(WECOM_USER, "unsubscribe"), Reachability(False, "unsubscribed"), "event"),
}


def names(folder: str) -> list[str]:
    return sorted(p.name.removesuffix(".xml") for p in (FIXTURES / folder).glob("*.xml"))


def test_every_fixture_has_an_expectation() -> None:
    assert names("oa") == sorted(OA)
    assert names("wecom") == sorted(WECOM)
    assert names("oa_safe") == ["menu_tap", "text"]
    assert names("wecom_safe") == ["template_card_event", "text"]


PLATFORMS = {  # folder: (channel, enterprise, account, user, expectations)
    "oa": ("wechat", False, OA_ACCOUNT, OA_USER, OA),
    "wecom": ("wecom", True, WECOM_ACCOUNT, WECOM_USER, WECOM),
}


@pytest.mark.parametrize(
    ("folder", "name"),
    [(folder, name) for folder, platform in PLATFORMS.items() for name in sorted(platform[4])],
)
def test_a_recorded_callback(folder: str, name: str) -> None:
    channel, enterprise, account, user, expectations = PLATFORMS[folder]
    xml = (FIXTURES / folder / f"{name}.xml").read_text(encoding="utf-8")
    message = parse_message(xml, channel=channel, enterprise=enterprise, received_at=NOW)
    expected = expectations[name]
    if expected is None:
        assert message is None
        return
    assert message is not None
    got = (message.channel, message.account, message.user, message.received_at)
    assert got == (channel, account, user, NOW)
    assert (message.platform_id, message.payload, message.extra["msg_type"]) == expected


OA_VECTOR = Cipher(
    "spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2", enterprise=False
)
WECOM_VECTOR = Cipher(
    "123456", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a", enterprise=True
)


def opened(folder: str, name: str, cipher: Cipher, *, enterprise: bool) -> str:
    """The message XML of a recorded envelope, verified as the webhook does at the time it was sent."""
    query: dict[str, str] = json.loads((FIXTURES / folder / f"{name}.query.json").read_text(encoding="utf-8"))
    body = (FIXTURES / folder / f"{name}.xml").read_bytes()
    verifier = Verifier(cipher.token, cipher, encrypted_echo=enterprise)
    sent = datetime.fromtimestamp(int(query["timestamp"]), UTC)
    return verifier.open(query, body, sent)


@pytest.mark.parametrize(
    ("folder", "name", "account", "user", "platform_id", "payload"),
    [
        ("oa_safe", "text", OA_ACCOUNT, OA_USER, "6054768590064713728", Text("abcdteT")),  # Tencent's sample
        (
            "oa_safe",
            "menu_tap",
            OA_ACCOUNT,
            OA_USER,
            "24356512345678902",
            ChoicePicked("Ab3_-x9Z", "rating", "4", "⭐⭐⭐⭐"),
        ),
        ("wecom_safe", "text", "wx49f0ab532d5d035a:1", "messense", "4363689963896700987", Text("test")),
        (
            "wecom_safe",
            "template_card_event",
            "wx49f0ab532d5d035a:1000002",
            WECOM_USER,
            event_id(WECOM_USER, "template_card_event", "Ab3_-x9Z:reason:slow"),
            ChoicePicked("Ab3_-x9Z", "reason", "slow"),
        ),
    ],
)
def test_an_encrypted_callback(
    folder: str, name: str, account: str, user: str, platform_id: str, payload: Payload
) -> None:
    enterprise = folder == "wecom_safe"
    xml = opened(folder, name, WECOM_VECTOR if enterprise else OA_VECTOR, enterprise=enterprise)
    channel = "wecom" if enterprise else "wechat"
    message = parse_message(xml, channel=channel, enterprise=enterprise, received_at=NOW)
    assert message is not None
    got = (message.account, message.user, message.platform_id, message.payload)
    assert got == (account, user, platform_id, payload)
