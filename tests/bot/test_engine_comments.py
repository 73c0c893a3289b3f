"""A score and a comment in one message, through the survey engine: the score is stored once, the
words become the comment answer (the comment question is not asked again), and an angry comment
escalates even with a high score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.classification import Classification, Sentiment
from bot.engine import advance
from bot.flow import Flow
from bot.messages import ChoicePicked, Text
from bot.prompts import AskChoice, End
from bot.survey import Answer, CompleteSurvey, Escalate, Expire, RecordAnswer, Reply, Start, SurveyState

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SID = "s1"


def say(text: str, sentiment: Sentiment | None = None) -> Reply:
    verdict = Classification("other", 0.5, sentiment, 0.9) if sentiment else None
    return Reply(Text(text), verdict)


def started(flow: Flow, locale: str = "en") -> SurveyState:
    return advance(flow, SurveyState(SID, locale), Start(), NOW).state


def recorded(*transitions: object) -> list[Answer]:
    return [e.answer for t in transitions for e in t.effects if isinstance(e, RecordAnswer)]  # type: ignore[attr-defined]


def test_a_high_score_with_words_answers_the_praise_question_and_ends(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow), say("5 stars, super quick reply", "positive"), NOW)
    assert recorded(t) == [
        Answer("rating", "csat", score=5, raw="5 stars, super quick reply"),
        Answer("praise", "text", text="super quick reply", raw="super quick reply", sentiment="positive"),
    ]
    assert t.prompts == (End(SID, "Thank you for your feedback!"),)
    assert t.state.status == "completed" and t.state.comment is None
    assert not any(isinstance(e, Escalate) for e in t.effects)


def test_a_low_score_with_words_skips_the_comment_question(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    # (this was "2，等太久了" until typed-answers-6: waiting too long names Slow response, which now
    # answers the reason question too; the words here name no option)
    first = advance(flow, started(flow, "zh-CN"), say("2，快递一直没到", "negative"), NOW)
    assert recorded(first) == [Answer("rating", "csat", score=2, raw="2，快递一直没到")]
    assert Escalate(("CSAT 2 (at most 3)",)) in first.effects
    assert isinstance(first.prompts[0], AskChoice) and first.state.step == "reason"
    assert first.state.comment == "快递一直没到"
    second = advance(flow, first.state, Reply(ChoicePicked(SID, "reason", "other")), NOW)
    assert recorded(second) == [
        Answer("reason", "choice", option="other", raw="other"),
        Answer("comment", "text", text="快递一直没到", raw="快递一直没到", sentiment="negative"),
    ]
    assert second.prompts == (End(SID, "感谢您的反馈！"),)  # "Anything else?" is not asked
    assert CompleteSurvey("completed") in second.effects


@pytest.mark.parametrize(
    ("text", "locale", "option"),
    [
        ("1 star, rude agent", "en", "attitude"),
        ("2 - never solved my problem", "en", "unresolved"),
        ("1 - nobody replied for hours", "en", "slow"),
        ("Two stars. Problem not solved!", "en", "unresolved"),
        ("3 stars, agent was unprofessional", "en", "attitude"),
        ("2分，回复太慢了", "zh-CN", "slow"),
        ("2，等太久了", "zh-CN", "slow"),
        ("1星，答非所问", "zh-CN", "unresolved"),
        ("三分 客服态度不好", "zh-CN", "attitude"),
    ],
)
def test_words_with_a_low_score_that_name_a_reason_answer_the_reason_question(
    flows: dict[str, Flow], text: str, locale: str, option: str
) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow, locale), say(text, "negative"), NOW)
    rating, reason, comment = recorded(t)
    assert (rating.step, rating.raw) == ("rating", text)
    assert (reason.step, reason.option) == ("reason", option)
    assert comment.step == "comment" and comment.text and comment.text in text
    assert reason.raw == comment.text  # the reason is read from the words, kept as the comment
    assert t.state.status == "completed" and isinstance(t.prompts[0], End)
    assert not any(isinstance(p, AskChoice) for p in t.prompts)


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("2 stars, slow and rude", "en"),  # two options named
        ("1, not slow but didn't solve it", "en"),  # one denied, one said: which is the reason?
        ("2 - it wasn't slow, just useless", "en"),
        ("2 stars, delivery was slow", "en"),  # the delivery, not the response
        ("1 star, my parcel never arrived", "en"),  # a reason of its own: asked, not assumed "other"
        ("1星，别的", "zh-CN"),  # the catch-all option is asked, not assumed
        ("2分，回复很快但是没解决", "zh-CN"),
        ("2分 太慢了而且态度差", "zh-CN"),
        ("1分 物流太慢了", "zh-CN"),
    ],
)
def test_words_with_a_low_score_that_name_no_single_reason_leave_the_reason_question(
    flows: dict[str, Flow], text: str, locale: str
) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow, locale), say(text, "negative"), NOW)
    assert [a.step for a in recorded(t)] == ["rating"]
    assert t.state.step == "reason" and isinstance(t.prompts[0], AskChoice)
    assert t.state.comment  # kept for the comment question


@pytest.mark.parametrize(
    ("text", "score", "comment"),
    [("8 - helpful but slow", 8, "helpful but slow"), ("10/10 great agent", 10, "great agent")],
)
def test_nps_with_words_keeps_the_comment(
    flows: dict[str, Flow], text: str, score: int, comment: str
) -> None:
    flow = flows["nps"]
    t = advance(flow, started(flow), say(text), NOW)
    expected = [("score", score, None), ("_comment", None, comment)]
    assert [(a.step, a.score, a.text) for a in recorded(t)] == expected


def test_a_detractors_words_answer_the_why_question(flows: dict[str, Flow]) -> None:
    flow = flows["nps"]
    t = advance(flow, started(flow), say("3, too expensive"), NOW)
    expected = [("score", 3, None), ("why", None, "too expensive")]
    assert [(a.step, a.score, a.text) for a in recorded(t)] == expected
    assert t.prompts == (End(SID, "Thank you!"),)


def test_an_angry_comment_escalates_even_with_a_high_score(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow), say("5 stars but the agent hung up on me", "negative"), NOW)
    assert [e for e in t.effects if isinstance(e, Escalate)] == [Escalate(("negative comment",))]
    assert t.state.escalated
    assert [(a.step, a.score) for a in recorded(t)] == [("rating", 5), ("praise", None)]


def test_a_comment_waiting_for_its_question_is_kept_when_the_survey_expires(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    first = advance(flow, started(flow), say("1 star. Nobody called me back"), NOW)
    expired = advance(flow, first.state, Expire(), NOW + timedelta(days=1))
    assert recorded(expired) == [
        Answer("_comment", "text", text="Nobody called me back", raw="Nobody called me back")
    ]
    assert expired.state.status == "partial" and expired.state.comment is None


def test_the_carried_comment_survives_storage(flows: dict[str, Flow]) -> None:
    flow = flows["csat"]
    state = advance(flow, started(flow), say("三分 态度一般", "negative"), NOW).state
    assert SurveyState.from_json(state.to_json()) == state
    assert (state.comment, state.comment_sentiment) == ("态度一般", "negative")


@pytest.mark.parametrize(
    "text", ["hi, 5 from me, thanks!", "5 stars, bye", "必须五星", "I choose 5", "好的，5分"]
)
def test_a_score_with_only_greetings_or_emphasis_around_it_still_asks_the_praise_question(
    flows: dict[str, Flow], text: str
) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow), say(text), NOW)
    assert [(a.step, a.score) for a in recorded(t)] == [("rating", 5)]
    assert t.state.step == "praise" and t.state.comment is None


@pytest.mark.parametrize(
    "text",
    [
        "order 98765",
        "my order 5 is late",
        "4.5",
        "0",
        "6",
        "3 days later",
        "5分钟就回复了",
        "maybe 4",
        "hi, 2 items missing",
        "negative 5 stars",
        "满分几分",
        "⭐⭐⭐⭐ 5/5",
    ],
)
def test_non_answers_are_never_scored_or_kept_as_comments(flows: dict[str, Flow], text: str) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow), say(text), NOW)
    assert recorded(t) == [] and t.state.comment is None


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Fully solved", 5),
        ("完全解决了，谢谢", 5),
        ("not solved", 1),
        ("没解决", 1),  # a paraphrase of the low end, 没有解决
        ("no", 1),  # the question is asked as a yes/no one: "Is your problem solved now?"
        ("是的，解决了", 5),
        ("yes but it took a week", None),
        ("not fully solved", None),  # neither end
        ("部分解决", None),  # "partly solved": not 完全解决 though it shares 解决
        ("partially solved", None),
        ("mostly solved", None),
        ("差不多解决了", None),  # "almost solved": its 不 is no "not solved"
        ("没有完全解决", None),  # "not fully solved": not 没有解决
        ("解决了一半", None),  # "half solved": no yes
        ("呵呵，解决了", None),  # a sneer: no "solved"
        ("亲，解决了", 5),
        ("second", None),  # two ends are no numbered list
        ("hello", None),
    ],
)
def test_a_scale_end_typed_in_the_steps_own_words_is_that_end(
    flows: dict[str, Flow], text: str, score: int | None
) -> None:
    flow = flows["resolved_check"]  # "Is your problem solved now?" 1 = Not solved, 5 = Fully solved
    t = advance(flow, started(flow), say(text), NOW)
    assert [a.score for a in recorded(t)] == ([] if score is None else [score])


def test_the_default_ends_of_a_scale_are_not_matched_loosely(flows: dict[str, Flow]) -> None:
    flow = flows["nps"]  # "not at all likely" is NPS's default low end: "not very likely" is not 0
    assert recorded(advance(flow, started(flow), say("not very likely"), NOW)) == []
    assert recorded(advance(flow, started(flow), say("no"), NOW)) == []


FACES = [
    # an ironic or unhappy face after a high score: the comment (the praise question is answered)
    ("5 🙃", "🙃"),
    ("5 stars 🙄", "🙄"),
    ("5 👎", "👎"),
    ("五星😒", "😒"),
    ("5分🙃", "🙃"),
    # a face that only agrees with it: no comment (what went well is still asked)
    ("5 😊", None),
    ("5 👍", None),
    ("5 stars ❤️", None),
    ("5分😊", None),
    ("五星👍👍", None),
    ("5分🙏", None),
]


@pytest.mark.parametrize(("text", "face"), FACES)
def test_a_face_after_a_high_score_is_the_comment_only_when_it_says_something(
    flows: dict[str, Flow], text: str, face: str | None
) -> None:
    flow = flows["csat"]
    t = advance(flow, started(flow), say(text), NOW)  # the locale changes only the questions' words
    if face is None:
        assert [(a.step, a.score) for a in recorded(t)] == [("rating", 5)]
        assert t.state.step == "praise" and t.state.comment is None
    else:
        assert [(a.step, a.score, a.text) for a in recorded(t)] == [
            ("rating", 5, None),
            ("praise", None, face),
        ]
        assert t.state.status == "completed"
