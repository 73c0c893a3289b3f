"""Clauses that deny a topic: "不是密码的问题，账号被封了", "the password is fine, but ...".

A classifier that sees "password" in a denial and a problem beside it can read the whole message as
the denied intent with high confidence ("密码没问题，账号被封了" -> password_reset 0.97). An automatic
answer must not rest on that. The check is counterfactual, with no word lists per intent: when a
clause is a denial ("not the X", "X is fine", "no need to X", "跟X没关系", "X没问题", "不是X的问题",
"没忘X", "不需要X", "不是要X", or X already dealt with: "reset X fine", "X重置好了") and the
message without it is not the intent (or not surely enough to be answered: under the answer
floor), the answer rested on the denied topic, and the automatic answer is withheld (the message
still reaches a person when it should). It is withheld too when the denying clause on its own
reads as the intent: the customer said in so many words that the answer's topic is not theirs
("密码没忘，是手机号换了收不到验证码": the rest reads as password_reset as well, but an answer
on how to reset a password contradicts what they wrote).

A clause that only tells of a password change already made ("I reset my password yesterday, now
where is my booking?", "昨天重置了密码，现在订单在哪里看") is weighed by the rest alone: the answer is
withheld when the rest is not the intent, and kept when it is ("前几天改了密码，现在密码想不起来了"),
as such a clause on its own always reads as a reset.

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

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.classification import Classification
from bot.denying import clauses, denies, tells_done
from nlu.labels import FALLBACK_INTENT

Classify = Callable[[Sequence[str]], list[Classification]]

MAX_CLAUSES = 6
"""Longer messages are not checked (each denying clause costs one more classification)."""


def denials(text: str) -> list[tuple[str, str]]:
    """Each clause that denies a topic, in a message of two or more clauses, with the message left
    without it: ``[(clause, rest), ...]``."""
    return _clauses_that(denies, text)


def done_changes(text: str) -> list[tuple[str, str]]:
    """Each clause that only tells of a password change already made, in a message of two or more
    clauses, with the message left without it: ``[(clause, rest), ...]``."""
    return _clauses_that(tells_done, text)


def _clauses_that(test: Callable[[str], bool], text: str) -> list[tuple[str, str]]:
    parts = clauses(text)
    if not 2 <= len(parts) <= MAX_CLAUSES:
        return []
    return [(part, " ".join(parts[:n] + parts[n + 1 :])) for n, part in enumerate(parts) if test(part)]


def withhold_denied_answers(
    texts: Sequence[str], verdicts: list[Classification], classify: Classify
) -> list[Classification]:
    """``verdicts`` with the automatic answer withheld wherever the intent came from a denied topic
    (see the module docstring). Only verdicts that would clear their answer floor are checked."""
    checks: list[tuple[int, str, bool]] = []  # verdict, clause, denies; rest and clause side by side in batch
    batch: list[str] = []
    for n, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
        floor = verdict.answer_floor
        if floor is None or verdict.intent == FALLBACK_INTENT or verdict.intent_confidence < floor:
            continue
        found = [(c, w, True) for c, w in denials(text)] + [(c, w, False) for c, w in done_changes(text)]
        for clause, without, denying in found:
            checks.append((n, clause, denying))
            batch += [without, clause]
    if not batch:
        return verdicts
    read = classify(batch)
    out = list(verdicts)
    for k, (n, clause, denying) in enumerate(checks):
        remaining, alone = read[2 * k], read[2 * k + 1]
        intent, floor = verdicts[n].intent, verdicts[n].answer_floor or 0.0
        # a change already made said alone reads as a reset too: only the rest decides
        if not out[n].withheld and (
            remaining.intent != intent
            or remaining.intent_confidence < floor
            or (denying and alone.intent == intent)
        ):
            why = "denies" if denying else "is a change already made; the rest is not"
            out[n] = replace(out[n], withheld=f'"{clause}" {why} {intent}')
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
