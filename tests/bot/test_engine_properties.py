"""Properties of the survey engine over random event sequences (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classification import SENTIMENTS, Classification
from bot.config import load_config, parse_config
from bot.config.schema import SCALES, YES_NO
from bot.engine import advance
from bot.flow import Flow, build_flows
from bot.messages import ChoicePicked, Resume, Text, Unsupported
from bot.survey import CLOSED, Escalate, Event, Expire, RecordAnswer, Remind, Reply, Start, SurveyState

FLOWS = build_flows(load_config(Path(__file__).resolve().parents[2] / "config.yaml"))
FLOWS |= {  # a first-contact-resolution question, branching on "no"
    "fcr": build_flows(
        parse_config(
            "locales: [en]\nsurveys:\n  fcr:\n    title: {en: F}\n    start: q\n    steps:\n"
            "      q: {type: yes_no, fcr: true, text: {en: Q}, next: end,\n"
            '         branches: [{when: {options: ["no"]}, next: why}]}\n'
            "      why: {type: text, optional: true, text: {en: W}, next: end}\n"
            "      end: {type: end, text: {en: B}}\n"
        )
    )["fcr"]
}
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SID = "s1"
PROPERTY = settings(max_examples=200, deadline=None, database=None)

CN_NUMERALS = "零一二三四五六七八九十"
ANSWER_LIKE = [
    "1",
    "3",
    "5",
    "0",
    "6",
    "7",
    "10",
    "11",
    "-1",
    "4.5",
    "4/5",
    "8/10",
    "8分",
    "给9分",
    "五星",
    "打三分",
    "十分",
    "⭐⭐⭐⭐",
    "★★★☆☆",
    "⭐️",
    "非常满意",
    "十分满意",
    "very satisfied",
    "一般",
    "terrible",
    "very easy",
    "skip",
    "跳过",
    "no thanks",
    "slow",
    "Problem not solved",
    "其他",
    "第二个",
    "选3",
    "2",
    "four",
    "where is my refund?",
    "12345678",
    "I waited 3 days",
    "满分",
    "给个好评",
    "👍",
    "5 stars",
    "5 stars, super quick reply",
    "2，等太久了",
    "8 - helpful but slow",
    "pretty easy, 6",
    "客服很专业 给五星",
    "my order 5 is late",
    "order 98765",
    "skip please",
    "   ",
    "",
]
STEP_IDS = sorted({step for flow in FLOWS.values() for step in flow.steps} | {"nope"})

sentiments = st.none() | st.sampled_from(SENTIMENTS).map(lambda s: Classification("x", 0.5, s, 0.5))
# What a pure reader may be handed before the text is cleaned for storage (NUL, lone surrogates), and
# what customers mix in: other scripts' digits, direction marks, joiners, Traditional characters.
HOSTILE_PIECES = [
    "\x00",
    "\ud800",
    "\udcff",
    "\u202e",
    "\u200d",
    "\ufeff",
    "٣",
    "५",
    "５",
    "滿意",
    "五分",
    "⭐",
    "😡",
    "no",
]
hostile = st.lists(st.sampled_from(HOSTILE_PIECES) | st.sampled_from(ANSWER_LIKE), max_size=8).map("".join)
texts = (
    st.sampled_from(ANSWER_LIKE)
    | st.text(max_size=80)
    | st.text(CN_NUMERALS + "分星满给打 ", max_size=6)
    | hostile
)
tap_values = st.sampled_from(
    [str(v) for v in range(-1, 12)] + ["slow", "other", "yes", "no", "x", "²", "①", "9" * 5000]
) | st.text(max_size=6)
taps = st.builds(
    ChoicePicked, st.sampled_from([SID, "s0"]), st.sampled_from(STEP_IDS), tap_values, st.text(max_size=5)
)
events: st.SearchStrategy[Event] = st.one_of(
    st.builds(Reply, st.builds(Text, texts), sentiments),
    st.builds(Reply, taps),
    st.builds(Reply, st.builds(Unsupported, st.sampled_from(["sticker", "image"]))),
    st.builds(Reply, st.builds(Resume, st.sampled_from([SID, "s0"]))),
    st.just(Start()),
    st.just(Remind()),
    st.just(Expire()),
)
locales = st.sampled_from(["en", "zh-CN", "fr", ""])


@pytest.mark.parametrize("survey", sorted(FLOWS))
@PROPERTY
@given(locale=locales, sequence=st.lists(events, max_size=25))
def test_random_events_never_raise_and_keep_the_invariants(
    survey: str, locale: str, sequence: list[Event]
) -> None:
    flow = FLOWS[survey]
    state = SurveyState(SID, locale)
    escalations = 0
    for event in [Start(), *sequence]:
        before = state
        t = advance(flow, state, event, NOW)
        state = t.state
        assert SurveyState.from_json(state.to_json()) == state
        for effect in t.effects:
            if isinstance(effect, RecordAnswer):
                answer = effect.answer
                assert before.status == "active"
                if answer.step != before.step and answer.kind == "choice":  # the one option they name
                    options = flow.steps[answer.step].options or []
                    assert answer.option in {option.id for option in options}
                    continue
                if answer.step != before.step:  # words given with a rating, kept as the comment
                    assert answer.kind == "text" and answer.text
                    assert answer.step == "_comment" or flow.steps[answer.step].type == "text"
                    continue
                scale = SCALES.get(flow.steps[answer.step].type)
                if scale is not None:
                    assert answer.score is not None and scale[0] <= answer.score <= scale[1]
                assert answer in state.answers
            escalations += isinstance(effect, Escalate)
        if before.status in CLOSED:
            assert state == before  # closed surveys never change
        assert state.escalated is (escalations == 1)
    assert escalations <= 1


def valid_answer(flow: Flow, step_id: str, data: st.DataObject) -> Reply:
    """A reply that answers ``step_id``: a tap, a typed number, a label or a free text."""
    step = flow.steps[step_id]
    if step.type in SCALES:
        low, high = SCALES[step.type]
        v = data.draw(st.integers(low, high))
        typed = [str(v), f"{v}分", f"{v}/{high}", f"给{v}分", CN_NUMERALS[v] if v <= 10 else str(v)]
        if step.type == "csat":
            typed += ["⭐" * v, "★" * v + "☆" * (5 - v), f"{v} stars"]
        return data.draw(st.sampled_from([Reply(ChoicePicked(SID, step_id, str(v))), *map(say, typed)]))
    if step.type == "yes_no":
        typed = ["yes", "no", "是", "否", "解决了", "没解决", "1", "2", "Yes", "No"]
        return data.draw(
            st.sampled_from([*(Reply(ChoicePicked(SID, step_id, v)) for v in YES_NO), *map(say, typed)])
        )
    if step.type == "choice":
        options = step.options or []
        i = data.draw(st.integers(0, len(options) - 1))
        labels = list(options[i].label.values())
        return data.draw(
            st.sampled_from(
                [Reply(ChoicePicked(SID, step_id, options[i].id)), say(str(i + 1)), *map(say, labels)]
            )
        )
    text = data.draw(st.text(min_size=1, max_size=200).filter(str.strip))
    return Reply(Text(text), data.draw(sentiments))


def say(text: str) -> Reply:
    return Reply(Text(text))


@pytest.mark.parametrize("survey", sorted(FLOWS))
@PROPERTY
@given(locale=locales, data=st.data())
def test_every_sequence_of_valid_answers_completes(survey: str, locale: str, data: st.DataObject) -> None:
    flow = FLOWS[survey]
    state = advance(flow, SurveyState(SID, locale), Start(), NOW).state
    answered = 0
    while state.status == "active":
        assert state.step is not None
        answered += 1
        assert answered <= len(flow.steps) - 1, "more answers than question steps"
        t = advance(flow, state, valid_answer(flow, state.step, data), NOW)
        assert t.state.step != state.step or t.state.status == "completed", "a valid answer did not advance"
        state = SurveyState.from_json(t.state.to_json())
    assert state.status == "completed"
    assert flow.steps[state.step or ""].type == "end"
    assert len(state.answers) <= answered
