"""Labelled examples: the project's own triage set, admin examples from config, and the mix for training."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nlu.errors import NluError
from nlu.generate import TRIAGE_FILE, add_noise, stable_fraction
from nlu.labels import lang_of_locale

log = logging.getLogger(__name__)

Split = str  # "train" | "calib" | "test"
ExtraExamples = Mapping[str, Mapping[str, Iterable[str]]]  # intent -> locale -> phrases


@dataclass(frozen=True, slots=True)
class Example:
    """One text with an intent and/or a sentiment label (``None`` where the source has no such label)."""

    text: str
    lang: str
    intent: str | None
    sentiment: str | None
    source: str
    split: Split
    template: str = ""  # the own set's template (rows of one template are near-duplicates)


def split_of(key: str, test: float = 0.15, calib: float = 0.10) -> Split:
    """Deterministic split from a stable hash of ``key`` (the text for public data)."""
    f = stable_fraction(key)
    return "test" if f < test else "calib" if f < test + calib else "train"


def load_triage(path: Path = TRIAGE_FILE) -> list[Example]:
    """Read the project's own triage set (JSONL: text, lang, intent, sentiment, template, split)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise NluError(f"cannot read the triage set {path}: {e}") from e
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            labels = (raw["lang"], raw["intent"], raw["sentiment"])
            rows.append(Example(raw["text"], *labels, "triage", raw["split"], raw["template"]))
        except (ValueError, KeyError) as e:
            raise NluError(f"{path}:{n}: bad row ({e})") from e
    return rows


def config_examples(extra: ExtraExamples, *, min_rows: int = 40, seed: int = 0) -> list[Example]:
    """Turn admin phrases from config into training rows.

    A handful of phrases would drown among thousands of rows, so each (intent, locale) group is grown
    to ``min_rows`` by dressing the phrases as chat messages (openers, emoji, typos). All go to
    training: the admin chose them, and holding some back would drop an intent that has only a few.
    """
    rng = random.Random(seed)
    rows: list[Example] = []
    for intent, by_locale in extra.items():
        for locale, phrases in by_locale.items():
            lang = lang_of_locale(locale)
            clean = [p.strip() for p in phrases if p and p.strip()]
            rows.extend(Example(p, lang, intent, None, "config", "train") for p in clean)
            if not clean:
                continue
            for i in range(max(0, min_rows - len(clean))):
                text, _ = add_noise(clean[i % len(clean)], lang, intent, "neutral", rng)
                rows.append(Example(text, lang, intent, None, "config", "train"))
    return rows


def drop_leaks(examples: list[Example]) -> list[Example]:
    """Remove training rows whose text also appears in a held-out split (case-insensitive)."""
    held = {e.text.lower() for e in examples if e.split != "train"}
    kept = [e for e in examples if e.split != "train" or e.text.lower() not in held]
    if len(kept) != len(examples):
        log.info("dropped %d training rows that repeat held-out texts", len(examples) - len(kept))
    return kept


def sample(examples: list[Example], cap: int | None, seed: int) -> list[Example]:
    """At most ``cap`` rows, chosen reproducibly."""
    if cap is None or len(examples) <= cap:
        return list(examples)
    return random.Random(seed).sample(examples, cap)


def with_split(examples: Iterable[Example], split: Split) -> list[Example]:
    """Only the rows of one split."""
    return [e for e in examples if e.split == split]
