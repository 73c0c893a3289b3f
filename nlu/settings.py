"""What decides a training run (:class:`TrainSettings`) and what it returns (:class:`TrainResult`).

Kept free of torch so that the bot can build settings without loading the deep-learning stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlu.runtime import default_model_dir

if TYPE_CHECKING:
    from bot.config.schema import NluConfig

Examples = dict[str, dict[str, list[str]]]  # intent -> locale -> phrases


HELD_OUT_SOURCES = ("sst2",)
"""Public sets the default training never reads, so the benchmark can show accuracy on unseen data."""


def _default_train_caps() -> dict[str, int]:
    """Rows per public source for fine-tuning (SST-2 is held out entirely: see ``HELD_OUT_SOURCES``).

    Fine-tuning costs about 1.3 ms per token on one core; with the own set, 2 epochs and 48 tokens at
    most, the default run is sized to finish within 15 minutes on a 2-core AVX2 machine.
    """
    return {
        "bitext": 600,
        "banking77": 300,
        "clinc": 400,
        "smp2017": 400,
        "crosswoz": 300,
        "online_shopping": 3000,
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
    own_cap: int | None = 450  # own template rows per (language, intent), spread over its templates
    own_eval_cap: int | None = None
    use_public: bool = True
    data_dir: Path | None = None
    train_caps: dict[str, int] = field(default_factory=_default_train_caps)
    lexical_caps: dict[str, int] = field(default_factory=_default_lexical_caps)
    eval_caps: dict[str, int] = field(default_factory=_default_eval_caps)
    extend_vocab: bool = True
    gloss_init: bool = True  # new hanzi/emoji rows start at their English gloss (nlu.glosses)
    zh_words: int = 6000  # the most frequent CC-CEDICT words of the Chinese training text become tokens
    lexical: bool = True
    export_onnx: bool = True
    threshold: float = 0.35  # saved with the model: below it the served intent is "other" (unsure)
    out_dir: Path = field(default_factory=default_model_dir)
    examples: Examples = field(default_factory=dict)  # admin phrases from config.yaml's nlu.intents
    threads: int = 1  # torch threads for fine-tuning (see training_threads)

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
        """Threads for fine-tuning: ``threads`` (default 1).

        Training is a fixed number of steps, and with the same seed, data and thread count it gives
        the same model, bit for bit; another thread count sums in another order and gives a slightly
        different one. One thread also leaves the other core to the bot while the first model trains.
        """
        return max(1, self.threads)

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
