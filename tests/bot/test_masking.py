"""Masking: what is masked, and what a rating, an order number or a date keeps."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.masking import MASKS, luhn, mask

ALL = ("email", "card", "phone")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail me at ann.lee+shop@example.co.uk please", "mail me at [email] please"),
        ("card 4111 1111 1111 1111 expired", "card [card] expired"),
        ("card 4111-1111-1111-1111", "card [card]"),
        ("not a card 4111 1111 1111 1112", "not a card 4111 1111 1111 1112"),  # fails Luhn; 16 digits
        ("call +86 138 0013 8000 or (021) 5555-1234", "call [phone] or [phone]"),
        ("我的手机是13800138000", "我的手机是[phone]"),
        ("3，物流太慢了", "3，物流太慢了"),
        ("8/10", "8/10"),
        ("4分", "4分"),
        ("order A-1009 on 2026-11-23", "order A-1009 on 2026-11-23"),
        ("⭐⭐⭐⭐", "⭐⭐⭐⭐"),
        # Spaced or pasted separators: each of these card numbers was stored and sent to teams as typed.
        ("card 4111 - 1111 - 1111 - 1111", "card [card]"),
        ("card 4111  1111  1111  1111", "card [card]"),
        ("card 4111\u00a01111\u00a01111\u00a01111", "card [card]"),  # copied from a web page
        ("card 4111.1111.1111.1111.", "card [card]."),
        ("tel 138\u00a00013\u00a08000", "tel [phone]"),
        ("v1.2.3 build 2026.11.23", "v1.2.3 build 2026.11.23"),
        # Full-width forms (a Chinese input method types them) are read as NFKC says; the mask covers
        # the original span. Each of these was stored as typed.
        ("mail ann＠example.com now", "mail [email] now"),
        ("mail ａｎｎ@ｅｘａｍｐｌｅ．ｃｏｍ now", "mail [email] now"),
        ("邮箱 ａｎｎ＠ｅｘａｍｐｌｅ．ｃｏｍ，谢谢", "邮箱 [email]，谢谢"),
        ("mail ann﹫example.com", "mail [email]"),  # small commercial at
        ("mail jose\u0301@example.com", "mail [email]"),  # a combining accent inside the local part
        ("ﬁle@example.com and 4111 1111 1111 1111", "[email] and [card]"),  # a ligature: 1 char, 2 after
        # Written out to dodge scrapers: the at (and a dot) in brackets.
        ("mail ann [at] example [dot] com", "mail [email]"),
        ("mail ann(at)example.com", "mail [email]"),
        ("mail ann （AT） example．com", "mail [email]"),
        ("mail ann {at} example (dot) co (dot) uk!", "mail [email]!"),
        # Not addresses: "at" and "dot" as words, "(at)" with no domain after it.
        ("meet me at 5 at the station", "meet me at 5 at the station"),
        ("look at example.com", "look at example.com"),
        ("ann at example dot com", "ann at example dot com"),
        ("the dot com bubble, at last", "the dot com bubble, at last"),
        ("prices (at) cost", "prices (at) cost"),
        ("联系 ann@example.com。谢谢", "联系 [email]。谢谢"),  # an ideographic full stop ends it
    ],
)
def test_mask(text: str, masked: str) -> None:
    assert mask(text, ALL) == masked


def test_only_the_listed_kinds_are_masked() -> None:
    text = "ann@example.com 13800138000 4111111111111111"
    assert mask(text, ["email"]) == "[email] 13800138000 4111111111111111"
    assert mask(text, ["card"]) == "ann@example.com 13800138000 [card]"
    assert mask(text, []) == text


def test_luhn() -> None:
    assert luhn("4111111111111111") and luhn("79927398713") and not luhn("4111111111111112")


REFERENCE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
"""The e-mail pattern as a regex (quadratic: it scans a run of address characters from each start)."""


@given(st.text(st.sampled_from("ab1_.+-@ é,好"), max_size=60))
def test_emails_are_masked_as_the_pattern_says(text: str) -> None:
    assert mask(text, ["email"]) == REFERENCE.sub(MASKS["email"], text)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 50_000,
        "a." * 25_000,
        "1-" * 25_000 + "a",
        "a" * 50_000 + "@",
        "a@" + "b." * 25_000,
        "ａ" * 50_000,  # full-width: normalised
        "ａ＠" + "ｂ．" * 25_000,
        " " * 50_000 + "[at]",
        "a (at) " * 10_000,
        "(at)" * 12_500 + "b.c",
    ],
)
def test_masking_a_long_message_takes_linear_time(text: str) -> None:
    """A signed webhook may carry a megabyte of text; masking runs on the event loop. The regex took
    10 s for 50,000 letters without an ``@`` (this takes milliseconds)."""
    started = time.perf_counter()
    mask(text, ALL)
    assert time.perf_counter() - started < 1.0
