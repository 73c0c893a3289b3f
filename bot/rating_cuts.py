"""Where a message may be cut into a score and its comment, and what each cut holds: "5 stars, super
quick reply" is cut after "5 stars" (and after "5"), "客服很专业给五星" between Chinese words, "5👍"
where text turns into emoji. :mod:`bot.rating_comments` tries the cuts and reads the score."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot import faces
from bot.number_words import EN_WORDS

SEPARATORS = " \t\n,，、;；:：.。!！?？~～-–—|/()（）[]【】\"'“”‘’…=→•"  # "7 = very easy", "3 • late"
HAN = re.compile(r"[\u4e00-\u9fff]")
PARTICLES = "的了吧啊呢哦呀啦嘛"
# A number in a part of the message; 一 in 一般, 一点, 一直... is a word's, not a number ("一般般吧，三星" is
# a three with the comment 一般般吧, not the word 一般 with the comment "般吧，三星").
NUMERIC = re.compile(
    r"\d|一(?![般点直样起定些会下切共向旦边面])|[零〇二两三四五六七八九十]|⭐|★|满分"
    r"|[壹贰叁参肆伍陆柒捌玖拾俩仨]"  # a cheque's capitals and the spoken 俩, 仨: "叁分，流程太绕"
    r"|\b(?:" + EN_WORDS + r")\b"
)
BARE_NUMBER = re.compile(
    r"^(?:\d+|[零〇一二两三四五六七八九十壹贰叁参肆伍陆柒捌玖拾俩仨]+|" + EN_WORDS + r")$"
)


_NUMERALS = frozenset("0123456789零〇一二两三四五六七八九十壹贰叁参肆伍陆柒捌玖拾俩仨")


def cuts(t: str, *, from_start: bool) -> Iterator[int]:
    """Where ``t`` may be cut into score and comment: at separators and at Chinese word edges.

    Longest score first from the start ("5 stars, ..." before "5 ..."); from the end, the longest
    score first too ("给五星" before "五星").
    """
    positions = range(len(t) - 1, 0, -1) if from_start else range(1, len(t))
    for i in positions:
        left, right = t[i - 1], t[i]
        at_separator = (right in SEPARATORS) != (left in SEPARATORS) and (
            right in SEPARATORS if from_start else left in SEPARATORS
        )
        between_han = bool(HAN.match(left) or HAN.match(right)) and not (
            left in SEPARATORS
            or right in SEPARATORS
            or (right in PARTICLES and HAN.match(left))
            or (left in _NUMERALS and right in _NUMERALS)
        )  # a particle belongs to the word before it: "挺满意的" is one phrase; "六七分" is one range
        before = t[i - 2] if left == "\ufe0f" and i >= 2 else left  # "⭐️" is one star
        at_emoji = right != "\ufe0f" and faces.glyph(before) != faces.glyph(right)
        at_emoji = at_emoji and left not in SEPARATORS and right not in SEPARATORS
        if at_separator or between_han or at_emoji:  # "5👍"
            yield i


_OPENING = " \t\n(（[【"


@dataclass(slots=True)  # not frozen: frozen instances cost more to make, one per cut tried
class Cut:
    """One way of cutting a message: ``part`` that may be the score, ``rest`` its comment."""

    part: str
    rest: str
    leading: bool
    gap: str
    """The separators between the score and the comment."""
    comment: str
    decoration: bool
    """The comment is only emoji or an emoticon ("5 👍")."""

    # Properties, not fields: most cuts are refused before these are needed.
    @property
    def numeric(self) -> bool:
        return bool(NUMERIC.search(self.part) or BARE_NUMBER.match(self.part))

    @property
    def punctuated(self) -> bool:
        """Punctuation, or a space between Chinese words (the way Chinese chat separates phrases)."""
        return any(ch not in " \t" for ch in self.gap) or (  # a line break sets the score off too
            bool(self.gap) and HAN.search(self.part) is not None
        )

    @classmethod
    def make(cls, part: str, rest: str, *, leading: bool) -> Cut:
        # Only the side of the cut loses its separators: "-1" stays a negative number.
        # ... and an opening bracket before a leading score goes with its closing one: "(5) Very satisfied"
        part = part.rstrip(SEPARATORS).lstrip(_OPENING) if leading else part.lstrip(SEPARATORS).rstrip()
        gap = (
            rest[: len(rest) - len(rest.lstrip(SEPARATORS))]
            if leading
            else rest[len(rest.rstrip(SEPARATORS)) :]
        )
        comment = rest.strip(SEPARATORS)
        bare, shown = rest.replace(" ", ""), comment.replace(" ", "")  # "⭐⭐⭐⭐⭐, 5": set off by a comma
        emoji = any(text and all(faces.emoji(ch) for ch in text) for text in (bare, shown))
        return cls(part, rest, leading, gap, comment, decoration=emoji or bool(faces.EMOTICON.match(bare)))
