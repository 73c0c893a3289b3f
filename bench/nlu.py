"""Benchmark the triage classifier: accuracy on data training never sees, behaviour, and speed.

    python bench/nlu.py                                  # everything (about 40 min on 2 cores)
    python bench/nlu.py --parts triage,suites,speed --model var/models/triage
    python bench/nlu.py --json var/bench/nlu.json

Parts:
- ``triage``: the project's own held-out templates, per language.
- ``suites``: the behavioural suites (``nlu/data/behaviour.yaml``: negation, lookalikes, sarcasm,
  emoji, ...) and the realistic messages (``nlu/data/realistic.jsonl``: intent macro-F1, sentiment,
  escalation recall), the blind sets, and public reviews read as customers' messages (SST-2 dev and
  the Chinese shopping reviews' test split up to 60 characters: negative ones should reach a person,
  positive ones should not), judged with config.yaml's triage rules. None is ever trained on.
- ``ood``: SST-2, a public data set the default training never reads (held out entirely), beside a
  TF-IDF baseline trained on exactly the rows our model was trained on: what the transformer adds
  on unseen data.
- ``zh_sentiment``: online_shopping_10_cats held-out reviews, split at 60 characters: chat-length
  messages (where the target is to beat the lexical baseline trained on the same rows) and long
  reviews (for information).
- ``speed``: latency at batch 1 on one thread; throughput with micro-batches of 32 on two threads.
- ``banking77``: the same recipe trained on BANKING77's 77 intents and tested on its test file.

The triage model is the one in ``--model``; when that directory holds no model (or with
``--retrain``) it is first trained with the default settings, and the time that took is reported.
``--refit`` keeps an existing model's fine-tuned network and refits only its lexical models,
calibration and thresholds on the current code (seconds instead of minutes of fine-tuning).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlu.behaviour import Labelled
from nlu.corpus import Corpus, build_corpus
from nlu.data import Example, load_triage, split_of
from nlu.evaluation import metrics, sentiment_predictions
from nlu.public import banking77, data_dir, online_shopping, sst2_dev
from nlu.runtime import TransformerClassifier, model_is_ready
from nlu.scorer import Scorer
from nlu.settings import HELD_OUT_SOURCES, TrainSettings
from nlu.tables import BLIND_TITLE, behaviour_table, escalation_table, realistic_table
from nlu.training import refit, train, train_corpus

PARTS = ("triage", "suites", "ood", "zh_sentiment", "speed", "banking77")
REVIEWS_TITLE = (
    "public reviews as messages (SST-2 dev en, shopping reviews test zh <= 60 chars; never trained on)"
)
CHAT_LENGTH = 60  # characters: longer reviews are reported for information only
log = logging.getLogger("bench.nlu")


def tfidf_baseline(
    train_rows: list[Example], test_rows: list[Example], calib_rows: list[Example], *, analyzer: str
) -> dict[str, Any]:
    """TF-IDF + logistic regression, C picked on the calibration rows: the lexical baseline.

    Trained on the classes of ``train_rows``; on binary test rows (reviews: negative or positive) it
    decides between those two only, as our model does.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    ngrams = (1, 3) if analyzer == "char" else (1, 2)
    vec = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, min_df=2)
    x = vec.fit_transform([e.text for e in train_rows])
    x_calib, x_test = vec.transform([e.text for e in calib_rows]), vec.transform([e.text for e in test_rows])
    y = [_label(e) for e in train_rows]
    y_calib = np.array([_label(e) for e in calib_rows])
    fits = {c: LogisticRegression(C=c, max_iter=1000).fit(x, y) for c in (1.0, 4.0, 16.0)}
    best = max(fits, key=lambda c: float(np.mean(fits[c].predict(x_calib) == y_calib)))
    model = fits[best]
    labels = [str(c) for c in model.classes_]
    proba = model.predict_proba(x_test)
    pred_idx = sentiment_predictions(proba, test_rows, labels) if "neutral" in labels else proba.argmax(1)
    pred, truth = [labels[i] for i in pred_idx], [_label(e) for e in test_rows]
    names = sorted(set(truth) | set(pred))
    m = metrics([names.index(t) for t in truth], [names.index(p) for p in pred])
    return {
        **m,
        "C": best,
        "train_rows": len(train_rows),
        "seconds": round(time.monotonic() - started, 1),
        "correct": (np.asarray(pred) == np.asarray(truth)).tolist(),
    }


