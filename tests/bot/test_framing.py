"""What surrounds an answer in a chat message (``bot.framing``): dropped before the answer is read,
and nothing else is."""

from __future__ import annotations

import re
import time

import pytest

from bot.framing import HELLO_ONLY, THANKS, field_free, unframed, unquoted, without_signature


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("「客服：请打分」5", "5"),
        ("「客服：请打分」\n- - - - -\n5分", "5分"),
        ("回复 客服：5分", "5分"),
        ("@客服小美 5分", "5分"),
        ("> How satisfied were you?\n4", "4"),
        ("5\nSent from my iPhone", "5"),
        ("5分\n发自我的iPhone", "5分"),
        ("hi, 5", "5"),
        ("ok 4 stars", "4 stars"),
        ("好的，5分", "5分"),
        ("嗯 五星", "五星"),
        ("Thanks! 5/5, great", "5/5, great"),
        ("thanks for the help, 5", "thanks for the help, 5"),  # the thanks says what for: a comment
        ("hi", "hi"),  # a greeting alone stays
        ("ok", "ok"),
        ("5 stars", "5 stars"),
        # the blind fifth set: a signature after a dash rule, a sign-off, a salutation, a quoted question
        ("4 -- Sent from my Galaxy", "4"),
        ("5 —— 发自我的iPhone", "5"),
        ("7 -- 来自小米手机", "7"),
        ("8分 -- 张先生", "8分"),
        ("5 - Regards, Dr. Alan Whitmore", "5"),
        ("4. Kind regards, Margaret", "4"),
        ("5分。此致 敬礼", "5分"),
        ("4 - 2 hours", "4 - 2 hours"),  # one dash is no rule
        ("Dear team, 10", "10"),
        ("尊敬的客服：5分", "5分"),
        ("“您对本次服务满意吗？” 5", "5"),
        ('"very good" 4', '"very good" 4'),  # quoted words that ask nothing stay
    ],
)
def test_the_frame_around_an_answer_is_dropped(text: str, left: str) -> None:
    assert unframed(text) == left


def test_only_a_greeting_is_dropped_before_a_choice() -> None:
    assert HELLO_ONLY.sub("", "hi no", count=1) == "no"
    assert HELLO_ONLY.sub("", "ok, no", count=1) == "ok, no"


@pytest.mark.parametrize(
    ("text", "found"), [("thanks a lot", True), ("谢谢亲", True), ("辛苦了", True), ("thank", False)]
)
def test_a_thank_you(text: str, found: bool) -> None:
    assert (re.fullmatch(THANKS, text) is not None) is found


def test_a_signature_is_dropped_and_a_reply_that_is_only_one_stays() -> None:
    assert without_signature("yes -- Sent from my iPhone") == "yes"
    assert without_signature("Sent from my iPhone") == "Sent from my iPhone"


@pytest.mark.parametrize("junk", [" " * 4096, "-" * 4096, "—" * 4096, " --" * 1400, ", " * 2048, "\t" * 4096])
def test_a_long_run_is_read_once(junk: str) -> None:
    started = time.perf_counter()
    unframed("5" + junk + "x")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("comment", "left"),
    [
        ("Comment: slow", "slow"),
        ("Reason: nobody called me back", "nobody called me back"),
        ("备注：小哥很耐心", "小哥很耐心"),
        ("评价", ""),  # only the score's field name was left beside a word rating ("评价：非常满意")
        ("Rating:", ""),
        ("comments are slow to load", "comments are slow to load"),  # no colon: the customer's words
        ("why: because", "because"),
        ("reason why I left", "reason why I left"),
    ],
)
def test_the_name_of_a_forms_field_is_no_comment(comment: str, left: str) -> None:
    assert field_free(comment) == left


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("um like a four I guess", "like a four I guess"),  # the sounds of thinking, wherever they stand
        ("so like uh a two", "so like a two"),
        ("嗯 四分吧", "四分吧"),
        ("umbrella 4", "umbrella 4"),  # inside a word: no filler
        ("er fen", "er fen"),  # pinyin's 二分, not a hesitation
        ("uh", "uh"),  # a filler alone stays what was said
        ("three comma the app crashed", "three, the app crashed"),  # a comma said aloud after a number word
        ("Re: How satisfied are you?\n4", "4"),
        ("Re: my order 5", "Re: my order 5"),  # no question on the line: a subject, not a quote
        ("How likely are you to recommend us? 9", "9"),
        ("How come nobody answered? 1", "How come nobody answered? 1"),  # the customer's own question
    ],
)
def test_unquoted_drops_quotes_of_the_question_and_fillers(text: str, expected: str) -> None:
    assert unquoted(text) == expected
