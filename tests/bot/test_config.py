"""``config.yaml`` validation: every error names the YAML path, what was expected and the line."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, format_path, load_config, parse_config
from bot.config.durations import parse_duration
from bot.errors import ConfigError
from bot.triggers import outside_quiet_hours

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = Path(__file__).resolve().parent / "configs"
SHIPPED = (ROOT / "config.yaml").read_text(encoding="utf-8")

Edit = tuple[str, str]


def edited(text: str, *edits: Edit) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"edit target not unique in config: {old!r}"
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line where ``needle`` (unique in ``text``) starts."""
    assert text.count(needle) == 1, f"needle not unique: {needle!r}"
    return text.count("\n", 0, text.index(needle)) + 1


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return info.value.problems


def minimal(steps: str, survey_extra: str = "", top: str = "") -> str:
    """A one-locale config whose survey ``s`` has ``steps`` (YAML at 6 spaces)."""
    return (
        f"locales: [en]\n{top}surveys:\n  s:\n    title: {{en: T}}\n    start: a\n{survey_extra}"
        f"    steps:\n{steps}"
    )


END = "      z:\n        type: end\n        text: {en: Bye}\n"


def test_shipped_config_is_valid() -> None:
    config = parse_config(SHIPPED)
    assert sorted(config.surveys) == ["ces", "csat", "nps", "resolved_check"]
    assert config.locales == ["zh-CN", "en"]
    assert config.timezone == "Asia/Shanghai"
    assert config.tickets.resurvey is not None and config.tickets.resurvey.flow == "resolved_check"
    assert config.reports.min_answers == 10


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        ("gone", "tickets.resurvey.flow: unknown survey 'gone' (known: csat, nps, ces, resolved_check)"),
        (
            "nps",
            "tickets.resurvey.flow: survey 'nps' has no csat step, so no answer could count as recovered",
        ),
    ],
)
def test_resurvey_needs_a_survey_with_a_csat_step(flow: str, expected: str) -> None:
    text = edited(SHIPPED, ("resurvey: {flow: resolved_check}", f"resurvey: {{flow: {flow}}}"))
    [found] = problems(text)
    assert found.startswith(expected), found


def test_sla_per_priority_falls_back_to_normal() -> None:
    text = edited(
        SHIPPED, ("    sla: 4h\n", "    sla: {high: 1h, normal: 4h}\n    first_response: {normal: 30m}\n")
    )
    team = parse_config(text).teams["support"]
    assert [team.sla_for(p) for p in ("urgent", "high", "normal", "low")] == [
        timedelta(hours=4),
        timedelta(hours=1),
        timedelta(hours=4),
        timedelta(hours=4),
    ]
    assert team.first_response_for("high") == timedelta(minutes=30)
    assert parse_config(SHIPPED).teams["support"].first_response_for("high") is None


def test_a_wrong_typed_value_does_not_hide_the_other_problems() -> None:
    text = edited(
        SHIPPED,
        ("min_answers: 10", "min_answers: lots"),
        ("timezone: Asia/Shanghai", "timezone: Mars/Olympus"),
        ("            next: reason\n", "            next: reasons\n"),
    )
    assert problems(text) == [
        "reports.min_answers: input should be a valid integer, unable to parse string as an integer, "
        f"got 'lots' at line {line_of(text, 'min_answers: lots')}",
        "timezone: unknown time zone 'Mars/Olympus' (expected e.g. UTC, Asia/Shanghai) "
        f"at line {line_of(text, 'timezone: Mars')}",
        "surveys.csat.steps.rating.branches[0].next: unknown step 'reasons' "
        "(known: praise, reason, comment, thanks) "
        f"at line {line_of(text, 'next: reasons')}",
        "surveys.csat.steps.reason: step 'reason' cannot be reached from start 'rating' "
        f"at line {line_of(text, '      reason:')}",
        "surveys.csat.steps.comment: step 'comment' cannot be reached from start 'rating' "
        f"at line {line_of(text, '      comment:')}",
    ]


def test_load_config_reads_a_file() -> None:
    config = load_config(CONFIGS / "minimal.yaml")
    assert list(config.surveys) == ["quick"]
    assert config.surveys["quick"].steps["rating"].next == "done"
    assert config.default_locale == "en"  # defaults fill the rest


def test_load_config_reports_every_problem_with_the_file_name() -> None:
    path = CONFIGS / "broken.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.source == str(path)
    assert info.value.problems == [
        "timezone: unknown time zone 'Mars/Olympus' (expected e.g. UTC, Asia/Shanghai) at line 2",
        "surveys.quick.steps.rating.next: unknown step 'finish' (known: done) at line 11",
        "surveys.quick.steps.done: step 'done' cannot be reached from start 'rating' at line 12",
    ]
    assert str(info.value).startswith(f"{path}: 3 problem(s)\n  timezone: unknown time zone")


def test_load_config_of_a_missing_file() -> None:
    path = CONFIGS / "missing.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems == [f"cannot read {path}: No such file or directory"]