def _label(e: Example) -> str:
    return str(e.sentiment or e.intent)


def ensure_model(model_dir: Path, public: Path, retrain: bool, seed: int) -> dict[str, Any] | None:
    """Train the default model with ``seed`` into ``model_dir`` unless one is there; returns its timings."""
    if model_is_ready(model_dir) and not retrain:
        return None
    log.info("training the default model into %s", model_dir)
    started = time.monotonic()
    result = train(replace(TrainSettings(), out_dir=model_dir, data_dir=public, seed=seed))
    steps = result.card["training"].get("steps")
    return {"wall_s": round(time.monotonic() - started, 1), "steps": steps, **result.card["timings_s"]}


def bench_banking77(public: Path, out_dir: Path, seed: int) -> dict[str, Any]:
    """Our recipe on the 77 banking intents; 10% of train (by hash) is held out for calibration."""
    rows = banking77(public, mapped_only=False)
    train_rows = [e for e in rows if e.split == "train"]
    calib = [e for e in train_rows if split_of(e.text, test=0.0, calib=0.1) == "calib"]
    fit_rows = [e for e in train_rows if split_of(e.text, test=0.0, calib=0.1) == "train"]
    test = [e for e in rows if e.split == "test"]
    intents = sorted({str(e.intent) for e in rows})
    sources = {"banking77": {"train": len(fit_rows), "calib": len(calib), "test": len(test)}}
    corpus = Corpus(fit_rows, fit_rows, calib, test, sources)
    settings = replace(TrainSettings(), seed=seed, epochs=3.0, out_dir=out_dir, extend_vocab=False)
    started = time.monotonic()
    report = train_corpus(corpus, intents, settings).card["metrics"]["intent"]
    return {
        **report["all"]["all"],
        "components": {k: v["all"]["all"] for k, v in report["components"].items()},
        "tfidf_word_baseline": {
            k: v for k, v in tfidf_baseline(fit_rows, test, calib, analyzer="word").items() if k != "correct"
        },
        "train_s": round(time.monotonic() - started, 1),
    }


def sentiment_scores(scorer: Scorer, rows: list[Example]) -> dict[str, Any]:
    """Accuracy of the served (calibrated) mix, and of each of its two parts alone."""
    scores = scorer.scores([e.text for e in rows])
    labels = scorer.sentiments
    y = [labels.index(str(e.sentiment)) for e in rows]
    pred = sentiment_predictions(scores.sentiment_proba, rows, labels)
    out: dict[str, Any] = {**metrics(y, pred), "correct": (pred == np.asarray(y)).tolist()}
    out["transformer_only"] = metrics(y, sentiment_predictions(scores.sentiment_transformer, rows, labels))
    if scores.sentiment_lexical is not None:
        out["lexical_only"] = metrics(y, sentiment_predictions(scores.sentiment_lexical, rows, labels))
    return out


def training_corpus(public: Path, seed: int) -> Corpus:
    """The rows the default training reads (the same call ``nlu.train`` makes)."""
    return build_corpus(TrainSettings(data_dir=public, seed=seed))


