"""The survey engine, one transition at a time: (flow, state, event) -> (state, prompts, effects)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.classification import Classification, Sentiment
from bot.engine import SKIP_TAP, advance, dsat_reasons
from bot.flow import Flow
from bot.messages import ChoicePicked, Text, Unsupported
from bot.prompts import AskChoice, AskRating, AskText, End, Option, Say, Scale
from bot.survey import (
    Answer,
    CompleteSurvey,
    Escalate,
    Event,
    Expire,
    HandOn,
    RecordAnswer,
    Remind,
    Reply,
    Schedule,
    Start,
    SurveyState,
    Transition,
)

FlowFactory = Callable[..., Flow]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SID = "s1"


def say(text: str, sentiment: Sentiment | None = None) -> Reply:
    classification = Classification("feedback", 0.9, sentiment, 0.9) if sentiment else None
    return Reply(Text(text), classification)


def tap(step: str, value: str, survey: str = SID, label: str = "") -> Reply:
    return Reply(ChoicePicked(survey, step, value, label))


def started(flow: Flow, locale: str = "en") -> SurveyState:
    return advance(flow, SurveyState(SID, locale), Start(), NOW).state


def run(flow: Flow, events: Sequence[Event], locale: str = "en") -> list[Transition]:
    """Every transition from a fresh pending survey through ``Start`` and ``events``."""
    state = SurveyState(SID, locale)
    out = []
    for event in (Start(), *events):
        t = advance(flow, state, event, NOW)
        out.append(t)
        state = t.state
    return out


def effects_of(transitions: Sequence[Transition], kind: type) -> list[object]:
    return [e for t in transitions for e in t.effects if isinstance(e, kind)]


@dataclass(frozen=True)
class Outcome:
    status: str
    step: str | None
    answers: tuple[tuple[str, object], ...]
    escalations: tuple[tuple[str, ...], ...]


def outcome(flow: Flow, events: Sequence[Event]) -> Outcome:
    ts = run(flow, events)
    recorded = [e.answer for e in effects_of(ts, RecordAnswer)]  # type: ignore[attr-defined]
    final = ts[-1].state
    assert tuple(recorded) == final.answers  # what the service stores is what the state holds
    return Outcome(
        final.status,
        final.step,
        tuple((a.step, a.score if a.score is not None else a.option or a.text) for a in recorded),
        tuple(e.reasons for e in effects_of(ts, Escalate)),  # type: ignore[attr-defined]
    )


CSAT3 = ("CSAT 3 (at most 3)",)
SCRIPTS = [
    pytest.param(
        "csat",
        [tap("rating", "5"), say("skip")],
        Outcome("completed", "thanks", (("rating", 5),), ()),
        id="csat-tap-5-skips-the-praise",
    ),
    pytest.param(
        "csat",
        [tap("rating", "5")],
        Outcome("active", "praise", (("rating", 5),), ()),
        id="csat-5-asks-praise",
    ),
    pytest.param(
        "csat",
        [tap("rating", "5"), say("Amy sorted it out in two minutes")],
        Outcome("completed", "thanks", (("rating", 5), ("praise", "Amy sorted it out in two minutes")), ()),
        id="csat-5-praise-answered",
    ),
    pytest.param(
        "csat",
        [say("5"), Expire()],
        Outcome("completed", "praise", (("rating", 5),), ()),
        id="left-at-the-optional-praise-is-complete-not-partial",
    ),
    pytest.param(
        "csat",
        [say("3"), tap("reason", "slow"), Expire()],
        Outcome("completed", "comment", (("rating", 3), ("reason", "slow")), (CSAT3,)),
        id="left-at-an-optional-comment-is-complete-not-partial",
    ),
    pytest.param(
        "csat",
        [say("4"), say("no thanks")],
        Outcome("completed", "thanks", (("rating", 4),), ()),
        id="csat-typed-4-thanks",
    ),
    pytest.param(
        "csat",
        [say("非常满意"), say("跳过")],
        Outcome("completed", "thanks", (("rating", 5),), ()),
        id="csat-words",
    ),
    pytest.param(
        "csat",
        [say("3"), tap("reason", "slow"), say("the agent kept me waiting")],
        Outcome(
            "completed",
            "thanks",
            (("rating", 3), ("reason", "slow"), ("comment", "the agent kept me waiting")),
            (CSAT3,),
        ),
        id="csat-3-branches-to-reason-and-comment",
    ),
    pytest.param(
        "csat",
        [say("★☆☆☆☆"), say("问题没有解决"), say("跳过")],
        Outcome("completed", "thanks", (("rating", 1), ("reason", "unresolved")), (("CSAT 1 (at most 3)",),)),
        id="csat-1-typed-reason-skip-comment",
    ),
    pytest.param(
        "csat",
        [say("2"), say("2"), say("no thanks")],
        Outcome("completed", "thanks", (("rating", 2), ("reason", "unresolved")), (("CSAT 2 (at most 3)",),)),
        id="csat-2-reason-by-number",
    ),
    pytest.param(
        "csat",
        [say("where is my refund?"), say("5"), say("skip")],
        Outcome("completed", "thanks", (("rating", 5),), ()),
        id="csat-question-then-answer",
    ),
    pytest.param(
        "csat",
        [say("12345678"), say("11"), say("4"), say("skip")],
        Outcome("completed", "thanks", (("rating", 4),), ()),
        id="csat-junk-twice-then-answer",
    ),
    pytest.param(
        "csat", [say("where is my refund?")], Outcome("active", "rating", (), ()), id="csat-open-after-junk"
    ),
    pytest.param(
        "csat", [say("3")], Outcome("active", "reason", (("rating", 3),), (CSAT3,)), id="csat-waits-at-reason"
    ),
    pytest.param("nps", [say("9")], Outcome("completed", "thanks", (("score", 9),), ()), id="nps-9-promoter"),
    pytest.param(
        "nps", [tap("score", "7")], Outcome("completed", "thanks", (("score", 7),), ()), id="nps-7-passive"
    ),
    pytest.param(
        "nps",
        [say("6"), say("跳过")],
        Outcome("completed", "thanks", (("score", 6),), (("NPS 6 (at most 6)",),)),
        id="nps-6-why-skipped",
    ),
    pytest.param(
        "nps",
        [tap("score", "0"), say("too expensive")],
        Outcome("completed", "thanks", (("score", 0), ("why", "too expensive")), (("NPS 0 (at most 6)",),)),
        id="nps-0-why-answered",
    ),
    pytest.param(
        "ces", [say("very easy")], Outcome("completed", "thanks", (("effort", 7),), ()), id="ces-very-easy"
    ),
    pytest.param("ces", [say("4")], Outcome("completed", "thanks", (("effort", 4),), ()), id="ces-4"),
    pytest.param(
        "ces",
        [tap("effort", "3")],
        Outcome("completed", "thanks", (("effort", 3),), (("CES 3 (at most 3)",),)),
        id="ces-3-escalates",
    ),
    pytest.param(
        "csat",
        [say("5"), say("skip"), Expire()],
        Outcome("completed", "thanks", (("rating", 5),), ()),
        id="expire-after-completion-ignored",
    ),
    pytest.param(
        "csat", [Expire(), say("5")], Outcome("expired", "rating", (), ()), id="answer-after-expiry-ignored"
    ),
    pytest.param(
        "csat",
        [say("3"), Expire(), tap("reason", "slow")],
        Outcome("partial", "reason", (("rating", 3),), (CSAT3,)),
        id="expired-halfway-is-partial-and-keeps-its-step",
    ),
]


@pytest.mark.parametrize(("survey", "events", "expected"), SCRIPTS)
def test_script(flows: dict[str, Flow], survey: str, events: list[Event], expected: Outcome) -> None:
    assert outcome(flows[survey], events) == expected


# ---- start ------------------------------------------------------------------------------------------


STARS = tuple(Option(str(v), "⭐" * v) for v in range(1, 6))


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        pytest.param(
            "en",
            AskRating(
                SID,
                "rating",
                "How satisfied are you with the help you received?",
                Scale("csat", 1, 5, "very dissatisfied", "very satisfied"),
                STARS,
                "Tap a star or reply 1-5.",
            ),
            id="en",
        ),
        pytest.param(
            "zh-CN",
            AskRating(
                SID,
                "rating",
                "您对本次服务满意吗？",
                Scale("csat", 1, 5, "非常不满意", "非常满意"),
                STARS,
                "请点选星级，或回复数字 1-5。",
            ),
            id="zh-CN",
        ),
    ],
)
def test_start_schedules_remind_and_expire_and_asks_first_step(
    flows: dict[str, Flow], locale: str, expected: AskRating
) -> None:
    t = advance(flows["csat"], SurveyState(SID, locale), Start(), NOW)
    assert t.state == SurveyState(SID, locale, status="active", step="rating")
    assert t.prompts == (expected,)
    assert t.effects == (
        Schedule("remind", NOW + timedelta(hours=4)),
        Schedule("expire", NOW + timedelta(days=1)),
    )


@pytest.mark.parametrize(
    ("timing", "expected"),
    [
        pytest.param("remind_after: 1h\nexpire_after: 2h\n", ("remind", "expire"), id="both"),
        pytest.param("remind_after: 2h\nexpire_after: 2h\n", ("expire",), id="remind-not-before-expiry"),
        pytest.param("remind_after: 3h\nexpire_after: 2h\n", ("expire",), id="remind-after-expiry"),
        pytest.param("remind_after: null\nexpire_after: 2h\n", ("remind", "expire"), id="null-takes-policy"),
    ],
)
def test_start_schedules_only_a_reminder_that_comes_before_expiry(
    make_flow: FlowFactory, timing: str, expected: tuple[str, ...]
) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: q\n" + timing + "steps:\n"
        "  q: {type: nps, text: {en: Q}, next: end}\n  end: {type: end, text: {en: Bye}}\n",
        top="surveying: {remind_after: 1h}\n",
    )
    t = advance(flow, SurveyState(SID, "en"), Start(), NOW)
    assert tuple(e.kind for e in t.effects if isinstance(e, Schedule)) == expected
    assert t.effects[-1] == Schedule("expire", NOW + timedelta(hours=2))


def test_no_reminder_when_the_policy_has_none(make_flow: FlowFactory) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: q\nsteps:\n  q: {type: nps, text: {en: Q}, next: end}\n"
        "  end: {type: end, text: {en: Bye}}\n",
        top="surveying: {remind_after: null, expire_after: 3h}\n",
    )
    assert advance(flow, SurveyState(SID, "en"), Start(), NOW).effects == (
        Schedule("expire", NOW + timedelta(hours=3)),
    )


def test_start_on_an_active_survey_changes_nothing(flows: dict[str, Flow]) -> None:
    state = started(flows["csat"])
    assert advance(flows["csat"], state, Start(), NOW) == Transition(state)


END_FIRST = "title: {en: T}\nstart: bye\nsteps:\n  bye: {type: end, text: {en: Bye}}\n"


def test_start_step_that_is_an_end_step_completes_at_once(make_flow: FlowFactory) -> None:
    t = advance(make_flow(END_FIRST), SurveyState(SID, "en"), Start(), NOW)
    assert t.state == SurveyState(SID, "en", status="completed", step="bye")
    assert t.prompts == (End(SID, "Bye"),)
    assert t.effects[-1] == CompleteSurvey("completed")


def test_survey_completed_at_start_schedules_no_timers(make_flow: FlowFactory) -> None:
    t = advance(make_flow(END_FIRST), SurveyState(SID, "en"), Start(), NOW)
    assert t.effects == (CompleteSurvey("completed"),)


# ---- answers by button and by typing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "raw"),
    [
        pytest.param(tap("rating", "5"), "5", id="tap"),
        pytest.param(tap("rating", "5", label="⭐⭐⭐⭐⭐"), "⭐⭐⭐⭐⭐", id="tap-with-label"),
        pytest.param(say("5分"), "5分", id="typed"),
        pytest.param(say("⭐⭐⭐⭐⭐"), "⭐⭐⭐⭐⭐", id="typed-stars"),
    ],
)
def test_rating_answer_is_recorded_and_the_optional_praise_completes_on_skip(
    flows: dict[str, Flow], event: Reply, raw: str
) -> None:
    state = started(flows["csat"])
    t = advance(flows["csat"], state, event, NOW)
    answer = Answer("rating", "csat", score=5, raw=raw)
    assert t.effects == (RecordAnswer(answer),)
    praise = "Glad we could help! Anything you would like to tell us, or the person who helped you?"
    assert t.prompts == (AskText(SID, "praise", f'{praise}\nReply "skip" to skip.', True, "skip"),)
    assert t.state == state.evolve(step="praise", answers=(answer,))
    done = advance(flows["csat"], t.state, say("skip"), NOW)
    assert done.effects == (CompleteSurvey("completed"),)
    assert done.prompts == (End(SID, "Thank you for your feedback!"),)
    assert done.state == state.evolve(status="completed", step="thanks", answers=(answer,))


def asks(text: str, intent: str, sentiment: Sentiment) -> Reply:
    return Reply(Text(text), Classification(intent, 0.9, sentiment, 0.9))


def test_a_happy_customers_new_request_at_the_optional_praise_goes_to_support(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    at_praise = advance(flow, started(flow), tap("rating", "5"), NOW).state
    t = advance(flow, at_praise, asks("one more question about my invoice", "billing", "neutral"), NOW)
    assert t.effects == (HandOn("one more question about my invoice"), CompleteSurvey("completed"))
    assert t.prompts == ()  # closes quietly: support answers the question
    assert (t.state.status, t.state.step, t.state.answers) == ("completed", "thanks", at_praise.answers)
    # Praise that names a topic is still praise; so is anything when no model read it.
    for reply in (asks("Amy fixed my billing problem in minutes", "billing", "positive"), say("billing")):
        kept = advance(flow, at_praise, reply, NOW)
        assert [e.answer.step for e in kept.effects if isinstance(e, RecordAnswer)] == ["praise"]


def test_an_unhappy_customers_words_at_the_optional_comment_stay_the_comment(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    state = advance(flow, started(flow), say("2"), NOW).state
    state = advance(flow, state, tap("reason", "unresolved"), NOW).state
    t = advance(flow, state, asks("my refund has still not arrived", "refund", "negative"), NOW)
    assert [(e.answer.step, e.answer.text) for e in t.effects if isinstance(e, RecordAnswer)] == [
        ("comment", "my refund has still not arrived")
    ]
    assert not any(isinstance(e, HandOn) for e in t.effects)


def test_nobody_is_reminded_of_an_optional_question(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    at_praise = advance(flow, started(flow), say("5"), NOW).state
    assert advance(flow, at_praise, Remind(), NOW) == Transition(at_praise)
    at_rating = started(flow)
    reminded = advance(flow, at_rating, Remind(), NOW)
    assert reminded.state.reminded and len(reminded.prompts) == 2


def test_choice_answer_by_tap_and_text_answer_with_sentiment(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    t1 = advance(flow, started(flow), tap("rating", "1"), NOW)
    assert isinstance(t1.prompts[0], AskChoice) and t1.prompts[0].step == "reason"
    t2 = advance(flow, t1.state, tap("reason", "attitude", label="Unfriendly service"), NOW)
    assert t2.effects == (
        RecordAnswer(Answer("reason", "choice", option="attitude", raw="Unfriendly service")),
    )
    assert t2.prompts == (
        AskText(
            SID, "comment", 'Anything else you would like to tell us?\nReply "skip" to skip.', True, "skip"
        ),
    )
    t3 = advance(flow, t2.state, say("  rude agent  ", "negative"), NOW)
    comment = Answer("comment", "text", text="rude agent", raw="  rude agent  ", sentiment="negative")
    assert t3.effects == (RecordAnswer(comment), CompleteSurvey("completed"))
    assert t3.state.answers[-1] == comment


@pytest.mark.parametrize(
    ("text", "locale"), [("it took 4 days", "en"), ("物流太慢了，等了一个星期", "zh-CN")]
)
def test_a_typed_reason_naming_no_option_is_the_catch_all_with_its_words(
    flows: dict[str, Flow], text: str, locale: str
) -> None:
    flow = flows["csat"]  # reason: options slow, unresolved, attitude, other; otherwise: other
    at_reason = advance(flow, started(flow, locale), tap("rating", "2"), NOW).state
    t = advance(flow, at_reason, say(text, "negative"), NOW)
    reason = Answer("reason", "choice", option="other", raw=text)
    comment = Answer("comment", "text", text=text, raw=text, sentiment="negative")
    assert t.effects == (RecordAnswer(reason), RecordAnswer(comment), CompleteSurvey("completed"))
    assert t.prompts == (End(SID, flow.local(flow.steps["thanks"].text, locale)),)
    assert t.state.answers[-2:] == (reason, comment)


@pytest.mark.parametrize("text", ["why is nobody answering me??", "I don't know", "ok", "什么意思"])
def test_a_question_a_shrug_or_filler_at_a_choice_is_asked_again(flows: dict[str, Flow], text: str) -> None:
    flow = flows["csat"]
    at_reason = advance(flow, started(flow), tap("rating", "2"), NOW).state
    t = advance(flow, at_reason, say(text), NOW)
    assert t.state == at_reason.evolve(reprompts=1)
    assert t.effects == (HandOn(text),)


LIKED = """
title: {en: Liked}
start: rating
steps:
  rating: {type: csat, text: {en: Rate us}, next: liked}
  liked:
    type: choice
    text: {en: "What did you like most?"}
    options: [{id: speed, label: {en: Speed}}, {id: other, label: {en: Something else}}]
    otherwise: other
    next: end
  end: {type: end, text: {en: Thanks}}
