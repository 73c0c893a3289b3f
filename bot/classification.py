"""What the triage classifier says about one message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sentiment = Literal["negative", "neutral", "positive"]
SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")
DEFAULT_INTENTS: tuple[str, ...] = (
    "password_reset",
    "billing",
    "refund",
    "delivery",
    "cancel",
    "complaint",
    "request_human",
    "greeting_thanks",
    "other",
)
"""The intents the bundled triage model knows when config.yaml's ``nlu.intents`` lists none."""


@dataclass(frozen=True, slots=True)
class Classification:
    """Intent and sentiment of one message, with calibrated confidences in [0, 1]."""

    intent: str
    intent_confidence: float
    sentiment: Sentiment
    sentiment_confidence: float
    model: str = ""
