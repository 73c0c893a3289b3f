"""Emoji and emoticons typed beside a score: "5 👍", "5分😊", "5 🙃", "1 😡", "4 :)".

A face alone beside a score is the customer's comment only when it says something the score does
not: an ironic or unhappy face after a high score ("5 🙃", "5 🙄", "五星😒", "5 👎") is a signal a
support lead wants to see, while a face that only agrees with the score ("5 😊", "5分👍", "1 😡")
adds nothing and is no comment (the comment question is still asked).
"""

from __future__ import annotations

import re
from typing import Literal

from bot.rating_words import SATISFACTION

STARS = re.compile(r"[⭐★🌟]")
_ONE_EMOTICON = r"[:;=8][-']?[)(dpo3*\]\[|/\\]+|\^_*\^|xd+|<3"
EMOTICON = re.compile(rf"^(?:{_ONE_EMOTICON})+$", re.IGNORECASE)
_EMOTICONS = re.compile(_ONE_EMOTICON, re.IGNORECASE)
# Faces the lexicon gives no score that still mean something beside a score: irony, doubt, an eye
# roll ("5 🙃" is not a plain five) ...
_IRONIC = frozenset("🙃🙄😒😑😏🤨🤔😬👎")
# ... and cheer, thanks or love, which add nothing to a high score.
_CHEERFUL = frozenset(
    "😊🙂😀😁😃😄😆😇😘🤗🥰😍🤩🥳🎉✨👍👌👏🙌💪🙏❤♥💖💕💗💯🌹💐✅✔☑😌✌🤝"
)  # and check marks
_CHEERFUL_EMOTICONS = frozenset({";)", ";-)", ";d", "^_^", "^^", "<3", "xd"})
_GLUM = frozenset("😭😩😫😣😖😓😥💢🤦")  # unhappy faces the lexicon does not score
_IGNORED = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff\\s]")  # emoji style, joiners, skin tones
_MIDDLE = 3  # of the 1-5 satisfaction lexicon the faces are scored in

Said = Literal["nothing", "comment"]


def glyph(ch: str) -> int:
    """0 for text, 1 for an emoji, 2 for a star: a cut falls where they change ("5👍", "⭐⭐⭐⭐⭐👍")."""
    return 2 if ch in "⭐★☆🌟" else int(emoji(ch))


def emoji(ch: str) -> bool:
    """A pictograph (👍 😊 ❤ ✨) or the variation selector after one."""
    code = ord(ch)
    return code >= 0x1F300 or 0x2600 <= code <= 0x27BF or code in (0x2B50, 0xFE0F)  # ⭐


def face_beside(face: str, score: int, middle: float) -> Said | None:
    """What ``face``, alone beside ``score`` on a scale whose middle is ``middle``, says: "nothing"
    (it agrees: "5 😊", "1 😡"), "comment" (irony or unhappiness after a high score: "5 🙃", "5 :(";
    kept as the comment), or ``None`` when ``face`` is no lone face, or is read as before (a face
    after a middle score other than a straight one, or after a low one: "1 :)" may be a scale read
    backwards)."""
    marks = _marks(face)
    if not marks:
        return None
    sides = [_side(mark) for mark in marks]
    if score > middle:
        if all(side == 1 for side in sides):
            return "nothing"
        return "comment" if any(side is not None and side < 1 for side in sides) else None
    if score < middle and all(side == -1 for side in sides):
        return "nothing"
    if score == middle and all(SATISFACTION.get(mark) == _MIDDLE for mark in marks):
        return "nothing"  # "3 😐": a straight face beside the middle score, not an ironic one ("3 🙄")
    return None


def _marks(face: str) -> list[str]:
    """The faces ``face`` is made of, one by one, lower case; empty when it holds anything else."""
    bare = _IGNORED.sub("", face).lower()
    if not bare or STARS.search(bare):
        return []  # stars beside a score are a score of their own ("5 ⭐⭐⭐⭐⭐")
    if EMOTICON.match(bare):
        return _EMOTICONS.findall(bare)
    return list(bare) if all(emoji(ch) for ch in bare) else []


def _side(mark: str) -> int | None:
    """1 for a happy face, -1 for an unhappy one, 0 for a neutral or ironic one, ``None``: unknown."""
    rated = SATISFACTION.get(mark)
    if rated is not None:
        return (rated > _MIDDLE) - (rated < _MIDDLE)
    if mark in _IRONIC:
        return 0
    if mark in _GLUM:
        return -1
    return 1 if mark in _CHEERFUL or mark in _CHEERFUL_EMOTICONS else None


# A face right after a score, or right before one, set off from the words beside it: "2 😞 nobody
# helped", "nobody helped 😞 2" (a face at the far end belongs to the words: "五星！小姐姐超耐心的💕").
_FACE = r"[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f\u200d]+"
_FACE_FIRST = re.compile(rf"^({_FACE})\s*(?=\S)")
# Tried only where a run of faces starts, so a long run is read once, not once per face.
_FACE_LAST = re.compile(rf"(?<=\S)\s*+(?<!{_FACE[:-1]})({_FACE})$")


def face_first(text: str) -> tuple[str, str]:
    """The run of faces ``text`` starts with and the rest ("🙏🙏4分，小哥辛苦": "🙏🙏" and "4分，小哥辛苦");
    ``("", text)`` when it starts with none."""
    found = _FACE_FIRST.match(text)
    return ("", text) if found is None else (found[1], text[found.end() :])


def without_agreeing_face(comment: str, score: int, middle: float, *, after: bool) -> str:
    """``comment`` (``after`` the score, else before it) without the face next to the score when it
    agrees with it and so says nothing ("😞 nobody helped" beside a 2 is "nobody helped"); an ironic
    one stays ("🙄 sure, great" beside a 5)."""
    found = (_FACE_FIRST if after else _FACE_LAST).search(comment)
    if found is None or face_beside(found[1], score, middle) != "nothing":
        return comment
    return (comment[: found.start()] + comment[found.end() :]).strip()