"""


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("I want to cancel my order", Classification("cancel", 0.93, "neutral", 0.8)),
        ("get me a manager", Classification("request_human", 0.9, "negative", 0.9)),
    ],
)
def test_a_calm_request_or_a_call_for_a_person_at_a_happy_choice_goes_to_support(
    make_flow: FlowFactory, text: str, verdict: Classification
) -> None:
    flow = make_flow(LIKED)
    at_liked = advance(flow, started(flow), tap("rating", "5"), NOW).state
    t = advance(flow, at_liked, Reply(Text(text), verdict), NOW)
    assert t.state == at_liked.evolve(reprompts=1)
    assert t.effects == (HandOn(text),)
    typed = advance(flow, at_liked, say("the chat was friendly and quick"), NOW)
    assert typed.effects[0] == RecordAnswer(
        Answer("liked", "choice", option="other", raw="the chat was friendly and quick")
    )


def test_once_escalated_a_request_at_a_choice_is_the_reason(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    at_reason = advance(flow, started(flow), tap("rating", "2"), NOW).state
    assert at_reason.escalated  # the ticket is open: a person reads what comes next
    verdict = Classification("refund", 0.99, "neutral", 0.9)
    t = advance(flow, at_reason, Reply(Text("I want my money back"), verdict), NOW)
    assert t.effects[0] == RecordAnswer(
        Answer("reason", "choice", option="other", raw="I want my money back")
    )
    assert t.state.status == "completed"


def test_an_unhappy_request_at_a_choice_is_what_went_wrong(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    at_reason = advance(flow, started(flow), tap("rating", "2"), NOW).state
    text = "still no refund after 3 weeks"  # "still no ..." names the problem not solved (blind round 22)
    t = advance(flow, at_reason, Reply(Text(text), Classification("refund", 0.95, "negative", 0.9)), NOW)
    assert t.effects[0] == RecordAnswer(Answer("reason", "choice", option="unresolved", raw=text))
    assert (t.state.status, t.state.step) == ("active", "comment")  # an option named: the comment is asked


def test_without_otherwise_a_typed_reason_is_asked_again(make_flow: FlowFactory) -> None:
    flow = make_flow(
        """
        title: {en: Why}
        start: why
        steps:
          why:
            type: choice
            text: {en: "Why?"}
            options: [{id: slow, label: {en: Slow}}, {id: other, label: {en: Something else}}]
            next: end
          end: {type: end, text: {en: Bye}}
        """
    )
    t = advance(flow, started(flow), say("it took 4 days"), NOW)
    assert t.effects == (HandOn("it took 4 days"),) and t.state.step == "why"


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(tap("rating", "0"), id="tap-below-scale"),
        pytest.param(tap("rating", "6"), id="tap-above-scale"),
        pytest.param(tap("rating", "five"), id="tap-not-a-number"),
        pytest.param(tap("rating", "-1"), id="tap-negative"),
        pytest.param(tap("rating", ""), id="tap-empty"),
        pytest.param(Reply(Unsupported("sticker")), id="sticker"),
    ],
)
def test_bad_tap_or_sticker_reprompts_without_handing_on(flows: dict[str, Flow], event: Reply) -> None:
    flow = flows["csat"]
    state = started(flow)
    t = advance(flow, state, event, NOW)
    assert t.state == state.evolve(reprompts=1)
    assert t.prompts == (Say("Sorry, I didn't catch that as an answer."), flow.ask(SID, "rating", "en"))
    assert t.effects == ()


def test_tap_on_an_unknown_option_reprompts(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    state = advance(flow, started(flow), say("2"), NOW).state
    t = advance(flow, state, tap("reason", "price"), NOW)
    assert t.state == state.evolve(reprompts=1)
    assert t.effects == ()


@pytest.mark.parametrize(
    "value", [pytest.param("²", id="superscript-two"), pytest.param("①", id="circled-one")]
)
def test_tap_with_a_unicode_digit_value_does_not_raise(flows: dict[str, Flow], value: str) -> None:
    flow = flows["csat"]
    state = started(flow)
    assert advance(flow, state, tap("rating", value), NOW).effects == ()


def test_tap_with_a_huge_number_does_not_raise(flows: dict[str, Flow]) -> None:
    flow = flows["nps"]
    assert advance(flow, started(flow), tap("score", "9" * 5000), NOW).effects == ()


# ---- replies that are not answers --------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_non_answer_reprompts_once_then_stays_silent_and_always_hands_on(
    flows: dict[str, Flow], locale: str
) -> None:
    flow = flows["csat"]
    state = started(flow, locale)
    first = advance(flow, state, say("where is my refund?"), NOW)
    assert first.state == state.evolve(reprompts=1)
    assert first.prompts == (Say(flow.text("reprompt", locale)), flow.ask(SID, "rating", locale))
    assert first.effects == (HandOn("where is my refund?"),)
    second = advance(flow, first.state, say("订单号 12345678"), NOW)
    assert second == Transition(first.state, (), (HandOn("订单号 12345678"),))
    third = advance(flow, second.state, say("hello?"), NOW)
    assert third == Transition(first.state, (), (HandOn("hello?"),))


@pytest.mark.parametrize("reprompts", [0, 1, 2, 5])
def test_reprompts_are_configurable(make_flow: FlowFactory, reprompts: int) -> None:
    flow = make_flow(
        f"title: {{en: T}}\nstart: q\nreprompts: {reprompts}\nsteps:\n"
        "  q: {type: csat, text: {en: Q}, next: end}\n  end: {type: end, text: {en: Bye}}\n"
    )
    ts = run(flow, [say(f"junk {i}") for i in range(reprompts + 2)])
    assert [len(t.prompts) for t in ts[1:]] == [2] * reprompts + [0, 0]
    assert [t.effects for t in ts[1:]] == [(HandOn(f"junk {i}"),) for i in range(reprompts + 2)]
    assert not effects_of(ts, RecordAnswer)


def test_policy_reprompts_apply_unless_the_survey_overrides(make_flow: FlowFactory) -> None:
    steps = "steps:\n  q: {type: csat, text: {en: Q}, next: end}\n  end: {type: end, text: {en: Bye}}\n"
    assert make_flow("title: {en: T}\nstart: q\n" + steps, top="surveying: {reprompts: 3}").reprompts == 3
    assert (
        make_flow(
            "title: {en: T}\nstart: q\nreprompts: 0\n" + steps, top="surveying: {reprompts: 3}"
        ).reprompts
        == 0
    )


def test_reprompt_count_starts_again_on_each_step(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    ts = run(flow, [say("hmm"), say("2"), say("I don't know"), say("still no idea")])
    assert [len(t.prompts) for t in ts[1:]] == [2, 1, 2, 0]
    assert ts[2].state.reprompts == 0
    assert ts[-1].state.step == "reason"


@pytest.mark.parametrize("text", [pytest.param("", id="empty"), pytest.param("   ", id="whitespace")])
def test_blank_reply_to_a_text_question_is_not_an_answer(make_flow: FlowFactory, text: str) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: c\nsteps:\n  c: {type: text, text: {en: Say}, next: end}\n"
        "  end: {type: end, text: {en: Bye}}\n"
    )
    t = advance(flow, started(flow), say(text), NOW)
    assert t.state.reprompts == 1 and t.state.step == "c"
    assert not [e for e in t.effects if isinstance(e, RecordAnswer)]


# ---- optional text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["skip", "Skip!", "no thanks", pytest.param("跳过", id="tiaoguo"), pytest.param("没有", id="meiyou")],
)
def test_optional_text_is_skipped_without_an_answer(flows: dict[str, Flow], text: str) -> None:
    flow = flows["nps"]
    state = advance(flow, started(flow), say("5"), NOW).state
    assert state.step == "why"
    t = advance(flow, state, say(text), NOW)
    assert t.effects == (CompleteSurvey("completed"),)
    assert t.state.answers == state.answers
    assert t.prompts == (End(SID, "Thank you!"),)


@pytest.mark.parametrize(("optional", "skipped"), [(True, True), (False, False)])
def test_the_skip_tap_skips_an_optional_text_question_only(
    make_flow: FlowFactory, optional: bool, skipped: bool
) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: c\nsteps:\n"
        f"  c: {{type: text, optional: {str(optional).lower()}, text: {{en: Say}}, next: end}}\n"
        "  end: {type: end, text: {en: Bye}}\n"
    )
    t = advance(flow, started(flow), tap("c", SKIP_TAP, label="skip"), NOW)
    if skipped:
        assert (t.effects, t.prompts) == ((CompleteSurvey("completed"),), (End(SID, "Bye"),))
    else:
        assert t.effects == ()
        assert t.prompts == (Say("This question can't be skipped, sorry."), flow.ask(SID, "c", "en"))


def test_skip_word_from_config_texts_skips(make_flow: FlowFactory) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: c\nsteps:\n  c: {type: text, optional: true, text: {en: Say}, next: end}\n"
        "  end: {type: end, text: {en: Bye}}\n",
        top="texts:\n  skip_word: {en: later}\n",
    )
    t = advance(flow, started(flow), say("Later"), NOW)
    assert t.effects == (CompleteSurvey("completed"),)
    assert t.prompts == (End(SID, "Bye"),)
    assert flow.ask(SID, "c", "en") == AskText(SID, "c", 'Say\nReply "skip" to skip.', True, "later")


@pytest.mark.parametrize(
    ("step", "text"),
    [
        pytest.param("  c: {type: text, text: {en: Say}, next: end}\n", "skip", id="text"),
        pytest.param("  c: {type: csat, text: {en: Rate}, next: end}\n", "跳过", id="rating"),
        pytest.param(
            "  c: {type: choice, text: {en: Pick}, options: [{id: a, label: {en: Apple}}], next: end}\n",
            "skip please",
            id="choice",
        ),
    ],
)
def test_skip_where_an_answer_is_required_is_asked_again_never_handed_on(
    make_flow: FlowFactory, step: str, text: str
) -> None:
    flow = make_flow(f"title: {{en: T}}\nstart: c\nsteps:\n{step}  end: {{type: end, text: {{en: Bye}}}}\n")
    state = started(flow)
    for _ in range(3):  # however often: asked again, nothing recorded, nothing handed to the team
        t = advance(flow, state, say(text), NOW)
        assert t.effects == ()
        assert t.prompts == (Say("This question can't be skipped, sorry."), flow.ask(SID, "c", "en"))
        assert t.state == state


def test_skip_skips_an_optional_choice(make_flow: FlowFactory) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: c\nsteps:\n"
        "  c: {type: choice, optional: true, text: {en: Pick}, options: [{id: a, label: {en: A}}],"
        " next: end}\n"
        "  end: {type: end, text: {en: Bye}}\n"
    )
    t = advance(flow, started(flow), say("跳过"), NOW)
    assert t.effects == (CompleteSurvey("completed"),)
    assert flow.ask(SID, "c", "en").hint == 'Tap an option or reply with its number. Reply "skip" to skip.'


# ---- stale buttons, reminders, expiry, closed surveys ---------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(tap("rating", "5", survey="s0"), id="other-survey"),
        pytest.param(tap("reason", "slow"), id="later-step"),
        pytest.param(tap("thanks", "5"), id="end-step"),
    ],
)
def test_stale_button_is_ignored(flows: dict[str, Flow], event: Reply) -> None:
    state = started(flows["csat"])
    assert advance(flows["csat"], state, event, NOW) == Transition(state)


def test_late_tap_on_an_answered_step_is_ignored(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    state = advance(flow, started(flow), tap("rating", "2"), NOW).state
    assert state.step == "reason"
    assert advance(flow, state, tap("rating", "5"), NOW) == Transition(state)


@pytest.mark.parametrize(
    ("locale", "reminder"),
    [
        pytest.param("en", "A quick reminder: we'd love your feedback.", id="en"),
        pytest.param("zh-CN", "温馨提醒：期待您的评价。", id="zh-CN"),
    ],
)
def test_remind_once_repeats_the_open_question(flows: dict[str, Flow], locale: str, reminder: str) -> None:
    flow = flows["csat"]
    state = advance(flow, started(flow, locale), say("1"), NOW).state
    t = advance(flow, state, Remind(), NOW)
    assert t == Transition(state.evolve(reminded=True), (Say(reminder), flow.ask(SID, "reason", locale)))
    assert advance(flow, t.state, Remind(), NOW) == Transition(t.state)


@pytest.mark.parametrize("status", ["pending", "completed", "expired"])
def test_remind_outside_an_active_survey_does_nothing(flows: dict[str, Flow], status: str) -> None:
    state = SurveyState(SID, "en", status=status, step=None if status == "pending" else "rating")  # type: ignore[arg-type]
    assert advance(flows["csat"], state, Remind(), NOW) == Transition(state)


@pytest.mark.parametrize("status", ["pending", "active"])
def test_expire_closes_an_open_survey(flows: dict[str, Flow], status: str) -> None:
    state = SurveyState(SID, "en", status=status, step=None if status == "pending" else "rating")  # type: ignore[arg-type]
    t = advance(flows["csat"], state, Expire(), NOW)
    assert t == Transition(state.evolve(status="expired"), (), (CompleteSurvey("expired"),))


CLOSED = ["completed", "expired"]


@pytest.mark.parametrize("status", CLOSED)
@pytest.mark.parametrize(
    ("event", "effects"),
    [
        pytest.param(say("5"), (HandOn("5"),), id="text-handed-on"),
        pytest.param(say("where is my refund?"), (HandOn("where is my refund?"),), id="question-handed-on"),
        pytest.param(tap("rating", "5"), (), id="tap"),
        pytest.param(Reply(Unsupported("image")), (), id="image"),
        pytest.param(Start(), (), id="start"),
        pytest.param(Remind(), (), id="remind"),
        pytest.param(Expire(), (), id="expire"),
    ],
)
def test_closed_survey_ignores_events_and_hands_text_on(
    flows: dict[str, Flow], status: str, event: Event, effects: tuple[object, ...]
) -> None:
    state = SurveyState(SID, "en", status=status, step="rating")  # type: ignore[arg-type]
    assert advance(flows["csat"], state, event, NOW) == Transition(state, (), effects)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event", "effects"),
    [
        pytest.param(say("hello"), (HandOn("hello"),), id="text-handed-on"),
        pytest.param(tap("rating", "5"), (), id="tap-ignored"),
    ],
)
def test_pending_survey_answers_nothing(
    flows: dict[str, Flow], event: Reply, effects: tuple[HandOn, ...]
) -> None:
    state = SurveyState(SID, "en")
    assert advance(flows["csat"], state, event, NOW) == Transition(state, (), effects)


# ---- DSAT ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("survey", "step", "score", "reasons"),
    [
        *(
            pytest.param("csat", "rating", s, (f"CSAT {s} (at most 3)",) if s <= 3 else (), id=f"csat-{s}")
            for s in range(1, 6)
        ),
        *(
            pytest.param("nps", "score", s, (f"NPS {s} (at most 6)",) if s <= 6 else (), id=f"nps-{s}")
            for s in range(11)
        ),
        *(
            pytest.param("ces", "effort", s, (f"CES {s} (at most 3)",) if s <= 3 else (), id=f"ces-{s}")
            for s in range(1, 8)
        ),
    ],
)
def test_dsat_thresholds(
    flows: dict[str, Flow], survey: str, step: str, score: int, reasons: tuple[str, ...]
) -> None:
    flow = flows[survey]
    state = started(flow)
    t = advance(flow, state, tap(step, str(score)), NOW)
    assert [e for e in t.effects if isinstance(e, Escalate)] == ([Escalate(reasons)] if reasons else [])
    assert t.state.escalated is bool(reasons)


COMMENT_FLOW = (
    "title: {en: T}\nstart: q\nsteps:\n"
    "  q: {type: csat, text: {en: Q}, next: c}\n"
    "  c: {type: text, optional: true, text: {en: Why}, next: end}\n"
    "  end: {type: end, text: {en: Bye}}\n"
)


@pytest.mark.parametrize(
    ("sentiment", "escalations"),
    [
        pytest.param("negative", [("negative comment",)], id="negative"),
        pytest.param("neutral", [], id="neutral"),
        pytest.param("positive", [], id="positive"),
        pytest.param(None, [], id="unclassified"),
    ],
)
def test_negative_comment_escalates(
    make_flow: FlowFactory, sentiment: Sentiment | None, escalations: list[tuple[str, ...]]
) -> None:
    ts = run(make_flow(COMMENT_FLOW), [say("5"), say("the app crashed twice", sentiment)])
    assert [e.reasons for e in effects_of(ts, Escalate)] == escalations  # type: ignore[attr-defined]


def test_negative_comment_rule_can_be_switched_off(make_flow: FlowFactory) -> None:
    flow = make_flow(COMMENT_FLOW, top="dsat: {negative_comment: false}")
    assert not effects_of(run(flow, [say("5"), say("awful", "negative")]), Escalate)


def test_skipped_comment_never_escalates(make_flow: FlowFactory) -> None:
    assert not effects_of(run(make_flow(COMMENT_FLOW), [say("5"), say("skip", "negative")]), Escalate)


def test_dsat_threshold_can_be_switched_off(make_flow: FlowFactory) -> None:
    flow = make_flow(COMMENT_FLOW, top="dsat: {csat_at_most: null}")
    assert not effects_of(run(flow, [say("1")]), Escalate)


@pytest.mark.parametrize("survey", ["csat", "nps"])
def test_escalate_is_emitted_once_per_survey(flows: dict[str, Flow], survey: str) -> None:
    first = {"csat": [say("1"), say("2")], "nps": [say("0")]}[survey]
    ts = run(flows[survey], [*first, say("everything was wrong", "negative")])
    assert ts[-1].state.status == "completed"
    escalations = effects_of(ts, Escalate)
    assert len(escalations) == 1
    assert escalations[0].reasons[0].startswith(survey.upper())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("answer", "reasons"),
    [
        pytest.param(Answer("q", "csat", score=3), ("CSAT 3 (at most 3)",), id="csat-at-limit"),
        pytest.param(Answer("q", "csat", score=4), (), id="csat-above"),
        pytest.param(Answer("q", "nps", score=6), ("NPS 6 (at most 6)",), id="nps-at-limit"),
        pytest.param(Answer("q", "ces", score=1), ("CES 1 (at most 3)",), id="ces-low"),
        pytest.param(Answer("q", "choice", option="slow"), (), id="choice"),
        pytest.param(
            Answer("q", "text", text="meh", sentiment="negative"), ("negative comment",), id="text-negative"
        ),
        pytest.param(Answer("q", "text", text="meh"), (), id="text-unclassified"),
    ],
)
def test_dsat_reasons(flows: dict[str, Flow], answer: Answer, reasons: tuple[str, ...]) -> None:
    assert dsat_reasons(flows["csat"], answer) == reasons


# ---- custom flows -------------------------------------------------------------------------------------


CHOICE_BRANCH = """\
title: {en: T}
start: topic
steps:
  topic:
    type: choice
    text: {en: "What about?"}
    options:
      - {id: billing, label: {en: Billing}}
      - {id: delivery, label: {en: Delivery}}
      - {id: other, label: {en: Other}}
    next: end
    branches:
      - when: {options: [billing, delivery]}
        next: rate
  rate: {type: ces, text: {en: "Easy?"}, next: end}
  end: {type: end, text: {en: Bye}}
