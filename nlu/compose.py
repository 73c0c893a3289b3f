"""Compositional families of training messages (``nlu/data/compose_<lang>.yaml``).

Templates teach what each intent sounds like; these families teach what must NOT move the label:

- ``sarcasm``: praise or thanks around something bad ("great, my order is late again") is a
  complaint, negative: the event wins over the polite words.
- ``negation``: "I don't need a refund, where is my parcel?" is delivery: a denied intent is not the
  intent. Each message joins a denial of one intent to a real request of another (a filled template).
- ``resolved``: "the refund has arrived, thanks" is thanks, not a refund request.
- ``praise``: a good experience told as it happened, often with no thanks ("checked in and through
  security in 15 minutes, smooth as ever"): thanks, positive. The mirror of ``sarcasm``: the event
  decides, and here it went well (without it, speed and staff read as a complaint's words).
- ``emoji``: emoji-only and emoticon-only messages, by the feeling they show.
- ``opinion``: an opinion of a thing outside support's words (a film, a book, a dish, a product),
  told both ways with the same things and patterns ("the film was gripping" thanks, positive; "the
  film was a chore" a complaint, negative): the quality word decides, not the topic or the shape.

Every part goes wholly to one split (by a stable hash of the part that carries the meaning: the
event, the request's template, the outcome, the emoji), so held-out rows share no such part with
training rows.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SARCASM_ROWS = 220
NEGATIONS_PER_INTENT = 45
RESOLVED_ROWS = 160
PRAISE_ROWS = 200
OPINION_ROWS = 150  # each way
EMOJI_REPEATS = 2  # each emoji alone, and in this many short sequences
NEGATED_INTENTS = ("password_reset", "billing", "refund", "delivery", "cancel", "request_human", "complaint")
EMOJI_LABELS = {
    "negative": ("complaint", "negative"),
    "positive": ("greeting_thanks", "positive"),
    "neutral": ("other", "neutral"),
}


@dataclass(frozen=True, slots=True)
class Composed:
    """One composed message, the part that decides its split, and its labels."""

    text: str
    intent: str
    sentiment: str
    family: str
    part: str  # what the split is taken from
    template_key: str = ""  # for negations: the request's template, whose split it shares


Split = Callable[[str], str]


def load_families(path: Path) -> dict[str, Any]:
    """Read one language's families; a missing file means no composed rows."""
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _join(lang: str, *parts: str) -> str:
    text = "".join(parts)
    text = re.sub(r"\s+", " ", text).strip()
    return text if lang == "en" else re.sub(r"\s*([，。！？、])\s*", r"\1", text)


def _framed(fam: dict[str, Any], lang: str, rng: random.Random, rows: int) -> list[tuple[str, str]]:
    """``rows`` events framed by the family's patterns: (text, event) pairs."""
    out = []
    for _ in range(rows):
        pattern = rng.choice(fam["patterns"])
        event = rng.choice(fam["events"])
        text = pattern.format(
            opener=rng.choice(fam["openers"]), event=event, closer=rng.choice(fam["closers"])
        )
        out.append((_join(lang, text), event))
    return out


def sarcasm(fam: dict[str, Any], lang: str, rng: random.Random) -> list[Composed]:
    """Praise or thanks around a bad event, or thanks *for* a bad thing: complaint, negative."""
    if not fam:
        return []
    out = [
        Composed(text, "complaint", "negative", "sarcasm", event)
        for text, event in _framed(fam, lang, rng, SARCASM_ROWS)
    ]
    things, patterns = fam.get("things") or [], fam.get("thing_patterns") or []
    for _ in range(SARCASM_ROWS if things and patterns else 0):
        thing = rng.choice(things)
        text = rng.choice(patterns).format(thing=thing, closer=rng.choice(fam["closers"]))
        out.append(Composed(_join(lang, text), "complaint", "negative", "sarcasm", thing))
    return out


def praise(fam: dict[str, Any], lang: str, rng: random.Random) -> list[Composed]:
    """A good experience, bare or framed by praise: greeting_thanks, positive."""
    if not fam:
        return []
    return [
        Composed(text, "greeting_thanks", "positive", "praise", event)
        for text, event in _framed(fam, lang, rng, PRAISE_ROWS)
    ]


