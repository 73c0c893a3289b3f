"""A model folder's ``meta.json`` is checked field by field before the model is served."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from nlu.errors import NluError
from nlu.model_meta import check_meta

GOOD: dict[str, Any] = {  # the shape the trainer writes (values shortened)
    "format": 2,
    "model_id": "triage-202612072106-s7",
    "intents": ["refund", "other"],
    "sentiments": ["negative", "neutral", "positive"],
    "threshold": 0.35,
    "max_length": 32,
    "lexical": ["intent", "sentiment"],
    "normalize": 2,
    "calibration": {"intent": {"default": {"weight": 0.5, "temperature": 1.03, "bias": [0.1, -0.2]}}},
    "answer_floors": {"refund": {"all": 1.0, "zh": 0.4}},
    "needs_human": {"weights": [0.47, 0.31], "bias": 0.6, "floor": 0.75, "by_lang": {"en": 0.76}},
}

BAD: dict[str, tuple[tuple[str, ...], object, str]] = {
    "normalize as text": (("normalize",), "x", '"normalize"'),
    "normalize negative": (("normalize",), -1, '"normalize"'),
    "normalize a list": (("normalize",), [1], '"normalize"'),
    "threshold as text": (("threshold",), "x", '"threshold"'),
    "threshold above 1": (("threshold",), 7, '"threshold"'),
    "threshold NaN": (("threshold",), float("nan"), '"threshold"'),
    "max_length negative": (("max_length",), -5, '"max_length"'),
    "max_length 0": (("max_length",), 0, '"max_length"'),
    "max_length a billion": (("max_length",), 10**9, '"max_length"'),
    "max_length a fraction": (("max_length",), 1.5, '"max_length"'),
    "max_length true": (("max_length",), True, '"max_length"'),
    "intents as text": (("intents",), "abc", '"intents"'),
    "intents as numbers": (("intents",), [1, 2], '"intents"'),
    "intents twice": (("intents",), ["refund", "refund"], '"intents"'),
    "intents empty": (("intents",), [], '"intents"'),
    "no negative sentiment": (("sentiments",), ["a", "b"], '"negative"'),
    "lexical as text": (("lexical",), "intent", '"lexical"'),
    "lexical unknown": (("lexical",), ["nope"], '"lexical"'),
    "calibration a list": (("calibration",), [], '"calibration"'),
    "calibration task text": (("calibration", "intent"), "x", '"calibration.intent"'),
    "calibration part text": (("calibration", "intent", "default"), "x", '"calibration.intent.default"'),
    "weight as text": (("calibration", "intent", "default", "weight"), "x", ".weight"),
    "temperature 0": (("calibration", "intent", "default", "temperature"), 0, ".temperature"),
    "bias as text": (("calibration", "intent", "default", "bias"), "x", ".bias"),
    "floors a list": (("answer_floors",), [], '"answer_floors"'),
    "floors text": (("answer_floors", "refund"), "x", '"answer_floors.refund"'),
    "floor above 1": (("answer_floors", "refund", "all"), 5, '"answer_floors.refund.all"'),
    "floor negative": (("answer_floors", "refund", "zh"), -1, '"answer_floors.refund.zh"'),
    "needs_human a list": (("needs_human",), [1], '"needs_human"'),
    "needs_human text": (("needs_human",), "x", '"needs_human"'),
    "weights as text": (("needs_human", "weights"), "x", '"needs_human.weights"'),
    "human floor text": (("needs_human", "floor"), "x", '"needs_human.floor"'),
    "human floor above 1": (("needs_human", "floor"), 7, '"needs_human.floor"'),
    "language floor text": (("needs_human", "by_lang", "zh"), "x", '"needs_human.by_lang.zh"'),
    "model_id a list": (("model_id",), [1], '"model_id"'),
    "model_id 100,000 long": (("model_id",), "x" * 100_000, '"model_id"'),
}


def edited(path: tuple[str, ...], value: object) -> dict[str, Any]:
    meta = copy.deepcopy(GOOD)
    *above, last = path
    inner = meta
    for key in above:
        inner = inner[key]
    inner[last] = value
    return meta


def test_what_the_trainer_writes_passes_and_old_models_without_the_later_fields_too() -> None:
    assert check_meta(copy.deepcopy(GOOD)) == GOOD
    nobody = edited(("needs_human", "floor"), math.nextafter(1.0, math.inf))  # as recall_floor may fit
    assert check_meta(nobody)["needs_human"]["floor"] > 1.0
    old = {k: GOOD[k] for k in ("intents", "sentiments", "max_length")}
    assert check_meta({**old, "needs_human": None, "threshold": None}) is not None


@pytest.mark.parametrize(("path", "value", "named"), BAD.values(), ids=BAD.keys())
def test_a_field_of_the_wrong_type_or_out_of_range_is_an_error_naming_it(
    path: tuple[str, ...], value: object, named: str
) -> None:
    with pytest.raises(NluError, match=named.replace(".", r"\.")):
        check_meta(edited(path, value))


@pytest.mark.parametrize("meta", [None, [1], "text", 3], ids=["null", "list", "text", "number"])
def test_a_meta_that_is_no_object_is_an_error(meta: object) -> None:
    with pytest.raises(NluError, match="not a JSON object"):
        check_meta(meta)