# Each case edits the shipped config; the expected problems name the line of ``needle`` in the result.
SHIPPED_ERRORS = [
    pytest.param(
        [
            (
                "        next: thanks\n        branches:\n          - when: {max: 3}",
                "        next: q9\n        branches:\n          - when: {max: 3}",
            )
        ],
        [
            (
                "surveys.csat.steps.rating.next: unknown step 'q9' (known: praise, reason, comment, thanks)",
                "next: q9",
            )
        ],
        id="unknown-step-in-next",
    ),
    pytest.param(
        [("            next: reason\n", "            next: reasons\n")],
        [
            (
                "surveys.csat.steps.rating.branches[0].next: unknown step 'reasons' (known: praise, reason, "
                "comment, thanks)",
                "next: reasons",
            ),
            (
                "surveys.csat.steps.reason: step 'reason' cannot be reached from start 'rating'",
                "      reason:",
            ),
            (
                "surveys.csat.steps.comment: step 'comment' cannot be reached from start 'rating'",
                "      comment:",
            ),
        ],
        id="unknown-step-in-branch",
    ),
    pytest.param(
        [("    start: rating", "    start: ratings")],
        [
            (
                "surveys.csat.start: unknown step 'ratings' (known: rating, praise, reason, comment, thanks)",
                "start: ratings",
            )
        ],
        id="unknown-start-step",
    ),
    pytest.param(
        [("        next: comment\n", "        next: reason\n")],
        [
            (
                "surveys.csat.steps.reason.next: step 'reason' cannot lead to itself",
                "next: reason\n      comment",
            ),
            (
                "surveys.csat.steps.comment: step 'comment' cannot be reached from start 'rating'",
                "      comment:",
            ),
        ],
        id="self-loop",
    ),
    pytest.param(
        [("            next: reason\n", "            next: comment\n")],
        [("surveys.csat.steps.reason: step 'reason' cannot be reached from start 'rating'", "      reason:")],
        id="unreachable-step",
    ),
    pytest.param(
        [
            (
                "          zh-CN: 还有什么想告诉我们的吗？\n        next: thanks",
                "          zh-CN: 还有什么想告诉我们的吗？\n        next: reason",
            )
        ],
        [
            (
                "surveys.csat.steps.reason: step 'reason' is part of a loop; surveys must always "
                "reach an end",
                "      reason:",
            )
        ],
        id="cycle",
    ),
    pytest.param(
        [("          - id: attitude\n", "          - id: slow\n")],
        [
            (
                "surveys.csat.steps.reason.options[2].id: option id 'slow' is used twice in this step",
                "- id: slow\n            label: {en: Unfriendly",
            )
        ],
        id="duplicate-option-id",
    ),
    pytest.param(
        [("        otherwise: other ", "        otherwise: price ")],
        [
            (
                "surveys.csat.steps.reason.otherwise: unknown option 'price' (known: slow, unresolved, "
                "attitude, other)",
                "        otherwise: price",
            )
        ],
        id="otherwise-unknown-option",
    ),
    pytest.param(
        [("{max: 3}", "{max: 7}")],
        [("surveys.csat.steps.rating.branches[0].when.max: 7 is outside the csat scale 1-5", "{max: 7}")],
        id="branch-max-outside-csat-scale",
    ),
    pytest.param(
        [("{max: 6}", "{min: -1, max: 6}")],
        [("surveys.nps.steps.score.branches[0].when.min: -1 is outside the nps scale 0-10", "{min: -1")],
        id="branch-min-outside-nps-scale",
    ),
    pytest.param(
        [("{max: 3}", "{options: [slow]}")],
        [
            (
                "surveys.csat.steps.rating.branches[0].when: options conditions only apply to choice steps; "
                "use min/max on a csat",
                "{options: [slow]}",
            )
        ],
        id="options-condition-on-rating-step",
    ),
    pytest.param(
        [
            (
                "        next: comment\n",
                "        next: comment\n        branches:\n          - when: {min: 1}\n"
                "            next: thanks\n",
            )
        ],
        [
            (
                "surveys.csat.steps.reason.branches[0].when: min/max conditions only apply to csat, "
                "nps and ces steps; "
                "use options",
                "{min: 1}",
            )
        ],
        id="min-condition-on-choice-step",
    ),
    pytest.param(
        [
            (
                "        next: comment\n",
                "        next: comment\n        branches:\n          - when: {options: [price]}\n"
                "            next: thanks\n",
            )
        ],
        [
            (
                "surveys.csat.steps.reason.branches[0].when.options: unknown option 'price' "
                "(known: slow, unresolved, attitude, other)",
                "{options: [price]}",
            )
        ],
        id="unknown-option-in-branch",
    ),
    pytest.param(
        [
            (
                "        optional: true\n        text:\n          en: What is the main reason",
                "        optional: true\n        branches:\n          - when: {max: 3}\n            "
                "next: thanks\n"
                "        text:\n          en: What is the main reason",
            )
        ],
        [
            (
                "surveys.nps.steps.why.branches[0].when: a text step cannot branch; give it only next",
                "{max: 3}\n            next: thanks",
            )
        ],
        id="branch-on-text-step",
    ),
    pytest.param(
        [("{max: 3}", "{}")],
        [("surveys.csat.steps.rating.branches[0].when: a condition needs min, max or options", "when: {}")],
        id="empty-condition",
    ),
    pytest.param(
        [("          zh-CN: 您对本次服务满意吗？\n", "")],
        [
            (
                "surveys.csat.steps.rating.text: missing text for locale zh-CN",
                "text:\n          en: How satisfied",
            )
        ],
        id="missing-locale-text",
    ),
    pytest.param(
        [("label: {en: Something else, zh-CN: 其他}", "label: {en: Something else}")],
        [
            (
                "surveys.csat.steps.reason.options[3].label: missing text for locale zh-CN",
                "label: {en: Something else}",
            )
        ],
        id="missing-locale-option-label",
    ),
    pytest.param(
        [("    title: {en: Customer effort, zh-CN: 费力度调查}", "    title: {en: Customer effort}")],
        [("surveys.ces.title: missing text for locale zh-CN", "title: {en: Customer effort}")],
        id="missing-locale-title",
    ),
    pytest.param(
        [
            (
                "          zh-CN: 您对本次服务满意吗？\n",
                "          zh-CN: 您对本次服务满意吗？\n          fr: Satisfait ?\n",
            )
        ],
        [("surveys.csat.steps.rating.text.fr: locale 'fr' is not in locales (zh-CN, en)", "fr: Satisfait")],
        id="text-in-unlisted-locale",
    ),
    pytest.param(
        [("  - survey: csat", "  - survey: survey")],
        [
            (
                "triggers[0].survey: unknown survey 'survey' (known: csat, nps, ces, resolved_check)",
                "survey: survey",
            )
        ],
        id="unknown-survey-in-trigger",
    ),
    pytest.param(
        [("    delay: 10m", "    delay: 10m\n    channels: [webchat, fax]")],
        [
            (
                "triggers[0].channels: unknown channel 'fax' (known: webchat, telegram, wechat, "
                "wecom, whatsapp)",
                "channels: [webchat, fax]",
            )
        ],
        id="unknown-channel-in-trigger",
    ),
    pytest.param(
        [("  team: support", "  team: billing")],
        [("dsat.team: unknown team 'billing' (known: support)", "team: billing")],
        id="unknown-team-in-dsat",
    ),
    pytest.param(
        [("timezone: Asia/Shanghai", "timezone: Asia/Beijing")],
        [("timezone: unknown time zone 'Asia/Beijing' (expected e.g. UTC, Asia/Shanghai)", "timezone:")],
        id="unknown-timezone",
    ),
    pytest.param(
        [("default_locale: en", "default_locale: fr")],
        [("default_locale: unknown locale 'fr' (known: zh-CN, en)", "default_locale:")],
        id="default-locale-not-listed",
    ),
    pytest.param(
        [("  throttle: 30d  ", "  throttle: 30 days  ")],
        [("surveying.throttle: expected a duration such as 10m, 4h or 1d, got '30 days'", "throttle:")],
        id="duration-in-words",
    ),
    pytest.param(
        [("  transcripts: 180d", "  transcripts: 1h")],
        [
            (
                "retention.transcripts: keep them at least 1d (conversations and surveys under way "
                "need them), got 1h",
                "transcripts:",
            )
        ],
        id="retention-too-short",
    ),
    pytest.param(
        [("  comments: null ", "  comments: forever ")],
        [("retention.comments: expected a duration such as 10m, 4h or 1d, got 'forever'", "comments:")],
        id="retention-not-a-duration",
    ),
    pytest.param(
        [("  transcripts: 180d", "  transcripts: 180d\n  chats: 30d")],
        [("retention.chats: unknown key 'chats' (expected one of: transcripts, comments)", "chats:")],
        id="retention-unknown-key",
    ),
    pytest.param(
        [("masking: []", "masking: [phone, fax]")],
        [("masking[1]: input should be 'phone', 'email' or 'card', got 'fax'", "masking:")],
        id="unknown-mask",
    ),
    pytest.param(
        [("masking: []", "masking: [email, email]")],
        [("masking: a kind is listed twice", "masking:")],
        id="mask-listed-twice",
    ),
    pytest.param(
        [("  throttle: 30d  ", "  throttle: -5  ")],
        [("surveying.throttle: a duration cannot be negative, got -5", "throttle:")],
        id="negative-duration",
    ),
    pytest.param(
        [("  expire_after: 1d  ", "  expire_after: yes  ")],
        [("surveying.expire_after: expected a duration such as 10m, 4h or 1d, got True", "expire_after:")],
        id="boolean-duration",
    ),
    pytest.param(
        [("          - id: slow", "          - id: no")],
        [
            (
                "surveys.csat.steps.reason.options[0].id: input should be a valid string, got False "
                "(YAML reads an unquoted no/off/false as False: put the text in quotes)",
                "- id: no",
            )
        ],
        id="yaml-no-as-a-string",
    ),
    pytest.param(
        [("    delay: 10m", "    delay: 10 minutes")],
        [("triggers[0].delay: expected a duration such as 10m, 4h or 1d, got '10 minutes'", "delay:")],
        id="bad-trigger-delay",
    ),
    pytest.param(
        [("  throttle: 30d  ", "  throttle: 30d\n  every: 2d  ")],
        [
            (
                "surveying.every: unknown key 'every' (expected one of: throttle, remind_after, "
                "expire_after, reprompts, "
                "quiet_hours)",
                "every: 2d",
            )
        ],
        id="unknown-key-lists-allowed-keys",
    ),
    pytest.param(
        [("        type: csat\n", "        type: csat\n        colour: gold\n")],
        [
            (
                "surveys.csat.steps.rating.colour: unknown key 'colour' (expected one of: type, "
                "text, options, optional, "
                "next, branches, low_label, high_label, fcr, otherwise)",
                "colour:",
            )
        ],
        id="unknown-key-in-step",
    ),
    pytest.param(
        [("          - id: other\n", "          - id: other\n            emoji: x\n")],
        [
            (
                "surveys.csat.steps.reason.options[3].emoji: unknown key 'emoji' (expected one of: "
                "id, label)",
                "emoji:",
            )
        ],
        id="unknown-key-in-option",
    ),
    pytest.param(
        [("{max: 3}", "{max: 3, below: 2}")],
        [
            (
                "surveys.csat.steps.rating.branches[0].when.below: unknown key 'below' (expected one "
                "of: min, max, options)",
                "{max: 3, below",
            )
        ],
        id="unknown-key-in-condition",
    ),
    pytest.param(
        [("    delay: 10m", "    delay: 10m\n    after: 5m")],
        [
            (
                "triggers[0].after: unknown key 'after' "
                "(expected one of: survey, events, delay, channels, require_reply, experiment)",
                "    after: 5m",
            )
        ],
        id="unknown-key-in-trigger",
    ),
    pytest.param(
        [("  telegram: {enabled: false}", "  telegram: {enabled: false, token: abc}")],
        [
            (
                "channels.telegram.token: unknown key 'token' (expected one of: enabled, path, "
                "api_base, bot_username, polling)",
                "telegram:",
            )
        ],
        id="unknown-key-in-channel-secret-in-config",
    ),
    pytest.param(
        [("    sla: 4h\n", "    sla: 4h\n    email: help@example.com\n")],
        [
            (
                "teams.support.email: unknown key 'email' "
                "(expected one of: name, webhook_url, sla, members, assignment, hours, first_response)",
                "email:",
            )
        ],
        id="unknown-key-in-team",
    ),
    pytest.param(
        [("    sla: 4h\n", "    sla: {high: 1h, low: 1d}\n")],
        [
            (
                "teams.support.sla: a mapping per priority needs 'normal' "
                "(used for the priorities it leaves out)",
                "    sla:",
            )
        ],
        id="sla-per-priority-without-normal",
    ),
    pytest.param(
        [("reports:", "customers: {health: {recent: 3, red_after: 4}}\nreports:")],
        [
            (
                "customers.health.red_after: 4 is more than recent (3), so scores alone could never make "
                "a customer red",
                "customers:",
            )
        ],
        id="health-red-after-more-than-recent",
    ),
    pytest.param(
        [("    sla: 4h\n", "    sla: {hi: 1h, normal: 4h}\n")],
        [("teams.support.sla: unknown priority 'hi' (known: low, normal, high, urgent)", "    sla:")],
        id="sla-unknown-priority",
    ),
    pytest.param(
        [("    sla: 4h\n", "    sla: {high: soon, normal: 4h}\n")],
        [
            (
                "teams.support.sla: high: expected a duration such as 10m, 4h or 1d, got 'soon'",
                "    sla:",
            )
        ],
        id="sla-bad-duration-for-a-priority",
    ),
    pytest.param(
        [("    sla: 4h\n", "    sla: {}\n")],
        [
            (
                "teams.support.sla: empty: give one duration (4h) or one per priority "
                "({high: 1h, normal: 4h})",
                "    sla:",
            )
        ],
        id="sla-empty-mapping",
    ),
    pytest.param(
        [("    sla: 4h\n", "    sla: {high: 1h, normal: 4h}\n    first_response: 2h\n")],
        [
            (
                "teams.support.first_response: 2h for high is longer than the sla for high (1h): "
                "the first reply must come before the end",
                "    first_response:",
            )
        ],
        id="first-response-longer-than-sla",
    ),
    pytest.param(
        [("    start: rating\n", "")],
        [("surveys.csat.start: required key is missing", "  csat:")],
        id="missing-start",
    ),
    pytest.param(
        [("        type: csat\n", "")],
        [("surveys.csat.steps.rating.type: required key is missing", "      rating:")],
        id="missing-step-type",
    ),
    pytest.param(
        [("        text: {en: Thank you!, zh-CN: 谢谢您！}\n\n  ces", "\n  ces")],
        [("surveys.nps.steps.thanks.text: required key is missing", "      thanks:\n        type: end\n\n")],
        id="missing-step-text",
    ),
    pytest.param(
        [("        type: ces\n", "        type: ces\n        optional: true\n")],
        [("surveys.ces.steps.effort: only text and choice steps can be optional", "      effort:")],
        id="optional-rating-step",
    ),
    pytest.param(
        [
            (
                "        type: csat\n",
                "        type: csat\n        options: [{id: a, label: {en: A, zh-CN: A}}]\n",
            )
        ],
        [
            (
                "surveys.csat.steps.rating: options are only allowed on choice steps, not on csat",
                "      rating:",
            )
        ],
        id="options-on-rating-step",
    ),
    pytest.param(
        [
            (
                "        text: {en: Thank you!, zh-CN: 谢谢您！}\n\n  ces",
                "        next: score\n        text: {en: Thank you!, zh-CN: 谢谢您！}\n\n  ces",
            )
        ],
        [
            (
                "surveys.nps.steps.thanks: an end step cannot have next or branches",
                "      thanks:\n        type: end\n        next",
            )
        ],
        id="end-step-with-next",
    ),
    pytest.param(
        [
            (
                "          zh-CN: 解决您的问题容易吗？\n        next: thanks\n",
                "          zh-CN: 解决您的问题容易吗？\n",
            )
        ],
        [("surveys.ces.steps.effort: a ces step needs next (the step that follows it)", "      effort:")],
        id="question-without-next",
    ),
    pytest.param(
        [("        type: csat\n", "        type: stars\n")],
        [
            (
                "surveys.csat.steps.rating.type: input should be 'csat', 'nps', 'ces', 'choice', "
                "'yes_no', 'text' or 'end', "
                "got 'stars'",
                "type: stars",
            )
        ],
        id="unknown-step-type",
    ),
    pytest.param(
        [("  reprompts: 1 ", "  reprompts: many ")],
        [
            (
                "surveying.reprompts: input should be a valid integer, unable to parse string as an "
                "integer, got 'many'",
                "reprompts:",
            )
        ],
        id="word-for-integer",
    ),
    pytest.param(
        [("  reprompts: 1 ", "  reprompts: 9 ")],
        [("surveying.reprompts: input should be less than or equal to 5, got 9", "reprompts:")],
        id="integer-out-of-range",
    ),
    pytest.param(
        [("  csat_at_most: 3", "  csat_at_most: 6")],
        [("dsat.csat_at_most: input should be less than or equal to 5, got 6", "csat_at_most:")],
        id="dsat-threshold-off-scale",
    ),
    pytest.param(
        [("locales: [zh-CN, en]", "locales: zh-CN")],
        [("locales: input should be a valid list, got 'zh-CN'", "locales:")],
        id="string-for-list",
    ),
    pytest.param(
        [("locales: [zh-CN, en]", "locales: [zh_CN, en]")],
        [("locales: not a locale tag: zh_CN (expected e.g. en, zh-CN; at most 16 characters)", "locales:")],
        id="bad-locale-tag",
    ),
    pytest.param(  # an automatic answer stores its locale in 16 characters: PostgreSQL refused more
        [("locales: [zh-CN, en]", "locales: [zh-CN, en, en-GB-oxendict-x1]")],
        [
            (
                "locales: not a locale tag: en-GB-oxendict-x1 "
                "(expected e.g. en, zh-CN; at most 16 characters)",
                "locales:",
            )
        ],
        id="locale-tag-too-long",
    ),
    pytest.param(
        [("locales: [zh-CN, en]", "locales: [en, zh-CN, en]")],
        [("locales: locales are listed twice", "locales:")],
        id="duplicate-locale",
    ),
    pytest.param(
        [
            (
                "        text:\n          en: How satisfied are you with the help you received?\n"
                "          zh-CN: 您对本次服务满意吗？\n",
                "        text: How satisfied are you?\n",
            )
        ],
        [
            (
                "surveys.csat.steps.rating.text: input should be a valid dictionary, got 'How "
                "satisfied are you?'",
                "text: How satisfied",
            )
        ],
        id="string-for-localized-text",
    ),
    pytest.param(
        [("          zh-CN: 您对本次服务满意吗？", "          zh-CN: ''")],
        [
            (
                "surveys.csat.steps.rating.text.zh-CN: string should have at least 1 character, got ''",
                "zh-CN: ''",
            )
        ],
        id="empty-text",
    ),
    pytest.param(
        [("[agent_resolved, idle, bot_resolved]", "[agent_resolved, closed]")],
        [
            (
                "triggers[0].events[1]: input should be 'agent_resolved', 'idle' or 'bot_resolved', "
                "got 'closed'",
                "events:",
            )
        ],
        id="unknown-trigger-event",
    ),
    pytest.param(
        [('{start: "22:00", end: "08:00"}', '{start: "25:00", end: "08:00"}')],
        [
            (
                "surveying.quiet_hours.start: input should be in a valid time format, hour value is "
                "outside expected "
                "range of 0-23, got '25:00'",
                "quiet_hours:",
            )
        ],
        id="bad-quiet-hours-time",
    ),
    pytest.param(
        [
            (
                "    # webhook_url: https://tickets.example.com/hooks/csatbot",
                "    webhook_url: tickets.example.com",
            )
        ],
        [
            (
                "teams.support.webhook_url: input should be a valid URL, relative URL without a base "
                "(the value is not shown: a webhook URL may be a secret)",
                "webhook_url:",
            )
        ],
        id="bad-webhook-url",
    ),
    pytest.param(
        [("      reason:\n", "      Reason:\n")],
        [
            (
                "surveys.csat.steps.Reason: string should match pattern '^[a-z][a-z0-9_]{0,31}$', "
                "got 'Reason'",
                "Reason:",
            )
        ],
        id="step-id-not-an-identifier",
    ),
    pytest.param(
        [("  throttle: 30d  ", "  throttle: 30d\n  throttle: 7d  ")],
        [("surveying.throttle: key given twice", "throttle: 7d")],
        id="duplicate-key",
    ),
    pytest.param(
        [("      why:\n", "      thanks:\n        type: end\n        text: {en: x, zh-CN: x}\n      why:\n")],
        [
            (
                "surveys.nps.steps.thanks: key given twice",
                "thanks:\n        type: end\n        text: {en: Thank you!, zh-CN: 谢谢您！}\n\n  ces",
            )
        ],
        id="duplicate-step-id",
    ),
    pytest.param(
        [("locales: [zh-CN, en]", "locales: [zh-CN, en")],
        [("invalid YAML: expected ',' or ']', but got ':'", "default_locale:")],
        id="invalid-yaml-unclosed-list",
    ),
    pytest.param(
        [("  csat:\n    title:", "  csat:\n\ttitle:")],
        [("invalid YAML: found character '\\t' that cannot start any token", "\ttitle:")],
        id="invalid-yaml-tab",
    ),
    pytest.param(
        [
            ("  team: support", "  team: billing"),
            ("timezone: Asia/Shanghai", "timezone: Mars/Olympus"),
            ("  - survey: csat", "  - survey: survey"),
        ],
        [
            ("timezone: unknown time zone 'Mars/Olympus' (expected e.g. UTC, Asia/Shanghai)", "timezone:"),
            (
                "triggers[0].survey: unknown survey 'survey' (known: csat, nps, ces, resolved_check)",
                "survey: survey",
            ),
            ("dsat.team: unknown team 'billing' (known: support)", "team: billing"),
        ],
        id="several-cross-reference-errors",
    ),
    pytest.param(
        [
            ("  throttle: 30d  ", "  throttle: soon  "),
            ("  reprompts: 1 ", "  reprompts: x "),
            ("        type: csat\n", "        type: csat\n        colour: gold\n"),
        ],
        [  # in the order of the keys in the schema, not in the file
            (
                "surveys.csat.steps.rating.colour: unknown key 'colour' (expected one of: type, "
                "text, options, optional, "
                "next, branches, low_label, high_label, fcr, otherwise)",
                "colour:",
            ),
            ("surveying.throttle: expected a duration such as 10m, 4h or 1d, got 'soon'", "throttle:"),
            (
                "surveying.reprompts: input should be a valid integer, unable to parse string as an "
                "integer, got 'x'",
                "reprompts:",
            ),
        ],
        id="several-schema-errors",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), SHIPPED_ERRORS)
