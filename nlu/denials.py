"""Clauses that deny a topic: "不是密码的问题，账号被封了", "the password is fine, but ...".

A classifier that sees "password" in a denial and a problem beside it can read the whole message as
the denied intent with high confidence ("密码没问题，账号被封了" -> password_reset 0.97). An automatic
answer must not rest on that. The check is counterfactual, with no word lists per intent: when a
clause is a denial ("not the X", "X is fine", "no need to X", "跟X没关系", "X没问题", "不是X的问题",
"没忘X", "不需要X", "不是要X") and the
message without it is not the intent (or not surely enough to be answered: under the answer
floor), the answer rested on the denied topic, and the automatic answer is withheld (the message
still reaches a person when it should). It is withheld too when the denying clause on its own
reads as the intent: the customer said in so many words that the answer's topic is not theirs
("密码没忘，是手机号换了收不到验证码": the rest reads as password_reset as well, but an answer
on how to reset a password contradicts what they wrote).

When the denying clause on its own reads as the message's intent ("no complaints at all" ->
complaint, "不是付款的问题" -> billing) and the rest of the message does not, the topic the customer
set aside decided the labels: the message is read again without that clause ("the driver was lovely,
no complaints at all, but I got billed twice" -> billing), and the verdict says so (``reread``).
A reread never takes a person away: when the whole message needs one and the rest does not, the
verdict stands, as what looks like a denial may be the grievance itself ("a 'we value your
feedback' email is not a solution. The charge is still on my card", "brilliant, the quiet room is
right above the nightclub": without it, the rest read as thanks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.classification import Classification
from nlu.labels import FALLBACK_INTENT

Classify = Callable[[Sequence[str]], list[Classification]]

# Clause boundaries: punctuation, and contrast words that start a new clause. The spaces before a
# contrast word are read from where they start (or, after a line break, up to the next one), not from
# each space of a long run: that took a second on 4,096 spaces.
_CLAUSE = re.compile(
    r"[,，。.;；!！?？\n]+|(?:(?<!\s)\s+|(?<=\n)[^\S\n]+)(?:but|though|however|yet)\s+|但是|不过|可是|而是"
)
# Denials of a topic, whatever the topic: the constructions, not the words of any intent.
_DENIAL = re.compile(
    r"\b(?:not|isn't|is not|wasn't|was not|it's not)\s+(?:the|about|a|an|my|your|because of)\b"
    r"|\b(?:is|are|was|were)\s+(?:fine|ok|okay|correct|right|not the (?:problem|issue))\b"
    r"|\b(?:works|is working)(?: fine| ok| okay)?$|\bnothing to do with\b|\bi know (?:my|the)\b"
    r"|\b(?:didn't|did not|don't|do not|haven't|have not) (?:forget|forgot|lose|lost|need|want)\b"
    r"|\bnot (?:a|an|the)?\s*\w+ (?:problem|issue|question)\b|\bno (?:problem|issue) with\b"
    r"|^no (?:complaints?|problems?|issues?)\b|\bno need (?:to|for)\b|\bnot (?:asking|looking) (?:for|to)\b"
    r"|不是.{0,10}(?:问题|原因|的事)|(?:没|没有|不是)(?:问题|关系|错)|无关|是对的|正确的|没忘|没有忘|不是忘"
    r"|不需要|不用(?!谢)|不是要|不是想|唔係要|唔使"
)
MAX_CLAUSES = 6
"""Longer messages are not checked (each denying clause costs one more classification)."""


def clauses(text: str) -> list[str]:
    """The non-empty clauses of ``text``, in order."""
    return [part.strip() for part in _CLAUSE.split(text) if part and part.strip()]


def denials(text: str) -> list[tuple[str, str]]:
    """Each clause that denies a topic, in a message of two or more clauses, with the message left
    without it: ``[(clause, rest), ...]``."""
    parts = clauses(text)
    if not 2 <= len(parts) <= MAX_CLAUSES:
        return []
    return [
        (part, " ".join(parts[:n] + parts[n + 1 :]))
        for n, part in enumerate(parts)
        if _DENIAL.search(part.lower())
    ]


def withhold_denied_answers(
    texts: Sequence[str], verdicts: list[Classification], classify: Classify
) -> list[Classification]:
    """``verdicts`` with the automatic answer withheld wherever the intent came from a denied topic
    (see the module docstring). Only verdicts that would clear their answer floor are checked."""
    checks: list[tuple[int, str]] = []  # verdict, denying clause; rest and clause side by side in batch
    batch: list[str] = []
    for n, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
        floor = verdict.answer_floor
        if floor is None or verdict.intent == FALLBACK_INTENT or verdict.intent_confidence < floor:
            continue
        for clause, without in denials(text):
            checks.append((n, clause))
            batch += [without, clause]
    if not batch:
        return verdicts
    read = classify(batch)
    out = list(verdicts)
    for k, (n, clause) in enumerate(checks):
        remaining, alone = read[2 * k], read[2 * k + 1]
        intent, floor = verdicts[n].intent, verdicts[n].answer_floor or 0.0
        if not out[n].withheld and (
            remaining.intent != intent or remaining.intent_confidence < floor or alone.intent == intent
        ):
            out[n] = replace(out[n], withheld=f'"{clause}" denies {intent}')
    return out


def reread_denied_topics(
    texts: Sequence[str], verdicts: list[Classification], classify: Classify
) -> list[Classification]:
    """``verdicts`` with each message whose intent came from a topic it denies read again without
    the denying clause, unless that reading would no longer send to a person a message that needs
    one (see the module docstring). Costs two classifications per denying clause, only for messages
    that have one."""
    checks: list[tuple[int, str]] = []  # verdict, denying clause; clause and rest sit side by side in batch
    batch: list[str] = []
    for n, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
        if verdict.intent == FALLBACK_INTENT:
            continue
        for clause, without in denials(text):
            checks.append((n, clause))
            batch += [clause, without]
    if not batch:
        return verdicts
    read = classify(batch)
    out = list(verdicts)
    for k, (n, clause) in enumerate(checks):
        alone, rest = read[2 * k], read[2 * k + 1]
        intent = verdicts[n].intent
        if out[n] is verdicts[n] and alone.intent == intent and rest.intent != intent:
            if verdicts[n].wants_human and not rest.wants_human:
                continue  # the clause set aside may be the grievance itself: the person stays
            out[n] = replace(rest, reread=f'read without "{clause}" (denies {intent})')
    return out
