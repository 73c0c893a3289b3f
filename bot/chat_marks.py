"""Chat apps' formatting marks around words (WhatsApp, Telegram, Slack, Discord): bold, italics, code
and spoilers say nothing of what they wrap ("*5*分", "`3`", "```9```", "||4||", "oops, I meant _5_"),
and a word struck through ("~2~ 3") is taken back by the words after it."""

from __future__ import annotations

import re

_LONGEST = 40
_STARTS = r"(?=[^\W_]|[⭐★🌟])"  # a letter, a digit, a Han character or a star; no mark
_ENDS = r"(?<=[^\W_]|[⭐★🌟])"
# A pair of the same mark around a few characters that start and end with a word's (each start tries at
# most _LONGEST characters): "**10**/10", "_4_分", "*_5_*" (twice); not "5*, 4*" or "snake_case".
_WRAPPED = re.compile(
    rf"(?<![A-Za-z0-9])(?P<mark>\*{{1,2}}|_{{1,2}}|`{{1,3}}|\|\|){_STARTS}"
    rf"(?P<inner>[^*_`|\n]{{1,{_LONGEST}}}?){_ENDS}(?P=mark)(?![A-Za-z0-9])"
)
# A word struck through before the one meant: "~2~ 3", "~5 stars~ 4 stars" (alone it stays: "~5~"; and
# Chinese chat's tildes only adorn: "~5分~ 谢谢").
_STRUCK = re.compile(
    rf"(?<![A-Za-z0-9~])~{_STARTS}[^~\n\u3400-\u9fff]{{1,{_LONGEST}}}?{_ENDS}~(?=[ \t]+\S)[ \t]+"
)


def unformatted(text: str) -> str:
    """``text`` without chat formatting marks around its words, and without a word struck through
    before others."""
    if not any(mark in text for mark in "*_`|~"):
        return text
    text = _WRAPPED.sub(r"\g<inner>", _STRUCK.sub("", text))
    return _WRAPPED.sub(r"\g<inner>", text)  # "*_5_*": the pair inside, then the one around it
