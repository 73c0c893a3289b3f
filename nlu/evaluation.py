"""Held-out evaluation: accuracy and macro-F1 per task, language and source; calibration; confusion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from nlu.calibrate import expected_calibration_error, log_softmax
from nlu.corpus import build_corpus
from nlu.data import Example
from nlu.errors import ModelNotReadyError
from nlu.labels import FALLBACK_INTENT
from nlu.runtime import TransformerClassifier, default_model_dir, model_is_ready
from nlu.scorer import Scorer, Scores
from nlu.settings import TrainSettings

BINARY_SOURCES = {"online_shopping", "sst2", "sst2_dev"}  # reviews labelled only negative/positive


def metrics(y: Iterable[int], pred: Iterable[int]) -> dict[str, float]:
    """n, accuracy and macro-F1 (over the classes present in ``y``)."""
    y_arr, p_arr = np.asarray(list(y)), np.asarray(list(pred))
    if len(y_arr) == 0:
        return {"n": 0, "accuracy": float("nan"), "macro_f1": float("nan")}
    f1 = f1_score(y_arr, p_arr, labels=sorted(set(y_arr.tolist())), average="macro", zero_division=0)
    return {
        "n": len(y_arr),
        "accuracy": round(float((y_arr == p_arr).mean()), 4),
        "macro_f1": round(float(f1), 4),
    }


def sentiment_predictions(proba: np.ndarray, rows: list[Example], labels: list[str]) -> np.ndarray:
    """Argmax, but between negative and positive only for sources that have no neutral class."""
    pred = proba.argmax(axis=1)
    neg, pos = labels.index("negative"), labels.index("positive")
    binary = np.array([e.source in BINARY_SOURCES for e in rows])
    if binary.any():
        pred = pred.copy()
        pred[binary] = np.where(proba[binary, pos] >= proba[binary, neg], pos, neg)
    chosen: np.ndarray = pred
    return chosen


def _grouped(rows: list[Example], y: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for scope, keep in (("triage", lambda e: e.source == "triage"), ("all", lambda e: True)):
        part: dict[str, Any] = {}
        for lang in ("all", "en", "zh"):
            idx = [i for i, e in enumerate(rows) if keep(e) and (lang == "all" or e.lang == lang)]
            part[lang] = metrics(y[idx], pred[idx])
        out[scope] = part
    out["by_source"] = {
        src: metrics(
            y[[i for i, e in enumerate(rows) if e.source == src]],
            pred[[i for i, e in enumerate(rows) if e.source == src]],
        )
        for src in sorted({e.source for e in rows})
    }
    return out


def evaluate_examples(scorer: Scorer, examples: list[Example], threshold: float) -> dict[str, Any]:
    """Score ``examples`` with ``scorer`` and compute every number the model card and ``eval`` show."""
    scores = scorer.scores([e.text for e in examples])
    report: dict[str, Any] = {"threshold": threshold}
    for task, labels in (("intent", scorer.intents), ("sentiment", scorer.sentiments)):
        idx = [i for i, e in enumerate(examples) if getattr(e, task) in labels]
        rows = [examples[i] for i in idx]
        y = np.array([labels.index(getattr(e, task)) for e in rows], dtype=int)
        proba, transformer, lexical = _task_arrays(scores, task, idx)
        if task == "intent":
            pred = proba.argmax(axis=1)
            parts = {"transformer": transformer.argmax(axis=1), "combined": pred}
            if lexical is not None:
                parts["lexical"] = lexical.argmax(axis=1)
        else:
            pred = sentiment_predictions(proba, rows, labels)
            parts = {
                "transformer": sentiment_predictions(np.exp(log_softmax(transformer)), rows, labels),
                "combined": pred,
            }
            if lexical is not None:
                parts["lexical"] = sentiment_predictions(np.exp(lexical), rows, labels)
        report[task] = _grouped(rows, y, pred)
        report[task]["components"] = {
            name: {scope: g[scope] for scope in ("triage", "all")}
            for name, g in ((name, _grouped(rows, y, p)) for name, p in parts.items())
        }
        full = [i for i, e in enumerate(rows) if e.source not in BINARY_SOURCES]
        report[task]["ece"] = {
            "transformer_raw": round(
                expected_calibration_error(np.exp(log_softmax(transformer[full])), y[full]), 4
            ),
            "calibrated": round(expected_calibration_error(proba[full], y[full]), 4),
        }
        if task == "intent":
            report["confusion"] = _confusion(rows, y, pred, labels)
            report["intent"]["per_intent_f1"] = per_label_f1(report["confusion"])
            report["threshold_effect"] = _threshold_effect(rows, y, proba, labels, threshold)
    return report


def _task_arrays(
    scores: Scores, task: str, idx: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    if task == "intent":
        lex = None if scores.intent_lexical is None else scores.intent_lexical[idx]
        return scores.intent_proba[idx], scores.intent_transformer[idx], lex
    lex = None if scores.sentiment_lexical is None else scores.sentiment_lexical[idx]
    return scores.sentiment_proba[idx], scores.sentiment_transformer[idx], lex


def _confusion(rows: list[Example], y: np.ndarray, pred: np.ndarray, labels: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"labels": labels}
    for lang in ("en", "zh"):
        m = np.zeros((len(labels), len(labels)), dtype=int)
        for i, e in enumerate(rows):
            if e.source == "triage" and e.lang == lang:
                m[y[i], pred[i]] += 1
        out[lang] = m.tolist()
    return out


def per_label_f1(confusion: dict[str, Any]) -> dict[str, dict[str, float]]:
    """F1 of each label on the own held-out set, per language, from the confusion matrices."""
    out: dict[str, dict[str, float]] = {}
    for lang in ("en", "zh"):
        m = np.asarray(confusion[lang])
        f1 = {}
        for k, label in enumerate(confusion["labels"]):
            tp, support, predicted = m[k, k], m[k].sum(), m[:, k].sum()
            if support:
                f1[label] = round(float(2 * tp / (support + predicted)), 4)
        out[lang] = f1
    return out


def _threshold_effect(
    rows: list[Example], y: np.ndarray, proba: np.ndarray, labels: list[str], threshold: float
) -> dict[str, float]:
    """On the own triage test rows: how many fall back to ``other``, and accuracy of the rest."""
    idx = [i for i, e in enumerate(rows) if e.source == "triage"]
    if not idx:
        return {}
    conf = proba[idx].max(axis=1)
    above = conf >= threshold
    pred = proba[idx].argmax(axis=1)
    other = labels.index(FALLBACK_INTENT)
    final = np.where(above, pred, other)
    return {
        "share_below_threshold": round(float(1 - above.mean()), 4),
        "accuracy_above_threshold": round(float((pred[above] == y[idx][above]).mean()), 4)
        if above.any()
        else 0.0,
        "accuracy_with_fallback": round(float((final == y[idx]).mean()), 4),
    }


def evaluate(
    model_dir: Path | str | None = None, *, data_dir: Path | None = None, threshold: float | None = None
) -> dict[str, Any]:
    """Evaluate a saved model on the held-out splits (own test templates and public test splits)."""
    path = Path(model_dir) if model_dir else default_model_dir()
    if not model_is_ready(path):
        raise ModelNotReadyError(f"no trained triage model in {path} (run `csatbot nlu train`)")
    scorer = Scorer(path)
    defaults = TrainSettings(data_dir=data_dir)
    none = {name: 0 for name in defaults.train_caps}  # held-out rows only
    corpus = build_corpus(replace(defaults, own_cap=0, train_caps=none, lexical_caps=none))
    return evaluate_examples(
        scorer,
        corpus.test,
        threshold if threshold is not None else TransformerClassifier.threshold_of(scorer),
    )
