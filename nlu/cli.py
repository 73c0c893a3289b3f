"""`csatbot nlu train|eval|classify` (Typer sub-app ``app``) and `csatbot classify` (``classify_command``).

Each command reads ``config.yaml``'s ``nlu:`` section (model directory, threshold, intent examples)
through ``bot.config.load_config``; options given on the command line win over it.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.errors import ConfigError
from nlu.errors import NluError
from nlu.tables import BLIND_TITLE, behaviour_table, realistic_table

if TYPE_CHECKING:
    from bot.config.schema import Config, NluConfig

app = typer.Typer(help="Train, evaluate and try the triage classifier.", no_args_is_help=True)
console = Console(stderr=True)
DEFAULT_CONFIG = Path("config.yaml")

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="config file whose nlu: section gives model_dir, threshold, intents"),
]
ModelOption = Annotated[
    Path | None, typer.Option(help="model directory (default: nlu.model_dir from the config)")
]
DataOption = Annotated[
    Path | None, typer.Option(help="public data sets (default: $CSATBOT_DATA_DIR or ../shared/data)")
]


def load(config: Path) -> Config | None:
    """The validated config; ``None`` when the default config file does not exist."""
    from bot.config import load_config

    if config == DEFAULT_CONFIG and not config.exists():
        return None
    return load_config(config)


def nlu_section(config: Path) -> NluConfig | None:
    """The validated ``nlu:`` section; ``None`` when the default config file does not exist."""
    loaded = load(config)
    return loaded.nlu if loaded is not None else None


def _model_dir(model: Path | None, nlu: NluConfig | None) -> Path:
    from nlu.runtime import default_model_dir

    if model is not None:
        return model
    return Path(nlu.model_dir) if nlu is not None else default_model_dir()


@contextlib.contextmanager
def _errors_to_exit() -> Iterator[None]:
    """Config problems exit with status 2, classifier problems with 1; both print one clear message."""
    try:
        yield
    except ConfigError as e:
        console.print(Text.assemble(("error: ", "red"), str(e)))
        raise typer.Exit(2) from e
    except NluError as e:
        console.print(Text.assemble(("error: ", "red"), str(e)))
        raise typer.Exit(1) from e


@contextlib.contextmanager
def _nlu_logs() -> Iterator[None]:
    """Show the nlu package's INFO logs above the progress bar while a command runs."""
    from rich.logging import RichHandler

    logger = logging.getLogger("nlu")
    handler = RichHandler(console=console, show_path=False)
    old = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # shown once, here, even when the caller also logs to the console
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old[0])
        logger.propagate = old[1]


