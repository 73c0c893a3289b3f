"""Serve a trained model: :class:`TransformerClassifier` implements ``bot.ports.Classifier``.

Importing this module is cheap (no torch, no numpy): the model is read on first use, which may
happen in a background thread.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bot.classification import Classification, Sentiment
from bot.storable import shows_nothing
from nlu.denials import reread_denied_topics, withhold_denied_answers
from nlu.errors import ModelNotReadyError, NluError
from nlu.labels import FALLBACK_INTENT, lang_of_text
from nlu.model_files import LEXICAL_FILE as LEXICAL_FILE  # re-exported: callers import it from here
from nlu.model_files import META_FILE, TOKENIZER_FILE

if TYPE_CHECKING:
    from nlu.scorer import Scorer, Scores

DEFAULT_THRESHOLD = 0.35
log = logging.getLogger(__name__)


def default_model_dir() -> Path:
    """``$CSATBOT_MODEL_DIR``, else ``var/models/triage`` under the working directory."""
    return Path(os.environ.get("CSATBOT_MODEL_DIR") or Path.cwd() / "var" / "models" / "triage")


def model_is_ready(model_dir: Path | str | None = None) -> bool:
    """Whether ``model_dir`` holds a complete trained model."""
    path = Path(model_dir) if model_dir is not None else default_model_dir()
    return (path / META_FILE).is_file() and (path / TOKENIZER_FILE).is_file()


class TransformerClassifier:
    """Intent and sentiment of customer messages, from a model directory written by ``nlu.train``.

    Loading is lazy and thread-safe: ``ready`` turns true as soon as a complete model exists in
    ``model_dir`` (e.g. when background training finishes) and loads it; ``load()`` does so
    explicitly (call it from a worker thread to keep the event loop free), and ``reload()`` picks up a
    retrained model. An intent whose calibrated confidence is below ``threshold`` becomes ``other``;
    the confidence reported is still that of the best guess, so a low number shows why.

    ``threads`` is per call: on a busy 2-core machine one thread per call, with several callers
    (``classify`` releases the GIL while the network runs), beats one call spread over two threads.
    """

    def __init__(
        self,
        model_dir: Path | str | None = None,
        *,
        threshold: float | None = None,
        backend: str = "auto",
        threads: int = 1,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        self._threshold = threshold
        self._backend = backend
        self._threads = threads
        self._scorer: Scorer | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """True once a model is loaded, or loadable now (this call then loads it)."""
        if self._scorer is not None:
            return True
        if not model_is_ready(self.model_dir):
            return False
        try:
            self.load()
        except NluError:
            log.exception("the triage model in %s could not be loaded", self.model_dir)
            return False
        return True

    @property
    def threshold(self) -> float:
        """The threshold given to the constructor, else the one saved with the model."""
        if self._threshold is not None:
            return self._threshold
        return self.threshold_of(self.scorer)

    @property
    def scorer(self) -> Scorer:
        """The loaded model; raises :class:`ModelNotReadyError` when there is none yet."""
        scorer = self._scorer
        if scorer is None:
            self.load()
            scorer = cast("Scorer", self._scorer)
        return scorer

    @property
    def model_id(self) -> str:
        """Id of the loaded model (stored with every classification)."""
        return self.scorer.model_id

    def load(self) -> None:
        """Load the model now (idempotent); raises :class:`ModelNotReadyError` when there is none."""
        with self._lock:
            if self._scorer is not None:
                return
            if not model_is_ready(self.model_dir):
                raise ModelNotReadyError(
                    f"no trained triage model in {self.model_dir} (run `csatbot nlu train`)"
                )
            scorer = self._open()
            self._scorer = scorer
        log.info("triage model %s loaded from %s (%s)", scorer.model_id, self.model_dir, scorer.encoder.name)

    def _open(self) -> Scorer:
        """Read the folder and classify a text of each language before serving it: a folder whose
        parts are missing, cut short or do not fit (labels against the network's outputs, a
        calibration of another size) fails here, once, as :class:`NluError`, rather than on every
        customer's message."""
        from nlu.scorer import Scorer

        try:
            scorer = Scorer(self.model_dir, backend=self._backend, threads=self._threads)
            if scorer.meta.get("normalize"):
                from nlu.normalize import warm_up

                warm_up()
            threshold = self._threshold if self._threshold is not None else self.threshold_of(scorer)
            scores = scorer.scores(["hello", "你好"])
            shapes = scores.intent_proba.shape, scores.sentiment_proba.shape
            if shapes != ((2, len(scorer.intents)), (2, len(scorer.sentiments))):
                raise ValueError(
                    f"the network gives {shapes} for the labels {scorer.intents, scorer.sentiments}"
                )
            decide(scores, scorer, threshold, ["en", "zh"])
        except Exception as e:  # whatever it is, the folder is not a working model
            why = str(e) if isinstance(e, NluError) else f"{type(e).__name__}: {e}"
            raise NluError(
                f"the triage model in {self.model_dir} does not work ({why}): "
                "train it again (csatbot nlu train)"
            ) from e
        return scorer

    @staticmethod
    def threshold_of(scorer: Scorer) -> float:
        saved = scorer.meta.get("threshold")
        return float(saved) if saved is not None else DEFAULT_THRESHOLD

    def reload(self) -> None:
        """Drop the loaded model so the next call reads the directory again."""
        with self._lock:
            self._scorer = None

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        """One :class:`Classification` per text, in order (batched internally)."""
        texts = [str(t) for t in texts]
        # Both denial checks read a denying message without its clause: each text is classified once.
        read: dict[str, Classification] = {}

        def once(batch: Sequence[str]) -> list[Classification]:
            todo = [t for t in dict.fromkeys(batch) if t not in read]
            read.update(zip(todo, self._classify(todo), strict=True))
            return [read[t] for t in batch]

        verdicts = withhold_denied_answers(
            texts, reread_denied_topics(texts, self._classify(texts), once), once
        )
        # a text that shows nothing: the model's guess would be noise (an empty text read as thanks)
        return [nothing_said(v) if shows_nothing(t) else v for t, v in zip(texts, verdicts, strict=True)]

    def _classify(self, texts: Sequence[str]) -> list[Classification]:
        scorer = self.scorer
        return decide(scorer.scores(list(texts)), scorer, self.threshold, [lang_of_text(t) for t in texts])

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, dict[str, float]]]:
        """The full calibrated distributions per text: ``{"intent": {...}, "sentiment": {...}}``."""
        scorer = self.scorer
        scores = scorer.scores([str(t) for t in texts])
        return [
            {
                "intent": {k: round(float(v), 4) for k, v in zip(scorer.intents, pi, strict=True)},
                "sentiment": {k: round(float(v), 4) for k, v in zip(scorer.sentiments, ps, strict=True)},
            }
            for pi, ps in zip(scores.intent_proba, scores.sentiment_proba, strict=True)
        ]


