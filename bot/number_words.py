"""The English number words a typed score may be written in, for the parsers' regexes."""

from __future__ import annotations

EN_VALUES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
EN_WORDS = "|".join(EN_VALUES)
"""``zero|one|...|ten`` (a regex alternation, to be wrapped in a group by its user)."""