@app.command("train")
def train_command(
    config: ConfigOption = DEFAULT_CONFIG,
    out: Annotated[Path | None, typer.Option(help="model directory (default: nlu.model_dir)")] = None,
    seed: Annotated[int, typer.Option(help="random seed; the same seed and data give the same model")] = 13,
    small: Annotated[bool, typer.Option(help="a seconds-long configuration (tests, smoke checks)")] = False,
    data_dir: DataOption = None,
) -> None:
    """Train the model from the config and data, calibrate it, and write it with its model card."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from nlu.settings import TrainSettings
    from nlu.training import train

    with _errors_to_exit(), _nlu_logs():
        nlu = nlu_section(config)
        where = {
            "seed": seed,
            "out_dir": _model_dir(out, nlu),
            **({"data_dir": data_dir} if data_dir else {}),
        }
        settings = TrainSettings.from_config(nlu, small=small, **where)
        columns = (
            TextColumn("fine-tuning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
        )
        with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("train", total=None, loss="-")

            def report(step: int, total: int, loss: float) -> None:
                bar.update(task, completed=step, total=total, loss=f"{loss:.3f}")

            result = train(settings, progress=report)
    card = result.card
    triage = card["metrics"]["intent"]["triage"]
    console.print(
        f"model {card['model_id']} written to {result.model_dir} in {card['timings_s']['total_s']} s; "
        f"own held-out intent macro-F1: en {triage['en']['macro_f1']}, zh {triage['zh']['macro_f1']}",
        highlight=False,
    )
    for note in card["notes"]:
        console.print(Text.assemble(("note: ", "yellow"), note))


def _cell(m: dict[str, Any]) -> str:
    return f"{m['accuracy']:.3f} / {m['macro_f1']:.3f} ({m['n']})" if m.get("n") else "-"


def metrics_table(report: dict[str, Any]) -> Table:
    """Accuracy / macro-F1 per task, scope and language, then per public source."""
    table = Table(title="held-out accuracy / macro-F1 (n)")
    for col in ("task", "scope", "all", "en", "zh"):
        table.add_column(col)
    for task in ("intent", "sentiment"):
        for scope in ("triage", "all"):
            g = report[task][scope]
            table.add_row(
                task,
                "own set" if scope == "triage" else "all sources",
                *(_cell(g[k]) for k in ("all", "en", "zh")),
            )
        for src, m in report[task]["by_source"].items():
            if src != "triage":
                table.add_row(task, src, _cell(m), "", "")
    return table


def confusion_table(report: dict[str, Any], lang: str) -> Table:
    """The intent confusion matrix on the own held-out templates of one language."""
    labels = report["confusion"]["labels"]
    table = Table(title=f"intent confusion, own held-out set, {lang} (rows: true, columns: predicted)")
    table.add_column("")
    for label in labels:
        table.add_column(label[:8], justify="right")
    for label, row in zip(labels, report["confusion"][lang], strict=True):
        table.add_row(label, *(str(v) if v else "." for v in row))
    return table


@app.command("eval")
def eval_command(
    config: ConfigOption = DEFAULT_CONFIG,
    model: ModelOption = None,
    data_dir: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the full report as JSON")] = False,
) -> None:
    """Held-out accuracy and macro-F1 per task and language with a confusion matrix; the behavioural
    suites and the realistic messages, judged with the config's triage rules."""
    from nlu.behaviour import load_blind, load_cases, load_realistic, run_cases, run_realistic
    from nlu.evaluation import evaluate
    from nlu.runtime import TransformerClassifier

    with _errors_to_exit():
        loaded = load(config)
        nlu = loaded.nlu if loaded is not None else None
        path = _model_dir(model, nlu)
        report = evaluate(path, data_dir=data_dir, threshold=nlu.threshold if nlu else None)
        if loaded is not None:
            classifier = TransformerClassifier(path, threshold=loaded.nlu.threshold)
            rules, threshold = loaded.triage, loaded.nlu.threshold
            report["behaviour"] = run_cases(load_cases(), classifier.classify, rules, threshold)
            report["realistic"] = run_realistic(load_realistic(), classifier.classify, rules, threshold)
            report["blind"] = run_realistic(load_blind(), classifier.classify, rules, threshold)
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    out = Console(width=max(console.width, 140))
    out.print(metrics_table(report))
    for lang in ("en", "zh"):
        out.print(confusion_table(report, lang))
    effect = report["threshold_effect"]
    out.print(
        f"calibration error (ECE) intent {report['intent']['ece']}, sentiment {report['sentiment']['ece']}\n"
        f"threshold {report['threshold']}: {effect.get('share_below_threshold', 0):.1%} of own held-out "
        f"messages fall back to 'other'; accuracy above it {effect.get('accuracy_above_threshold', 0):.3f}",
        highlight=False,
    )
    if "behaviour" in report:
        out.print(behaviour_table(report["behaviour"]))
        out.print(realistic_table(report["realistic"]))
        out.print(realistic_table(report["blind"], BLIND_TITLE))
    else:
        out.print(f"no {config}: pass --config to judge the behavioural suites with its triage rules")


def classify_command(
    texts: Annotated[
        list[str] | None, typer.Argument(help="messages; one per stdin line when none given")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    model: ModelOption = None,
    threshold: Annotated[
        float | None, typer.Option(help="intent confidence below this gives 'other' (default: nlu.threshold)")
    ] = None,
    probs: Annotated[
        bool, typer.Option("--probs", help="also print the full calibrated distribution of each task")
    ] = False,
) -> None:
    """Print one JSON object per message: intent, sentiment, their calibrated confidences, how
    likely the customer should reach a person, and what the config's triage rules would do."""
    from bot.triage import judge
    from nlu.runtime import TransformerClassifier

    lines = list(texts) if texts else [line.rstrip("\r\n") for line in _readable(sys.stdin) if line.strip()]
    with _errors_to_exit():
        loaded = load(config)
        nlu = loaded.nlu if loaded is not None else None
        if threshold is None and nlu is not None:
            threshold = nlu.threshold
        classifier = TransformerClassifier(_model_dir(model, nlu), threshold=threshold)
        results = classifier.classify(lines)
        distributions = classifier.probabilities(lines) if probs else [None] * len(lines)
        rules = loaded.triage if loaded is not None else []
    for text, c, dist in zip(lines, results, distributions, strict=True):
        row: dict[str, Any] = {
            "text": text,
            "intent": c.intent,
            "intent_confidence": c.intent_confidence,
            "sentiment": c.sentiment,
            "sentiment_confidence": c.sentiment_confidence,
            "needs_human": c.needs_human,
            "needs_human_floor": c.needs_human_floor,
            "answer_floor": c.answer_floor,
            "withheld": c.withheld,
            "reread": c.reread,
            "model": c.model,
        }
        if rules:  # as the note agents see on the message (a message outside a survey)
            row["triage"] = judge(rules, c, classifier.threshold, during_survey=False, text=text).note
        if dist is not None:
            row["probabilities"] = dist
        typer.echo(json.dumps(row, ensure_ascii=False))


app.command("classify")(classify_command)


def _readable(stdin: Any) -> Any:
    """``stdin`` with each byte that is not UTF-8 read as U+FFFD (as platform text is cleaned): in a
    strict UTF-8 locale one such byte was a UnicodeDecodeError traceback before anything was read."""
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="replace")
    return stdin
