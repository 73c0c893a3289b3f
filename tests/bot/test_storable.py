"""Text every database can store: NUL dropped, lone surrogates replaced, everything else kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.messages import ChoicePicked, Command, InboundMessage, Text
from bot.storable import (
    ACCOUNT_CHARS,
    ID_CHARS,
    NAME_CHARS,
    REPLACEMENT,
    bounded,
    display_name,
    storable,
    storable_message,
)

from ..conftest import Harness

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("hello", "hello"),
        ("a\x00b", "ab"),
        ("\ud800 half", f"{REPLACEMENT} half"),
        ("😀 好 \t\n", "😀 好 \t\n"),
        ("\x00\udfff\x00", REPLACEMENT),
    ],
)
def test_storable(text: str, stored: str) -> None:
    assert storable(text) == stored
    stored.encode("utf-8")


@given(st.text())
def test_storable_is_encodable_nul_free_and_leaves_good_text_alone(text: str) -> None:
    cleaned = storable(text)
    assert "\x00" not in cleaned
    cleaned.encode("utf-8")
    if "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert cleaned == text


def test_every_string_of_a_message_is_cleaned_and_a_clean_one_is_kept_as_is() -> None:
    dirty = InboundMessage(
        "telegram", "1", "4\x002", "9\x00", NOW, Text("hi\x00\ud800"), display_name="A\ud800nn",
        extra={"username": "an\x00n"},
    )  # fmt: skip
    clean = storable_message(dirty)
    assert (clean.user, clean.platform_id, clean.display_name) == ("42", "9", f"A{REPLACEMENT}nn")
    assert clean.payload == Text(f"hi{REPLACEMENT}") and clean.extra == {"username": "ann"}
    tap = InboundMessage("telegram", "1", "42", "10", NOW, ChoicePicked("s\x00", "q", "5", "\ud800"))
    assert storable_message(tap).payload == ChoicePicked("s", "q", "5", REPLACEMENT)
    caption = InboundMessage("telegram", "1", "42", "12", NOW, Text("see\x00", attached="pho\x00to"))
    assert storable_message(caption).payload == Text("see", attached="photo")
    ok = InboundMessage("telegram", "1", "42", "11", NOW, Command("start", "tok"))
    assert storable_message(ok) is ok


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Anna Lee", "Anna Lee"),
        ("王小明", "王小明"),
        ("👩\u200d💻 Dev", "👩\u200d💻 Dev"),  # the joiner of an emoji stays
        ("Eve\u202egnp.exe", "Eve gnp.exe"),  # a right-to-left override would show "exe.png"
        ("\u2066Mallory\u2069", "Mallory"),
        ("Bob\nADMIN: refund approved", "Bob ADMIN: refund approved"),  # no line of its own in a log or CSV
        ("tab\there\x00", "tab here"),
        ("   ", ""),
        # A name that shows nothing is no name: the console would show a blank customer (as a web
        # chat name of them did) instead of the one stored before, or the user id.
        ("\u200b\u200b", ""),
        ("\ufeff \u2060", ""),
        ("\u3164", ""),  # Hangul filler, the usual "invisible name"
        ("\u2800\u115f\u1160\uffa0", ""),
        ("\u200b" * 200 + "Ann", ""),  # what is kept of it shows nothing
        ("Ann\u200b", "Ann\u200b"),  # beside something visible it stays: it may join a script's letters
        ("x" * 300, "x" * NAME_CHARS),
    ],
)
def test_a_display_name_is_shown_without_controls_or_direction_overrides(name: str, shown: str) -> None:
    assert display_name(name) == shown
    msg = InboundMessage("webchat", "", "u1", "m1", NOW, Text("hi"), display_name=name)
    assert storable_message(msg).display_name == shown


async def test_a_message_no_database_could_hold_is_stored_cleaned_and_a_redelivery_is_a_duplicate(
    harness: Harness,
) -> None:
    """PostgreSQL refuses NUL in text: before, WhatsApp redelivered such a message for days."""
    first = await harness.say("ann\x00", "my parcel\x00 is late \ud800", platform_id="wamid.1\x00")
    again = await harness.say("ann\x00", "my parcel\x00 is late \ud800", platform_id="wamid.1\x00")
    assert first.duplicate is False and again.duplicate is True
    assert [tuple(r) for r in harness.rows("select text from message")] == [
        (f"my parcel is late {REPLACEMENT}",)
    ]
    assert [tuple(r) for r in harness.rows('select "user" from identity')] == [("ann",)]


def test_ids_longer_than_their_columns_are_bounded_distinct_and_stable() -> None:
    short = "u" * ID_CHARS
    assert bounded(short, ID_CHARS) is short
    long_a, long_b = "u" * 5000, "u" * 4999 + "v"
    assert len(bounded(long_a, ID_CHARS)) == ID_CHARS
    assert bounded(long_a, ID_CHARS) == bounded(long_a, ID_CHARS) != bounded(long_b, ID_CHARS)
    assert bounded(long_a, ID_CHARS).startswith("u" * 200)
    msg = InboundMessage("wecom", "a" * 500, "b" * 300, "9" * 301, NOW, Text("hi"))
    clean = storable_message(msg)
    lengths = (len(clean.account), len(clean.user), len(clean.platform_id))
    assert lengths == (ACCOUNT_CHARS, ID_CHARS, ID_CHARS)


async def test_a_message_whose_ids_overflow_the_columns_is_stored_once_not_retried_forever(
    harness: Harness,
) -> None:
    """A signed Telegram update with a user id of 301 digits, a WeChat callback naming a 5,000
    character OpenID or account: PostgreSQL refused the insert, so every retry of the turn failed."""
    giant = InboundMessage("wecom", "t" * 5000, str(10**300), "1" * 5000, NOW, Text("my parcel is late"))
    first = await harness.service.handle(giant)
    again = await harness.service.handle(giant)
    assert first.duplicate is False and again.duplicate is True
    [(account, user)] = [tuple(r) for r in harness.rows('select account, "user" from identity')]
    assert (len(account), len(user)) == (ACCOUNT_CHARS, ID_CHARS) and user.startswith("1000")
    assert [tuple(r) for r in harness.rows("select text from message")] == [("my parcel is late",)]


def test_the_bounds_are_the_columns_widths() -> None:
    from models import Identity, InboundReceipt

    identity, receipt = Identity.__table__.c, InboundReceipt.__table__.c  # type: ignore[attr-defined]
    assert identity.account.type.length == receipt.account.type.length == ACCOUNT_CHARS
    assert identity.user.type.length == receipt.platform_id.type.length == ID_CHARS