def test_error_names_path_and_line(edits: list[Edit], expected: list[tuple[str, str]]) -> None:
    text = edited(SHIPPED, *edits)
    assert problems(text) == [_at_line(message, text, needle) for message, needle in expected]


def _at_line(message: str, text: str, needle: str) -> str:
    line = line_of(text, needle)
    if message.startswith("invalid YAML"):
        return message.replace("invalid YAML", f"invalid YAML at line {line}", 1)
    return f"{message} at line {line}"


def test_issue_example_message() -> None:
    text = minimal(
        "      rating:\n        type: csat\n        text: {en: Q}\n        next: q9\n"
        "        branches: [{when: {max: 3}, next: reason}]\n"
        "      reason:\n        type: text\n        text: {en: Why}\n        next: comment\n"
        "      comment:\n        type: text\n        text: {en: More}\n        next: thanks\n"
        "      thanks:\n        type: end\n        text: {en: Bye}\n"
    ).replace("start: a", "start: rating")
    assert problems(text) == [
        "surveys.s.steps.rating.next: unknown step 'q9' (known: reason, comment, thanks) at line 10"
    ]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        pytest.param(
            "      a:\n        type: csat\n        text: {en: Q}\n        next: b\n"
            "      b:\n        type: text\n        text: {en: W}\n        next: a\n",
            [
                "surveys.s.steps: no end step: add a step with type: end so the survey can finish at line 6",
                "surveys.s.steps.a: step 'a' is part of a loop; surveys must always reach an end at line 7",
            ],
            id="no-end-step",
        ),
        pytest.param(
            "      a:\n        type: choice\n        text: {en: Q}\n        next: z\n" + END,
            ["surveys.s.steps.a: a choice step needs at least one option at line 7"],
            id="choice-without-options",
        ),
        pytest.param(
            "      a:\n        type: nps\n        text: {en: Q}\n        next: z\n"
            "        branches:\n          - {when: {min: 7}, next: p}\n          - {when: {max: 6}, "
            "next: d}\n"
            "      p:\n        type: text\n        text: {en: P}\n        next: d\n"
            "      d:\n        type: text\n        text: {en: D}\n        next: p\n" + END,
            ["surveys.s.steps.p: step 'p' is part of a loop; surveys must always reach an end at line 14"],
            id="loop-through-branches",
        ),
        pytest.param(
            "      a:\n        type: csat\n        text: {en: Q}\n        next: z\n"
            "        low_label: {en: bad}\n        high_label: {en: good, fr: bon}\n" + END,
            ["surveys.s.steps.a.high_label.fr: locale 'fr' is not in locales (en) at line 12"],
            id="label-in-unlisted-locale",
        ),
        pytest.param(
            "      a:\n        type: text\n        text: {en: Q}\n        next: z\n        "
            "low_label: {en: bad}\n" + END,
            [
                "surveys.s.steps.a: low_label and high_label are only allowed on csat, nps and ces "
                "steps at line 7"
            ],
            id="scale-labels-on-text-step",
        ),
        pytest.param(
            "      a:\n        type: csat\n        text: {en: Q}\n        next: z\n",
            [
                "surveys.s.steps: no end step: add a step with type: end so the survey can finish at line 6",
                "surveys.s.steps.a.next: unknown step 'z' (known: none) at line 10",
            ],
            id="next-to-missing-end",
        ),
        pytest.param(
            "      a:\n        type: csat\n        fcr: true\n        text: {en: Q}\n        next: z\n" + END,
            ["surveys.s.steps.a: fcr is only allowed on yes_no steps, not on csat at line 7"],
            id="fcr-on-a-rating",
        ),
        pytest.param(
            "      a:\n        type: text\n        otherwise: other\n        text: {en: Q}\n        next: z\n"
            + END,
            ["surveys.s.steps.a: otherwise is only allowed on choice steps, not on text at line 7"],
            id="otherwise-on-a-text-step",
        ),
        pytest.param(
            "      a:\n        type: yes_no\n        text: {en: Q}\n        next: z\n"
            "        branches:\n          - {when: {options: [maybe]}, next: z}\n" + END,
            [
                "surveys.s.steps.a.branches[0].when.options: unknown option 'maybe' (known: yes, no) "
                "at line 12"
            ],
            id="yes-no-branch-on-unknown-option",
        ),
    ],
)
def test_flow_errors(steps: str, expected: list[str]) -> None:
    assert problems(minimal(steps)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", ["the file must be a mapping with at least a 'surveys' key"], id="empty-file"),
        pytest.param(
            "# only a comment\n",
            ["the file must be a mapping with at least a 'surveys' key"],
            id="comment-only",
        ),
        pytest.param("- csat\n", ["the file must be a mapping with at least a 'surveys' key"], id="list"),
        pytest.param("locales: [en]\n", ["surveys: required key is missing at line 1"], id="no-surveys"),
        pytest.param(
            "surveys:\n",
            ["surveys: input should be a valid dictionary, got None at line 1"],
            id="null-surveys",
        ),
        pytest.param(
            "surveys: {}\nbogus: 1\n",
            [
                "bogus: unknown key 'bogus' (expected one of: locales, default_locale, "
                "timezone, texts, surveys, triggers, surveying, conversations, dsat, teams, "
                "routing, triage, tickets, reports, customers, channels, nlu, notifications, digest, "
                "retention, masking) at line 2"
            ],
            id="unknown-top-level-key",
        ),
        pytest.param(
            "a: b\n  c: d\n", ["invalid YAML at line 2: mapping values are not allowed here"], id="bad-indent"
        ),
        pytest.param(
            "locales: [en]\nsurveys:\n  s:\n    title: {en: Is it ok?}\n",
            ["invalid YAML at line 4: expected ',' or '}', but got '?'"],
            id="question-mark-in-flow-mapping",
        ),
    ],
)
def test_file_level_errors(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_texts_overrides_are_checked_against_locales() -> None:
    text = SHIPPED + '\ntexts:\n  reprompt: {en: "Pardon?", zh-CN: 再说一遍？, fr: "Pardon ?"}\n'
    assert problems(text) == [
        f"texts.reprompt.fr: locale 'fr' is not in locales (zh-CN, en) at line {line_of(text, 'reprompt:')}"
    ]


def test_new_locale_needs_every_text() -> None:
    text = edited(
        minimal("      a:\n        type: csat\n        text: {en: Q, ja: Q}\n        next: z\n" + END),
        ("locales: [en]", "locales: [en, ja]"),
    )
    found = problems(text)
    assert found[:2] == [
        "surveys.s.title: missing text for locale ja at line 4",
        "surveys.s.steps.z.text: missing text for locale ja at line 13",
    ]
    assert "texts.reprompt: missing text for locale ja (no built-in default) at line 1" in found
    assert len(found) == 2 + 27  # every built-in bot text lacks ja


def test_nlu_examples_in_unlisted_locale() -> None:
    text = SHIPPED + "\nnlu:\n  intents:\n    refund:\n      examples: {fr: [rembourser]}\n"
    assert problems(text) == [
        "nlu.intents.refund.examples.fr: locale 'fr' is not in locales (zh-CN, en) "
        f"at line {line_of(text, 'examples:')}"
    ]


def test_config_error_message_lists_every_problem() -> None:
    error = ConfigError(["a: one", "b: two"], source="x.yaml")
    assert str(error) == "x.yaml: 2 problem(s)\n  a: one\n  b: two"


@pytest.mark.parametrize(
    "value", [pytest.param(".inf", id="infinity"), pytest.param("99999999999d", id="huge")]
)
def test_overflowing_duration_is_a_config_error(value: str) -> None:
    text = edited(SHIPPED, ("  throttle: 30d  ", f"  throttle: {value}  "))
    found = problems(text)
    assert len(found) == 1 and found[0].startswith("surveying.throttle: ")
    assert found[0].endswith(f" at line {line_of(text, 'throttle:')}")


def test_branch_condition_that_can_never_match_is_an_error() -> None:
    text = edited(SHIPPED, ("{max: 3}", "{min: 4, max: 2}"))
    found = problems(text)
    assert len(found) == 1 and found[0].startswith("surveys.csat.steps.rating.branches[0].when")
    assert found[0].endswith(f" at line {line_of(text, '{min: 4, max: 2}')}")


QUIET = '{start: "22:00", end: "08:00"}'


def test_quoted_quiet_hours() -> None:
    quiet = parse_config(SHIPPED).surveying.quiet_hours
    assert quiet is not None and (quiet.start, quiet.end) == (time(22), time(8))


def test_unquoted_quiet_hours_mean_what_they_say_or_are_rejected() -> None:
    text = edited(SHIPPED, (QUIET, "{start: 22:00, end: 08:00}"))
    try:
        quiet = parse_config(text).surveying.quiet_hours
    except ConfigError as error:
        assert error.problems[0].startswith("surveying.quiet_hours.start: ")
    else:
        assert quiet is not None and quiet.start == time(22)


def test_quiet_hours_with_an_offset_work_or_are_rejected() -> None:
    text = edited(SHIPPED, (QUIET, '{start: "22:00+08:00", end: "08:00"}'))
    try:
        config = parse_config(text)
    except ConfigError as error:
        assert error.problems[0].startswith("surveying.quiet_hours.start: ")
    else:  # today: TypeError, can't compare offset-naive and offset-aware times
        at = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
        assert outside_quiet_hours(at, config.surveying.quiet_hours, config.timezone) == datetime(
            2026, 11, 24, 0, 0, tzinfo=UTC
        )


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        pytest.param(
            ("surveys", "csat", "steps", "rating", "next"), "surveys.csat.steps.rating.next", id="keys"
        ),
        pytest.param(("triggers", 0, "survey"), "triggers[0].survey", id="list-index"),
        pytest.param(
            ("surveys", "s", "steps", "a", "branches", 1, "when", "options"),
            "surveys.s.steps.a.branches[1].when.options",
            id="nested-index",
        ),
        pytest.param(("locales",), "locales", id="one-key"),
        pytest.param((), "(top level)", id="empty"),
    ],
)
def test_format_path(loc: tuple[str | int, ...], expected: str) -> None:
    assert format_path(loc) == expected


