"""Yes and no typed in answer to "Did this solve it?": what counts, and what stays no answer."""

from __future__ import annotations

import pytest

from bot.yes_no import parse_confirmation, parse_yes_no

SOLVED = [
    "yes",
    "yes thanks",
    "perfect thanks!",
    "解决了谢谢",
    "是的",
    "好的谢谢",
    "可以了",
    "thx it worked",
    "👍",
    "已经好了",
    "搞定",
    "works now",
    "it works, thanks",
    "that fixed it, cheers",
    "没问题了",
    "能用了",
    "解決了",
    "YES",
    "yesss",
    "yepp",
    "of course",
    "✅",  # the fifth hunt: check marks and Cantonese (each None before)
    "✔️",
    "係",
    "係呀",
    "搞掂",
    "搞掂咗",
    "得咗",
    "冇問題",
    "恩",
    "对对",
    "嗯，解决了",
    "对，可以了",
    "可以了，试过了",
    "no problems now",
    "it's fixed, thanks! 5/5",
]
NOT_SOLVED = [
    "no",
    "nope still broken",
    "no, still can't log in",
    "it didn't help",
    "I still need help",
    "没有，还是登不上",
    "还是不行啊",
    "没用",
    "转人工客服",
    "👎",
    "not yet",
    "not fixed yet",
    "still the same problem",
    "解决不了",
    "用不了啊",
    "沒解決",
    "還是不行",
    "没解决，我要找人工",
    "问题依旧",
    "还不行",
    "still nothing",
    "nothing changed",
    "nooo",
    "还没",
    "还没呢",
    "暂时没有",
    "不不",
    "不，还是不行",
    # the fifth hunt (2026-12-06): check marks, chat and Cantonese (each None before)
    "❌",
    "木有",
    "唔係",
    "冇",
    "仲未",
    "唔得",
    "仲係唔得",
]
NEITHER = [
    "yes but I have another question",
    "it works but now I cannot pay",
    "kind of",
    "not sure",
    "solved partly",
    "mostly works",
    "yes and no",
    "解决了一半",
    "基本解决了",
    "差不多解决了",
    "没有完全解决",
    "of course not",
    "sure not",
    "好的，我试试",
    "ok I'll try",
    "好，我试试",
    "不，谢谢",
    "好好",
    "definitely 10",  # a rating for an open survey, not "yes"
    "no problem",  # an acknowledgement, not "it did not help"
    "no worries",
    "还没试",
    "我试试",
    "稍等",
    "where is my parcel",
    "好的呵呵",  # a sneer
    "呵呵，解决了",
    "冇试过",  # not tried: no answer yet
    "未试",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [*((t, "yes") for t in SOLVED), *((t, "no") for t in NOT_SOLVED), *((t, None) for t in NEITHER)],
)
def test_did_this_solve_it_answers(text: str, expected: str | None) -> None:
    assert parse_confirmation(text) == expected


# The blind fifth set (2026-12-06): what says nothing of a yes or no is read past (a greeting, regret,
# 当然, a face, a signature), "X个屁" scorns a yes, "has not been resolved" starts a no, and not knowing
# is neither.
BLIND_NINTH = [
    ("nooo 😭", "no"),
    ("yes 🙏", "yes"),
    ("当然没有", "no"),
    ("废话，当然没解决", "no"),
    ("当然解决了", "yes"),
    ("解决个屁", "no"),
    ("有用个鬼", "no"),
    ("it's working again", "yes"),
    ("not working again", "no"),
    ("I am afraid it has not been resolved, the printer still shows the same error.", "no"),
    ("Good morning. Unfortunately no, the parcel has still not arrived. Kind regards, Edith", "no"),
    ("您好，问题仍未解决，麻烦再帮忙看一下，谢谢", "no"),
    ("the issue hasn't been fixed", "no"),
    ("是 —— 发自我的iPhone", "yes"),
    ("not sure", None),
    ("不是很清楚", None),
    ("dunno", None),
    ("hi", None),
    ("当然了", None),
]


@pytest.mark.parametrize(("text", "expected"), BLIND_NINTH)
def test_the_fifth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_confirmation(text) == expected


# The blind sixth set (2026-12-07): 啦 for 了 after a word that is no mere "OK", a yes word with 了 that the
# list names whole, the problem named first, 并 before a no, "not yet fixed" in Cantonese.
BLIND_TENTH = [
    ("搞定啦", "yes"),
    ("好啦", None),
    ("好了", "yes"),
    ("OK了", "yes"),
    ("好的", None),
    ("嗯", None),
    ("问题已经解决了", "yes"),
    ("the problem is fixed", "yes"),
    ("issue resolved", "yes"),
    ("问题还在", "no"),
    ("the problem is still there", None),
    ("问题", None),
    ("问题没有了", None),  # gone, or none? Not "没有" (no) said of the problem
    ("问题不是这个", None),
    ("并没有解决", "no"),
    ("并不行", "no"),
    ("未搞定", "no"),
    ("affirmative", "yes"),
]