def nothing_said(read: Classification) -> Classification:
    """What a text with nothing in it says: no intent (``other`` at confidence 0), neutral, nobody
    needed."""
    return replace(read, intent=FALLBACK_INTENT, intent_confidence=0.0, sentiment="neutral",
                   sentiment_confidence=1.0, needs_human=0.0, withheld="", reread="")  # fmt: skip


def decide(scores: Scores, scorer: Scorer, threshold: float, langs: Sequence[str]) -> list[Classification]:
    """Turn calibrated probabilities into classifications, applying the ``other`` threshold.

    Each carries the model's needs-a-person probability and the floors it chose on held-out data
    (see :mod:`nlu.thresholds`).
    """
    from nlu.thresholds import NeedsHuman, pick_floor

    intents, sentiments = scorer.intents, scorer.sentiments
    human = NeedsHuman.from_dict(scorer.meta.get("needs_human"))
    floors: dict[str, dict[str, float]] = scorer.meta.get("answer_floors") or {}
    has_human = bool(scorer.meta.get("needs_human"))
    p_human = (
        human.proba(scores.intent_proba, scores.sentiment_proba, intents, sentiments) if has_human else None
    )
    out = []
    for n, (pi, ps) in enumerate(zip(scores.intent_proba, scores.sentiment_proba, strict=True)):
        i, s = int(pi.argmax()), int(ps.argmax())
        intent = intents[i] if pi[i] >= threshold else FALLBACK_INTENT
        if p_human is not None:
            needs, needs_floor = float(p_human[n]), human.floor_for(langs[n])
        else:  # a model from before needs_human: the old rule of thumb, negative or a human intent
            needs = float(ps[sentiments.index("negative")]) if sentiments[s] == "negative" else 0.0
            needs_floor = 0.5
        out.append(
            Classification(
                intent,
                round(float(pi[i]), 4),
                cast(Sentiment, sentiments[s]),
                round(float(ps[s]), 4),
                scorer.model_id,
                needs_human=round(needs, 4),
                needs_human_floor=needs_floor,
                answer_floor=pick_floor(floors.get(intent), langs[n]) if floors else None,
            )
        )
    return out
