"""Numbers that count, time, price or name something (``bot.quantities``): what follows or comes
before a number that makes it no score."""

from __future__ import annotations

import pytest

from bot import quantities


@pytest.mark.parametrize(
    ("comment", "counted"),
    [
        ("3 days to reply", True),
        ("2 items missing", True),
        ("3天才回复", True),
        ("10分钟", True),  # minutes, not points
        ("2星期", True),  # weeks, not stars
        ("5分", False),
        ("3 stars", False),
        ("4 great service", False),
        ("20 min wait", True),  # time as chat shortens it
        ("2 hrs on hold", True),
    ],
)
def test_a_comment_starting_with_a_count(comment: str, counted: bool) -> None:
    assert quantities.starts_with_count(comment) is counted


def test_money_and_time_are_quantities_without_the_prepositions_and_units() -> None:
    assert {"dollars", "days", "hours"} <= quantities.MONEY_AND_TIME < quantities.QUANTITY_AFTER
    assert not {"for", "of", "stars", "points"} & quantities.MONEY_AND_TIME


@pytest.mark.parametrize("unit", ["quid", "grand", "lbs", "inch", "pct", "oclock", "y/o", "left"])
def test_money_measures_clock_and_age_as_chat_writes_them_are_quantities(unit: str) -> None:
    assert unit in quantities.QUANTITY_AFTER
    assert unit in quantities.MONEY_AND_TIME


@pytest.mark.parametrize(
    ("before", "reference"),
    [
        ("my order number is", True),
        ("the room was", True),
        ("my order's", True),
        ("tracking code =", True),
        ("the agent was", False),  # whom the score is for
        ("my rating is", False),
        ("service is", False),
        ("is", False),
    ],
)
def test_a_number_said_to_be_a_references_is_no_score(before: str, reference: bool) -> None:
    assert quantities.names_a_reference(before) is reference


def test_references_and_their_chinese_words() -> None:
    assert {"order", "room", "ticket", "waited", "eta", "ref", "code"} <= quantities.REFERENCE_BEFORE
    assert "订单号".endswith(quantities.REFERENCE_HAN)
    assert not "给".endswith(quantities.REFERENCE_HAN)


@pytest.mark.parametrize(
    ("unit", "after"), [("分", "钟"), ("分", "之"), ("星", "级"), ("星", "期"), ("星", "半")]
)
def test_a_unit_and_the_character_after_it_make_another_word(unit: str, after: str) -> None:
    assert after in quantities.UNIT_WORDS[unit]


@pytest.mark.parametrize(
    ("after", "counted"),
    [
        ("colors", True),
        ("shirts missing", True),
        ("boxes arrived broken", True),
        ("colours, wrong", True),
        ("thanks guys", False),
        ("hands down", False),
        ("thumbs up", False),
        ("always", False),
        ("stars", False),  # the score's own unit
        ("rocks", False),  # a verb: "5 rocks"
        ("james was great", False),  # a name: a plural takes "were"
        ("yes", False),
        ("plus shipping", False),
        ("great service", False),
        ("", False),
    ],
)
def test_a_plural_after_a_number_is_what_it_counts(after: str, counted: bool) -> None:
    assert quantities.counts(after) is counted


@pytest.mark.parametrize(
    ("after", "whom"),
    [
        ("for maria", True),
        ("for the quick refund", True),
        ("for delivery", True),
        ("for 1", False),
        ("for $10", False),
        ("for a week", False),
        ("for days", False),
        ("for now", False),
        ("maria", False),
    ],
)
def test_for_before_a_name_says_whom_the_score_is_for(after: str, whom: bool) -> None:
    assert quantities.for_whom(after) is whom


def test_a_comment_starting_with_a_counted_plural_is_a_count() -> None:
    assert quantities.starts_with_count("2 shirts were missing")
    assert not quantities.starts_with_count("2 thanks")
