"""Denied topics withhold an automatic answer: which clauses deny, and the counterfactual check."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.classification import Classification
from nlu.denials import clauses, denials, done_changes, reread_denied_topics, withhold_denied_answers


@pytest.mark.parametrize(
    ("text", "denying"),
    [
        ("不是密码的问题，账号被封了", ["不是密码的问题"]),
        ("密码没问题，账号被封了", ["密码没问题"]),
        ("跟密码没关系，账号被封了", ["跟密码没关系"]),
        ("密码是对的，但是显示账号异常", ["密码是对的"]),
        ("不是忘记密码，是手机号换了收不到短信", ["不是忘记密码"]),
        ("it's not the password, my account got suspended", ["it's not the password"]),
        ("the password is fine, but I can't see my orders", ["the password is fine"]),
        (
            "I did not forget my password. my account shows someone else's name",
            ["I did not forget my password"],
        ),
        ("I know my password, the app keeps crashing", ["I know my password"]),
        ("nothing to do with the refund, where is my parcel?", ["nothing to do with the refund"]),
        ("password works, but two-factor codes never arrive", ["password works"]),
        ("the driver was lovely, no complaints at all, but I got billed twice", ["no complaints at all"]),
        ("不需要重置密码，已经登进去了", ["不需要重置密码"]),
        ("我不是要退款，只是想问什么时候发货", ["我不是要退款"]),
        ("唔係要退款呀，淨係想問幾時發貨", ["唔係要退款呀"]),
        ("no need to reset my password, I got in", ["no need to reset my password"]),
        ("I'm not asking for a refund, I just want to know when it ships", ["I'm not asking for a refund"]),
        ("不用谢，问题解决了", []),  # "you're welcome" denies nothing
        # negations that are the customer's problem, not a denial
        ("I can't remember my password, can you help", []),
        ("I never got the reset email, how do I reset my password?", []),
        ("密码不记得了，能帮我重置吗", []),
        ("登录不了，提示密码错误，怎么重置", []),
        ("我没收到重置密码的邮件，密码忘了", []),
        # one clause: nothing to weigh it against
        ("不是密码的问题", []),
        ("the password is fine", []),
    ],
)
def test_denying_clauses(text: str, denying: list[str]) -> None:
    assert [clause for clause, _ in denials(text)] == denying


def test_the_rest_is_the_message_without_the_denial() -> None:
    assert clauses("不是密码的问题，账号被封了。怎么办？") == ["不是密码的问题", "账号被封了", "怎么办"]
    assert denials("the password is fine, but I can't see my orders") == [
        ("the password is fine", "I can't see my orders")
    ]


def by_words(texts: Sequence[str]) -> list[Classification]:
    """A stand-in for the model: password_reset whenever a text names the password, else other."""
    return [
        Classification("password_reset" if "password" in t or "密码" in t else "other", 0.97, "neutral", 0.9,
                       answer_floor=0.7)
        for t in texts
    ]  # fmt: skip


def test_an_answer_resting_on_a_denied_topic_is_withheld() -> None:
    texts = [
        "密码没问题，账号被封了",  # the rest names no password: withheld
        "I don't want a human, just send me a password reset link",  # the rest is the intent: kept
        "I forgot my password, please help",  # no denial: kept
    ]
    got = withhold_denied_answers(texts, by_words(texts), by_words)
    assert [v.withheld for v in got] == ['"密码没问题" denies password_reset', "", ""]
    assert [v.intent for v in got] == ["password_reset"] * 3  # the labels stay


def test_an_answer_is_withheld_when_the_rest_alone_is_the_intent_but_under_its_floor() -> None:
    def unsure_rest(texts: Sequence[str]) -> list[Classification]:
        confidence = [0.97 if "密码" in t else 0.49 for t in texts]
        return [Classification("password_reset", c, "neutral", 0.9, answer_floor=0.5) for c in confidence]

    texts = ["不是密码的问题，账号被封了"]  # "账号被封了" alone reads as password_reset, at 0.49
    got = withhold_denied_answers(texts, unsure_rest(texts), unsure_rest)
    assert [v.withheld for v in got] == ['"不是密码的问题" denies password_reset']


def test_an_answer_is_withheld_when_the_denying_clause_alone_is_the_intent() -> None:
    def by_codes(texts: Sequence[str]) -> list[Classification]:
        """password_reset for anything about passwords or codes: the rest reads as the intent too."""
        return [
            Classification("password_reset" if "密码" in t or "验证码" in t else "other", 0.97, "neutral",
                           0.9, answer_floor=0.7)
            for t in texts
        ]  # fmt: skip

    texts = ["密码没忘，是手机号换了收不到验证码", "I don't want a human, just send me a password reset link"]
    got = withhold_denied_answers(texts, by_codes(texts), by_codes)
    # the customer denied the very topic of the answer; the second denies another topic: answered
    assert [v.withheld for v in got] == ['"密码没忘" denies password_reset', ""]


def test_a_change_already_made_withholds_the_answer_only_when_the_rest_is_not_the_intent() -> None:
    texts = [
        "I changed my password last week, now where is my order?",  # the rest names no password
        "昨天重置了密码，现在订单在哪里看",
        "前几天改了密码，现在密码想不起来了",  # the rest is a reset too: answered
        "reset my password, I forgot it",  # a request, not a change told
    ]
    assert [clause for clause, _ in done_changes(texts[0])] == ["I changed my password last week"]
    got = withhold_denied_answers(texts, by_words(texts), by_words)
    assert [v.withheld for v in got] == [
        '"I changed my password last week" is a change already made; the rest is not password_reset',
        '"昨天重置了密码" is a change already made; the rest is not password_reset',
        "",
        "",
    ]


def test_only_verdicts_that_would_be_answered_are_checked() -> None:
    calls: list[Sequence[str]] = []

    def counting(texts: Sequence[str]) -> list[Classification]:
        calls.append(list(texts))
        return by_words(texts)

    under_floor = Classification("password_reset", 0.5, "neutral", 0.9, answer_floor=0.7)
    no_floor = Classification("password_reset", 0.99, "neutral", 0.9)
    unsure = Classification("other", 0.99, "neutral", 0.9, answer_floor=0.7)
    texts = ["密码没问题，账号被封了"] * 3
    assert withhold_denied_answers(texts, [under_floor, no_floor, unsure], counting) == [
        under_floor,
        no_floor,
        unsure,
    ]
    assert calls == []


def by_topic(texts: Sequence[str]) -> list[Classification]:
    """A stand-in for the model: the first topic a text names decides its intent."""
    topics = {"complain": "complaint", "billed": "billing", "付款": "billing", "发货": "delivery"}
    out = []
    for t in texts:
        named = sorted((t.find(word), intent) for word, intent in topics.items() if word in t)
        out.append(Classification(named[0][1] if named else "other", 0.9, "neutral", 0.9))
    return out


def test_a_message_whose_intent_came_from_a_denied_topic_is_read_without_it() -> None:
    texts = [
        "no complaints at all, but I got billed twice",  # the denial alone is the intent: read again
        "不是付款的问题，就是一直没发货",
        "it's not the first time, I want to complain",  # the denial alone is not the intent: kept
        "I want to complain, I got billed twice",  # no denial: kept
    ]
    got = reread_denied_topics(texts, by_topic(texts), by_topic)
    assert [v.intent for v in got] == ["billing", "delivery", "complaint", "complaint"]
    assert [v.reread for v in got] == [
        'read without "no complaints at all" (denies complaint)',
        'read without "不是付款的问题" (denies billing)',
        "",
        "",
    ]


def test_a_reread_never_takes_away_a_person_the_whole_message_needs() -> None:
    def upset_whole(texts: Sequence[str]) -> list[Classification]:
        """complaint for the whole message and its "denial"; the rest alone reads as calm thanks."""
        return [
            Classification("complaint", 0.9, "negative", 0.9, needs_human=0.9)
            if "solution" in t
            else Classification("greeting_thanks", 0.8, "positive", 0.9, needs_human=0.1)
            for t in texts
        ]

    texts = ["Respectfully, a feedback email is not a solution. The charge is still there"]
    got = reread_denied_topics(texts, upset_whole(texts), upset_whole)
    assert got[0].wants_human and got[0].intent == "complaint" and got[0].reread == ""


def test_the_console_says_when_a_message_was_read_without_a_denial() -> None:
    from bot.triage import describe

    verdict = Classification(
        "billing", 0.9, "neutral", 0.8, reread='read without "no complaints" (denies complaint)'
    )
    assert describe(verdict) == (
        'triage: billing (90%), neutral (80%); read without "no complaints" (denies complaint)'
    )
