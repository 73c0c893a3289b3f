"""The training mix: which rows of which source go to the transformer, the lexical model and evaluation."""

from __future__ import annotations

import itertools
import logging
import random
from dataclasses import dataclass, field

from nlu.data import Example, config_examples, drop_leaks, load_triage, sample, with_split
from nlu.generate import stable_fraction
from nlu.public import data_dir, load_public
from nlu.settings import TrainSettings

log = logging.getLogger(__name__)


@dataclass
class Corpus:
    """Rows per purpose, and a note of what was used."""

    train: list[Example]  # transformer fine-tuning
    lexical: list[Example]  # lexical model (cheap to train, so it gets more rows)
    calib: list[Example]
    test: list[Example]
    sources: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    data_dir: str = ""


def _first(rows: list[Example], cap: int | None) -> list[Example]:
    """At most ``cap`` rows in a stable, seed-independent order (for held-out splits)."""
    ordered = sorted(rows, key=lambda e: stable_fraction(e.source + e.text))
    return ordered if cap is None else ordered[:cap]


def _per_group(rows: list[Example], cap: int | None, seed: int) -> list[Example]:
    """At most ``cap`` template rows per (language, intent), spread over as many templates as possible.

    Composed rows (:mod:`nlu.compose`) are not capped: the generator already bounds each family,
    and they must not crowd out an intent's templates.
    """
    if cap is None:
        return rows
    groups: dict[tuple[str, str | None], list[Example]] = {}
    composed = []
    for e in rows:
        if ":compose:" in e.template:
            composed.append(e)
        else:
            groups.setdefault((e.lang, e.intent), []).append(e)
    return [e for key in sorted(groups, key=str) for e in _spread(groups[key], cap, seed)] + composed


def _spread(rows: list[Example], cap: int, seed: int) -> list[Example]:
    """``cap`` rows taken round-robin over the templates, in a seeded random order."""
    by_template: dict[str, list[Example]] = {}
    for e in random.Random(seed).sample(rows, len(rows)):
        by_template.setdefault(e.template, []).append(e)
    rounds = itertools.zip_longest(*by_template.values())
    return [e for row in rounds for e in row if e is not None][:cap]


def build_corpus(settings: TrainSettings) -> Corpus:
    """Assemble the mix the settings ask for; public sources not in ``train_caps`` are not used."""
    seed = settings.seed
    own = drop_leaks(load_triage())
    own_train = _per_group(with_split(own, "train"), settings.own_cap, seed)
    extra_rows = config_examples(settings.examples, seed=seed)
    train = own_train + extra_rows
    lexical = list(train)
    calib = _first(with_split(own, "calib"), settings.own_eval_cap)
    test = _first(with_split(own, "test"), settings.own_eval_cap)
    sources = {"triage": {"train": len(own_train), "calib": len(calib), "test": len(test)}}
    if extra_rows:
        sources["config"] = {"train": len(extra_rows)}
    root = settings.data_dir or data_dir()
    missing: list[str] = []
    if settings.use_public:
        found, missing = load_public(root)
        for name, rows in found.items():
            if name not in settings.train_caps:
                continue
            rows = drop_leaks(rows)
            pool = with_split(rows, "train")
            t = sample(pool, settings.train_caps[name], seed)
            lx = sample(pool, settings.lexical_caps.get(name, settings.train_caps[name]), seed + 1)
            c = _first(with_split(rows, "calib"), settings.eval_caps.get(name))
            s = _first(with_split(rows, "test"), settings.eval_caps.get(name))
            train += t
            lexical += lx
            calib += c
            test += s
            sources[name] = {"train": len(t), "lexical": len(lx), "calib": len(c), "test": len(s)}
        if missing:
            log.warning("public data sets not found under %s: %s", root, ", ".join(missing))
    if settings.use_public and not any(name in sources for name in settings.train_caps):
        log.warning(
            "no public data under %s: training from the project's own set only "
            "(less accurate; set CSATBOT_DATA_DIR)",
            root,
        )
    return Corpus(train, lexical, calib, test, sources, missing, str(root))