# ---- JSON Schema ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return Config.model_json_schema()


def test_schema_is_json_and_requires_surveys(schema: dict[str, Any]) -> None:
    assert json.loads(json.dumps(schema)) == schema
    assert schema["type"] == "object"
    assert schema["required"] == ["surveys"]
    assert set(schema["properties"]) == set(Config.model_fields)


def test_schema_forbids_unknown_keys_everywhere(schema: dict[str, Any]) -> None:
    objects = {name: d for name, d in schema["$defs"].items() if "properties" in d}
    assert {"StepSpec", "SurveySpec", "Condition", "Trigger", "DsatRule", "WhatsAppConfig"} <= set(objects)
    assert schema["additionalProperties"] is False
    assert {name: d.get("additionalProperties") for name, d in objects.items()} == dict.fromkeys(
        objects, False
    )


def test_schema_lists_step_types(schema: dict[str, Any]) -> None:
    assert schema["$defs"]["StepSpec"]["properties"]["type"]["enum"] == [
        "csat",
        "nps",
        "ces",
        "choice",
        "yes_no",
        "text",
        "end",
    ]


def _durations(node: Any) -> list[dict[str, Any]]:
    """Every property schema in ``node`` that describes a duration."""
    if isinstance(node, dict):
        here = [node] if str(node.get("description", "")).startswith("a duration") else []
        return here + [d for value in node.values() for d in _durations(value)]
    if isinstance(node, list):
        return [d for value in node for d in _durations(value)]
    return []


