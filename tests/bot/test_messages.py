"""Channel-neutral inbound messages (``bot.messages``): frozen values every adapter builds, with
defaults that leave out what a platform does not give."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Resume, Text, Unsupported

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_what_a_platform_does_not_give_is_empty() -> None:
    msg = InboundMessage("telegram", "", "42", "1001", AT, Text("hi"))
    assert (msg.thread, msg.display_name, msg.locale, msg.extra) == ("", "", "", {})
    assert ChoicePicked("csat", "q1", "5").label == ""
    assert Command("start").argument == ""


def test_each_message_has_its_own_extras() -> None:
    first = InboundMessage("telegram", "", "42", "1", AT, Text("a"))
    second = InboundMessage("telegram", "", "42", "2", AT, Text("b"))
    assert first.extra is not second.extra


@pytest.mark.parametrize(
    "payload",
    [
        Text("hi"),
        ChoicePicked("csat", "q1", "5", "Very good"),
        Command("start", "ref"),
        Unsupported("gif"),
        Resume("s1"),
    ],
)
def test_payloads_are_frozen_values(payload: Payload) -> None:
    assert payload == dataclasses.replace(payload)
    field = dataclasses.fields(payload)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(payload, field, "changed")


def test_messages_equal_by_value_so_a_redelivery_is_the_same_message() -> None:
    assert InboundMessage("wechat", "gh_1", "o-1", "m1", AT, Text("hi")) == InboundMessage(
        "wechat", "gh_1", "o-1", "m1", AT, Text("hi")
    )
    assert InboundMessage("wechat", "gh_1", "o-1", "m1", AT, Text("hi")) != InboundMessage(
        "wechat", "gh_1", "o-1", "m2", AT, Text("hi")
    )
