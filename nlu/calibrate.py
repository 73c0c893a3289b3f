"""Combine transformer and lexical scores, and calibrate them, on a held-out split.

The served probability is ``softmax(((1 - w) * log p_transformer + w * log p_lexical) / T)``. ``w`` and
``T`` minimise the negative log-likelihood on the calibration split (``w = 0`` is plain temperature
scaling of the transformer), so confidences mean what they say: see :func:`expected_calibration_error`.
Each language gets its own pair: the lexical model reads Chinese better than the transformer does.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

WEIGHT_GRID = tuple(round(0.1 * i, 1) for i in range(11))


@dataclass(frozen=True, slots=True)
class Calibration:
    """Lexical share ``weight`` in [0, 1], ``temperature`` > 0 and, optionally, a ``bias`` per class.

    The bias ("vector scaling", Guo et al. 2017) corrects a model that favours one class across the
    board: trained on many more ``other`` rows than rows of any one intent, it said ``other`` too
    often, and the fitted bias takes that back on the calibration rows.
    """

    weight: float = 0.0
    temperature: float = 1.0
    bias: tuple[float, ...] = ()

    def log_proba(self, transformer_logits: np.ndarray, lexical_log_proba: np.ndarray | None) -> np.ndarray:
        """Calibrated log-probabilities."""
        z = (1.0 - self.weight) * log_softmax(transformer_logits)
        if lexical_log_proba is not None and self.weight > 0:
            z = z + self.weight * lexical_log_proba
        z = z / self.temperature
        if self.bias:
            z = z + np.asarray(self.bias)
        return log_softmax(z)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax."""
    z = np.asarray(z, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_proba: np.ndarray = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return log_proba


def nll(log_proba: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood of the true classes."""
    return float(-log_proba[np.arange(len(y)), y].mean())


def fit_calibration(
    transformer_logits: np.ndarray,
    lexical_log_proba: np.ndarray | None,
    y: np.ndarray,
    *,
    weights: tuple[float, ...] = WEIGHT_GRID,
    class_bias: bool = False,
) -> Calibration:
    """The (weight, temperature) with the lowest NLL on held-out rows ``y``; then, with
    ``class_bias``, the per-class bias that lowers it further (L2-penalised, so classes with few
    rows keep a bias near 0)."""
    from scipy.optimize import minimize_scalar

    best = Calibration()
    best_nll = np.inf
    for w in weights if lexical_log_proba is not None else (0.0,):

        def loss(log_t: float, w: float = w) -> float:
            return nll(
                Calibration(w, float(np.exp(log_t))).log_proba(transformer_logits, lexical_log_proba), y
            )

        found = minimize_scalar(loss, bounds=(-3.0, 3.0), method="bounded")
        if found.fun < best_nll:
            best_nll, best = float(found.fun), Calibration(w, float(np.exp(found.x)))
    if class_bias:
        best = _with_bias(best, best.log_proba(transformer_logits, lexical_log_proba), y)
    return best


BIAS_PENALTY = 0.01


def _with_bias(cal: Calibration, log_proba: np.ndarray, y: np.ndarray) -> Calibration:
    from scipy.optimize import minimize

    rows = np.arange(len(y))

    def loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        lp = log_softmax(log_proba + b)
        grad = np.exp(lp).mean(axis=0) - np.bincount(y, minlength=log_proba.shape[1]) / len(y)
        return float(-lp[rows, y].mean() + BIAS_PENALTY * (b @ b)), grad + 2 * BIAS_PENALTY * b

    found = minimize(loss, np.zeros(log_proba.shape[1]), jac=True, method="L-BFGS-B")
    return Calibration(cal.weight, cal.temperature, tuple(round(float(v), 5) for v in found.x))


@dataclass(frozen=True, slots=True)
class LanguageCalibration:
    """One :class:`Calibration` per language, and one fitted on all rows for the other languages."""

    default: Calibration = Calibration()
    by_lang: dict[str, Calibration] = field(default_factory=dict)

    def log_proba(
        self, transformer_logits: np.ndarray, lexical_log_proba: np.ndarray | None, langs: Sequence[str]
    ) -> np.ndarray:
        """Calibrated log-probabilities; ``langs`` gives each row's language."""
        if len(set(langs)) == 1:  # the usual case (one message, or a batch in one language): no copying
            return self.by_lang.get(langs[0], self.default).log_proba(transformer_logits, lexical_log_proba)
        out = np.empty(transformer_logits.shape, dtype=np.float64)
        codes = np.asarray(langs)
        for lang in set(langs):
            rows = np.flatnonzero(codes == lang)
            lex = None if lexical_log_proba is None else lexical_log_proba[rows]
            out[rows] = self.by_lang.get(lang, self.default).log_proba(transformer_logits[rows], lex)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"default": self.default.to_dict(), **{k: v.to_dict() for k, v in self.by_lang.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LanguageCalibration:
        """Inverse of :meth:`to_dict`; an empty dict gives the identity calibration."""
        parts = {k: Calibration(**{**v, "bias": tuple(v.get("bias", ()))}) for k, v in data.items()}
        return cls(parts.pop("default", Calibration()), parts)


def fit_language_calibration(
    transformer_logits: np.ndarray,
    lexical_log_proba: np.ndarray | None,
    y: np.ndarray,
    langs: Sequence[str],
    *,
    min_rows: int = 100,
    class_bias: bool = False,
    lexical_langs: frozenset[str] | None = None,
) -> LanguageCalibration:
    """A calibration per language that has at least ``min_rows`` held-out rows, plus a shared one.

    With ``lexical_langs``, only those languages may give the lexical model a share (the others,
    and the shared calibration, use the transformer alone)."""
    default = fit_calibration(
        transformer_logits,
        lexical_log_proba if lexical_langs is None else None,
        y,
        class_bias=class_bias,
    )
    codes = np.asarray(langs)
    by_lang = {}
    for lang in sorted(set(langs)):
        rows = np.flatnonzero(codes == lang)
        if len(rows) >= min_rows:
            mixed = lexical_log_proba is not None and (lexical_langs is None or lang in lexical_langs)
            lex = lexical_log_proba[rows] if mixed and lexical_log_proba is not None else None
            by_lang[lang] = fit_calibration(transformer_logits[rows], lex, y[rows], class_bias=class_bias)
    return LanguageCalibration(default, by_lang)


def expected_calibration_error(proba: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins."""
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            total += inside.mean() * abs(conf[inside].mean() - correct[inside].mean())
    return float(total)
