"""The scale named beside a score: "10分满分给9分", "9分（满分10分）", "5分制的话4分", "4 (out of 5)".

A reply that names the question's own scale is read without that note, as long as a score is left;
a note naming another scale is kept, so "8/10" asked out of 5 is still refused by the reader.
"""

from __future__ import annotations

import re
import unicodedata

# Its number is a whole run of at most 4 digits: an unanchored \d+ searched from every position of a
# long run of digits took quadratic time (4,096 fives: a quarter of a second per message), and int()
# refuses over 4,300.
_SCALE = r"(?<!\d)\d{1,4}(?!\d)"
_SCALE_NOTE = re.compile(
    # \s{0,3}, not \s*: searched from every position of 4,096 newlines, \s* took a second a message
    rf"[(（]?\s{{0,3}}(?:满分\s*(?:是)?\s*(?P<a>{_SCALE}|十|五|七)\s*分?|(?P<b>{_SCALE})\s*分\s*满分"
    rf"|out of (?P<c>{_SCALE})|(?P<d>{_SCALE}|十|五|七)\s*分制"  # "5分制给4分"
    # "on a scale of 0-10", "on a scale from 1 to 10": its lowest end is 0 or 1
    rf"|on a scale (?:of|from) [01] ?(?:-|to) ?(?P<e>{_SCALE})"
    # "5分里给4分": the points a score is out of, then the score
    rf"|(?P<f>{_SCALE}|十|五|七)\s*(?:分|颗?星)(?:里面|里|之中|中)的?(?=\s*(?:给|打|评|我|[\d零一二两三四五六七八九十])))"
    r"(?:的话|来说)?"  # "满分5分的话给4"
    r"\s*[)）]?[,，]?"
)
_SCALE_WORDS = {"十": 10, "五": 5, "七": 7}
_SCORE_LEFT = re.compile(r"\d|[零〇一二两三四五六七八九十]\s*[分星]")  # "十分制八分": 八分 is left

MAX_SCALE_NOTES = 2
"""How many scale notes ("满分10分") a reply is read without: a reply made of a thousand of them
recursed past Python's limit (a RecursionError: the customer's message was a 500)."""


def without_scale(text: str, high: int) -> str:
    """``text`` without the scale named in it, when that is the question's scale (``high`` points)
    and a score remains; else ``text`` unchanged."""
    t = unicodedata.normalize("NFKC", text)
    found = _SCALE_NOTE.search(t)
    if found is None:
        return text
    if _named(found) != high:
        return text
    rest = (t[: found.start()] + " " + t[found.end() :]).strip()
    return rest if _SCORE_LEFT.search(rest) else text


def _named(found: re.Match[str]) -> int:
    named = found["a"] or found["b"] or found["c"] or found["d"] or found["e"] or found["f"]
    return int(named) if named.isdigit() else _SCALE_WORDS[named]


# The scale said in words, whatever it is: "on a scale of 1-5", "on a scale from 0 to 10".
_SCALE_SAID = re.compile(rf"\bon a scale (?:of|from) [01] ?(?:-|to) ?({_SCALE})")


def names_another_scale(text: str, high: int) -> bool:
    """Whether ``text`` says the score in it is on a scale other than the question's ("on a scale of
    1-5 I'd say 4" asked 0-10): which way to convert is the customer's call."""
    return another_scale(text, high) is not None


def another_scale(text: str, high: int) -> int | None:
    """The top of the scale ``text`` names when it is not the question's (``high``): in words ("on a
    scale of 1-5") or as a note ("满分5分给4分", "5分制给4分" asked 0-10); ``None`` when it names none."""
    t = unicodedata.normalize("NFKC", text).lower()
    if (said := _SCALE_SAID.search(t)) is not None:
        named = int(said[1])
    elif (found := _SCALE_NOTE.search(t)) is not None and found["c"] is None:
        named = _named(found)  # ("8 out of 10" is read by the number's own rule: "10/10" is a 5)
    else:
        return None
    return None if named == high else named
