"""Where a message may be cut into a score and its comment (``bot.rating_cuts``)."""

from __future__ import annotations

import pytest

from bot.rating_cuts import Cut, cuts


@pytest.mark.parametrize(
    ("text", "from_start", "expected"),
    [
        ("5 stars, quick", True, [7, 1]),  # the longest score first: "5 stars" before "5"
        ("5 stars, quick", False, [2, 9]),
        ("客服很专业给五星", False, [1, 2, 3, 4, 5, 6, 7]),  # between Chinese words
        ("挺满意的", True, [2, 1]),  # a particle stays with the word before it
        ("5👍", True, [1]),  # where text turns into emoji
        ("⭐️⭐️👍", True, [4]),  # "⭐️" is one star with its selector; the thumb is cut off
    ],
)
def test_a_message_is_cut_at_separators_word_edges_and_emoji(
    text: str, from_start: bool, expected: list[int]
) -> None:
    assert list(cuts(text, from_start=from_start)) == expected


def test_a_cut_holds_the_score_part_the_gap_and_the_comment() -> None:
    cut = Cut.make("5 ", ", super quick", leading=True)
    assert (cut.part, cut.gap, cut.comment) == ("5", ", ", "super quick")
    assert cut.numeric and cut.punctuated and not cut.decoration


@pytest.mark.parametrize(("rest", "decoration"), [(" 👍", True), (" :)", True), (" ok", False)])
def test_a_comment_of_faces_only_is_decoration(rest: str, decoration: bool) -> None:
    assert Cut.make("5", rest, leading=True).decoration is decoration


def test_a_word_score_is_not_numeric_and_a_chinese_space_sets_it_off() -> None:
    cut = Cut.make("很满意", " 客服很耐心", leading=True)
    assert not cut.numeric and cut.punctuated
