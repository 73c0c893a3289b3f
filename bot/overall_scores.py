"""Parts of a service scored one by one and the whole named apart: "rider 5 stars, food 2, app
crashed. overall 3", "菜4分骑手5分app3分，总体4分", "骑手很快，饭菜凉了，整体4/5". The score said
overall is the answer; the rest is its comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_OVERALL = r"(?:overall|all in all|in total|总体|整体|综合|总的来说|总评|总分)"
_SCORE = r"\d{1,2}(?:\s?/\s?\d{1,2})?(?:\s?(?:stars?|分|星))?"
_SAID = re.compile(
    rf"(?<![a-z]){_OVERALL}\s?(?:是|给|打|[:：-])?\s?(?P<before>{_SCORE})(?![\d/.])"
    rf"|(?<![\d/.])(?P<after>{_SCORE})\s?{_OVERALL}(?![a-z])"
)
_MAX_CHARS = 120
_SEPARATORS = " ,，.。;；:：-–—!！"


def overall_score(text: str, parse: Callable[[str], int | None]) -> tuple[int, str] | None:
    """The one score ``text`` says is overall, and the words around it; ``None`` when none or two are,
    or ``parse`` (which reads a whole reply) refuses it."""
    if len(text) > _MAX_CHARS:
        return None
    found = list(_SAID.finditer(text.lower()))
    if len(found) != 1:
        return None
    said = found[0]
    score = parse(said["before"] or said["after"])
    if score is None:
        return None
    comment = text[: said.start()].rstrip(_SEPARATORS) + " " + text[said.end() :].lstrip(_SEPARATORS)
    return score, comment.strip(_SEPARATORS)