"""


@pytest.mark.parametrize(
    ("reply", "step"),
    [
        pytest.param(tap("topic", "billing"), "rate", id="tap-billing"),
        pytest.param(say("Delivery"), "rate", id="typed-delivery"),
        pytest.param(say("2"), "rate", id="number-delivery"),
        pytest.param(say("other"), "end", id="other-takes-next"),
    ],
)
def test_choice_branches_on_options(make_flow: FlowFactory, reply: Reply, step: str) -> None:
    assert run(make_flow(CHOICE_BRANCH), [reply])[-1].state.step == step


CES_BRANCHES = """\
title: {en: T}
start: effort
steps:
  effort:
    type: ces
    text: {en: "Easy?"}
    next: end
    branches:
      - when: {max: 2}
        next: hard
      - when: {min: 2, max: 4}
        next: middle
  hard: {type: text, text: {en: "What was hard?"}, next: end}
  middle: {type: text, text: {en: "What could be easier?"}, next: end}
  end: {type: end, text: {en: Bye}}
"""


@pytest.mark.parametrize(
    ("score", "step"),
    [(1, "hard"), (2, "hard"), (3, "middle"), (4, "middle"), (5, "end"), (7, "end")],
    ids=lambda v: str(v),
)
def test_first_matching_branch_wins_on_ces(make_flow: FlowFactory, score: int, step: str) -> None:
    assert run(make_flow(CES_BRANCHES), [tap("effort", str(score))])[-1].state.step == step


# ---- locales ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "texts"),
    [
        pytest.param(
            "en",
            [
                "How likely are you to recommend us to a friend or colleague?",
                'What is the main reason for your score?\nReply "skip" to skip.',
                "Thank you!",
            ],
            id="en",
        ),
        pytest.param(
            "zh-CN",
            [
                "您有多大可能向朋友或同事推荐我们？",
                "您给出这个分数的主要原因是什么？\n回复“跳过”可跳过此题。",
                "谢谢您！",
            ],
            id="zh-CN",
        ),
        pytest.param(
            "fr",
            [
                "How likely are you to recommend us to a friend or colleague?",
                'What is the main reason for your score?\nReply "skip" to skip.',
                "Thank you!",
            ],
            id="unknown-locale-falls-back-to-default",
        ),
    ],
)
def test_prompts_are_in_the_survey_locale(flows: dict[str, Flow], locale: str, texts: list[str]) -> None:
    ts = run(flows["nps"], [say("3"), say("太贵了")], locale)
    assert [getattr(p, "text", None) for t in ts for p in t.prompts] == texts


def test_resume_shows_the_open_question_again_without_a_reprompt(flows: dict[str, Flow]) -> None:
    from bot.messages import Resume

    flow = flows["csat"]
    state = started(flow)
    t = advance(flow, state, Reply(Resume(SID)), NOW)
    assert t == Transition(state, (flow.ask(SID, "rating", "en"),))
    assert advance(flow, state, Reply(Resume("other-survey")), NOW) == Transition(state)


# ---- yes/no (first-contact resolution) ----------------------------------------------------------

YES_NO_FLOW = """\
title: {en: T, zh-CN: T}
start: solved
steps:
  solved:
    type: yes_no
    fcr: true
    text: {en: "Was your issue resolved in this conversation?", zh-CN: 问题一次就解决了吗？}
    next: thanks
    branches:
      - when: {options: ["no"]}
        next: why
  why: {type: text, optional: true, text: {en: "What is left?", zh-CN: 还有什么问题？}, next: thanks}
  thanks: {type: end, text: {en: Bye, zh-CN: 再见}}