def _duration_pattern(schema: dict[str, Any]) -> re.Pattern[str]:
    patterns = {json.dumps(d) for d in _durations(schema) if "pattern" in json.dumps(d)}
    pattern = re.search(r'"pattern": "(.*?)", "type": "string"', patterns.pop())
    assert pattern is not None
    return re.compile(json.loads(f'"{pattern.group(1)}"'))


@pytest.mark.parametrize("text", ["90s", "10m", "4h", "1d", "1h30m", "1.5h", " 2d 4h "])
def test_schema_duration_pattern_accepts_what_the_loader_accepts(schema: dict[str, Any], text: str) -> None:
    assert _duration_pattern(schema).match(text)
    parse_duration(text)


@pytest.mark.parametrize("text", ["soon", "10 minutes", "P1D", "1w", "-1h", ""])
def test_schema_duration_pattern_rejects_what_the_loader_rejects(schema: dict[str, Any], text: str) -> None:
    assert not _duration_pattern(schema).match(text)
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(text)


def test_schema_duration_defaults_are_valid_config_values(schema: dict[str, Any]) -> None:
    defaults = [d["default"] for d in _durations(schema) if d.get("default") is not None]
    assert defaults, "expected duration fields with defaults"
    for value in defaults:
        parse_duration(value)


