"""Flows resolved from config: prompts per step and locale, versions, and storage round trips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.flow import Flow, build_flows, rating_label
from bot.prompts import AskChoice, AskRating, AskText, End, Option, Prompt, Scale, ScaleKind

FlowFactory = Callable[..., Flow]
SHIPPED = (Path(__file__).resolve().parents[2] / "config.yaml").read_text(encoding="utf-8")
SID = "s1"


def shipped_flows(*edits: tuple[str, str]) -> dict[str, Flow]:
    text = SHIPPED
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return build_flows(parse_config(text))


NUMBERS = {
    kind: tuple(Option(str(v), str(v)) for v in range(low, high + 1))
    for kind, low, high in (("nps", 0, 10), ("ces", 1, 7))
}
STARS = tuple(Option(str(v), "⭐" * v) for v in range(1, 6))

PROMPTS = [
    pytest.param(
        "csat",
        "rating",
        "en",
        AskRating(
            SID,
            "rating",
            "How satisfied are you with the help you received?",
            Scale("csat", 1, 5, "very dissatisfied", "very satisfied"),
            STARS,
            "Tap a star or reply 1-5.",
        ),
        id="csat-rating-en",
    ),
    pytest.param(
        "csat",
        "reason",
        "zh-CN",
        AskChoice(
            SID,
            "reason",
            "很抱歉给您带来不好的体验。主要是哪方面的问题？",
            (
                Option("slow", "响应太慢"),
                Option("unresolved", "问题没有解决"),
                Option("attitude", "服务态度不好"),
                Option("other", "其他"),
            ),
            "请点选，或回复选项编号。",
        ),
        id="csat-reason-zh-CN",
    ),
    pytest.param(
        "csat",
        "reason",
        "en",
        AskChoice(
            SID,
            "reason",
            "Sorry to hear that. What went wrong?",
            (
                Option("slow", "Slow response"),
                Option("unresolved", "Problem not solved"),
                Option("attitude", "Unfriendly service"),
                Option("other", "Something else"),
            ),
            "Tap an option or reply with its number.",
        ),
        id="csat-reason-en",
    ),
    pytest.param(
        "csat",
        "comment",
        "zh-CN",
        AskText(
            SID,
            "comment",
            "还有什么想告诉我们的吗？\n回复“跳过”可跳过此题。",
            optional=True,
            skip_word="跳过",
        ),
        id="csat-comment-zh-CN",
    ),
    pytest.param("csat", "thanks", "en", End(SID, "Thank you for your feedback!"), id="csat-thanks-en"),
    pytest.param(
        "nps",
        "score",
        "zh-CN",
        AskRating(
            SID,
            "score",
            "您有多大可能向朋友或同事推荐我们？",
            Scale("nps", 0, 10, "完全不可能", "非常可能"),
            NUMBERS["nps"],
            "请回复 0-10 之间的数字。",
        ),
        id="nps-score-zh-CN",
    ),
    pytest.param(
        "nps",
        "score",
        "en",
        AskRating(
            SID,
            "score",
            "How likely are you to recommend us to a friend or colleague?",
            Scale("nps", 0, 10, "not at all likely", "extremely likely"),
            NUMBERS["nps"],
            "Reply with a number from 0 to 10.",
        ),
        id="nps-score-en",
    ),
    pytest.param(
        "ces",
        "effort",
        "en",
        AskRating(
            SID,
            "effort",
            "How easy was it to get your issue solved?",
            Scale("ces", 1, 7, "very difficult", "very easy"),
            NUMBERS["ces"],
            "Tap a number or reply 1-7.",
        ),
        id="ces-effort-en",
    ),
    pytest.param(
        "ces",
        "effort",
        "zh-CN",
        AskRating(
            SID,
            "effort",
            "解决您的问题容易吗？",
            Scale("ces", 1, 7, "非常困难", "非常容易"),
            NUMBERS["ces"],
            "请点选，或回复数字 1-7。",
        ),
        id="ces-effort-zh-CN",
    ),
    pytest.param("ces", "thanks", "fr", End(SID, "Thank you!"), id="unknown-locale-falls-back-to-default"),
]


@pytest.mark.parametrize(("survey", "step", "locale", "expected"), PROMPTS)
def test_prompt_for_each_step_and_locale(
    flows: dict[str, Flow], survey: str, step: str, locale: str, expected: Prompt
) -> None:
    assert flows[survey].ask(SID, step, locale) == expected


def test_required_text_step_has_no_skip_hint(make_flow: FlowFactory) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: c\nsteps:\n  c: {type: text, text: {en: Tell us}, next: z}\n"
        "  z: {type: end, text: {en: Bye}}\n"
    )
    assert flow.ask(SID, "c", "en") == AskText(SID, "c", "Tell us", optional=False, skip_word="skip")


def test_step_scale_labels_override_the_defaults(make_flow: FlowFactory) -> None:
    flow = make_flow(
        "title: {en: T}\nstart: q\nsteps:\n"
        "  q: {type: nps, text: {en: Q}, next: z, low_label: {en: never}, high_label: {en: for sure}}\n"
        "  z: {type: end, text: {en: Bye}}\n"
    )
    prompt = flow.ask(SID, "q", "en")
    assert isinstance(prompt, AskRating)
    assert prompt.scale == Scale("nps", 0, 10, "never", "for sure")


def test_config_texts_override_bot_texts_per_locale() -> None:
    flows = shipped_flows(("dsat:\n", "texts:\n  hint_csat: {en: Pick 1 to 5 stars.}\n\ndsat:\n"))
    assert flows["csat"].text("hint_csat", "en") == "Pick 1 to 5 stars."
    assert flows["csat"].text("hint_csat", "zh-CN") == "请点选星级，或回复数字 1-5。"  # built-in kept


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        pytest.param({"en": "Hi", "zh-CN": "你好"}, "zh-CN", "你好", id="locale"),
        pytest.param({"en": "Hi", "zh-CN": "你好"}, "fr", "Hi", id="default-locale"),
        pytest.param({"ja": "やあ", "de": "Hallo"}, "fr", "やあ", id="first-when-neither"),
    ],
)
def test_local_text_falls_back(
    flows: dict[str, Flow], value: dict[str, str], locale: str, expected: str
) -> None:
    assert flows["csat"].local(value, locale) == expected


@pytest.mark.parametrize(
    ("kind", "value", "label"),
    [("csat", 1, "⭐"), ("csat", 5, "⭐⭐⭐⭐⭐"), ("nps", 0, "0"), ("nps", 10, "10"), ("ces", 7, "7")],
    ids=["csat-1-one-star", "csat-5-five-stars", "nps-0", "nps-10", "ces-7"],
)
def test_rating_label(kind: ScaleKind, value: int, label: str) -> None:
    assert rating_label(kind, value) == label


def test_policy_fills_flow_timing_and_survey_overrides_it() -> None:
    flows = shipped_flows(
        (
            "    start: score\n",
            "    start: score\n    remind_after: 2h\n    expire_after: 3h\n    reprompts: 2\n",
        )
    )
    assert (flows["csat"].remind_after, flows["csat"].expire_after, flows["csat"].reprompts) == (
        timedelta(hours=4),
        timedelta(days=1),
        1,
    )
    assert (flows["nps"].remind_after, flows["nps"].expire_after, flows["nps"].reprompts) == (
        timedelta(hours=2),
        timedelta(hours=3),
        2,
    )


def test_flow_carries_the_dsat_rule_and_default_locale(flows: dict[str, Flow]) -> None:
    flow = flows["nps"]
    assert (flow.dsat.csat_at_most, flow.dsat.nps_at_most, flow.dsat.ces_at_most) == (3, 6, 3)
    assert flow.default_locale == "en"
    assert flow.start == "score"
    assert list(flow.steps) == ["score", "why", "thanks"]


# ---- versions and round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("survey", ["csat", "nps", "ces"])
def test_flow_survives_a_json_round_trip_with_its_version(flows: dict[str, Flow], survey: str) -> None:
    flow = flows[survey]
    restored = Flow.model_validate_json(flow.model_dump_json())
    assert restored == flow
    assert restored.version == flow.version
    assert restored.ask(SID, restored.start, "zh-CN") == flow.ask(SID, flow.start, "zh-CN")


def test_version_is_a_stable_short_hash(flows: dict[str, Flow]) -> None:
    again = shipped_flows()
    assert {sid: f.version for sid, f in again.items()} == {sid: f.version for sid, f in flows.items()}
    assert len({f.version for f in flows.values()}) == len(flows) == 4
    assert all(len(f.version) == 16 and int(f.version, 16) >= 0 for f in flows.values())


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        pytest.param(
            ("          zh-CN: 您对本次服务满意吗？", "          zh-CN: 您满意吗？"), {"csat"}, id="step-text"
        ),
        pytest.param(("{max: 3}", "{max: 2}"), {"csat"}, id="branch-condition"),
        pytest.param(
            ("label: {en: Something else, zh-CN: 其他}", "label: {en: Other, zh-CN: 其他}"),
            {"csat"},
            id="option-label",
        ),
        pytest.param(
            ("  reprompts: 1 ", "  reprompts: 2 "),
            {"csat", "nps", "ces", "resolved_check"},
            id="policy-reprompts",
        ),
        pytest.param(
            ("  expire_after: 1d", "  expire_after: 2d"),
            {"csat", "nps", "ces", "resolved_check"},
            id="policy-expiry",
        ),
        pytest.param(
            ("  nps_at_most: 6", "  nps_at_most: 5"), {"csat", "nps", "ces", "resolved_check"}, id="dsat-rule"
        ),
        pytest.param(("  throttle: 30d", "  throttle: 7d"), set(), id="throttle-is-not-part-of-a-flow"),
        pytest.param(("    delay: 10m", "    delay: 5m"), set(), id="trigger-is-not-part-of-a-flow"),
    ],
)
def test_version_changes_exactly_when_the_flow_changes(
    flows: dict[str, Flow], edit: tuple[str, str], changed: set[str]
) -> None:
    edited = shipped_flows(edit)
    assert {sid for sid in flows if edited[sid].version != flows[sid].version} == changed


def test_equal_flows_share_a_version(flows: dict[str, Flow]) -> None:
    thanks = (
        "      thanks:\n        type: end\n        text:\n          en: Thank you for your feedback!\n"
        "          zh-CN: 感谢您的反馈！\n"
    )
    reordered = shipped_flows(
        (thanks, ""), ("    start: rating\n    steps:\n", "    start: rating\n    steps:\n" + thanks)
    )
    assert reordered["csat"] == flows["csat"]
    assert reordered["csat"].version == flows["csat"].version
