"""What the triage classifier says about one message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sentiment = Literal["negative", "neutral", "positive"]
SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class Classification:
    """Intent and sentiment of one message, with calibrated confidences in [0, 1]."""

    intent: str
    intent_confidence: float
    sentiment: Sentiment
    sentiment_confidence: float
    model: str = ""