def test_enabled_channels_name_each_missing_secret_for_how_they_are_configured() -> None:
    from bot.config.channels import ChannelsConfig, missing_secrets

    channels = ChannelsConfig.model_validate(
        {"telegram": {"enabled": True, "polling": True}, "wechat": {"enabled": True, "safe_mode": True}}
    )
    found = missing_secrets(channels, {"WECHAT_TOKEN": "t"})
    assert [p.split("environment variable ")[1].split(" ")[0] for p in found] == [
        "TELEGRAM_BOT_TOKEN",
        "WECHAT_APP_SECRET",
        "WECHAT_ENCODING_AES_KEY",
    ]
    assert found[0] == (
        "channels.telegram: enabled but the environment variable TELEGRAM_BOT_TOKEN is not set "
        "(set it, or set channels.telegram.enabled: false)"
    )
    plain = ChannelsConfig.model_validate({"wechat": {"enabled": True, "safe_mode": False}})
    assert missing_secrets(plain, {"WECHAT_TOKEN": "t", "WECHAT_APP_SECRET": "s"}) == []


# ---- digest: good news for staff -------------------------------------------------------------------

DIGEST = """digest:
  every: weekly        # or daily: yesterday's comments, each day
  weekday: mon         # weekly: the day it goes out, for the week Monday to Sunday before
  at: "09:00"          # local time (`timezone`)
  best: 5              # comments at most
"""
TARGETS = (
    "  targets: {}\n",
    "  targets:\n"
    "    slack_a: {kind: slack, url_env: SLACK_A}\n"
    "    hooks: {kind: webhook, url_env: HOOKS}\n"
    "    muted: {kind: feishu, url_env: FEISHU, enabled: false}\n",
)


