"""A score said to be for now, with another promised on a condition: "8 now, 10 if u fix delivery",
"现在是6分，修好了再说", "先打3分，退款到了再改5分". The score given now is the answer; the one to come is no
score yet. Without a word for "now" both are offered and the reply is asked again ("3, 4 if the refund
comes", "给8分，如果客服回复快点就10分"), as is "5 if you refund me".
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The first clause, with a word that says "now" around its score, before a clause that promises another
# score on a condition.
_NOW = re.compile(
    r"^\s*(?:现在是?|目前是?|暂时|先)|\b(?:now|for now|at the moment|currently)\s*$", re.IGNORECASE
)
_HEAD = re.compile(r"^(?P<head>[^,，;；。.!！?？]{1,30})[,，;；]\s*(?P<tail>.{1,80})$", re.DOTALL)
_LATER = re.compile(
    r"(?:\d|\b(?:ten|five|seven|nine)\b).*\b(?:if|once|when|after)\b"  # "10 if u fix delivery"
    r"|\b(?:if|once|when|after)\b.*(?:\d|\b(?:ten|five|seven|nine)\b)"  # "if u fix delivery, 10"
    r"|(?:如果|要是|等|到了|了再|再|就)\S*?(?:\d|[一二三四五六七八九十]|满分)\s*[分星]"  # "就10分", "再改5分"
    r"|^(?:[^,，]*了)?再说",  # "修好了再说": we'll see after
    re.IGNORECASE,
)


def score_for_now(text: str, parse: Callable[[str], int | None]) -> int | None:
    """The score given now, when the rest of ``text`` promises another on a condition, else ``None``."""
    split = _HEAD.match(text.strip())
    if split is None or not _LATER.search(split["tail"]):
        return None
    head = split["head"].strip()
    bare = _NOW.sub("", head).strip()
    return None if bare == head else parse(bare)  # "3, 4 if the refund comes" says no "now": asked again