def _paired(ours: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    mine, theirs = np.array(ours.pop("correct")), np.array(baseline.pop("correct"))
    return {
        "ours": ours,
        "baseline": baseline,
        # paired view on the same rows: only these decide which model is better
        "only_ours_right": int((mine & ~theirs).sum()),
        "only_baseline_right": int((~mine & theirs).sum()),
    }


def bench_zh_sentiment(scorer: Scorer, public: Path, corpus: Corpus) -> dict[str, Any]:
    """Held-out reviews, chat-length and long: ours against a char-n-gram TF-IDF baseline trained on
    exactly the sentiment rows our model was trained on."""
    rows = [e for e in online_shopping(public) if e.split == "test"]
    train_rows = [e for e in corpus.lexical if e.sentiment]
    calib = [e for e in corpus.calib if e.sentiment]
    out: dict[str, Any] = {}
    for name, part in (
        ("chat", [e for e in rows if len(e.text) <= CHAT_LENGTH]),
        ("long", [e for e in rows if len(e.text) > CHAT_LENGTH]),
    ):
        out[name] = _paired(
            sentiment_scores(scorer, part), tfidf_baseline(train_rows, part, calib, analyzer="char")
        )
    return out


def bench_ood(scorer: Scorer, public: Path, corpus: Corpus) -> dict[str, Any]:
    """SST-2 dev, a data set the default training never reads, against a word TF-IDF baseline trained
    on exactly the sentiment rows our model was trained on."""
    if "sst2" in corpus.sources or "sst2" not in HELD_OUT_SOURCES:
        raise SystemExit("the training corpus reads SST-2, so it cannot be the unseen data set")
    dev = sst2_dev(public)
    train_rows = [e for e in corpus.lexical if e.sentiment]
    calib = [e for e in corpus.calib if e.sentiment]
    return {
        "dataset": "sst2_dev",
        **_paired(sentiment_scores(scorer, dev), tfidf_baseline(train_rows, dev, calib, analyzer="word")),
    }


def bench_suites(model_dir: Path, config: Path, public: Path) -> dict[str, Any]:
    """The behavioural suites, the realistic and blind messages, and the public reviews as customers'
    messages, judged with ``config``'s triage rules."""
    from bot.config import load_config
    from nlu.behaviour import load_blind, load_cases, load_realistic, run_cases, run_realistic

    loaded = load_config(config)
    clf = TransformerClassifier(model_dir, threshold=loaded.nlu.threshold)
    rules, threshold = loaded.triage, loaded.nlu.threshold
    return {
        "behaviour": run_cases(load_cases(), clf.classify, rules, threshold),
        "realistic": run_realistic(load_realistic(), clf.classify, rules, threshold),
        "blind": run_realistic(load_blind(), clf.classify, rules, threshold),
        "reviews": run_realistic(review_messages(public), clf.classify, rules, threshold),
    }


def review_messages(public: Path) -> list[Labelled]:
    """Public reviews training never reads, as customers' messages: SST-2 dev (English, whole) and the
    test split of the Chinese shopping reviews up to :data:`CHAT_LENGTH` characters. A negative review
    is a customer who should reach a person, a positive one a calm customer (only the escalation rows
    of their table mean anything: the intents are made up from the sentiment)."""
    zh = [e for e in online_shopping(public) if e.split == "test" and len(e.text) <= CHAT_LENGTH]
    return [
        Labelled(e.text, e.lang, "complaint" if e.sentiment == "negative" else "other", str(e.sentiment))
        for e in [*sst2_dev(public), *zh]
    ]


def bench_triage(scorer: Scorer) -> dict[str, Any]:
    """The own held-out templates: intent and sentiment per language, and the threshold's effect."""
    from nlu.evaluation import evaluate_examples

    test = [e for e in load_triage() if e.split == "test"]
    report = evaluate_examples(scorer, test, float(scorer.meta["threshold"]))
    per_intent = report["intent"]["per_intent_f1"]
    weakest = {
        lang: min(({"intent": k, "f1": v} for k, v in f1.items()), key=lambda w: w["f1"])
        for lang, f1 in per_intent.items()
    }
    return {
        "intent": report["intent"]["triage"],
        "sentiment": report["sentiment"]["triage"],
        "per_intent_f1": per_intent,
        "weakest": weakest,
        "ece": report["intent"]["ece"],
        "threshold_effect": report["threshold_effect"],
    }


def bench_speed(model_dir: Path, backend: str, rounds: int = 3) -> dict[str, Any]:
    """Latency per message at batch 1 on one thread; throughput in micro-batches on two threads.

    The latency is taken over ``rounds`` passes of the same 500 messages: the p50 of each pass shows
    how much a shared machine moves the figure from one minute to the next.
    """
    texts = [e.text for e in load_triage() if e.split == "test"]
    clf = TransformerClassifier(model_dir, backend=backend, threads=1)
    clf.classify(texts[:50])  # warm up
    latencies: list[float] = []
    round_p50 = []
    for _ in range(rounds):
        this_round = []
        for text in texts[:500]:
            t0 = time.perf_counter()
            clf.classify([text])
            this_round.append((time.perf_counter() - t0) * 1000)
        round_p50.append(round(statistics.median(this_round), 2))
        latencies += this_round
    batches = [texts[i : i + 32] for i in range(0, len(texts), 32)]
    with ThreadPoolExecutor(2) as pool:  # classify releases the GIL while the network runs
        list(pool.map(clf.classify, batches[:4]))
        t0 = time.perf_counter()
        done = sum(len(r) for r in pool.map(clf.classify, batches))
        elapsed = time.perf_counter() - t0
    return {
        "backend": clf.scorer.encoder.name,
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(float(np.percentile(latencies, 99)), 2),
        "round_p50_ms": round_p50,
        "throughput_msg_s": round(done / elapsed, 1),
        "messages": done,
        "load_average": round(os.getloadavg()[0], 2),
    }


def _f(x: float) -> str:
    return f"{x:.4f}"


def table(results: dict[str, Any]) -> Table:
    """The results as a rich table: measure, value, target or reference."""
    t = Table(title="triage classifier benchmark (held-out data only)")
    for col in ("measure", "ours", "target / reference"):
        t.add_column(col)
    if "training" in results:
        tr = results["training"]
        t.add_row(
            "default training, wall time (s)", str(tr["wall_s"]), f"<= 900 ({tr.get('steps', '?')} steps)"
        )
    if "triage" in results:
        tr = results["triage"]
        for lang in ("en", "zh"):
            i, s, weak = tr["intent"][lang], tr["sentiment"][lang], tr["weakest"][lang]
            t.add_row(
                f"own intents macro-F1, {lang} (n={i['n']})",
                _f(i["macro_f1"]),
                f">= 0.90; weakest intent {weak['intent']} {_f(weak['f1'])} (>= 0.80)",
            )
            t.add_row(f"own sentiment macro-F1, {lang}", _f(s["macro_f1"]), f"accuracy {_f(s['accuracy'])}")
        t.add_row(
            "own intents ECE, raw -> calibrated",
            f"{tr['ece']['transformer_raw']} -> {tr['ece']['calibrated']}",
            "",
        )
    if "ood" in results:
        o = results["ood"]
        t.add_row(
            f"unseen data set: SST-2 dev accuracy (n={o['ours']['n']})",
            _f(o["ours"]["accuracy"]),
            f"TF-IDF word + LR on our training rows {_f(o['baseline']['accuracy'])}",
        )
        t.add_row(
            "  transformer alone / lexical alone",
            f"{_f(o['ours']['transformer_only']['accuracy'])} / {_f(o['ours']['lexical_only']['accuracy'])}",
            f"only ours right {o['only_ours_right']}, only baseline {o['only_baseline_right']}",
        )
    if "zh_sentiment" in results:
        for name, label in (
            ("chat", f"<= {CHAT_LENGTH} chars"),
            ("long", f"> {CHAT_LENGTH} chars, information"),
        ):
            z = results["zh_sentiment"][name]
            o = z["ours"]
            base = z["baseline"]["accuracy"]
            t.add_row(
                f"zh review sentiment, {label} (n={o['n']})",
                _f(o["accuracy"]),
                f"{'> ' if name == 'chat' else ''}{_f(base)} (TF-IDF char on our training rows)",
            )
            t.add_row(
                "  transformer alone / lexical alone; only ours / only baseline right",
                f"{_f(o['transformer_only']['accuracy'])} / {_f(o['lexical_only']['accuracy'])}",
                f"{z['only_ours_right']} / {z['only_baseline_right']}",
            )
    for sp in results.get("speed", []):
        name = sp["backend"]
        rounds = ", ".join(str(x) for x in sp["round_p50_ms"])
        t.add_row(
            f"{name}: batch-1 p50 / p99 ms, 1 thread",
            f"{sp['p50_ms']} / {sp['p99_ms']}",
            f"p50 <= 5 (per round: {rounds})",
        )
        t.add_row(
            f"{name}: msg/s, batches of 32, 2 threads",
            str(sp["throughput_msg_s"]),
            f">= 300 (load average {sp['load_average']})",
        )
    if "banking77" in results:
        b = results["banking77"]
        c = b["components"]
        t.add_row("banking77 test accuracy (77 intents, own recipe)", _f(b["accuracy"]), ">= 0.93")
        t.add_row(
            "  transformer alone / lexical alone",
            f"{_f(c['transformer']['accuracy'])} / {_f(c['lexical']['accuracy'])}",
            f"TF-IDF word + LR {_f(b['tfidf_word_baseline']['accuracy'])}",
        )
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}"
    )
    parser.add_argument("--model", type=Path, default=Path("var/models/bench-triage"))
    parser.add_argument("--retrain", action="store_true", help="train --model even when it exists")
    parser.add_argument(
        "--refit",
        action="store_true",
        help="refit --model's lexical models and calibration on the current code, keeping its network",
    )
    parser.add_argument("--work", type=Path, default=Path("var/models/bench-work"))
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--config", type=Path, default=Path("config.yaml"), help="triage rules for the suites"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ["HF_HUB_OFFLINE"] = "1"
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    public = args.data_dir or data_dir()
    results: dict[str, Any] = {"parts": parts}
    started = time.monotonic()
    console = Console(width=140)
    if set(parts) - {"banking77"}:
        if training := ensure_model(args.model, public, args.retrain, args.seed):
            results["training"] = training
        elif args.refit:
            log.info("refitting the lexical models and calibration of %s", args.model)
            results["refit"] = refit(args.model, replace(TrainSettings(), data_dir=public))["refitted"]
        scorer = Scorer(args.model)
        corpus = training_corpus(public, args.seed) if {"ood", "zh_sentiment"} & set(parts) else None
        if "triage" in parts:
            results["triage"] = bench_triage(scorer)
        if "suites" in parts:
            results["suites"] = bench_suites(args.model, args.config, public)
        if "ood" in parts and corpus is not None:
            results["ood"] = bench_ood(scorer, public, corpus)
        if "zh_sentiment" in parts and corpus is not None:
            results["zh_sentiment"] = bench_zh_sentiment(scorer, public, corpus)
        if "speed" in parts:
            results["speed"] = [bench_speed(args.model, backend) for backend in ("onnx", "torch")]
    if "banking77" in parts:
        results["banking77"] = bench_banking77(public, args.work / "banking77", args.seed)
    results["bench_wall_s"] = round(time.monotonic() - started, 1)
    console.print(table(results))
    if "suites" in results:
        console.print(behaviour_table(results["suites"]["behaviour"]))
        console.print(realistic_table(results["suites"]["realistic"]))
        console.print(realistic_table(results["suites"]["blind"], BLIND_TITLE))
        console.print(escalation_table(results["suites"]["reviews"], REVIEWS_TITLE))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
