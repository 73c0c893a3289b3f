"""Long texts split into messages within a platform's limit (pure).

Each platform counts its limit its own way: Telegram and WhatsApp in UTF-16 code units
(:func:`utf16_len`), WeChat in UTF-8 bytes (:func:`utf8_len`). ``measure`` must be additive over
characters, as these are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.storable import BLANK as BLANK  # re-exported: adapters and the API check blanks here
from bot.storable import BLANKS as BLANKS
from bot.storable import shows_nothing as shows_nothing

Measure = Callable[[str], int]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (characters outside the BMP, like most emoji, count twice)."""
    return len(text.encode("utf-16-le")) // 2


def utf8_len(text: str) -> int:
    """Length in UTF-8 bytes."""
    return len(text.encode())


def split_text(
    text: str,
    limit: int,
    *,
    measure: Measure = len,
    breaks: Sequence[str] = ("\n", " "),
    keep_spaces: bool = False,
) -> list[str]:
    """``text`` in parts of at most ``limit`` (by ``measure``), never losing a visible character.

    A part ends at the last of ``breaks`` (tried in order) in its second half, else the word is
    cut. By default the text and every part are stripped of outer whitespace, and a break must lie
    within the part. With ``keep_spaces`` only the one break character at a cut is dropped, a break
    just past the limit counts, and blank parts are left out. An empty text gives no parts.
    """
    parts: list[str] = []
    rest = text if keep_spaces else text.strip()
    while measure(rest) > limit:
        end = max(_fit(rest, limit, measure), 1)  # a character wider than the limit is a part alone
        if keep_spaces:
            at = _last_break(rest[: end + 1], breaks, earliest=max(end // 2, 1))
            parts.append(rest[: end if at is None else at])
            rest = rest[end:] if at is None else rest[at + 1 :]
        else:
            at = _last_break(rest[:end], breaks, earliest=end // 2 + 1)
            cut = end if at is None else at
            parts.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip()
    parts.append(rest)
    return [part for part in parts if part.strip()]


def _last_break(window: str, breaks: Sequence[str], *, earliest: int) -> int | None:
    """Where the first of ``breaks`` last found in ``window`` at or after ``earliest`` is, if any."""
    for separator in breaks:
        at = window.rfind(separator)
        if at >= earliest:
            return at
    return None


def _fit(text: str, limit: int, measure: Measure) -> int:
    """The length of the longest prefix of ``text`` that measures at most ``limit``."""
    used = 0
    for index, char in enumerate(text):
        used += measure(char)
        if used > limit:
            return index
    return len(text)
