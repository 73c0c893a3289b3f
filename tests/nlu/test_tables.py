"""The rich tables `csatbot nlu eval` and `bench/nlu.py` print."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from nlu.tables import escalation_table, realistic_table


def rendered(table: Any) -> str:
    console = Console(width=200, record=True)
    console.print(table)
    return console.export_text()


def _lang(recall: tuple[int, int], calm: tuple[int, int]) -> dict[str, Any]:
    share = {"n": 4, "hits": 4, "rate": 1.0}
    return {
        "intent": {"n": recall[1] + calm[1], "macro_f1": 0.5},
        "sentiment": {"accuracy": 0.75},
        "escalation_recall": {"n": recall[1], "hits": recall[0], "rate": round(recall[0] / recall[1], 4)},
        "calm_escalated": {"n": calm[1], "hits": calm[0], "rate": round(calm[0] / calm[1], 4)},
        "auto_answer_precision": share,
    }


def test_the_escalation_table_shows_who_reaches_a_person_and_no_intent_scores() -> None:
    report = {"en": _lang((3, 4), (1, 5)), "zh": _lang((9, 10), (0, 8))}
    text = rendered(escalation_table(report, "public reviews"))
    assert "public reviews, shipped triage rules" in text
    assert "negative: escalated" in text and "0.75 (3/4)" in text and "0.90 (9/10)" in text
    assert "positive: escalated" in text and "0.20 (1/5)" in text and "0.00 (0/8)" in text
    assert "macro-F1" not in text and "auto answers" not in text
    assert text.count(" - ") >= 2  # no "all" column in this report: a dash, not a crash


def test_the_realistic_table_shows_intents_sentiment_and_escalation() -> None:
    text = rendered(realistic_table({"en": _lang((3, 4), (1, 5))}, "a set"))
    assert "a set, shipped triage rules" in text
    assert "intent macro-F1" in text and "0.500" in text and "0.750" in text
    assert "0.75 (3/4)" in text and "0.20 (1/5)" in text