def opinion(fam: dict[str, Any], lang: str, rng: random.Random) -> list[Composed]:
    """Opinions both ways from the same things and patterns; the quality (or the verb) is the part
    that decides the split."""
    if not fam:
        return []
    out = []
    for way, intent, sentiment in (("good", "greeting_thanks", "positive"), ("bad", "complaint", "negative")):
        words = fam["loved" if way == "good" else "hated"]
        for _ in range(OPINION_ROWS):
            pattern, quality, verb = rng.choice(fam["patterns"]), rng.choice(fam[way]), rng.choice(words)
            closer = rng.choice(fam[f"{way}_closers"])
            text = pattern.format(thing=rng.choice(fam["things"]), quality=quality, verb=verb, closer=closer)
            part = quality if "{quality}" in pattern else verb
            out.append(Composed(_join(lang, text[0].upper() + text[1:]), intent, sentiment, "opinion", part))
    return out


def negation(
    fam: dict[str, Any], lang: str, requests: dict[str, list[tuple[str, str, str]]], rng: random.Random
) -> list[Composed]:
    """A denial of one intent joined to a real request of another: the request's intent.

    ``requests`` maps an intent to (filled text, sentiment, template key) rows of that intent.
    """
    if not fam:
        return []
    deny: dict[str, list[str]] = fam["deny"]
    out = []
    for intent, rows in sorted(requests.items()):
        others = [i for i in deny if i != intent]
        if not rows or not others:
            continue
        for _ in range(NEGATIONS_PER_INTENT):
            text, sentiment, key = rng.choice(rows)
            denied = rng.choice(deny[rng.choice(others)])
            request = text[0].lower() + text[1:] if lang == "en" else text
            joined = _join(lang, denied, rng.choice(fam["joiners"]), request)
            out.append(Composed(joined, intent, sentiment, "negation", key, key))
    return out


def resolved(fam: dict[str, Any], lang: str, rng: random.Random) -> list[Composed]:
    """A good outcome with thanks: greeting_thanks, positive."""
    if not fam:
        return []
    out = []
    sep = ", " if lang == "en" else "，"
    for _ in range(RESOLVED_ROWS):
        thing, closer = rng.choice(fam["things"]), rng.choice(fam["closers"])
        text = f"{thing}{sep}{closer}" if rng.random() < 0.75 else f"{closer}{sep}{thing}"
        out.append(Composed(_join(lang, text), "greeting_thanks", "positive", "resolved", thing))
    return out


def emoji(fam: dict[str, Any], rng: random.Random) -> list[Composed]:
    """Emoji-only messages, alone and in short runs of the same feeling."""
    out = []
    for feeling, (intent, sentiment) in EMOJI_LABELS.items():
        marks = [str(m) for m in fam.get(feeling) or []]
        for mark in marks:
            out.append(Composed(mark, intent, sentiment, "emoji", mark))
            for _ in range(EMOJI_REPEATS):
                run = mark * rng.randint(2, 3) if rng.random() < 0.5 else mark + rng.choice(marks)
                out.append(Composed(run, intent, sentiment, "emoji", mark))
    return out


def compose(
    families: dict[str, Any], lang: str, requests: dict[str, list[tuple[str, str, str]]], seed: int
) -> list[Composed]:
    """Every composed message of one language, in a deterministic order."""
    rng = random.Random(f"{seed}:{lang}")
    return [
        *sarcasm(families.get("sarcasm") or {}, lang, rng),
        *negation(families.get("negation") or {}, lang, requests, rng),
        *resolved(families.get("resolved") or {}, lang, rng),
        *emoji(families.get("emoji") or {}, rng),
        *praise(families.get("praise") or {}, lang, rng),
        # on a stream of its own: removing or growing an earlier family leaves its rows as they are
        *opinion(families.get("opinion") or {}, lang, random.Random(f"{seed}:{lang}:opinion")),
    ]


__all__ = ["NEGATED_INTENTS", "Composed", "compose", "load_families"]
