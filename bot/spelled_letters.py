"""A word spelled out letter by letter, as customers type one for emphasis or as a phone's voice typing
writes one spelled aloud: "f i v e", "F-I-V-E", "F.O.U.R", "N-O", "s-l-o-w". Only the words an answer is
made of are joined (number words, yes and no, the words of a reason); other runs of single letters
("a b c", "u r", "p.s.") stay as typed."""

from __future__ import annotations

import re

from bot.number_words import EN_VALUES

_ANSWER_WORDS = frozenset(EN_VALUES) | {
    "yes", "yep", "yeah", "no", "nope", "nah", "ok", "okay", "slow", "rude", "good", "bad", "great", "fine",
    "easy", "hard", "other", "none", "skip",
}  # fmt: skip
# One letter, then one to nine more each after the same mark (a space, a dash or a full stop), and a
# full stop after the last ("F.O.U.R."). Each run is bounded, so a long line is read once.
_SPELLED = re.compile(
    r"(?<![^\W\d_])([a-z])(?P<mark>[ .\-])[a-z](?:(?P=mark)[a-z]){0,8}(?![^\W\d_])\.?", re.I
)


def _joined(found: re.Match[str]) -> str:
    run = found[0]
    word = run.rstrip(".").replace(found["mark"], "")
    return word if word.lower() in _ANSWER_WORDS else run


def letters_joined(text: str) -> str:
    """``text`` with each answer word spelled out letter by letter written as one word ("f i v e" as
    "five", "N-O" as "NO"); a run that spells no answer word is kept as typed."""
    return _SPELLED.sub(_joined, text) if len(text) >= 3 else text
