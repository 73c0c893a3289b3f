"""Clauses that deny a topic: "不是密码的问题", "the password is fine", "我没有要投诉的意思", or say it
is already dealt with ("I reset my password fine", "密码重置好了": what the customer asks comes after).

The constructions, not the words of any topic. :mod:`nlu.denials` weighs a denying clause against the
rest of the message; :mod:`bot.triage` reads a rule's ``mentions`` outside such clauses, so "我没有要
投诉的意思，就是问一下什么时候发货" does not count as naming a complaint.
"""

from __future__ import annotations

import re

# Clause boundaries: punctuation, and contrast words that start a new clause. The spaces before a
# contrast word are read from where they start (or, after a line break, up to the next one), not from
# each space of a long run: that took a second on 4,096 spaces.
_CLAUSE = re.compile(
    r"[,，。.;；!！?？\n]+|(?:(?<!\s)\s+|(?<=\n)[^\S\n]+)(?:but|though|however|yet)\s+|但是|不过|可是|而是"
)
_DENIAL = re.compile(
    r"\b(?:not|isn't|is not|wasn't|was not|it's not)\s+(?:the|about|a|an|my|your|because of)\b"
    r"|\b(?:is|are|was|were)\s+(?:fine|ok|okay|correct|right|not the (?:problem|issue))\b"
    r"|\b(?:works|is working)(?: fine| ok| okay)?$|\bnothing to do with\b|\bi know (?:my|the)\b"
    r"|\b(?:didn't|did not|don't|do not|haven't|have not) (?:forget|forgot|lose|lost|need|want|mean to)\b"
    r"|\bnot (?:a|an|the)?\s*\w+ (?:problem|issue|question)\b|\bno (?:problem|issue) with\b"
    r"|^no (?:complaints?|problems?|issues?)\b|\bno need (?:to|for)\b"
    r"|\bnot (?:asking|looking|trying) (?:for|to)\b|\bno intention (?:of|to)\b"
    r"|\b(?:reset|changed|updated|recovered)\b[^,.;!?]{0,30}?"
    r"\b(?:fine|successfully|without (?:any |a )?(?:problem|issue)s?)\b"
    r"|不是.{0,10}(?:问题|原因|的事)|(?:没|没有|不是)(?:问题|关系|错)|无关|是对的|正确的|没忘|没有忘|不是忘"
    # "I know my password" said in Chinese ("登录密码我记得", "我记得密码"; never "我不记得密码了")
    r"|(?<!不)记得(?:我的)?密码|密码我?还?记得"
    r"|不需要|不用(?!谢)|不是要|不是想|(?:没有|没)要?.{0,8}的意思|唔係要|唔使"
    r"|(?:重置|重设|修改|找回)(?:好|完|成功)了"
    # a clause that tells of a change already made ("after I changed my password", "改完密码以后"): what
    # happened after it is the topic, and a genuine "I reset it but still can't log in" goes to a person
    r"|^after (?:i |we )?(?:changed|changing|reset|resetting|updated|updating)\b"
    r"|^(?:我)?(?:改|重置|重设|修改|换)完.{0,8}?(?:以后|之后|后)"
)

# A whole clause that only tells of a password change already made ("I reset my password yesterday",
# "昨天重置了密码"): whether the message asks for a reset rests on the rest of it ("..., now where is my
# booking?" does not; "前几天改了密码，现在想不起来了" does).
_DONE = re.compile(
    r"^(?:(?:i|we) (?:just |already )?(?:reset|changed|updated)|(?:just |already )?(?:changed|updated))"
    r"\s(?:my |our |the )?(?:password|pw|pwd)"
    r"(?:\s(?:yesterday|today|earlier|earlier today|this morning|last night|last week|already|just now))?$"
    r"|^我?(?:昨天|今天|刚才|刚刚|前几天|上周|已经)?(?:重置|重设|修改|改)了(?:一下)?(?:登录)?密码$"
)


def clauses(text: str) -> list[str]:
    """The non-empty clauses of ``text``, in order."""
    return [part.strip() for part in _CLAUSE.split(text) if part and part.strip()]


def denies(clause: str) -> bool:
    """Whether ``clause`` denies a topic ("not the password", "密码没问题", "不是要退款")."""
    return _DENIAL.search(clause.lower()) is not None


def undenied(text: str) -> str:
    """``text`` without its denying clauses (all of it when none denies)."""
    parts = clauses(text)
    kept = [part for part in parts if not denies(part)]
    return text if len(kept) == len(parts) else " ".join(kept)


def tells_done(clause: str) -> bool:
    """Whether ``clause`` only tells of a password change already made ("I reset my password
    yesterday", "昨天重置了密码")."""
    return _DONE.search(clause.strip().lower()) is not None
