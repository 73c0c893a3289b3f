"""Words beside a score that hedge, bound, deny, question or take it back (``bot.hedges``): each
pattern on the side of the score it guards, and the look-alikes it must leave alone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot import hedges


def _after(text: str) -> bool:
    return hedges.QUALIFIED_AFTER.match(text) is not None


def _before(text: str) -> bool:
    return hedges.QUALIFIED_BEFORE.search(text) is not None


@pytest.mark.parametrize(
    ("words", "pattern", "found"),
    [
        # after a leading score: a condition, a bound, a hedge or a take-back
        ("if you had answered sooner", _after, True),
        ("if i could", _after, False),  # "0 if I could": still a score
        ("or more", _after, True),
        ("probably", _after, True),
        ("probably the best service", _after, False),
        ("no way", _after, True),
        ("以上", _after, True),
        ("都嫌多", _after, True),
        ("wait time was long", _after, False),
        # before a trailing score: a hedge, a denial or what would have been
        ("maybe", _before, True),
        ("i'd never give", _before, True),
        ("would have given", _before, True),
        ("not worth", _before, True),
        ("可能给", _before, True),
        ("给不了", _before, True),
        ("客服让我给", _before, True),
        ("the agent was great", _before, False),
        ("我给", _before, False),
        ("应该", _before, True),  # "应该8分": probably 8
        ("应该给", _before, False),  # "应该给五星": it deserves five
        # typed-answers-7: too much for what was had, disbelief, a question word alone
        ("太多了", _after, True),  # "5分太多了"
        ("太高了", _after, True),
        ("is too much", _after, True),
        ("is way too generous", _after, True),
        ("too many problems lately", _after, False),  # a complaint
        ("太多问题了", _after, False),
        ("太高兴了", _after, False),  # so happy
        ("my ass", _after, True),
        ("dream on", _after, True),
        ("你妹", _after, True),
        ("what does it mean", _after, True),
        ("why", _after, True),
        ("是什么意思", _after, True),
        ("怎么打", _after, True),
        ("what a great service", _after, False),
        ("what else can i say", _after, False),
        ("what is", _before, True),
        ("how do i give", _before, True),
        ("怎么给", _before, True),
        ("为什么要", _before, True),
        ("somehow", _before, False),
        ("为什么这么慢", _before, False),  # words of its own: a complaint before the score
        ("如果能退款的话", _after, True),  # the blind fifth set: a condition after the score in Chinese
        ("只要能退款", _after, True),
        ("如果可以的话", _after, False),  # "if I could": still given
        ("如果能给的话", _after, False),
    ],
)
def test_a_pattern_finds_what_qualifies_a_score_and_nothing_else(
    words: str, pattern: Callable[[str], bool], found: bool
) -> None:
    assert pattern(words) is found


@pytest.mark.parametrize(
    ("regex", "text", "found"),
    [
        (hedges.HYPOTHETICAL_HAN, "本来想给", True),
        (hedges.HYPOTHETICAL_HAN, "等收到货再给", True),
        (hedges.HYPOTHETICAL_HAN, "如果可以给", False),  # "if I could give": still given
        (hedges.ASKING, "5分最高对吧", True),
        (hedges.ASKING, "5分最高", False),
        (hedges.HOW_MANY, "满分几分", True),
        (hedges.HOW_MANY, "等了几分钟", False),
        (hedges.NEGATING_BEFORE, "not", True),
        (hedges.NEGATING_BEFORE, "不想给", True),
        (hedges.NEGATING_BEFORE, "the agent was", False),
        (hedges.BOUNDED_BEFORE, "at least", True),
        (hedges.BOUNDED_BEFORE, "i'd like to give", False),
        (hedges.SNARK, "still not fixed", True),
        (hedges.SNARK, "fixed in minutes", False),
        (hedges.SNEER, "呵呵", True),
        (hedges.SNEER, "客服很好", False),
        (hedges.DOUBT, "if you fix it", True),
        (hedges.DOUBT, "the agent fixed it", False),
        (hedges.DOUBT, "5 next time", True),
        (hedges.DOUBT, "next time please answer faster", False),  # a wish, no condition on the score
        # a high score "for" what went wrong is sarcasm; "for" what went right is meant
        (hedges.SARCASTIC_FOR, "for waiting 3 hours", True),
        (hedges.SARCASTIC_FOR, "for losing my parcel", True),
        (hedges.SARCASTIC_FOR, "for making me call 4 times", True),
        (hedges.SARCASTIC_FOR, "for taking 2 weeks", True),
        (hedges.SARCASTIC_FOR, "for nothing", True),
        (hedges.SARCASTIC_FOR, "for not giving up", False),
        (hedges.SARCASTIC_FOR, "for never giving up on my case", False),
        (hedges.SARCASTIC_FOR, "for nothing less than perfect", False),
        (hedges.SARCASTIC_FOR, "for the quick fix", False),
        (hedges.SARCASTIC_FOR, "for keeping me updated", False),
        (hedges.SARCASTIC_FOR, "for taking the time to explain", False),
        (hedges.SARCASTIC_FOR, "for maria", False),
        (hedges.SARCASTIC_HAN, "等了两个礼拜呢", True),
        (hedges.SARCASTIC_HAN, "还没到呢", True),
        (hedges.SARCASTIC_HAN, "两天就到了", False),
        (hedges.SARCASTIC_HAN, "等了两天", False),
        (hedges.SARCASTIC_HAN, "三天才到呢", True),
        (hedges.SARCASTIC_HAN, "你们才是最棒的呢", False),
        # a question offering two readings: "是容易还是难" (easy or hard?)
        (hedges.EITHER_OR, "是容易还是难", True),
        (hedges.EITHER_OR, "是最好还是最差", True),
        (hedges.EITHER_OR, "服务还是不错的", False),  # 还是: "still"
        (hedges.EITHER_OR, "就是物流还是慢", False),
    ],
)
def test_each_regex_of_doubt(regex: re.Pattern[str], text: str, found: bool) -> None:
    assert (regex.search(text) is not None) is found


def test_the_joining_words_are_hedges_too() -> None:
    """A joining word before a score ("7到8分") is a hedge whose comma may end its clause."""
    assert set(hedges.JOINING_BEFORE) <= set(hedges.HEDGE_BEFORE)


def test_a_take_back_is_a_short_whole_comment() -> None:
    assert {"jk", "not", "no"} <= hedges.TAKEN_BACK
    assert "not bad" not in hedges.TAKEN_BACK


@pytest.mark.parametrize(
    ("comment", "taken_back"),
    [("as if", True), ("lol as if", True), ("haha jk", True), ("lol, just kidding", True), ("lol", False)],
)
def test_laughing_before_a_take_back_still_takes_it_back(comment: str, taken_back: bool) -> None:
    assert hedges.taken_back(comment) is taken_back


@pytest.mark.parametrize(
    ("score", "comment", "taken_back"),
    [
        (10, "would not recommend", True),
        (9, "不会再推荐了", True),
        (0, "extremely likely", True),  # the scale read backwards
        (2, "would definitely recommend", True),
        (10, "would definitely recommend", False),
        (3, "not likely", False),
        (6, "not likely", False),
        (9, "great agent", False),
    ],
)
def test_an_nps_score_its_own_words_take_back(score: int, comment: str, taken_back: bool) -> None:
    assert hedges.nps_taken_back(score, comment) is taken_back
