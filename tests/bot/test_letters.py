"""A score said in the middle of a letter."""

from __future__ import annotations

import pytest

from bot.answers import number_value
from bot.letters import letter_score


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        pytest.param(
            "Dear team, my parcel 40021 was late. I rate the chat 2 out of 5. Regards",
            1,
            5,
            2,
            id="rate-x-out-of",
        ),
        pytest.param(
            "Hello. I am 81. The young man was kind, I give him four. Bless you", 1, 5, 4, id="give-him"
        ),
        pytest.param(
            "Good day. I would place your service at nine. My wife agrees.", 0, 10, 9, id="place-at"
        ),
        pytest.param("To the manager. The help was a 3 in my view. I waited long.", 1, 5, 3, id="was-a"),
        pytest.param("您好！我今年八十岁。小王很耐心，特给予四分。谢谢", 1, 5, 4, id="given-zh"),
        pytest.param("尊敬的客服：您好。本人对服务评为三星，望改进。", 1, 5, 3, id="rated-as-zh"),
        pytest.param("Dear team, I rate the chat 8 out of 10. Regards", 1, 5, None, id="another-scale"),
        pytest.param("Dear team. I will give 5 once my refund comes. Regards", 1, 5, None, id="a-plan"),
        pytest.param("您好，等退款到了，我再给你们打5分。谢谢", 1, 5, None, id="a-plan-zh"),
        pytest.param("Dear team, I give 4. My son would give 2. Regards", 1, 5, None, id="two-scores"),
        pytest.param("Dear team. I rate the chat 4? Not sure. Regards", 1, 5, None, id="asked"),
        pytest.param("I rate it 4", 1, 5, None, id="one-short-sentence-is-no-letter"),
        pytest.param(
            "Dear team, I waited 3 days. My order 5 was lost. Regards", 1, 5, None, id="numbers-not-given"
        ),
    ],
)
def test_a_letter_gives_one_score_in_a_middle_sentence(
    text: str, low: int, high: int, expected: int | None
) -> None:
    assert letter_score(text, low, high, lambda token: number_value(token, high)) == expected
