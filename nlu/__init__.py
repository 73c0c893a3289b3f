"""Bilingual (Chinese + English) triage classifier: intent and sentiment of customer messages.

A MiniLM transformer with an intent head and a sentiment head, mixed with a lexical TF-IDF model and
calibrated on held-out data; served by ONNX Runtime (int8) behind ``bot.ports.Classifier``.

Importing the package is cheap: ``train`` and ``evaluate`` (which need torch) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlu.errors import ModelNotReadyError, NluError
from nlu.labels import DEFAULT_INTENTS
from nlu.runtime import TransformerClassifier, default_model_dir, model_is_ready
from nlu.settings import TrainResult, TrainSettings

if TYPE_CHECKING:
    from nlu.evaluation import evaluate
    from nlu.training import train

__all__ = [
    "DEFAULT_INTENTS",
    "ModelNotReadyError",
    "NluError",
    "TrainResult",
    "TrainSettings",
    "TransformerClassifier",
    "default_model_dir",
    "evaluate",
    "model_is_ready",
    "train",
]


def __getattr__(name: str) -> Any:
    if name == "train":
        from nlu.training import train

        return train
    if name == "evaluate":
        from nlu.evaluation import evaluate

        return evaluate
    raise AttributeError(f"module 'nlu' has no attribute {name!r}")
