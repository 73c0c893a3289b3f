"""The checks a model folder's ``meta.json`` must pass before the model is served.

``meta.json`` is data off the disk (copied, hand-edited, half-written by another tool): a field of the
wrong type or out of range used to load fine and then fail every classification (``"normalize":
"x"``, ``"needs_human": []``, a calibration ``weight`` that is text) or quietly give nonsense
(floors above 1, a temperature of 0 making every confidence NaN). Each problem is an
:class:`~nlu.errors.NluError` naming the field, raised while loading, so the server serves without
triage instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeGuard

from nlu.errors import NluError

MAX_LENGTH_LIMIT = 8192  # tokens; the trainer writes 32-128
MODEL_ID_LIMIT = 64  # the column that keeps it beside comment embeddings
LEXICAL_TASKS = frozenset({"intent", "sentiment"})
ABOVE_ONE = math.nextafter(1.0, math.inf)  # a fitted floor "just above the last calm row" at 1.0


def check_meta(meta: object) -> dict[str, Any]:
    """``meta`` as a dict once every field the scorer reads is of its type and in range; else
    :class:`NluError` naming the first field that is not."""
    if not isinstance(meta, dict):
        raise NluError(f"is {type(meta).__name__}, not a JSON object")
    _labels(meta, "intents")
    if "negative" not in _labels(meta, "sentiments"):
        raise NluError('"sentiments" lacks "negative"')
    length = meta.get("max_length")
    if not _integer(length) or not 1 <= length <= MAX_LENGTH_LIMIT:
        raise NluError(f'"max_length" must be a whole number from 1 to {MAX_LENGTH_LIMIT}')
    if meta.get("threshold") is not None:
        _share(meta["threshold"], "threshold")
    if not _integer(meta.get("normalize") or 0) or (meta.get("normalize") or 0) < 0:
        raise NluError('"normalize" must be a whole number, 0 or more')
    lexical = meta.get("lexical") or []
    if not isinstance(lexical, list) or not set(lexical) <= LEXICAL_TASKS:
        raise NluError('"lexical" must list some of "intent" and "sentiment"')
    model_id = meta.get("model_id", "")
    if not isinstance(model_id, str) or len(model_id) > MODEL_ID_LIMIT:
        raise NluError(f'"model_id" must be text of at most {MODEL_ID_LIMIT} characters')
    _calibration(_mapping(meta, "calibration"))
    for intent, floors in _mapping(meta, "answer_floors").items():
        for lang, floor in _inner(floors, f"answer_floors.{intent}").items():
            _share(floor, f"answer_floors.{intent}.{lang}")
    _needs_human(_mapping(meta, "needs_human"))
    return meta


def _labels(meta: Mapping[str, Any], key: str) -> list[str]:
    labels = meta.get(key)
    if (
        not isinstance(labels, list)
        or not labels
        or not all(isinstance(label, str) and label for label in labels)
        or len(set(labels)) != len(labels)
    ):
        raise NluError(f'"{key}" must be a list of distinct names')
    return labels


def _calibration(calibration: Mapping[str, Any]) -> None:
    for task, by_lang in calibration.items():
        for lang, part in _inner(by_lang, f"calibration.{task}").items():
            where = f"calibration.{task}.{lang}"
            part = _inner(part, where)
            _share(part.get("weight", 0.0), f"{where}.weight")
            temperature = part.get("temperature", 1.0)
            if not _number(temperature) or temperature <= 0:
                raise NluError(f'"{where}.temperature" must be a number above 0')
            bias = part.get("bias", [])
            if not isinstance(bias, list) or not all(_number(b) for b in bias):
                raise NluError(f'"{where}.bias" must be a list of numbers')


def _needs_human(needs: Mapping[str, Any]) -> None:
    if not needs:
        return
    weights = needs.get("weights", [1.0, 1.0])
    if not isinstance(weights, list) or not weights or not all(_number(w) for w in weights):
        raise NluError('"needs_human.weights" must be a list of numbers')
    if not _number(needs.get("bias", 0.0)):
        raise NluError('"needs_human.bias" must be a number')
    _share(needs.get("floor", 0.5), "needs_human.floor")
    for lang, floor in _inner(needs.get("by_lang") or {}, "needs_human.by_lang").items():
        _share(floor, f"needs_human.by_lang.{lang}")


def _mapping(meta: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = meta.get(key)
    return {} if value is None else _inner(value, key)


def _inner(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise NluError(f'"{where}" must be a JSON object')
    return value


def _share(value: object, where: str) -> None:
    if not _number(value) or not 0.0 <= value <= ABOVE_ONE:
        raise NluError(f'"{where}" must be a number from 0 to 1')


def _number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _integer(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
