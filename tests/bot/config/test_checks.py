"""Cross-reference checks of a config (``bot.config.checks``): each problem found, at its YAML path.

Each case starts from the shipped config.yaml (which has no problem) and breaks one thing; the
check must name the place and say what to do, and find nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.config.checks import check_config
from bot.config.schema import Config

from ...support.config import ConfigData, shipped

Edit = Callable[[ConfigData], Any]


def findings(edit: Edit) -> list[tuple[tuple[str | int, ...], str]]:
    data = shipped()
    edit(data)
    return check_config(Config.model_validate(data))


def steps(data: ConfigData) -> dict[str, Any]:
    found: dict[str, Any] = data["surveys"]["csat"]["steps"]
    return found


def test_the_shipped_config_has_no_problem() -> None:
    assert check_config(Config.model_validate(shipped())) == []


def test_an_unknown_default_locale_and_time_zone() -> None:
    def edit(data: ConfigData) -> None:
        data["default_locale"] = "fr"
        data["timezone"] = "Mars/Olympus"

    [(locale_at, locale), zone] = findings(edit)
    assert locale_at == ("default_locale",) and locale.startswith("unknown locale 'fr' (known: ")
    assert zone == (("timezone",), "unknown time zone 'Mars/Olympus' (expected e.g. UTC, Asia/Shanghai)")


def test_a_step_that_leads_nowhere_or_to_itself() -> None:
    found = findings(lambda data: steps(data)["praise"].update(next="praise"))
    assert found == [(("surveys", "csat", "steps", "praise", "next"), "step 'praise' cannot lead to itself")]
    [(where, message)] = findings(lambda data: steps(data)["comment"].update(next="thank_you"))
    assert where == ("surveys", "csat", "steps", "comment", "next")
    assert message.startswith("unknown step 'thank_you'") and "thanks" in message


def test_a_survey_without_an_end_step() -> None:
    def edit(data: ConfigData) -> None:
        steps(data)["thanks"] = {"type": "text", "text": {"en": "Bye", "zh-CN": "再见"}, "next": "praise"}

    found = findings(edit)
    assert (
        ("surveys", "csat", "steps"),
        "no end step: add a step with type: end so the survey can finish",
    ) in found


def test_a_step_no_path_reaches() -> None:
    def edit(data: ConfigData) -> None:
        steps(data)["rating"]["branches"] = [{"when": {"min": 4}, "next": "praise"}]
        steps(data)["rating"]["next"] = "thanks"

    assert findings(edit) == [
        (("surveys", "csat", "steps", name), f"step '{name}' cannot be reached from start 'rating'")
        for name in ("reason", "comment")  # the comment is asked only after a reason
    ]


def test_a_loop_between_steps() -> None:
    found = findings(lambda data: steps(data)["comment"].update(next="reason"))
    assert found == [
        (
            ("surveys", "csat", "steps", "reason"),
            "step 'reason' is part of a loop; surveys must always reach an end",
        )
    ]


@pytest.mark.parametrize(
    ("when", "where", "message"),
    [
        ({"max": 6}, ("max",), "6 is outside the csat scale 1-5"),
        ({"min": 0}, ("min",), "0 is outside the csat scale 1-5"),
        ({"options": ["slow"]}, (), "options conditions only apply to choice steps; use min/max on a csat"),
    ],
)
def test_conditions_on_a_rating_step(when: dict[str, Any], where: tuple[str, ...], message: str) -> None:
    found = findings(lambda data: steps(data)["rating"]["branches"][0].update(when=when))
    assert found == [(("surveys", "csat", "steps", "rating", "branches", 0, "when", *where), message)]


def test_a_branch_on_an_option_the_step_does_not_offer_and_a_repeated_option() -> None:
    def edit(data: ConfigData) -> None:
        reason = steps(data)["reason"]
        reason["branches"] = [{"when": {"options": ["rude"]}, "next": "thanks"}]
        reason["options"].append({"id": "slow", "label": {"en": "Slow", "zh-CN": "慢"}})

    found = findings(edit)
    here = ("surveys", "csat", "steps", "reason")
    assert ((*here, "options", 4, "id"), "option id 'slow' is used twice in this step") in found
    [(where, message)] = [f for f in found if f[0][-1] == "options" and "branches" in f[0]]
    assert where == (*here, "branches", 0, "when", "options")
    assert message.startswith("unknown option 'rude'") and "unresolved" in message


def test_a_text_step_cannot_branch() -> None:
    found = findings(
        lambda data: steps(data)["comment"].update(branches=[{"when": {"max": 2}, "next": "thanks"}])
    )
    assert found == [
        (
            ("surveys", "csat", "steps", "comment", "branches", 0, "when"),
            "a text step cannot branch; give it only next",
        )
    ]


def test_references_to_unknown_surveys_and_teams() -> None:
    def edit(data: ConfigData) -> None:
        data["triggers"][0]["survey"] = "csat2"
        data["dsat"]["team"] = "helpdesk"

    found = dict(findings(edit))
    assert found[("triggers", 0, "survey")].startswith("unknown survey 'csat2'")
    assert found[("dsat", "team")].startswith("unknown team 'helpdesk'")


def test_a_text_missing_a_locale() -> None:
    found = findings(lambda data: steps(data)["reason"]["text"].pop("zh-CN"))
    assert found == [(("surveys", "csat", "steps", "reason", "text"), "missing text for locale zh-CN")]
