"""Chat's spellings with a digit in them, from the days of T9 and still typed on a phone in a hurry:
"l8r" (later), "m8" (mate), "b4" (before), "nice 1" (nice one), "k" (ok). Their digits are no score, so
they are read as the words they spell before a score is looked for ("5 nice 1" is 5, "l8r 8" is 8)."""

from __future__ import annotations

import re

_SPELLED = {
    "l8r": "later", "l8er": "later", "m8": "mate", "m8s": "mates", "w8": "wait", "h8": "hate",
    "b4": "before", "2day": "today", "2moro": "tomorrow", "2morrow": "tomorrow", "2nite": "tonight",
    "4ever": "forever", "str8": "straight", "any1": "anyone", "every1": "everyone", "some1": "someone",
    "no1": "no one",
}  # fmt: skip
_DIGIT_WORDS = re.compile(
    r"(?<![\w*])(?:" + "|".join(sorted(_SPELLED, key=len, reverse=True)) + r")(?![\w*])", re.I
)
# "nice 1", "good 1", "gr8 1": the one of "nice one", not a score, after words that praise.
_NICE_ONE = re.compile(r"(?<![\w*])(nice|good|great|gr8|gud|lovely|cheers|top) 1(?![\w*./%:])", re.I)
# "k 4", "kk 5": chat's "ok" before what follows.
_OK = re.compile(r"^(?:k|kk)(?=[ \t,.!]+\S)", re.I)


def spelled_out(text: str) -> str:
    """``text`` with chat's spellings that hold a digit read as the words they spell."""
    if not any(ch.isdigit() for ch in text) and text[:1] not in "kK":
        return text
    text = _DIGIT_WORDS.sub(lambda found: _SPELLED[found[0].lower()], text)
    return _OK.sub("ok", _NICE_ONE.sub(lambda found: found[1] + " one", text))
