"""Digits as Unicode draws them where NFKC folds none: the negative and sans-serif circled digits of
dingbat fonts ("❼", "➏", "➓") and the double-circled ones ("⓸"). ("④", "⑩" and "５" fold by NFKC.)"""

from __future__ import annotations

_RUNS = (0x2776, 0x2780, 0x278A, 0x24F5)  # ❶-❿, ➀-➉, ➊-➓, ⓵-⓾: one to ten each
ENCLOSED_DIGITS: dict[str, str] = {
    chr(start + offset): str(offset + 1) for start in _RUNS for offset in range(10)
} | {"⓿": "0"}
"""Each enclosed digit NFKC leaves as it is, and the number it draws."""
_PLAIN = str.maketrans({"\ufe0f": None, "\u20e3": None, **ENCLOSED_DIGITS})


def plain_digits(text: str) -> str:
    """``text`` with keycaps ("5️⃣") and the enclosed digits NFKC keeps ("❺") as plain digits."""
    return text.translate(_PLAIN)
