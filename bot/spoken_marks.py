"""Marks that a reply spells out instead of typing: voice typing's spoken punctuation ("三分逗号物流太慢了",
"nine period") and a social-media hashtag around the words ("#5stars", "#五星好评#").

Each function returns the text with the marks typed, so the answer parsers read "三分，物流太慢了",
"nine." and "5stars" as they read any other reply.
"""

from __future__ import annotations

import re

# Chinese voice typing writes the punctuation it hears as its name, anywhere in the message.
_SPOKEN_HAN = {"逗号": "，", "句号": "。", "感叹号": "！", "问号": "？"}
# Spaces around it go with it, taken from the first of a run (possessive: a long run is read once).
_HAN_MARK = re.compile(r"(?<![^\S\n])[^\S\n]*+(" + "|".join(_SPOKEN_HAN) + r")[^\S\n]*+")
# English voice typing: "comma" between words, "period" / "full stop" / "exclamation mark" / "question
# mark" as the last words (else "the warranty period ran out" would lose a word).
_EN_COMMA = re.compile(r"(?<=\w)[^\S\n]++comma[^\S\n]++(?=\w)", re.IGNORECASE)
_EN_END = re.compile(
    r"(?<=\w)[^\S\n]++(period|full stop|exclamation (?:mark|point)|question mark)[^\S\n]*+$", re.IGNORECASE
)
_EN_MARKS = {"period": ".", "full stop": ".", "exclamation mark": "!", "exclamation point": "!"}
_EN_MARKS["question mark"] = "?"
# A hashtag: "#" before a run with a letter or a Chinese character in it, and Weibo's closing "#"
# ("#五星好评#"); "#3" and "#48213" are numbers (an option, an order), never hashtags.
_HASHTAG = re.compile(r"#(?=[^\s#]*?[^\W\d_])([^\s#]++)#?")


def marks_typed(text: str) -> str:
    """``text`` with spoken punctuation typed: "五星 句号" -> "五星。", "three comma slow" -> "three, slow"
    ("the warranty period ran out" keeps its word)."""
    text = _HAN_MARK.sub(lambda m: _SPOKEN_HAN[m[1]], text)
    text = _EN_COMMA.sub(", ", text)
    return _EN_END.sub(lambda m: _EN_MARKS[m[1].lower()], text)


def unhashtagged(text: str) -> str:
    """``text`` with each hashtag's "#" dropped: "#5stars" -> "5stars", "#五星好评#" -> "五星好评"."""
    return _HASHTAG.sub(r"\1", text)
