"""Spoken punctuation and hashtags typed as marks (``bot.spoken_marks``), with look-alikes that keep
their words."""

from __future__ import annotations

import pytest

from bot.spoken_marks import marks_typed, unhashtagged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("三分逗号物流太慢了", "三分，物流太慢了", id="a-said-comma-zh"),
        pytest.param("五星 句号", "五星。", id="a-said-full-stop-zh"),
        pytest.param("两分 感叹号 太慢", "两分！太慢", id="a-said-exclamation-mark-zh"),
        pytest.param("几分最高 问号", "几分最高？", id="a-said-question-mark-zh"),
        pytest.param("nine period", "nine.", id="a-said-period"),
        pytest.param("seven full stop", "seven.", id="a-said-full-stop"),
        pytest.param("four comma slow", "four, slow", id="a-said-comma"),
        pytest.param("great exclamation mark", "great!", id="a-said-exclamation-mark"),
        pytest.param("the warranty period ran out", "the warranty period ran out", id="period-inside-words"),
        pytest.param("comma", "comma", id="comma-alone"),
        pytest.param("5 stars period", "5 stars.", id="a-said-period-after-stars"),
        pytest.param("逗号", "，", id="a-said-mark-alone-zh"),
        pytest.param("4\nperiod", "4\nperiod", id="period-on-a-line-of-its-own"),
    ],
)
def test_spoken_punctuation_is_typed(text: str, expected: str) -> None:
    assert marks_typed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("#5stars", "5stars", id="a-hashtag-with-a-score"),
        pytest.param("#五星好评#", "五星好评", id="a-weibo-hashtag"),
        pytest.param("5 #happycustomer #goodvibes", "5 happycustomer goodvibes", id="hashtags-after"),
        pytest.param("#3", "#3", id="a-number-is-no-hashtag"),
        pytest.param("order #48213", "order #48213", id="an-order-number-is-no-hashtag"),
        pytest.param("#", "#", id="a-hash-alone"),
        pytest.param("C#", "C#", id="a-hash-after-a-word"),
    ],
)
def test_hashtags_lose_their_hash(text: str, expected: str) -> None:
    assert unhashtagged(text) == expected