"""


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        pytest.param(
            "en",
            AskChoice(
                SID,
                "solved",
                "Was your issue resolved in this conversation?",
                (Option("yes", "Yes"), Option("no", "No")),
                'Tap a button or reply "yes" or "no".',
            ),
            id="en",
        ),
        pytest.param(
            "zh-CN",
            AskChoice(
                SID,
                "solved",
                "问题一次就解决了吗？",
                (Option("yes", "是"), Option("no", "否")),
                "请点选，或回复“是”或“否”。",
            ),
            id="zh-CN",
        ),
    ],
)
def test_yes_no_asks_two_buttons(make_flow: FlowFactory, locale: str, expected: AskChoice) -> None:
    flow = make_flow(YES_NO_FLOW, top="locales: [en, zh-CN]\n")
    assert advance(flow, SurveyState(SID, locale), Start(), NOW).prompts == (expected,)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        pytest.param(tap("solved", "yes"), ("completed", "thanks", "yes"), id="tap-yes"),
        pytest.param(tap("solved", "no"), ("active", "why", "no"), id="tap-no-branches"),
        pytest.param(tap("solved", "maybe"), ("active", "solved", None), id="tap-unknown-value"),
        pytest.param(say("yes"), ("completed", "thanks", "yes"), id="yes"),
        pytest.param(say("Yes"), ("completed", "thanks", "yes"), id="label"),
        pytest.param(say("1"), ("completed", "thanks", "yes"), id="number-1"),
        pytest.param(say("2"), ("active", "why", "no"), id="number-2"),
        pytest.param(say("是的"), ("completed", "thanks", "yes"), id="shi-de"),
        pytest.param(say("解决了"), ("completed", "thanks", "yes"), id="jiejue-le"),
        pytest.param(say("否"), ("active", "why", "no"), id="fou"),
        pytest.param(say("没解决"), ("active", "why", "no"), id="mei-jiejue"),
        pytest.param(say("not really"), ("active", "why", "no"), id="not-really"),
        pytest.param(say("no, I still can't log in"), ("active", "why", "no"), id="no-with-words"),
        pytest.param(say("thanks"), ("active", "solved", None), id="thanks-is-no-answer"),
        pytest.param(say("ok"), ("active", "solved", None), id="ok-is-no-answer"),
        pytest.param(say("where is my refund?"), ("active", "solved", None), id="question"),
        pytest.param(say("skip"), ("active", "solved", None), id="skip-not-allowed"),
    ],
)
def test_yes_no_answers(make_flow: FlowFactory, reply: Reply, expected: tuple[str, str, str | None]) -> None:
    flow = make_flow(YES_NO_FLOW, top="locales: [en, zh-CN]\n")
    ts = run(flow, [reply])
    final = ts[-1].state
    recorded = [e.answer for e in effects_of(ts, RecordAnswer)]  # type: ignore[attr-defined]
    assert (final.status, final.step, recorded[0].option if recorded else None) == expected
    assert all(a.kind == "fcr" for a in recorded)


def test_a_yes_no_step_without_fcr_records_yes_no(make_flow: FlowFactory) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: q\nsteps:\n  q: {type: yes_no, text: {en: Q}, next: end}\n"
        "  end: {type: end, text: {en: Bye}}\n"
    )
    assert effects_of(run(flow, [say("no")]), RecordAnswer) == [
        RecordAnswer(Answer("q", "yes_no", option="no", raw="no"))
    ]
