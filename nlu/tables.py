"""Rich tables for the behavioural suites and the realistic set (``csatbot nlu eval``, ``bench/nlu.py``)."""

from __future__ import annotations

from typing import Any

from rich.table import Table


def _rate(cell: dict[str, Any] | None) -> str:
    if not cell or not cell.get("n"):
        return "-"
    return f"{cell['rate']:.2f} ({cell['passed'] if 'passed' in cell else cell['hits']}/{cell['n']})"


def behaviour_table(report: dict[str, Any]) -> Table:
    """Pass rate per category and language; a category under the target is marked."""
    table = Table(title=f"behavioural suites: pass rate (passed/n), target at least {report['target']:.2f}")
    for col in ("category", "en", "zh", "all", ""):
        table.add_column(col)
    for name, langs in report["categories"].items():
        low = langs["all"]["rate"] < report["target"]
        table.add_row(
            name, _rate(langs.get("en")), _rate(langs.get("zh")), _rate(langs["all"]), "below" if low else ""
        )
    return table


BLIND_TITLE = "blind set (written before reading the training data; never trained on)"


def escalation_table(report: dict[str, Any], title: str) -> Table:
    """Only who reaches a person, for messages whose intents mean nothing (reviews labelled by sentiment)."""
    table = Table(title=f"{title}, shipped triage rules")
    for col in ("measure", "en", "zh", "all", "target"):
        table.add_column(col)
    langs = [report.get(k, {}) for k in ("en", "zh", "all")]
    for name, key, target in (
        ("negative: escalated", "escalation_recall", "at least 0.85"),
        ("positive: escalated", "calm_escalated", "at most 0.10"),
    ):
        table.add_row(name, *(_rate(r[key]) if r else "-" for r in langs), target)
    return table


def realistic_table(
    report: dict[str, Any], title: str = "realistic held-out messages (never trained on)"
) -> Table:
    """Intent macro-F1, sentiment accuracy and escalation on a labelled held-out set of messages."""
    table = Table(title=f"{title}, shipped triage rules")
    for col in ("measure", "en", "zh", "all", "target"):
        table.add_column(col)
    langs = [report.get(k, {}) for k in ("en", "zh", "all")]

    def row(name: str, get: Any, target: str = "") -> None:
        table.add_row(name, *(get(r) if r else "-" for r in langs), target)

    row("messages", lambda r: str(r["intent"]["n"]))
    row("intent macro-F1", lambda r: f"{r['intent']['macro_f1']:.3f}")
    row("sentiment accuracy", lambda r: f"{r['sentiment']['accuracy']:.3f}")
    row("should reach a person: escalated", lambda r: _rate(r["escalation_recall"]), "at least 0.85")
    row("calm: escalated", lambda r: _rate(r["calm_escalated"]), "at most 0.10")
    row("auto answers: right intent", lambda r: _rate(r["auto_answer_precision"]), "at least 0.97")
    return table
