"""Updates in Telegram's real shapes (channels.md 2.3) to channel-neutral messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.telegram.wire import KEPT_BODY, DecodedUpdates, Incoming, Tap, decode_update, parse_update
from bot.errors import WireFormatError
from bot.messages import ChoicePicked, Command, InboundMessage, Reachability, Text, Unsupported

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ANN: dict[str, Any] = {
    "id": 4242,
    "is_bot": False,
    "first_name": "Ann",
    "last_name": "Lee",
    "language_code": "en",
}
CHAT: dict[str, Any] = {"id": 4242, "type": "private", "first_name": "Ann"}
START: dict[str, Any] = {
    "update_id": 900001,
    "message": {
        "message_id": 17,
        "date": 1700000000,
        "from": {"id": 4242, "is_bot": False, "first_name": "Ann", "language_code": "en"},
        "chat": CHAT,
        "text": "/start s_abc123",
        "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
    },
}
QUESTION: dict[str, Any] = {
    "message_id": 102,
    "date": 1700000000,
    "chat": CHAT,
    "from": {"id": 123456, "is_bot": True, "first_name": "Fake"},
    "text": "How likely are you to recommend us? (0-10)",
    "reply_markup": {
        "inline_keyboard": [
            [{"text": str(v), "callback_data": f"a:s1:nps:{v}"} for v in range(6)],
            [{"text": str(v), "callback_data": f"a:s1:nps:{v}"} for v in range(6, 11)],
        ]
    },
}
TAP: dict[str, Any] = {
    "update_id": 900002,
    "callback_query": {
        "id": "cbq-1",
        "chat_instance": "-8000000000000000000",
        "data": "a:s1:nps:9",
        "from": {"id": 4242, "is_bot": False, "first_name": "Ann", "language_code": "en"},
        "message": QUESTION,
    },
}


def parse(data: dict[str, Any]) -> Incoming | None:
    return parse_update(decode_update(json.dumps(data).encode()), "123456", NOW)


def message(**fields: Any) -> dict[str, Any]:
    return {
        "update_id": 7,
        "message": {"message_id": 1, "date": 1700000000, "from": ANN, "chat": CHAT, **fields},
    }


def test_start_with_a_deep_link_payload() -> None:
    assert parse(START) == Incoming(
        InboundMessage(
            channel="telegram",
            account="123456",
            user="4242",
            platform_id="900001",
            received_at=NOW,
            payload=Command("start", "s_abc123"),
            display_name="Ann",
            locale="en",
        )
    )


def test_a_tap_on_a_survey_button() -> None:
    incoming = parse(TAP)
    assert incoming is not None and incoming.message is not None
    assert incoming.message.payload == ChoicePicked("s1", "nps", "9", "9")
    assert (incoming.message.platform_id, incoming.message.user) == ("900002", "4242")
    assert incoming.tap == Tap("cbq-1", 4242, 102, QUESTION["text"], "9")


def test_typed_text_with_name_username_and_locale() -> None:
    incoming = parse(message(text="my order is late"))
    assert incoming is not None and incoming.message is not None
    msg = incoming.message
    assert msg.payload == Text("my order is late")
    assert (msg.display_name, msg.locale, msg.extra) == ("Ann Lee", "en", {})
    with_username = parse(
        message(text="hi", **{"from": ANN | {"username": "ann_l", "language_code": "zh-hans"}})
    )
    assert with_username is not None and with_username.message is not None
    assert with_username.message.locale == "zh-hans"
    assert with_username.message.extra == {"username": "ann_l"}
    no_language = parse(message(text="hi", **{"from": {"id": 4242, "is_bot": False, "first_name": "Ann"}}))
    assert no_language is not None and no_language.message is not None
    assert no_language.message.locale == ""


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("/help", 5, Command("help")),
        ("/help@fake_csat_bot   order 42", 19, Command("help", "order 42")),
        ("/START abc", 6, Command("start", "abc")),
    ],
)
def test_commands(text: str, length: int, expected: Command) -> None:
    incoming = parse(message(text=text, entities=[{"offset": 0, "length": length, "type": "bot_command"}]))
    assert incoming is not None and incoming.message is not None
    assert incoming.message.payload == expected


def test_a_slash_without_a_command_entity_is_text() -> None:
    incoming = parse(message(text="/ not a command"))
    assert incoming is not None and incoming.message is not None
    assert incoming.message.payload == Text("/ not a command")


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"sticker": {"file_id": "f", "file_unique_id": "u", "type": "regular", "width": 512, "height": 512,
                      "is_animated": False, "is_video": False}}, "sticker"),
        ({"photo": [{"file_id": "f", "file_unique_id": "u", "width": 90, "height": 90}], "caption": " "},
         "photo"),
        ({"voice": {"file_id": "f", "file_unique_id": "u", "duration": 3}}, "voice"),
        ({"location": {"latitude": 31.2, "longitude": 121.5}}, "location"),
    ],
)  # fmt: skip
def test_media_is_unsupported(fields: dict[str, Any], kind: str) -> None:
    incoming = parse(message(**fields))
    assert incoming is not None and incoming.message is not None
    assert incoming.message.payload == Unsupported(kind)


def test_a_caption_is_text() -> None:
    photo = [{"file_id": "f", "file_unique_id": "u", "width": 90, "height": 90}]
    incoming = parse(message(photo=photo, caption="/start see"))
    assert incoming is not None and incoming.message is not None
    assert incoming.message.payload == Text("/start see", attached="photo")  # never a command


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(
            {"update_id": 8, "edited_message": START["message"] | {"edit_date": 1700000100}}, id="edited"
        ),
        pytest.param(
            {
                "update_id": 9,
                "my_chat_member": {
                    "chat": {"id": -100, "type": "group", "title": "G"},
                    "from": ANN,
                    "date": 1700000000,
                    "old_chat_member": {"status": "member", "user": ANN},
                    "new_chat_member": {"status": "kicked", "user": ANN, "until_date": 0},
                },
            },
            id="my-chat-member-in-a-group",
        ),
        pytest.param(message(text="hi", chat={"id": -100, "type": "group", "title": "G"}), id="group"),
        pytest.param(message(text="hi", **{"from": ANN | {"is_bot": True}}), id="from-a-bot"),
        pytest.param(message(pinned_message={"message_id": 1, "date": 0, "chat": CHAT}), id="service"),
        pytest.param(
            {
                "update_id": 10,
                "channel_post": {"message_id": 1, "date": 1, "chat": {"id": -1, "type": "channel"}},
            },
            id="channel-post",
        ),
        pytest.param({"update_id": 11}, id="no-content"),
    ],
)
def test_updates_the_bot_does_not_handle(update: dict[str, Any]) -> None:
    assert parse(update) is None


def member_update(status: str, **changes: Any) -> dict[str, Any]:
    """The bot's status in Ann's private chat changed to ``status``."""
    bot = {"id": 123456, "is_bot": True, "first_name": "Fake"}
    new = {"status": status, "user": bot} | ({"until_date": 0} if status == "kicked" else {})
    old = {"status": "left", "user": bot}
    changed = {"chat": CHAT, "from": ANN, "date": 1700000000, "old_chat_member": old}
    return {"update_id": 12, "my_chat_member": changed | {"new_chat_member": new} | changes}


@pytest.mark.parametrize(
    ("status", "payload"),
    [("kicked", Reachability(False, "blocked")), ("member", Reachability(True)), ("left", None)],
)
def test_the_user_blocking_or_unblocking_the_bot(status: str, payload: Reachability | None) -> None:
    incoming = parse(member_update(status))
    if payload is None:
        assert incoming is None
        return
    assert incoming is not None and incoming.message is not None and incoming.tap is None
    assert (incoming.message.user, incoming.message.platform_id) == ("4242", "12")
    assert incoming.message.payload == payload


def test_a_bot_blocking_the_bot_is_nobody_to_reach() -> None:
    assert parse(member_update("kicked", **{"from": ANN | {"is_bot": True}})) is None


def test_a_tap_on_a_foreign_button_is_only_acknowledged() -> None:
    incoming = parse({"update_id": 3, "callback_query": TAP["callback_query"] | {"data": "other:thing"}})
    assert incoming == Incoming(None, Tap("cbq-1", 4242, 102, QUESTION["text"], ""))


def test_a_tap_on_a_message_too_old_to_see() -> None:
    inaccessible = {"message_id": 102, "date": 0, "chat": CHAT}
    incoming = parse({"update_id": 4, "callback_query": TAP["callback_query"] | {"message": inaccessible}})
    assert incoming is not None and incoming.message is not None
    assert incoming.message.payload == ChoicePicked("s1", "nps", "9", "")
    assert incoming.tap == Tap("cbq-1", 4242, 102, None, "")


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"",
        b"[]",
        b'"update"',
        b'{"update_id": "x"}',
        b'{"message": {"message_id": 1}}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 1}}',
        b'{"update_id": 1, "callback_query": {"id": "q"}}',
        b"\xff\xfe{",
    ],
)
def test_malformed_bodies(body: bytes) -> None:
    with pytest.raises(WireFormatError, match="not an Update"):
        decode_update(body)


def test_a_remembered_update_is_handed_to_its_turn_once_and_others_are_decoded() -> None:
    decoded = DecodedUpdates(keep=2)
    bodies = [json.dumps({**TAP, "update_id": n}).encode() for n in range(3)]
    updates = [decode_update(body) for body in bodies]
    for body, update in zip(bodies, updates, strict=True):
        decoded.remember(body, update)
    assert decoded.take(bodies[2]) is updates[2]  # the webhook's own object: not validated again
    taken = decoded.take(bodies[2])  # taken once: then decoded anew
    assert taken is not updates[2] and taken == updates[2]
    assert decoded.take(bodies[0]) is not updates[0]  # the oldest was dropped past ``keep``
    assert decoded.take(bodies[1]) is updates[1]


def test_a_forgotten_or_long_body_is_decoded_from_what_was_stored() -> None:
    decoded = DecodedUpdates()
    body = json.dumps(TAP).encode()
    decoded.remember(body, decode_update(json.dumps(START).encode()))
    decoded.forget(body)
    assert decoded.take(body).callback_query is not None  # never what was forgotten
    long = json.dumps({**START, "padding": "x" * KEPT_BODY}).encode()
    kept = decode_update(long)
    decoded.remember(long, kept)
    assert decoded.take(long) is not kept
