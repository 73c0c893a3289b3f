"""Everything loaded from a model directory: tokenizer, network, lexical model and calibration."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.storable import storable
from nlu.backend import ONNX_FILE, Encoder, OnnxEncoder, Tokens, TorchEncoder, onnx_available, run_batched
from nlu.calibrate import LanguageCalibration
from nlu.errors import NluError
from nlu.labels import lang_of_text
from nlu.lexical import LexicalModel, hashed, load_lexical
from nlu.model_files import LEXICAL_FILE, META_FILE, TOKENIZER_FILE
from nlu.model_meta import check_meta
from nlu.normalize import normalize


@dataclass(frozen=True, slots=True)
class Scores:
    """Raw and calibrated outputs for a batch (rows follow the input texts)."""

    intent_transformer: np.ndarray  # logits
    sentiment_transformer: np.ndarray
    intent_lexical: np.ndarray | None  # log-probabilities
    sentiment_lexical: np.ndarray | None
    intent_proba: np.ndarray  # calibrated
    sentiment_proba: np.ndarray


class Scorer:
    """A trained model, ready to score texts (the threshold decision is left to the caller)."""

    def __init__(self, model_dir: Path, *, backend: str = "auto", threads: int = 1) -> None:
        try:
            self.meta: dict[str, Any] = check_meta(
                json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
            )
        except (OSError, ValueError, RecursionError, NluError) as e:
            raise NluError(f"cannot read {model_dir / META_FILE}: {e}") from e
        self.intents: list[str] = list(self.meta["intents"])
        self.sentiments: list[str] = list(self.meta["sentiments"])
        max_length = int(self.meta["max_length"])
        tokens = Tokens(model_dir / TOKENIZER_FILE, max_length)
        self.encoder = make_encoder(
            model_dir,
            tokens,
            backend=backend,
            threads=threads,
            n_intents=len(self.intents),
            n_sentiments=len(self.sentiments),
        )
        names = self.meta.get("lexical") or []
        self.lexical: dict[str, LexicalModel] = load_lexical(model_dir / LEXICAL_FILE, names) if names else {}
        cal = self.meta.get("calibration", {})
        self.calibration = {
            task: LanguageCalibration.from_dict(cal.get(task, {})) for task in ("intent", "sentiment")
        }

    @property
    def model_id(self) -> str:
        """The id written at training time (``triage-<date>-s<seed>``)."""
        return str(self.meta.get("model_id", ""))

    def scores(self, texts: list[str], batch_size: int = 64) -> Scores:
        """Transformer logits, lexical log-probabilities and the calibrated mix."""
        if not texts:
            empty_i, empty_s = np.zeros((0, len(self.intents))), np.zeros((0, len(self.sentiments)))
            return Scores(empty_i, empty_s, None, None, empty_i, empty_s)
        # A lone surrogate (``"\ud800"`` in JSON, a byte that is not UTF-8 read with surrogateescape)
        # is no character: the tokenizer raised TypeError on it and the lexical hashing
        # UnicodeEncodeError. Text is read as stored messages have it (U+FFFD, no NUL).
        texts = [storable(t) for t in texts]
        if version := int(self.meta.get("normalize") or 0):
            texts = [normalize(t, version) for t in texts]
        intent_t, sent_t = run_batched(self.encoder, texts, batch_size)
        hashes = [hashed(t) for t in texts] if self.lexical else []
        intent_l = self.lexical["intent"].log_proba(hashes) if "intent" in self.lexical else None
        sent_l = self.lexical["sentiment"].log_proba(hashes) if "sentiment" in self.lexical else None
        langs = [lang_of_text(t) for t in texts]
        return Scores(
            intent_t,
            sent_t,
            intent_l,
            sent_l,
            np.exp(self.calibration["intent"].log_proba(intent_t, intent_l, langs)),
            np.exp(self.calibration["sentiment"].log_proba(sent_t, sent_l, langs)),
        )


def make_encoder(
    model_dir: Path, tokens: Tokens, *, backend: str, threads: int, n_intents: int, n_sentiments: int
) -> Encoder:
    """ONNX Runtime int8 when asked, or when available and exported ("auto"); else PyTorch."""
    onnx_path = model_dir / ONNX_FILE
    if backend == "onnx" or (backend == "auto" and onnx_path.is_file() and onnx_available()):
        return OnnxEncoder(onnx_path, tokens, threads)
    if backend not in ("auto", "torch"):
        raise NluError(f"unknown backend {backend!r} (known: auto, onnx, torch)")
    from nlu.model import load_net

    net = load_net(model_dir, n_intents, n_sentiments)
    return TorchEncoder(net, tokens, threads)
