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
    """Intent and sentiment of one message, with calibrated confidences in [0, 1].

    The model also says how likely the customer should reach a person (``needs_human``: angry or
    dissatisfied, or asking for one) and the thresholds it chose on held-out data: ``answer_floor``,
    the intent confidence above which its automatic answers were at least 97% right (``None``: not
    known, e.g. an older model), and ``needs_human_floor``. ``withheld`` says why no automatic
    answer may be given although the confidence clears the floor (empty: nothing withholds it);
    ``reread`` that the labels come from the message without a clause that denied their topic.
    """

    intent: str
    intent_confidence: float
    sentiment: Sentiment
    sentiment_confidence: float
    model: str = ""
    needs_human: float = 0.0
    needs_human_floor: float = 0.5
    answer_floor: float | None = None
    withheld: str = ""
    reread: str = ""

    @property
    def wants_human(self) -> bool:
        """Whether the model judges that this customer should reach a person."""
        return self.needs_human >= self.needs_human_floor
