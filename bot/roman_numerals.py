"""Roman numerals typed as a score: Unicode's numeral signs ("Ⅳ", "Ⅸ", "ⅶ") anywhere, and a reply
that is only a Roman numeral of two letters or more in capitals, with a unit or a scale after it
("IV stars", "VIII", "VII/X"). A lone "I", "V" or "X" is a letter as often as a number, and stays."""

from __future__ import annotations

import re

_SIGNS: dict[str, str] = {chr(0x2160 + n): str(n + 1) for n in range(12)} | {
    chr(0x2170 + n): str(n + 1) for n in range(12)
}
"""Unicode's Roman numeral signs, capital and small, one to twelve, and the number each draws."""
_SIGN = str.maketrans(_SIGNS)
_VALUES = {"II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "V": 5}
_LETTERS = r"(?:VIII|VII|VI|IV|IX|III|II)"
_WHOLE = re.compile(
    rf"^\s*(?P<num>{_LETTERS})(?P<rest>\s*(?:stars?|pts|points|分|星|颗星)?"
    r"(?:\s*(?:/|out of|of)\s*(?P<of>V|VII|X|5|7|10))?\s*[!.。！]*)\s*$"
)


def roman_as_digits(text: str) -> str:
    """``text`` with Roman numeral signs as digits, and a whole reply of capital Roman numerals read
    as its number ("IV stars" is "4 stars"); anything else as it is."""
    text = text.translate(_SIGN)
    whole = _WHOLE.match(text)
    if whole is None:
        return text
    rest = whole["rest"]
    if (scale := whole["of"]) is not None and scale in _VALUES:
        rest = rest.replace(scale, str(_VALUES[scale]), 1)
    return str(_VALUES[whole["num"]]) + rest
