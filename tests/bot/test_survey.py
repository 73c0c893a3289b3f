"""The data the survey engine works on (``bot.survey``): a survey's state reads back from its JSON
as it was, whatever it holds."""

from __future__ import annotations

import json

import pytest

from bot.survey import CLOSED, Answer, SurveyState

STATES = [
    SurveyState("s1", "en"),
    SurveyState("s2", "zh-CN", status="active", step="q2", reprompts=1,
                answers=(Answer("q1", "csat", score=2, raw="2，等太久了", sentiment="negative"),),
                comment="等太久了", comment_sentiment="negative"),
    SurveyState("s3", "en", status="partial", reminded=True, escalated=True,
                answers=(Answer("q1", "choice", option="slow"), Answer("q2", "text", text="too slow"),
                         Answer("q3", "fcr", option="no"))),
]  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_a_state_reads_back_from_its_json(state: SurveyState) -> None:
    text = state.to_json()
    assert SurveyState.from_json(text) == state
    assert json.loads(text)["survey_id"] == state.survey_id


def test_the_json_keeps_chinese_as_written() -> None:
    assert "等太久了" in STATES[1].to_json()


def test_evolve_changes_only_what_it_is_given() -> None:
    state = STATES[1]
    later = state.evolve(status="completed", step=None)
    assert (later.status, later.step) == ("completed", None)
    assert later.answers == state.answers and later.comment == state.comment
    assert state.status == "active"  # the original is untouched


def test_closed_statuses() -> None:
    assert {"completed", "partial", "expired"} == CLOSED
    assert "pending" not in CLOSED and "active" not in CLOSED
