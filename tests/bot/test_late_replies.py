"""An apology for answering late, or why the answer came late, before the answer: dropped; the answer
and what else was said stay."""

from __future__ import annotations

import time

import pytest

from bot.late_replies import without_late_lead


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sorry late, 4", "4", id="sorry-late"),
        pytest.param("Sorry for the late reply - 9", "9", id="for-the-late-reply"),
        pytest.param("so sorry for the delay. 5 stars", "5 stars", id="so-sorry-for-the-delay"),
        pytest.param("apologies, been travelling. 5/5", "5/5", id="apologies-and-why"),
        pytest.param("sry was driving. 3", "3", id="was-driving"),
        pytest.param("just saw this, yes", "yes", id="just-saw-this"),
        pytest.param("got your reminder: not solved", "not solved", id="the-reminder"),
        pytest.param("late reply but 2, nobody called", "2, nobody called", id="late-reply-but"),
        pytest.param("forgot to reply, 4", "4", id="forgot-to-reply"),
        pytest.param("不好意思回复晚了，4分", "4分", id="sorry-replied-late-zh"),
        pytest.param("抱歉才看到消息 3星", "3星", id="sorry-only-just-saw-zh"),
        pytest.param("刚看到，解决了", "解决了", id="just-saw-zh"),
        pytest.param("收到提醒了，5星", "5星", id="the-reminder-zh"),
        pytest.param("晚了点，2分", "2分", id="a-bit-late-zh"),
        pytest.param("不好意思回覆遲了，5分", "5分", id="traditional-zh"),
        pytest.param("sorry late", "sorry late", id="nothing-after-it"),
        pytest.param("sorry, should be 3", "sorry, should be 3", id="sorry-alone-corrects"),
        pytest.param("late delivery, 2", "late delivery, 2", id="a-late-delivery-is-no-apology"),
        pytest.param("forgot my password, 3", "forgot my password, 3", id="forgot-something-else"),
        pytest.param("不好意思，是4分", "不好意思，是4分", id="sorry-alone-zh-corrects"),
        pytest.param("晚了三天，2分", "晚了三天，2分", id="three-days-late-zh"),
        pytest.param("才回复我，1分", "才回复我，1分", id="replied-to-me-only-then-zh"),
    ],
)
def test_an_apology_for_answering_late_is_dropped(text: str, expected: str) -> None:
    assert without_late_lead(text) == expected


@pytest.mark.parametrize("piece", ["sorry ", " ", ",", "sorry late", "不好意思", "，", "-", "just saw this "])
def test_a_long_run_is_read_in_linear_time(piece: str) -> None:
    text = (piece * (4000 // len(piece)))[:4000] + "4"
    started = time.perf_counter()
    without_late_lead(text)
    assert time.perf_counter() - started < 0.05
