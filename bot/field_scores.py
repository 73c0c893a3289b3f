"""Two survey questions answered in one reply, each score named by its question's word: "推荐度8，满意度5",
"满意度5分 推荐度7分", "推荐9分，满意度也给满分", and in English by the survey's own names or words for them:
"CSAT 5 NPS 9", "satisfaction 4, recommend 8". The score named for the question asked is its answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.prompts import ScaleKind

_KINDS: dict[str, ScaleKind] = {
    "推荐度": "nps", "推荐指数": "nps", "推荐": "nps", "满意度": "csat", "容易程度": "ces", "费力度": "ces",
    "nps": "nps", "recommend": "nps", "csat": "csat", "satisfaction": "csat", "ces": "ces", "effort": "ces",
}  # fmt: skip
_NAMED = re.compile(
    r"(?P<field>推荐度|推荐指数|推荐|满意度|容易程度|费力度"
    r"|\b(?:nps|recommend|csat|satisfaction|ces|effort)\b)(?:是|为|也给|也是|给|打)?[:：=]?\s*"
    r"(?P<num>\d{1,2}|[一二两三四五六七八九十]|满分)(?!\d)\s*(?:分|星)?",
    re.IGNORECASE,
)
_MAX_CHARS = 80


def named_score(text: str, kind: ScaleKind, number: Callable[[str], int | None]) -> int | None:
    """The score ``text`` names for the question ``kind`` beside one named for another, else ``None``;
    ``number`` reads a numeral ("8", "八", "满" for full marks)."""
    if len(text) > _MAX_CHARS:
        return None
    found = [(_KINDS[m["field"].lower()], m["num"]) for m in _NAMED.finditer(text)]
    if len({k for k, _ in found}) < 2:
        return None  # "推荐度10分" alone is read as a score is; "服务满意，推荐度10分" asked CSAT is none
    mine = [num for k, num in found if k == kind]
    if len(mine) != 1:
        return None
    return number(mine[0].removesuffix("分"))  # "满分": 满
