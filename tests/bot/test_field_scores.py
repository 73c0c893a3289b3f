"""Two questions answered in one reply, each score named by its question's word."""

from __future__ import annotations

import pytest

from bot.answers import number_value
from bot.field_scores import named_score
from bot.prompts import ScaleKind


@pytest.mark.parametrize(
    ("text", "kind", "high", "expected"),
    [
        pytest.param("满意度4，推荐度9", "csat", 5, 4, id="satisfaction-first"),
        pytest.param("满意度4，推荐度9", "nps", 10, 9, id="recommendation-second"),
        pytest.param("推荐度：七分 满意度：满分", "csat", 5, 5, id="full-marks-named"),
        pytest.param("容易程度6，满意度5", "ces", 7, 6, id="effort"),
        pytest.param("推荐度9分", "nps", 10, None, id="one-named-is-read-elsewhere"),
        pytest.param("服务满意，推荐度10分", "csat", 5, None, id="another-questions-score-only"),
        pytest.param("推荐度8，推荐9，满意度5", "nps", 10, None, id="two-for-the-question"),
    ],
)
def test_the_score_named_for_the_question_asked_is_read(
    text: str, kind: ScaleKind, high: int, expected: int | None
) -> None:
    assert named_score(text, kind, lambda token: number_value(token, high)) == expected
