"""What decides a training run (:class:`TrainSettings`) and what it returns (:class:`TrainResult`).

Kept free of torch so that the bot can build settings without loading the deep-learning stack.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlu.runtime import default_model_dir

if TYPE_CHECKING:
    from bot.config.schema import NluConfig

Examples = dict[str, dict[str, list[str]]]  # intent -> locale -> phrases


def _default_train_caps() -> dict[str, int]:
    """Rows per public source for fine-tuning.

    Fine-tuning costs about 1.3 ms per token on one core, so these caps (with the own set, 2 epochs
    and 48 tokens at most) keep a default run near 300k tokens: 7-8 minutes on one busy core.
    """
    return {
        "bitext": 600,
        "banking77": 300,
        "clinc": 400,
        "smp2017": 400,
        "crosswoz": 300,
        "online_shopping": 1200,
        "sst2": 600,
    }


def _default_lexical_caps() -> dict[str, int]:
    """Rows per public source for the lexical model (cheap, so it reads far more)."""
    return {
        "bitext": 4000,
        "banking77": 2000,
        "clinc": 6000,
        "smp2017": 3000,
        "crosswoz": 5000,
        "online_shopping": 50000,
        "sst2": 20000,
    }


def _default_eval_caps() -> dict[str, int]:
    """Held-out rows per public source, for calibration and again for evaluation."""
    return {
        "bitext": 400,
        "banking77": 200,
        "clinc": 400,
        "smp2017": 300,
        "crosswoz": 300,
        "online_shopping": 1000,
        "sst2": 400,
    }


@dataclass
class TrainSettings:
    """Everything that decides a training run; the same settings, data and seed give the same model."""

    seed: int = 13
    epochs: float = 2.0
    batch_size: int = 32
    max_length: int = 48  # tokens; chat messages are shorter, reviews get cut
    num_layers: int | None = None  # keep only the lowest N encoder layers (config nlu.layers; small runs)
    lr: float = 1e-4
    embedding_lr: float = 1e-3  # the new CJK rows start untrained and must move far
    head_lr: float = 2e-3
    warmup: float = 0.06
    own_cap: int | None = 300  # own training rows per (language, intent), spread over its templates
    own_eval_cap: int | None = None
    use_public: bool = True
    data_dir: Path | None = None
    train_caps: dict[str, int] = field(default_factory=_default_train_caps)
    lexical_caps: dict[str, int] = field(default_factory=_default_lexical_caps)
    eval_caps: dict[str, int] = field(default_factory=_default_eval_caps)
    extend_vocab: bool = True
    lexical: bool = True
    export_onnx: bool = True
    threshold: float = 0.55  # saved with the model: below it the served intent is "other"
    out_dir: Path = field(default_factory=default_model_dir)
    examples: Examples = field(default_factory=dict)  # admin phrases from config.yaml's nlu.intents
    time_budget_s: float | None = 600.0  # stop fine-tuning early (noted in the card) rather than overrun
    threads: int | None = None  # torch threads; None: one less than the CPUs (see training_threads)

    @classmethod
    def small(cls, **overrides: Any) -> TrainSettings:
        """A seconds-long configuration for tests and CI: 2 layers, own data only, few rows per intent."""
        base = cls(
            epochs=3,
            batch_size=16,
            max_length=32,
            num_layers=2,
            own_cap=36,
            own_eval_cap=360,
            use_public=False,
            lr=3e-4,
            embedding_lr=3e-3,
            time_budget_s=None,
        )
        return replace(base, **overrides)

    @classmethod
    def from_config(cls, nlu: NluConfig | None, *, small: bool = False, **overrides: Any) -> TrainSettings:
        """Settings for ``config.yaml``'s ``nlu:`` section: its model_dir, threshold, layers and intent
        examples.

        ``small`` starts from :meth:`small` instead of the defaults; ``overrides`` win over both.
        """
        base = cls.small() if small else cls()
        if nlu is None:
            return replace(base, **overrides)
        from_nlu: dict[str, Any] = {
            "out_dir": Path(nlu.model_dir),
            "threshold": nlu.threshold,
            "examples": examples_of(nlu.intents),
        }
        if nlu.layers is not None:
            from_nlu["num_layers"] = nlu.layers
        return replace(base, **{**from_nlu, **overrides})

    def training_threads(self) -> int:
        """Threads for fine-tuning: ``threads``, else all CPUs but one, which stays with the bot.

        On 2 busy cores one thread trains faster than two (small run: 30 s against 148 s, load 5).
        """
        return self.threads or max(1, (os.cpu_count() or 2) - 1)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-friendly data (for the model card)."""
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class TrainResult:
    """Where the model went, and its model card (also saved as ``model_card.json`` there)."""

    model_dir: Path
    card: dict[str, Any]


def examples_of(intents: Mapping[str, Any]) -> Examples:
    """Intent -> locale -> phrases, from config intents (objects with an ``examples`` mapping)."""
    return {
        name: {locale: [str(p) for p in phrases] for locale, phrases in spec.examples.items()}
        for name, spec in intents.items()
    }