def with_digest(body: str) -> str:
    return edited(SHIPPED, ("  targets: {}\n", TARGETS[1]), (DIGEST, f"digest:\n{body}"))


def test_the_shipped_digest_is_weekly_on_monday_morning() -> None:
    digest = parse_config(SHIPPED).digest
    assert digest is not None
    assert (digest.every, digest.day, digest.at, digest.best, digest.targets) == (
        "weekly",
        0,
        time(9),
        5,
        None,
    )
    assert parse_config(edited(SHIPPED, (DIGEST, ""))).digest is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "  every: daily\n  weekday: fri\n",
            [
                (
                    "digest.weekday: weekday only applies to every: weekly "
                    "(a daily digest goes out every day)",
                    "weekday",
                )
            ],
            id="weekday-on-daily",
        ),
        pytest.param(
            "  every: weekly\n  targets: [slack_a, slak_b, hooks, muted, slack_a]\n",
            [
                (
                    "digest.targets[1]: unknown notification target 'slak_b' (known: slack_a, hooks, muted)",
                    "targets: [slack_a",
                ),
                (
                    "digest.targets[2]: target 'hooks' is a webhook, which gets ticket events only; "
                    "the digest goes to chat targets (slack, wecom_robot, feishu, telegram_group)",
                    "targets: [slack_a",
                ),
                (
                    "digest.targets[3]: target 'muted' is disabled (enabled: false), "
                    "so it would get no digest",
                    "targets: [slack_a",
                ),
                ("digest.targets[4]: target 'slack_a' is listed twice", "targets: [slack_a"),
            ],
            id="targets",
        ),
        pytest.param(
            "  every: monthly\n",
            [("digest.every: input should be 'daily' or 'weekly', got 'monthly'", "every: monthly")],
            id="every",
        ),
        pytest.param(
            "  every: weekly\n  weekday: monday\n",
            [
                (
                    "digest.weekday: input should be 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun', "
                    "got 'monday'",
                    "weekday: monday",
                )
            ],
            id="weekday-spelled-out",
        ),
        pytest.param(
            "  every: weekly\n  best: 0\n",
            [("digest.best: input should be greater than or equal to 1, got 0", "best: 0")],
            id="best-zero",
        ),
        pytest.param(
            '  every: weekly\n  at: "09:00+08:00"\n',
            [
                (
                    'digest.at: write a local time such as "09:00" without an offset: '
                    "it is read in `timezone`, got '09:00+08:00'",
                    'at: "09:00+08:00"',
                )
            ],
            id="at-with-offset",
        ),
    ],
)
def test_digest_errors_name_the_key_and_what_to_write(body: str, expected: list[tuple[str, str]]) -> None:
    text = with_digest(body)
    assert problems(text) == [f"{message} at line {line_of(text, needle)}" for message, needle in expected]


