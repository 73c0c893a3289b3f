"""A score said in the middle of a letter: "Dear Sir, ... I rate it 4 out of 5. Thanking you.",
"尊敬的客服：... 特给予五分，以表谢意。此致敬礼".

Elderly customers write a few sentences around the score, with their age, an order number or the
time they waited in the others. A letter gives its score once, after words that rate ("I rate your
support 3", "I would give her five stars", "the service was a 4", "我给他打4分", "评为五星"): that one
clause is read, when it is the only one and says no condition ("I'll give 5 once the refund comes",
"等我收到货再给你5分" are no score yet).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.number_words import EN_WORDS

_EN_NUMBER = r"\d{1,2}|" + EN_WORDS
# Words that rate, then at most a few words (whom or what), then the number: "I rate it", "I would give
# her", "would rate the likelihood at", "I would place at", "I am giving", "the service was a".
_EN_RATED = re.compile(
    r"\b(?:(?:i(?: would| will| shall|'d|'ll| am|'m)?|would|shall) (?:rate|give|giving|place|score|put)"
    r"|(?:rated?|rating|place|placed|score|scored)(?: (?:it|you|them|her|him|this|that))?(?: at| as)"
    # "the service was a 4 in my opinion"
    r"|(?:was|is) (?:an?|at)(?= \S+ (?:in my|out of|/|stars?|points?|marks?))"
    r")\b(?:[ ,]+(?!(?:out|of)\b)[a-z']+){0,3}?[ ,]+(?:a |an )?"
    rf"(?P<num>{_EN_NUMBER})\b(?:\s*(?:out of|/)\s*(?P<den>\d{{1,2}}|five|seven|ten)\b)?",
    re.IGNORECASE,
)
_HAN_RATED = re.compile(
    r"(?:给予|给出|给|打|评为|评定为|评|定为|打分为|评分为)(?:了)?(?:他|她|你们|你|您|客服|个|一个)?(?:打|评)?(?:个|一个)?"
    r"(?P<num>\d{1,2}|[零一二两三四五六七八九十])(?:分|颗星|星)"
)
# A clause that makes the score a condition or a plan: no score yet.
_NOT_YET = re.compile(
    r"\b(?:if|once|when|after|unless|until|will give|'ll give|going to give|gonna give|would have"
    r"|might|maybe)\b"
    r"|如果|要是|假如|等|再|之后|以后|打算|准备|的话|不过要|可能|也许"
)
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")
_LETTER_LENGTH = 40  # a shorter reply of one sentence is no letter: the other readers have it
_LETTER_SENTENCES = 2
_LONGEST_LETTER = 600  # a longer message is no survey answer


def letter_score(text: str, low: int, high: int, number: Callable[[str], int | None]) -> int | None:
    """The one score a letter gives in a middle sentence, or ``None``; ``number`` reads a numeral ("4",
    "four", "四")."""
    if len(text) > _LONGEST_LETTER:
        return None
    sentences = _SENTENCE.findall(text)
    if len(text) < _LETTER_LENGTH and len(sentences) < _LETTER_SENTENCES:
        return None
    found: set[int] = set()
    for sentence in sentences:
        for match in (*_EN_RATED.finditer(sentence), *_HAN_RATED.finditer(sentence)):
            if _NOT_YET.search(sentence) or "?" in sentence or "？" in sentence:  # "给5分？想多了"
                return None
            value = number(match["num"].lower())
            den = match.groupdict().get("den")
            if value is None or (den is not None and number(den.lower()) != high):
                return None
            found.add(value)
    if len(found) != 1:
        return None
    value = found.pop()
    return value if low <= value <= high else None
