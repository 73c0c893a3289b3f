"""A rating corrected after the survey moved on ("改成4分" typed at "What went wrong?"): the rating is
replaced and the survey goes on from the question the new one leads to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import advance
from bot.flow import Flow
from bot.messages import Text
from bot.prompts import AskChoice, AskText
from bot.survey import Escalate, HandOn, RecordAnswer, Reply, ReviseAnswer, Start, SurveyState, Transition

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def answered(flow: Flow, locale: str, *texts: str) -> Transition:
    t = advance(flow, SurveyState("s1", locale), Start(), NOW)
    for text in texts:
        t = advance(flow, t.state, Reply(Text(text)), NOW)
    return t


@pytest.mark.parametrize(
    ("first", "correction", "locale", "score", "step"),
    [
        ("2", "改成4分", "zh-CN", 4, "praise"),  # 4 stars: no "What went wrong?"
        ("2分", "不对，是5分", "zh-CN", 5, "praise"),
        ("两星", "打错了，5星", "zh-CN", 5, "praise"),
        ("2", "刚才点错了，改为3分", "zh-CN", 3, "reason"),  # still low: the reason is asked again
        ("2", "actually make it 4 stars", "en", 4, "praise"),
        ("2 stars", "sorry I meant 5", "en", 5, "praise"),
        ("1", "oops, make that a 4", "en", 4, "praise"),
        ("2", "not 2, 4", "en", 4, "praise"),
        ("5", "sorry I meant 2", "en", 2, "reason"),  # typed at the praise question
        ("5", "改成1分", "zh-CN", 1, "reason"),
    ],
)
def test_a_clear_correction_right_after_the_rating_replaces_it(
    flows: dict[str, Flow], first: str, correction: str, locale: str, score: int, step: str
) -> None:
    t = answered(flows["csat"], locale, first, correction)
    assert [e.answer.score for e in t.effects if isinstance(e, ReviseAnswer)] == [score]
    assert not any(isinstance(e, (RecordAnswer, HandOn)) for e in t.effects)
    assert [(a.step, a.score, a.raw) for a in t.state.answers] == [("rating", score, correction)]
    assert t.state.step == step and t.state.status == "active"
    assert isinstance(t.prompts[-1], AskChoice if step == "reason" else AskText)


def test_a_correction_to_a_low_rating_escalates_and_one_from_it_keeps_the_escalation(
    flows: dict[str, Flow],
) -> None:
    lowered = answered(flows["csat"], "en", "5", "sorry I meant 2")
    assert Escalate(("CSAT 2 (at most 3)",)) in lowered.effects and lowered.state.escalated
    raised = answered(flows["csat"], "zh-CN", "2", "改成4分")
    assert raised.state.escalated  # a person may already read the ticket: it stays
    assert not any(isinstance(e, Escalate) for e in raised.effects)


def test_words_after_the_corrected_score_are_its_comment(flows: dict[str, Flow]) -> None:
    t = answered(flows["csat"], "zh-CN", "2", "刚才打错了，应该是4分，客服挺好的")
    assert [(a.step, a.score, a.text) for a in t.state.answers] == [
        ("rating", 4, None),
        ("praise", None, "客服挺好的"),
    ]
    assert t.state.status == "completed"


@pytest.mark.parametrize(
    ("first", "reply", "locale"),
    [
        ("2", "4", "en"),  # a bare number at a choice question is its option 4
        ("2", "2分，打错了", "zh-CN"),  # nothing said instead
        ("2", "改成2分", "zh-CN"),  # the same score again: nothing to change
        ("2", "I'd give 4 if you fixed it", "en"),  # a condition, no correction
        ("2", "actually it was slow", "en"),
        ("5", "I mean it, great service", "en"),
    ],
)
def test_no_clear_correction_changes_no_rating(
    flows: dict[str, Flow], first: str, reply: str, locale: str
) -> None:
    t = answered(flows["csat"], locale, first, reply)
    assert not any(isinstance(e, ReviseAnswer) for e in t.effects)
    assert t.state.answers[0].score == int(first)


def test_a_correction_after_a_later_answer_changes_nothing(flows: dict[str, Flow]) -> None:
    """Only right after the rating: the reason given for 2 stars followed from it."""
    t = answered(flows["csat"], "zh-CN", "2", "响应太慢", "改成4分")
    assert not any(isinstance(e, ReviseAnswer) for e in t.effects)
    assert [(a.step, a.score) for a in t.state.answers][:2] == [("rating", 2), ("reason", None)]


def test_a_correction_on_nps_reads_the_nps_scale(flows: dict[str, Flow]) -> None:
    t = answered(flows["nps"], "en", "3", "oops, I meant 9")
    assert [(a.step, a.score) for a in t.state.answers] == [("score", 9)]
    assert t.state.status == "completed"  # 9 asks no "why"
