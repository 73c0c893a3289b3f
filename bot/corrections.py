"""A score taken back and given again in one message: "3... no, 4", "5 no wait 4", "4分，不对，5分".

The score said last counts, with whatever is said after it as the comment. A score taken back with
none after it ("5分，打错了", "5 no") is left to the rest of the reader, which refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.rating_comments import Scored

# Words that take back what was just said. "no" is also a determiner ("5 no 1 else helped"), so after
# it the new score must stand alone or end its clause; 不 alone only between punctuation ("三分，不，四分").
# "not" is none: "5, not 4" keeps the 5.
_MARKER = (
    r"\b(?:no+|nah|nope|wait|sorry|oops|correction|actually|i mean|i meant|make (?:that|it)|scratch that)\b"
    r"|[哦噢啊额呃]?不对|[哦噢啊额呃]不|打错了?|说错了?|点错了?|写错了?|错了|更正|改成|改为|改一下|算了|不不|等等|等一下"
    r"|(?<=[\s,，.。…!！])不(?=[\s,，.。…!！])"
)
_GAP = r"[\s,，.。…!！~～:：;；-]{0,4}"  # bounded: a run of spaces is never searched twice over
_TAKEN_BACK = re.compile(rf"(?:{_MARKER})(?:{_GAP}(?:{_MARKER}))*", re.IGNORECASE)
_STRICT = re.compile(r"^(?:no+|nah|nope)$", re.IGNORECASE)
_SEPARATORS = " \t\n,，.。…!！~～:：;；-—→"
# The new score comes right after the words that take the old one back: digits, numerals or stars.
_NUMBER_FIRST = re.compile(
    r"(?:(?:give|gave|a|an|给|打|评)\s*个?\s*)?"
    r"(?:\d|[零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾俩仨⭐★🌟]|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,，.。!！;；]")
_RESTATED = re.compile(r"(?:应该是|是|it'?s|it is)\s*", re.IGNORECASE)  # "不对，是5星"
_HEAD_CHARS = 80
"""Where the taking back is looked for: the score before it is short (a longer one is no score)."""


def read_corrected(
    text: str, first: Callable[[str], int | None], then: Callable[[str], Scored | None]
) -> Scored | None:
    """The score given after ``first`` reads one and words take it back: ``then`` of what follows.

    ``first`` reads a whole reply as a score ("3", "4分"); ``then`` reads a score and its comment
    ("4, the agent was nice"). ``None`` when nothing in ``text`` is taken back and said again.
    """
    for marker, tail in _taken_back(text, first):
        said = _CLAUSE_END.split(tail, maxsplit=1)[0]
        if _STRICT.match(marker) and first(said) is None and not any(_taken_back(said, first)):
            continue  # "5 no 1 else could have done better": no one, not a 1; "3 no 4 no 5" is 5
        return then(tail)
    return None


def _taken_back(text: str, first: Callable[[str], int | None]) -> Iterator[tuple[str, str]]:
    """Each taking back of a score ``first`` reads in ``text``, and what follows it when that starts
    with a number."""
    for marker in _TAKEN_BACK.finditer(text, 0, _HEAD_CHARS):
        head, tail = text[: marker.start()].rstrip(_SEPARATORS), text[marker.end() :].lstrip(_SEPARATORS)
        tail = tail[len(restated[0]) :] if (restated := _RESTATED.match(tail)) else tail
        if head and _NUMBER_FIRST.match(tail) is not None and first(head) is not None:
            yield marker[0], tail
