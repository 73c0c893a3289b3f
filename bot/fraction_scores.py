"""A score with the question's own scale starting a later clause of a reply full of other numbers: "2 days
late, 3 boxes dented, 4/5 though because the agent helped", "CA981 on 12/3 cancelled, rebooked on 12/4.
3/5 for the help". The scale said with it marks it as the score; the words around it are its comment,
unless they doubt it, make it a condition, give another score or sneer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot import hedges, second_scores

_FRACTION = re.compile(r"(?<![\d/.:,])(?P<num>\d{1,2})\s?/\s?(?P<of>\d{1,2})(?![\d/.:]|,\d)")
_NEXT_NUMBER = re.compile(r"\s*[\d零〇一二两三四五六七八九十]")
_NUMBER_BEFORE = re.compile(r"[\d零〇一二两三四五六七八九十]\s*$")
_CLAUSE_END = re.compile(r"[,，.。;；:：!！\n–—-]$")
_CLAUSE_START = re.compile(r"\s*(?:[,，.。;；!！\n–—-]|$)")
_MAX_CHARS = 160
_SEPARATORS = " ,，.。;；:：-–—!！"


def scaled_score(text: str, high: int, parse: Callable[[str], int | None]) -> tuple[int, str] | None:
    """The one score out of ``high`` that ``text`` gives with its scale ("4/5" asked out of 5), and the
    words around it; ``None`` when none or two are given, or the words hedge, question or contradict it."""
    t = text.lower()
    if len(t) > _MAX_CHARS:
        return None
    found = [m for m in _FRACTION.finditer(t) if int(m["of"]) == high]
    if len(found) != 1 or (score := parse(found[0][0])) is None:
        return None
    said = found[0]
    before, after = t[: said.start()].rstrip(), t[said.end() :]
    comment = (before.rstrip(_SEPARATORS) + " " + after.lstrip(_SEPARATORS)).strip(_SEPARATORS)
    if not _set_off(before, after) or _NEXT_NUMBER.match(after) or _NUMBER_BEFORE.search(before):
        return None  # "10/10 parcel came on Dec 2": a leading score is read apart; "4/5 4 stars"
    if (
        hedges.QUALIFIED_AFTER.match(after.lstrip(_SEPARATORS))
        or hedges.DOUBT.search(comment)
        or re.search(hedges.IF_OR_REPORTED, comment)
        or hedges.QUALIFIED_BEFORE.search(before)
        or hedges.NEGATING_BEFORE.search(before)
        or parse(comment) not in (None, score)  # "⭐⭐⭐⭐ 5/5": which?
        or second_scores.another_score(comment, score, parse)
        or (score * 2 > high and hedges.sarcastic(comment))
    ):
        return None
    return score, text[: said.start()].rstrip(_SEPARATORS) + " " + text[said.end() :].lstrip(_SEPARATORS)


def _set_off(before: str, after: str) -> bool:
    """Words stand before the score, and a mark ends them or the score's clause: "late, 4/5 though",
    "banking app 8/10, card works again", "还是3/5"; not "rated 4/5 on 12/3"."""
    return bool(before) and (_CLAUSE_END.search(before) is not None or _CLAUSE_START.match(after) is not None)
