"""The config models (``bot.config.schema``): each model refuses what cannot work, with a message
that says why, and answers the questions the core asks of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config.schema import Condition, Config, StepSpec, Team, TriageRule

TEXT = {"en": "How did we do?"}


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"type": "choice", "text": TEXT, "next": "done"}, "a choice step needs at least one option"),
        ({"type": "csat", "text": TEXT, "next": "done", "options": [{"id": "a", "label": TEXT}]},
         "options are only allowed on choice steps, not on csat"),
        ({"type": "nps", "text": TEXT, "next": "done", "optional": True},
         "only text and choice steps can be optional"),
        ({"type": "end", "text": TEXT, "next": "q1"}, "an end step cannot have next or branches"),
        ({"type": "ces", "text": TEXT}, "a ces step needs next"),
        ({"type": "text", "text": TEXT, "next": "done", "low_label": TEXT},
         "low_label and high_label are only allowed on csat, nps and ces steps"),
        ({"type": "csat", "text": TEXT, "next": "done", "fcr": True},
         "fcr is only allowed on yes_no steps, not on csat"),
        ({"type": "csat", "text": TEXT, "next": "done", "colour": "red"}, "Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_a_step_that_cannot_work_is_refused_with_the_reason(step: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        StepSpec.model_validate(step)


@pytest.mark.parametrize(
    ("kind", "scale"), [("csat", (1, 5)), ("nps", (0, 10)), ("ces", (1, 7)), ("text", None), ("choice", None)]
)
def test_rating_steps_have_their_scale(kind: str, scale: tuple[int, int] | None) -> None:
    options = [{"id": "a", "label": TEXT}] if kind == "choice" else None
    assert (
        StepSpec.model_validate({"type": kind, "text": TEXT, "next": "done", "options": options}).scale
        == scale
    )


@pytest.mark.parametrize(
    ("when", "score", "option", "matches"),
    [
        ({"min": 1, "max": 2}, 1, None, True),
        ({"min": 1, "max": 2}, 3, None, False),
        ({"max": 6}, 0, None, True),
        ({"min": 9}, 8, None, False),
        ({"min": 1}, None, "slow", False),  # a score range never matches a picked option
        ({"options": ["slow", "rude"]}, None, "rude", True),
        ({"options": ["slow"]}, None, "other", False),
        ({"options": ["slow"]}, 1, None, False),
    ],
)
def test_a_condition_matches_a_score_in_range_or_a_listed_option(
    when: dict[str, Any], score: int | None, option: str | None, matches: bool
) -> None:
    assert Condition.model_validate(when).matches(score, option) is matches


@pytest.mark.parametrize(
    ("when", "message"),
    [({}, "a condition needs min, max or options"), ({"min": 4, "max": 2}, "min 4 is above max 2")],
)
def test_a_condition_that_can_never_apply_is_refused(when: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Condition.model_validate(when)


def test_a_team_has_an_sla_per_priority_and_a_fallback() -> None:
    team = Team.model_validate({"sla": {"urgent": "1h", "normal": "8h"}, "first_response": "30m"})
    assert team.sla_for("urgent") == timedelta(hours=1)
    assert team.sla_for("normal") == timedelta(hours=8)
    assert team.first_response_for("urgent") == timedelta(minutes=30)
    assert Team().first_response_for("urgent") is None
    assert Team().sla_for("high") == timedelta(hours=4)


def test_an_automatic_answer_waits_for_its_confirmation_30_minutes_unless_told() -> None:
    rule = {
        "when": {"intents": ["password_reset"]},
        "action": "auto_answer",
        "reply": {"en": "Reset it here."},
    }
    assert TriageRule.model_validate(rule).confirm_after == timedelta(minutes=30)
    assert TriageRule.model_validate({**rule, "confirm_within": "2h"}).confirm_after == timedelta(hours=2)


@pytest.mark.parametrize(
    ("top", "message"),
    [
        ({"locales": []}, "at least one locale is needed"),
        ({"locales": ["en", "en"]}, "locales are listed twice"),
        ({"locales": ["english"]}, "not a locale tag: english"),
        ({"masking": ["email", "email"]}, "a kind is listed twice"),
        ({}, "surveys\n  Field required"),
    ],
)
def test_the_top_level_refuses_what_cannot_work(top: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Config.model_validate(top)


def test_a_config_is_frozen(settings_config: Config) -> None:
    with pytest.raises(ValidationError, match="frozen"):
        settings_config.timezone = "UTC"


@pytest.fixture
def settings_config() -> Config:
    return Config.model_validate({"surveys": {}})
