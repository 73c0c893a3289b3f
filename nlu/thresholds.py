"""Decision thresholds chosen on held-out data, saved with the model.

- **Answer floors.** An automatic answer closes a customer's question without a person, so it must
  be right. For each intent (and language) the floor is the lowest calibrated confidence above which
  the model's answers were at least :data:`TARGET_PRECISION` right on the calibration rows, counted
  conservatively (one phantom mistake is added, so a floor resting on a handful of rows is high).
  Where no confidence reaches the target, the floor is 1.0: that intent is never answered by the bot.
- **Needs a person.** Whether a customer should reach a human (angry or dissatisfied, or asking for a
  person) is decided from sentiment intensity and intent together: a small logistic regression over
  ``log P(negative)`` and ``log P(complaint or request_human)``, fitted on the calibration rows, gives
  a calibrated probability; its floor is the highest one that still finds :data:`TARGET_RECALL` of
  those customers there, raised if need be so that at most :data:`CALM_CAP` of calm customers are
  flagged (a person's time is not free either).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

TARGET_PRECISION = 0.97
# On template-like calibration rows. Unseen messages lose 5-7 points of recall (measured on the
# realistic set: 0.96 here gave 0.89 there, 0.93 gave 0.86), so aim above the 0.85 that must hold.
TARGET_RECALL = 0.96
CALM_CAP = 0.055
"""At most this share of calm calibration rows may be flagged, even if recall suffers (it binds: the
recall the floor keeps is about 0.91 there, not :data:`TARGET_RECALL`). Unseen messages flag more calm
customers than the template-like calibration rows, and how many more moves with the trained network
(another machine's training of the same recipe gave floors 0.03 apart). On the ten blind sets
(2026-12-07, night, one network refitted): caps 0.07 / 0.065 / 0.06 / 0.055 / 0.05 escalated 0.107 /
0.101 / 0.096 / 0.086 / 0.083 of calm English customers and 0.925 / 0.912 / 0.908 / 0.897 / 0.889 of
upset ones: 0.055 is the highest cap that keeps a margin of a point or more under 0.10 in both
languages (recall stays near 0.90, over the 0.85 that must hold). An eleventh set, written after the
choice as its check, escalated 3/69 and 6/69 of its calm customers."""
HUMAN_INTENTS = ("complaint", "request_human")
HAPPY = 0.6
"""A customer this likely to be happy (calibrated positive) whose likeliest intent is neither a
complaint nor asking for a person needs no one: with the low floors that recall needs, "love the new
app design" and "thanks for the quick reply" were escalated, and at 0.8 so were compliments read as
positive at 0.6-0.75 ("这家健身房教练超专业，练了六周腰不疼了，五星"). Sarcasm mostly reads as a
complaint, which this never overrides."""
THANKS = "greeting_thanks"
MIN_ROWS = 30  # fewer calibration rows than this for a language: use the floor fitted on all rows


def answer_floor(confidence: np.ndarray, correct: np.ndarray, target: float = TARGET_PRECISION) -> float:
    """The lowest confidence t such that predictions at or above t are at least ``target`` precise.

    Precision above t is counted as ``right / (right + wrong + 1)``: one phantom mistake, so a floor
    cannot rest on a handful of lucky rows. 1.0 when no t reaches the target.
    """
    order = np.argsort(-confidence, kind="stable")
    conf, ok = confidence[order], correct[order].astype(float)
    precision = np.cumsum(ok) / (np.arange(1, len(ok) + 1) + 1.0)
    floor = 1.0
    for i in range(len(conf)):
        # Ties: the floor may only sit where the next row has a lower confidence.
        if precision[i] >= target and (i + 1 == len(conf) or conf[i + 1] < conf[i]):
            floor = float(conf[i])
    return floor


def answer_floors(
    proba: np.ndarray, y: np.ndarray, langs: Sequence[str], intents: Sequence[str]
) -> dict[str, dict[str, float]]:
    """``{intent: {"all": floor, "en": floor, "zh": floor}}`` from calibrated probabilities ``proba``."""
    pred = proba.argmax(axis=1)
    conf = proba.max(axis=1)
    codes = np.asarray(langs)
    out: dict[str, dict[str, float]] = {}
    for k, intent in enumerate(intents):
        mine = pred == k
        floors = {"all": round(answer_floor(conf[mine], y[mine] == k), 4)}
        for lang in sorted(set(langs)):
            rows = mine & (codes == lang)
            if rows.sum() >= MIN_ROWS:
                floors[lang] = round(answer_floor(conf[rows], y[rows] == k), 4)
        out[intent] = floors
    return out


def pick_floor(floors: dict[str, float] | None, lang: str) -> float | None:
    """The floor for ``lang``, else the one fitted on all languages; None when there is none."""
    if not floors:
        return None
    return floors.get(lang, floors.get("all"))


def _features(
    intent_proba: np.ndarray, sentiment_proba: np.ndarray, human_cols: list[int], negative: int
) -> np.ndarray:
    eps = 1e-6
    human = np.clip(intent_proba[:, human_cols].sum(axis=1), eps, 1 - eps) if human_cols else None
    neg = np.clip(sentiment_proba[:, negative], eps, 1 - eps)
    cols = [np.log(neg / (1 - neg))]
    if human is not None:
        cols.append(np.log(human / (1 - human)))
    return np.stack(cols, axis=1)


@dataclass(frozen=True, slots=True)
class NeedsHuman:
    """Logistic regression from (negative log-odds, human-intent log-odds) to "should reach a person"."""

    weights: tuple[float, ...] = (1.0, 1.0)
    bias: float = 0.0
    floor: float = 0.5
    recall: float | None = None  # on the calibration rows, at ``floor``
    calm_share: float | None = None  # share of calm calibration rows above ``floor``
    rows: int = 0
    by_lang: dict[str, float] = field(default_factory=dict)  # per-language floors, when fitted

    def proba(
        self,
        intent_proba: np.ndarray,
        sentiment_proba: np.ndarray,
        intents: Sequence[str],
        sentiments: Sequence[str],
    ) -> np.ndarray:
        """Probability that each message's customer should reach a person."""
        human_cols = [intents.index(i) for i in HUMAN_INTENTS if i in intents]
        x = _features(intent_proba, sentiment_proba, human_cols, list(sentiments).index("negative"))
        z = x @ np.asarray(self.weights[: x.shape[1]]) + self.bias
        proba: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        if "positive" in sentiments:
            positive = list(sentiments).index("positive")
            happy = sentiment_proba[:, positive] >= HAPPY
            happy &= ~np.isin(intent_proba.argmax(axis=1), human_cols)
            if THANKS in intents:  # a thank-you read as positive, however sure: nobody is upset
                happy |= (intent_proba.argmax(axis=1) == intents.index(THANKS)) & (
                    sentiment_proba.argmax(axis=1) == positive
                )
            proba = np.where(happy, 0.0, proba)
        return proba

    def floor_for(self, lang: str) -> float:
        return self.by_lang.get(lang, self.floor)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> NeedsHuman:
        if not data:
            return cls()
        return cls(**{**data, "weights": tuple(data.get("weights", (1.0, 1.0)))})


def needs_human_label(intent: str | None, sentiment: str | None) -> int | None:
    """1: should reach a person; 0: calm; None: the row lacks the labels to say."""
    if intent in HUMAN_INTENTS or sentiment == "negative":
        return 1
    if intent is not None and sentiment is not None:
        return 0
    return None


def recall_floor(
    p: np.ndarray, y: np.ndarray, target: float = TARGET_RECALL, calm_cap: float = CALM_CAP
) -> float:
    """The highest threshold that still flags ``target`` of the positive rows, raised until at most
    ``calm_cap`` of the negative rows are flagged."""
    positives = np.sort(p[y == 1])[::-1]
    if len(positives) == 0:
        return 0.5
    k = max(0, int(np.ceil(target * len(positives))) - 1)
    floor = float(positives[k])
    calm = np.sort(p[y == 0])[::-1]
    allowed = int(np.floor(calm_cap * len(calm)))
    if allowed < len(calm) and (calm >= floor).sum() > allowed:
        floor = float(np.nextafter(calm[allowed], np.inf))  # just above the first calm row too many
    return floor


def fit_needs_human(
    intent_proba: np.ndarray,
    sentiment_proba: np.ndarray,
    y: np.ndarray,
    langs: Sequence[str],
    intents: Sequence[str],
    sentiments: Sequence[str],
    *,
    target: float = TARGET_RECALL,
    calm_cap: float = CALM_CAP,
) -> NeedsHuman:
    """Fit the regression and its floors on calibration rows labelled by :func:`needs_human_label`."""
    from sklearn.linear_model import LogisticRegression

    human_cols = [list(intents).index(i) for i in HUMAN_INTENTS if i in intents]
    x = _features(intent_proba, sentiment_proba, human_cols, list(sentiments).index("negative"))
    if len(set(y.tolist())) < 2:
        return NeedsHuman(rows=len(y))
    lr = LogisticRegression(C=1.0).fit(x, y)
    weights = tuple(round(float(w), 5) for w in lr.coef_[0])
    model = NeedsHuman(weights, round(float(lr.intercept_[0]), 5), rows=len(y))
    p = model.proba(intent_proba, sentiment_proba, intents, sentiments)
    floor = recall_floor(p, y, target, calm_cap)
    codes = np.asarray(langs)
    by_lang = {}
    for lang in sorted(set(langs)):
        rows = codes == lang
        if (y[rows] == 1).sum() >= MIN_ROWS:
            by_lang[lang] = recall_floor(p[rows], y[rows], target, calm_cap)
    flagged = p >= floor
    return NeedsHuman(
        weights,
        model.bias,
        floor,
        recall=round(float(flagged[y == 1].mean()), 4),
        calm_share=round(float(flagged[y == 0].mean()), 4) if (y == 0).any() else None,
        rows=len(y),
        by_lang=by_lang,
    )
