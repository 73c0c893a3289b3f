"""What the triage classifier says about one message (``bot.classification``)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.classification import DEFAULT_INTENTS, SENTIMENTS, Classification


@pytest.mark.parametrize(
    ("needs_human", "floor", "wants"),
    [(0.0, 0.5, False), (0.49, 0.5, False), (0.5, 0.5, True), (0.9, 0.5, True), (0.3, 0.2, True)],
)
def test_a_customer_wants_a_person_at_or_above_the_models_floor(
    needs_human: float, floor: float, wants: bool
) -> None:
    verdict = Classification("other", 0.4, "neutral", 0.9, needs_human=needs_human, needs_human_floor=floor)
    assert verdict.wants_human is wants


def test_an_older_model_knows_no_answer_floor_and_never_wants_a_person() -> None:
    verdict = Classification("billing", 0.8, "negative", 0.7)
    assert (verdict.answer_floor, verdict.model, verdict.wants_human) == (None, "", False)


def test_a_classification_is_a_frozen_value() -> None:
    verdict = Classification("billing", 0.8, "negative", 0.7)
    assert verdict == Classification("billing", 0.8, "negative", 0.7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.intent = "refund"  # type: ignore[misc]


def test_the_bundled_intents_and_sentiments() -> None:
    assert SENTIMENTS == ("negative", "neutral", "positive")
    assert "other" in DEFAULT_INTENTS and len(set(DEFAULT_INTENTS)) == len(DEFAULT_INTENTS)
