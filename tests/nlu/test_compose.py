"""Compositional training families: what the labels of composed messages are, and where they split."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from nlu.compose import compose, emoji, negation, opinion, praise, resolved, sarcasm
from nlu.data import load_triage

FAMILIES = {
    "sarcasm": {
        "openers": ["great", "thanks a lot"],
        "events": ["my order is late again", "the soup arrived cold"],
        "closers": ["love it", "🙃"],
        "patterns": ["{opener}, {event}", "{event}. {closer}"],
    },
    "negation": {
        "deny": {"refund": ["I don't want a refund"], "delivery": ["not asking about delivery"]},
        "joiners": [", ", ". "],
    },
    "resolved": {"things": ["the refund has arrived"], "closers": ["thanks"]},
    "emoji": {"negative": ["👎"], "positive": ["🥳"], "neutral": ["🤔"]},
    "praise": {
        "openers": ["kudos"],
        "events": ["the crew found us seats together", "boarding took ten minutes"],
        "closers": ["smooth as ever"],
        "patterns": ["{event}", "{opener}, {event}. {closer}"],
    },
    "opinion": {
        "things": ["the film", "the pasta"],
        "good": ["gripping"],
        "bad": ["a chore"],
        "loved": ["loved"],
        "hated": ["hated"],
        "good_closers": ["10/10"],
        "bad_closers": ["avoid"],
        "patterns": ["{thing} was {quality}", "{verb} {thing}! {closer}"],
    },
}
REQUESTS = {
    "delivery": [("Where is my parcel?", "neutral", "en:delivery:where is my parcel?")],
    "refund": [("When do I get my money back?", "neutral", "en:refund:when")],
}


def test_sarcasm_is_a_negative_complaint_whatever_the_polite_words() -> None:
    rows = sarcasm(FAMILIES["sarcasm"], "en", random.Random(0))
    assert rows and {(r.intent, r.sentiment) for r in rows} == {("complaint", "negative")}
    assert all(r.part in r.text for r in rows)  # the event is always said


def test_a_denied_intent_is_not_the_intent() -> None:
    rows = negation(FAMILIES["negation"], "en", REQUESTS, random.Random(0))
    for r in rows:
        assert r.text in (
            "not asking about delivery, when do I get my money back?",
            "not asking about delivery. when do I get my money back?",
            "I don't want a refund, where is my parcel?",
            "I don't want a refund. where is my parcel?",
        )
        assert r.intent == ("refund" if "money back" in r.text else "delivery")
        assert r.template_key == REQUESTS[r.intent][0][2]  # shares the request template's split


def test_resolved_outcomes_are_thanks_and_emoji_follow_their_feeling() -> None:
    assert {(r.intent, r.sentiment) for r in resolved(FAMILIES["resolved"], "en", random.Random(0))} == {
        ("greeting_thanks", "positive")
    }
    labels = {r.part: (r.intent, r.sentiment) for r in emoji(FAMILIES["emoji"], random.Random(0))}
    assert labels == {
        "👎": ("complaint", "negative"),
        "🥳": ("greeting_thanks", "positive"),
        "🤔": ("other", "neutral"),
    }


def test_praise_is_positive_thanks_with_or_without_polite_words() -> None:
    rows = praise(FAMILIES["praise"], "en", random.Random(0))
    assert {(r.intent, r.sentiment, r.family) for r in rows} == {("greeting_thanks", "positive", "praise")}
    assert all(r.part in r.text for r in rows)  # the good event is always said
    said = {r.text for r in rows}
    assert {"boarding took ten minutes", "kudos, boarding took ten minutes. smooth as ever"} <= said


def test_an_opinion_is_read_by_its_quality_not_its_topic() -> None:
    rows = opinion(FAMILIES["opinion"], "en", random.Random(0))
    labels = {(r.text, r.intent, r.sentiment, r.part) for r in rows}
    assert labels == {
        ("The film was gripping", "greeting_thanks", "positive", "gripping"),
        ("The pasta was gripping", "greeting_thanks", "positive", "gripping"),
        ("Loved the film! 10/10", "greeting_thanks", "positive", "loved"),
        ("Loved the pasta! 10/10", "greeting_thanks", "positive", "loved"),
        ("The film was a chore", "complaint", "negative", "a chore"),
        ("The pasta was a chore", "complaint", "negative", "a chore"),
        ("Hated the film! avoid", "complaint", "negative", "hated"),
        ("Hated the pasta! avoid", "complaint", "negative", "hated"),
    }
    assert Counter(r.sentiment for r in rows) == {"positive": len(rows) // 2, "negative": len(rows) // 2}


@pytest.mark.parametrize("family", ["praise", "opinion"])
def test_a_later_family_comes_after_every_earlier_one_so_their_rows_stay(family: str) -> None:
    without = compose({k: v for k, v in FAMILIES.items() if k != family}, "en", REQUESTS, 1)
    assert [r for r in compose(FAMILIES, "en", REQUESTS, 1) if r.family != family] == without


def test_chinese_parts_join_without_stray_spaces() -> None:
    fam = {
        "openers": ["太棒了"],
        "events": ["又送错了"],
        "closers": ["[微笑]"],
        "patterns": ["{opener} ， {event}"],
    }
    [row, *_] = sarcasm(fam, "zh", random.Random(0))
    assert row.text == "太棒了，又送错了"


def test_composition_is_deterministic() -> None:
    assert compose(FAMILIES, "en", REQUESTS, 1) == compose(FAMILIES, "en", REQUESTS, 1)


def test_the_shipped_set_holds_every_family_in_both_languages_split_by_part() -> None:
    rows = [e for e in load_triage() if ":compose:" in e.template]
    families = Counter((e.lang, e.template.split(":")[3]) for e in rows)
    for lang in ("en", "zh"):
        for family in ("sarcasm", "negation", "resolved", "emoji", "praise", "opinion"):
            assert families[lang, family] >= 100, (lang, family)
    splits: dict[str, set[str]] = {}
    for e in rows:
        splits.setdefault(e.template, set()).add(e.split)
    assert all(len(s) == 1 for s in splits.values())
    assert {e.split for e in rows} == {"train", "calib", "test"}