@pytest.mark.parametrize(("text", "expected"), BLIND_TENTH)
def test_the_sixth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


# The eighth blind set (typed_answers_seventh_*), with look-alikes: "all" before a done word, "not at all",
# "it's resolved" (not "it's ok"), a reply that starts "not resolved", "still doesn't work" or "still
# waiting", 依旧/还是 before what cannot be done, 根本/完全 before a no, and the same old problem.
BLIND_ELEVENTH = [
    ("all fixed 👍", "yes"),
    ("all done", "yes"),
    ("yessir", "yes"),
    ("not at all", "no"),
    ("it's resolved", "yes"),
    ("its fixed now", "yes"),
    ("it's ok", None),
    ("it's fine", None),
    ("not resolved", "no"),
    ("it's not fixed", "no"),
    ("it still doesn't work", "no"),
    ("it still works", None),
    ("still waiting on my refund", "no"),
    ("依旧不能登录", "no"),
    ("还是不能登录", "no"),
    ("还在等退款", "no"),
    ("根本没解决", "no"),
    ("完全没有", "no"),
    ("完全解决了", None),
    ("还是老问题", "no"),
    ("definitely not", None),  # as "of course not": a yes word before "not"
]


@pytest.mark.parametrize(("text", "expected"), BLIND_ELEVENTH)
def test_the_eighth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


# The ninth blind set (typed_answers_eighth_*), with look-alikes: "negative", Cantonese 咗 and chat's 啥, no
# use at all, and still not received (not "not tried yet").
BLIND_TWELFTH = [
    ("negative", "no"),
    ("解決咗", "yes"),
    ("搞定咗", "yes"),
    ("没啥用", "no"),
    ("一点用都没有", "no"),
    ("还没收到退款", "no"),
    ("还没试", None),
    # blind round 27: 哈 and 哟 after 了 as 喔 ("解决了哈"); "好了哈" stays an "OK"
    ("解决了哈", "yes"),
    ("可以了哟", "yes"),
    ("好了哈", None),
]


@pytest.mark.parametrize(("text", "expected"), BLIND_TWELFTH)
def test_the_ninth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("> Is your problem solved now?\nyes", "yes"),  # a quote of the question before the answer
        ("「客服：您的问题现在解决了吗？」\n- - - - -\n没有", "no"),
        ("uh no", "no"),  # voice typing's filler before it
        ("um yes", "yes"),
        ("sí", "yes"),
        ("oui", "yes"),
        ("si", None),  # no accent: "if" in Italian and Spanish, and a word of no language here
        ("no comment", None),  # declines to answer: no "no"
        ("no comments", None),
    ],
)
def test_the_eleventh_blind_sets_yes_no_replies(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


# The fourteenth blind set (typed_answers_thirteenth_*): spoken, dialect and chat yeses and noes, the
# gestures, and Australian "yeah nah"; with look-alikes that stay no answer.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("aye", "yes", id="scots-aye"),
        pytest.param("mm-hmm", "yes", id="mm-hmm"),
        pytest.param("uh-huh thanks", "yes", id="uh-huh-and-thanks"),
        pytest.param("uh-uh", "no", id="uh-uh"),
        pytest.param("naw", "no", id="naw"),
        pytest.param("nah yeah", "yes", id="nah-yeah"),
        pytest.param("yeah nah", "no", id="yeah-nah"),
        pytest.param("yeah no", None, id="yeah-no-stays-unsure"),
        pytest.param("🙆‍♀️", "yes", id="the-ok-gesture"),
        pytest.param("🙅🏽", "no", id="the-no-gesture-with-a-skin-tone"),
        pytest.param("中", "yes", id="henan-zhong"),
        pytest.param("中评", None, id="a-middling-review-is-no-yes"),
        pytest.param("要得", "yes", id="sichuan-yaode"),
        pytest.param("对头", "yes", id="sichuan-duitou"),
        pytest.param("嗯呐", "yes", id="beijing-enna"),
        pytest.param("阔以", "yes", id="chat-kuoyi"),
        pytest.param("米有", "no", id="chat-miyou"),
    ],
)
def test_the_fourteenth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("yes, no wait, no", "no"),
        ("no... actually yes", "yes"),
        ("是，不对，没有", "no"),
        ("没有……哦已经好了", "yes"),
        ("嗯解决了", "yes"),  # a filler glued on
        ("嗯呐", "yes"),  # Beijing's yes keeps its 嗯
        ("✅✅", "yes"),
        ("nuh uh", "no"),
        ("仲係咁", "no"),  # Cantonese: still like that
    ],
)
def test_a_yes_or_no_taken_back_reads_as_the_one_meant(text: str, meant: str) -> None:
    assert parse_yes_no(text) == meant


@pytest.mark.parametrize("text", ["yes actually", "no wait", "好哦", "yes wait what problem?"])
def test_words_that_take_back_nothing_said_after_them_change_nothing(text: str) -> None:
    assert parse_yes_no(text) != ("no" if text.startswith("yes") else "yes")
