"""Whether words typed at a choice question are a reason of the customer's own ("it took 4 days",
"物流太慢了") that the step's catch-all option (``otherwise``) can take, with the words as the comment.

Not a reason: a question to the bot, a calm request or a call for a person the triage model reads,
courtesy or filler alone ("ok thanks", "嗯嗯"), a score said again ("改成4分"), one character or one
short word ("lol").
"""

from __future__ import annotations

import re
import unicodedata

from bot.answers import read_rating
from bot.classification import Classification

REQUESTS: frozenset[str] = frozenset(
    {"password_reset", "billing", "refund", "delivery", "cancel", "request_human"}
)
"""Intents of the bundled model that read as a new request for help, not as a comment."""
REQUEST_CONFIDENCE = 0.5
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_QUESTION = re.compile(
    r"[吗呢嘛么][\s!！。.~～]*$"
    r"|^(?:what do you mean|what does (?:that|this) mean|which one|什么意思|啥意思|哪个|哪一个)"
    r"|^(?:what|huh|why|eh|sorry|pardon|again)[\s!.]*$"
)
_NO_REASON = re.compile(
    r"(?:(?:still|really|honestly|just|um+|hmm+|well),? )*(?:i(?:'ve| have)? (?:got )?)?"
    r"(?:(?:i )?(?:don'?t|do not) know|dunno|idk|no idea|not sure|no comment|whatever|never ?mind|nvm)"
    r"|不知道|不清楚|不晓得|说不上来|说不清|没想好|随便|无所谓|算了"
)
_MARKS = " .,!~。，！～"
_COURTESY = re.compile(
    r"\b(?:ok(?:ay)?|k|thanks?(?: you)?|thx|ty|hi|hello|hey|sure|fine|yes|yeah|yep|no|nope|cool|alright|bye|"
    r"lol|haha|hmm+|um+|uh+)\b|好的|好吧|谢谢|多谢|感谢|嗯+|哦+|噢+|好|行|收到|知道了|明白了?|没事|拜拜|再见|哈+"
)


def is_request(verdict: Classification | None) -> bool:
    """Whether the triage model reads a new request for help (a topic of its own) in the message."""
    if verdict is None:
        return False
    return verdict.intent in REQUESTS and verdict.intent_confidence >= REQUEST_CONFIDENCE


def asks_for_help(verdict: Classification | None) -> bool:
    """Whether a message typed at a choice question asks for something rather than says what went
    wrong: asking for a person, or a calm request ("I want a refund"); an unhappy one ("物流太慢了，等了
    一个星期", read as delivery, negative) is a reason."""
    if not is_request(verdict):
        return False
    return verdict is not None and (verdict.intent == "request_human" or verdict.sentiment != "negative")


_END_MARKS = "?？!！"


def _asks(t: str) -> bool:
    """``t`` ends in a question mark, whatever marks and spaces follow it ("why??", "what? !"). Read
    from the end once: a regex searched from each "?" of a long run of them took seconds."""
    end = len(t)
    while end and (t[end - 1] in _END_MARKS or t[end - 1].isspace()):
        end -= 1
    return any(ch in "?？" for ch in t[end:])


def typed_reason(text: str, verdict: Classification | None) -> str:
    """``text`` stripped when it is a reason in the customer's own words, else ``""``."""
    words = text.strip()
    t = unicodedata.normalize("NFKC", words).lower()
    if not t or _asks(t) or _QUESTION.search(t) or asks_for_help(verdict):
        return ""
    if any(_NO_REASON.fullmatch(x.strip(_MARKS)) for x in (t, _COURTESY.sub(" ", t))):
        return ""
    if read_rating(words, "csat", 1, 5) is not None or read_rating(words, "nps", 0, 10) is not None:
        return ""  # a score said again ("actually make it 4 stars", "改成4分"): not what went wrong
    rest = _COURTESY.sub(" ", t)
    found = _WORD.findall(rest)
    says = len(_HAN.findall(rest)) >= 2 or len(found) >= 2 or any(len(w) >= 4 for w in found)
    return words if says else ""


__all__ = ["REQUESTS", "REQUEST_CONFIDENCE", "asks_for_help", "is_request", "typed_reason"]
