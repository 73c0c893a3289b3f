"""``experiment:`` on a trigger (``bot.config.experiments``): named variants with a split."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config.experiments import Experiment, Variant


def test_a_variant_without_survey_or_delay_is_the_trigger_as_written() -> None:
    control = Variant.model_validate({"split": 50})
    assert (control.survey, control.delay) == (None, None)
    assert Variant.model_validate({"split": 50, "delay": "1h30m"}).delay == timedelta(minutes=90)


def test_variants_keep_their_order_the_first_is_the_control() -> None:
    experiment = Experiment.model_validate(
        {"name": "timing", "variants": {"now": {"split": 50}, "later": {"split": 50, "delay": "2h"}}}
    )
    assert list(experiment.variants) == ["now", "later"]


@pytest.mark.parametrize(
    ("experiment", "message"),
    [
        ({"name": "t", "variants": {"a": {"split": 100}}}, "at least 2 items"),
        ({"name": "Timing", "variants": {"a": {"split": 50}, "b": {"split": 50}}}, "should match pattern"),
        ({"name": "t", "variants": {"a": {"split": 150}, "b": {"split": 0}}}, "less than or equal to 100"),
        ({"name": "t", "variants": {"a": {"split": -1}, "b": {"split": 0}}}, "greater than or equal to 0"),
        ({"name": "t", "variants": {"a": {"split": 50}, "B-2": {"split": 50}}}, "should match pattern"),
        ({"name": "t", "variants": {"a": {"split": 50, "wording": "x"}, "b": {"split": 50}}}, "Extra inputs"),
    ],
)
def test_an_experiment_that_cannot_work_is_refused(experiment: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Experiment.model_validate(experiment)