# ---- experiments on a trigger ----------------------------------------------------------------------

SHORT_FLOW = """
  csat_short:
    title: {en: Quick rating, zh-CN: 快速评分}
    start: rating
    steps:
      rating: {type: csat, text: {en: "Rate us?", zh-CN: 请评分}, next: thanks}
      thanks: {type: end, text: {en: Thanks!, zh-CN: 谢谢！}}
"""


def with_experiment(block: str) -> str:
    return edited(SHIPPED, ("    delay: 10m\n", f"    delay: 10m\n{block}")) + SHORT_FLOW


def test_an_experiment_on_the_trigger_is_read() -> None:
    block = (
        "    experiment:\n      name: wording\n      variants:\n"
        "        long: {split: 70}\n        short: {split: 30, survey: csat_short, delay: 1h}\n"
    )
    spec = parse_config(with_experiment(block)).triggers[0].experiment
    assert spec is not None and list(spec.variants) == ["long", "short"]
    assert (spec.variants["short"].survey, spec.variants["short"].delay) == ("csat_short", timedelta(hours=1))


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        pytest.param(
            "    experiment:\n      name: wording\n      variants:\n"
            "        a: {split: 60}\n        b: {split: 30, survey: csat_shrt}\n        c: {split: 0}\n",
            [
                (
                    "triggers[0].experiment.variants: the splits add up to 90, not 100",
                    "variants:\n        a:",
                ),
                (
                    "triggers[0].experiment.variants.b.survey: unknown survey 'csat_shrt' "
                    "(known: csat, nps, ces, resolved_check, csat_short)",
                    "b: {split",
                ),
                (
                    "triggers[0].experiment.variants.c.split: a split of 0 shows this variant to nobody: "
                    "remove it",
                    "c: {",
                ),
            ],
            id="splits-and-surveys",
        ),
        pytest.param(
            "    experiment:\n      name: wording\n      variants:\n        a: {split: 100}\n",
            [
                (
                    "triggers[0].experiment.variants: dictionary should have at least 2 items after "
                    "validation, not 1",
                    "variants:\n        a:",
                )
            ],
            id="one-variant",
        ),
        pytest.param(
            "    experiment:\n      name: wording\n      variants:\n"
            "        a: {split: 50}\n        b: {split: 150}\n",
            [
                (
                    "triggers[0].experiment.variants.b.split: input should be less than or equal to 100, "
                    "got 150",
                    "b: {",
                )
            ],
            id="split-over-100",
        ),
    ],
)
def test_experiment_errors_name_the_key_and_what_to_write(
    block: str, expected: list[tuple[str, str]]
) -> None:
    text = with_experiment(block)
    assert problems(text) == [f"{message} at line {line_of(text, needle)}" for message, needle in expected]


def test_an_experiment_name_is_declared_once() -> None:
    block = "    experiment:\n      name: wording\n      variants: {a: {split: 50}, b: {split: 50}}\n"
    second = f"  - survey: nps\n    events: [bot_resolved]\n{block}"
    text = edited(with_experiment(block), ("\nsurveying:", f"{second}\nsurveying:"))
    assert problems(text) == [
        "triggers[1].experiment.name: experiment 'wording' is already declared on triggers[0] "
        f"at line {text.count(chr(10), 0, text.index('name: wording', text.index('survey: nps'))) + 1}"
    ]


SLACK_SECRET = "T0AAAA/B0BBBB/SECRETxyz0123456789"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "  targets: {}",
            f'  targets: {{slack: {{kind: slack, url: "hxxps://hooks.slack.com/{SLACK_SECRET}"}}}}',
        ),
        (
            "    name: Customer Support",
            f'    name: Support\n    webhook_url: "hxxps://hooks.x/{SLACK_SECRET}"',
        ),
    ],
)
def test_a_problem_with_a_webhook_url_never_quotes_it(before: str, after: str) -> None:
    # A Slack or WeCom robot URL is a secret itself; the problem reaches the log when a reload
    # fails, and `csatbot config check` prints it. Before, it ended "got 'hxxps://hooks...'".
    [problem] = problems(edited(SHIPPED, (before, after)))
    assert "url:" in problem and "the value is not shown" in problem
    assert "SECRET" not in problem and "hooks." not in problem
