"""Callback XML (the shapes in WeChat's and WeCom's documentation) to InboundMessage."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from adapters.wechat.fake import xml
from adapters.wechat.wire import option_key, parse_message, parse_option_key
from bot.errors import WireFormatError
from bot.messages import ChoicePicked, Command, InboundMessage, Reachability, Text, Unsupported

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

TEXT = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    "<CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[my order is late]]></Content>\n<MsgId>6054768590064713728</MsgId></xml>"
)
CLICK = (
    "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oU]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime>\n<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event>"
    "<EventKey><![CDATA[RATE_US]]></EventKey></xml>"
)
SUBSCRIBE_SCAN = (
    "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oU]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime>\n<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>"
    "<EventKey><![CDATA[qrscene_survey42]]></EventKey>\n<Ticket><![CDATA[T]]></Ticket></xml>"
)
MENU_TAP_OFFICIAL = (  # WeChat's example: a tap on menu item 101 of a menu we did not send
    "<xml><ToUserName><![CDATA[ToUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName>"
    "<CreateTime>1500000000</CreateTime>\n<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[满意]]></Content>"
    "<MsgId>1234567890123456</MsgId><bizmsgmenuid>101</bizmsgmenuid></xml>"
)


def oa(document: str) -> InboundMessage | None:
    return parse_message(document, channel="wechat", enterprise=False, received_at=NOW)


def wecom(document: str) -> InboundMessage | None:
    return parse_message(document, channel="wecom", enterprise=True, received_at=NOW)


def head(kind: str, **fields: str | int) -> dict[str, str | int]:
    return {"ToUserName": "gh_1", "FromUserName": "oU", "CreateTime": 1700000000, "MsgType": kind, **fields}


def test_a_text_message() -> None:
    assert oa(TEXT) == InboundMessage(
        channel="wechat",
        account="gh_10f6c3c3ac5a",
        user="oyORnuP8q7ou2gfYjqLzSIWZf0rs",
        platform_id="6054768590064713728",
        received_at=NOW,
        payload=Text("my order is late"),
        extra={"msg_type": "text"},
    )


def test_events_are_deduped_by_sender_and_time_and_mapped() -> None:
    click = oa(CLICK)
    assert click is not None and click.payload == Command("menu", "RATE_US")
    digest = hashlib.sha256(b"RATE_US").hexdigest()[:12]
    assert click.platform_id == f"oU:1700000000:click:{digest}"
    follow = oa(SUBSCRIBE_SCAN)
    assert follow is not None and follow.payload == Command("start", "survey42")
    assert follow.platform_id.startswith("oU:1700000000:subscribe_scan:")
    plain_follow = oa(xml(**head("event", Event="subscribe")))
    assert plain_follow is not None
    assert (plain_follow.payload, plain_follow.platform_id) == (
        Command("start", ""),
        "oU:1700000000:subscribe",
    )


@pytest.mark.parametrize(
    "event",
    [
        {"Event": "VIEW", "EventKey": "https://example.com"},
        {"Event": "LOCATION", "Latitude": "23.1", "Longitude": "113.3", "Precision": "119.3"},
        {"Event": "TEMPLATESENDJOBFINISH", "Status": "success"},
        {},
    ],
)
def test_events_that_are_no_customer_message_are_ignored(event: dict[str, str]) -> None:
    assert oa(xml(**head("event", **event))) is None


def test_unsubscribing_makes_the_customer_unreachable() -> None:
    msg = oa(xml(**head("event", Event="unsubscribe")))
    assert msg is not None and msg.payload == Reachability(False, "unsubscribed")
    assert (msg.user, msg.platform_id) == ("oU", "oU:1700000000:unsubscribe")


def test_a_menu_tap_on_our_menu_is_a_choice_and_any_other_menu_id_is_text() -> None:
    key = option_key("Ab3_-x9Z", "rating", "4")
    tap = oa(xml(**head("text", Content="⭐⭐⭐⭐", MsgId=77), bizmsgmenuid=key))
    assert tap is not None
    assert (tap.payload, tap.platform_id) == (ChoicePicked("Ab3_-x9Z", "rating", "4", "⭐⭐⭐⭐"), "77")
    official = oa(MENU_TAP_OFFICIAL)
    assert official is not None and official.payload == Text("满意")


@pytest.mark.parametrize(
    ("fields", "payload"),
    [
        ({"MsgType": "image", "PicUrl": "http://x/1.jpg", "MediaId": "m"}, Unsupported("image")),
        ({"MsgType": "voice", "MediaId": "m", "Format": "amr", "Recognition": "四分"}, Text("四分")),
        ({"MsgType": "voice", "MediaId": "m", "Format": "amr"}, Unsupported("voice")),
        ({"MsgType": "location", "Location_X": "23.1", "Location_Y": "113.3"}, Unsupported("location")),
        ({"MsgType": "miniprogrampage", "Title": "t"}, Unsupported("miniprogrampage")),
    ],
)
def test_other_message_types(fields: dict[str, str], payload: object) -> None:
    msg = oa(xml(**(head(fields.pop("MsgType")) | fields | {"MsgId": 5})))
    assert msg is not None and msg.payload == payload and msg.platform_id == "5"


def test_wecom_messages_carry_the_corp_and_agent_as_account() -> None:
    msg = wecom(xml(**head("text", Content="hello", MsgId=9, AgentID=1000002) | {"ToUserName": "ww1"}))
    assert msg is not None
    assert (msg.account, msg.user, msg.platform_id, msg.payload) == ("ww1:1000002", "oU", "9", Text("hello"))


def test_a_wecom_card_tap_is_a_choice() -> None:
    key = option_key("Ab3_-x9Z", "reason", "slow")
    fields: dict[str, str | int] = {
        "TaskId": "csatbot-1",
        "CardType": "button_interaction",
        "ResponseCode": "rc",
        "AgentID": 1000002,
    }
    tap = wecom(xml(**head("event", Event="template_card_event", EventKey=key, **fields)))
    assert tap is not None and tap.payload == ChoicePicked("Ab3_-x9Z", "reason", "slow")
    assert tap.platform_id.startswith("oU:1700000000:template_card_event:")
    other = wecom(xml(**head("event", Event="template_card_event", EventKey="approve_17", **fields)))
    assert other is None
    assert wecom(xml(**head("event", Event="enter_agent", AgentID=1000002))) is None


@pytest.mark.parametrize(
    "document",
    [
        pytest.param("", id="empty"),
        pytest.param("not xml", id="not-xml"),
        pytest.param("<xml>hi</xml>", id="no-fields"),
        pytest.param("<foo><MsgType>text</MsgType></foo>", id="other-root"),
        pytest.param(xml(ToUserName="gh_1", FromUserName="oU", CreateTime=1, Content="x"), id="no-msgtype"),
        pytest.param(xml(**head("text", MsgId=1)), id="text-without-content"),
        pytest.param(xml(**(head("text", Content="x") | {"FromUserName": ""})), id="empty-sender"),
        pytest.param(xml(**(head("text", Content="x") | {"CreateTime": "yesterday"})), id="bad-time"),
        # "²³" is digits to str.isdigit(), not to int(): a time no code can read was taken.
        pytest.param(xml(**(head("text", Content="x") | {"CreateTime": "²³"})), id="superscript-time"),
        pytest.param("<xml><MsgType><a>1</a></MsgType></xml>", id="nested"),
        pytest.param("<xml><MsgType>text</MsgType><MsgType>image</MsgType></xml>", id="repeated"),
        pytest.param("<!DOCTYPE x [<!ENTITY a 'text'>]><xml><MsgType>&a;</MsgType></xml>", id="entities"),
        pytest.param("<xml><MsgType>event</MsgType></xml>", id="event-without-fields"),
    ],
)
def test_malformed_documents_are_refused(document: str) -> None:
    with pytest.raises(WireFormatError):
        oa(document)
    with pytest.raises(WireFormatError):
        wecom(document)


def test_option_keys_round_trip_and_nothing_else_decodes() -> None:
    assert parse_option_key(option_key("Ab3_-x9Z", "rating", "10")) == ("Ab3_-x9Z", "rating", "10")
    assert option_key("Ab3_-x9Z", "rating", "10") == "a:Ab3_-x9Z:rating:10"
    assert parse_option_key("Ab3_-x9Z:reason:slow") == ("Ab3_-x9Z", "reason", "slow")  # sent before
    for other in ("101", "a:b", "s1:Rating:1", "s1:rating:", "s1:rating:1:2", "s 1:rating:1", ""):
        assert parse_option_key(other) is None
