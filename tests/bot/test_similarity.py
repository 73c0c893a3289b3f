"""A typed reply and the labels of a choice question (``bot.similarity``): paraphrases match an
option, ambiguous or negated replies match none."""

from __future__ import annotations

import pytest

from bot.similarity import MAX_LENGTH, closest, mostly_of, negated, says_what_went_right, similarity, tokens

OPTIONS = [
    ("slow", ["Slow response", "响应太慢"]),
    ("unsolved", ["Problem not solved", "问题没有解决"]),
    ("rude", ["Unfriendly service", "服务态度不好"]),
    ("other", ["Something else", "其他"]),
]


@pytest.mark.parametrize(
    ("reply", "option"),
    [
        ("too slow", "slow"),
        ("没解决", "unsolved"),
        ("problem not solved", "unsolved"),
        ("the agent was rude", "rude"),  # synonyms: rude is unfriendly, the agent is the service
        ("other", "other"),
        # none
        ("not slow", None),  # the negation differs from the label's
        ("not friendly", "rude"),  # blind round 27: friendly or polite denied is the label's own negation
        ("agent was not very polite", "rude"),
        ("not unfriendly", None),
        ("slow and not solved", None),  # two parts name two options
        ("太慢了而且态度差", None),
        ("哈哈", None),
        ("slow " * (MAX_LENGTH // 5 + 1), None),  # too long to be a pick
        ("回复很快", None),  # the opposite of the label's word: replied fast is no slow response
        ("回复很及时", None),
        ("fast response", None),
        ("服务态度很好", None),  # attitude good is no 服务态度不好
        ("friendly service", None),
        ("机器人回复", None),  # the bot replied: most of the reply is not the label's words
        ("态度好差", "rude"),  # 好差 is "so bad"
        ("回复好慢", "slow"),
        # fifth hunt: a wrong answer (was Slow response) and a negation typed without its apostrophe
        ("wrong answer", "unsolved"),
        ("gave me wrong info", "unsolved"),
        ("答非所问", "unsolved"),
        ("didnt fix it", "unsolved"),
        ("wasnt slow", None),
        # typed-answers-7: a clause that only denies one option beside one that names another; 修好 is 解决
        ("not the speed, they were rude", "rude"),
        ("it wasn't slow, just rude", "rude"),
        ("不是慢，是态度差", "rude"),
        ("not slow, not rude", None),  # two denials name nothing
        ("slow, rude", None),  # two options named
        ("not the speed, the price", None),  # the other clause names none
        ("还是没修好", "unsolved"),
        ("没修复", "unsolved"),
        # the blind fourth set: a held letter, Cantonese negations (唔 not, 冇 have not; 唔该 is thanks),
        # not replying, the answer said wrong
        ("slowww", "slow"),
        ("ruuude", "rude"),
        ("态度唔好", "rude"),
        ("冇解决到", "unsolved"),
        ("唔该，太慢了", "slow"),
        ("客服一直不回消息", "slow"),
        ("一直没解决", "unsolved"),
        ("不回复而且态度差", None),
        ("the answer was wrong", "unsolved"),  # was Slow response ("answer" alone is a response)
        ("soooo", None),
        ("I still don't have my refund", "unsolved"),
        ("退款还没到账", "unsolved"),
        ("钱还没退", "unsolved"),
        ("I still don't have a reply", None),
        ("还没收到回复", None),
        # the blind fifth set: who helped, chat's "af" and "ur", formal wrappers, more words for rude
        ("the guy was rude af", "rude"),
        ("ur agent was so mean", "rude"),
        ("The representative was rather curt with me, I'm afraid.", "rude"),
        ("Regrettably, the matter I raised remains unresolved.", "unsolved"),
        # a clause that praises the opposite of an option names none; "it is not" denies a whole clause
        ("answered fast but didn't fix anything", "unsolved"),
        ("回复很快，但是没解决", "unsolved"),
        ("不是态度问题，是一直没人回", "slow"),
        ("slow and not solved", None),
        ("客服爱答不理的", "rude"),
        ("处理太慢", "slow"),
        ("慢慢慢慢", "slow"),
        # the blind sixth set: waiting as a noun, hanging up, a cold or brusque way of talking, 不回 (not
        # 不回来), nobody replying, 死了 as "very", never getting what was asked for, not working
        ("the wait", "slow"),
        ("waiting time", "slow"),
        ("wait what", None),
        ("it took 4 days", None),
        ("she hung up on me", "rude"),
        ("客服挂我电话", "rude"),
        ("说话很冲", "rude"),
        ("太冷漠了", "rude"),
        ("半天不回", "slow"),
        ("都不回我", "slow"),
        ("不回来了", None),
        ("一直没人回复", "slow"),
        ("慢死了", "slow"),
        ("never got my refund", "unsolved"),
        ("还是不能用", "unsolved"),
        ("took forever to get back to me", "slow"),
        # eighth set: more words for unfriendly, help not given, nobody getting back, still crashing or
        # missing, a word one slip off a label's, 阴阳怪气, 骂人, 好 as "so" before a bad word, 回消息要等
        ("he was sarcastic with me", "rude"),
        ("she was really impatient with me", "rude"),
        ("the coffee was cold", None),
        ("they couldn't help me", "unsolved"),
        ("they helped", None),
        ("nobody got back to me", "slow"),
        ("the app still crashes", "unsolved"),
        ("my refund is still missing", "unsolved"),
        ("replies took like 3 days", "slow"),
        ("waited 2 hours for someone to answer", "slow"),
        ("waited for my refund", None),
        ("unfrendly", "rude"),
        ("说话阴阳怪气", "rude"),
        ("客服骂人", "rude"),
        ("客服好冷淡", "rude"),
        ("好慢呀", "slow"),
        ("快递好慢", None),
        ("回消息要等一天", "slow"),
        ("退款要等一周", None),
        ("退款还没到", "unsolved"),
        # ninth set: swearing or shouting at one, nouns in -ness, ghosted, left on read, hearing back,
        # "short with me", Cantonese 搞掂 not done, 还是没好, 难听, 不客气, 敷衍, 串, 黑口黑面, 不理人, and a
        # clause that says one option was fine beside another ("态度还行，就是慢")
        ("he swore at me", "rude"),
        ("they yelled at me", "rude"),
        ("the kids yelled all day", None),
        ("rudeness", "rude"),
        ("slowness", "slow"),
        ("they ghosted me", "slow"),
        ("left on read for hours", "slow"),
        ("took 3 days to hear back", "slow"),
        ("heard back quickly", None),
        ("she was short with me", "rude"),
        ("the queue was short", None),
        ("搞唔掂", "unsolved"),
        ("冇搞掂", "unsolved"),
        ("还是没好", "unsolved"),
        ("说话难听", "rude"),
        ("音乐难听", None),
        ("说话很不客气", "rude"),
        ("不客气", None),
        ("很敷衍", "rude"),
        ("好串", "rude"),
        ("黑口黑面", "rude"),
        ("客服不理人", "slow"),
        ("态度还行，就是慢", "slow"),
        ("态度还行", None),
        ("行李丢了，态度也差", "rude"),
    ],
)
def test_a_reply_picks_the_option_it_paraphrases_and_only_that_one(reply: str, option: str | None) -> None:
    assert closest(reply, OPTIONS) == option


def test_tokens_drop_function_words_and_map_synonyms() -> None:
    assert tokens("The agent was RUDE") == ["service", "unfriendly"]
    assert tokens("响应太慢") == ["响", "应", "慢"]


@pytest.mark.parametrize(
    ("text", "expected"), [("not solved", True), ("没解决", True), ("didn't help", True), ("不好", False)]
)
def test_negation(text: str, expected: bool) -> None:
    assert negated(text) is expected


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [(["a", "b"], ["a", "b"], 1.0), (["a", "b"], ["a", "c"], 0.5), ([], ["a"], 0.0), (["a"], ["b"], 0.0)],
)
def test_similarity_is_the_dice_coefficient(a: list[str], b: list[str], score: float) -> None:
    assert similarity(a, b) == score


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("took forever to reply", "Slow response", True),
        ("too slow", "Slow response", True),
        ("delivery was slow", "Slow response", False),  # half of it is the delivery
        ("回复太慢了", "响应太慢", True),
        ("物流太慢了", "响应太慢", False),
        ("", "Slow response", False),
    ],
)
def test_mostly_of_a_label(text: str, label: str, expected: bool) -> None:
    assert mostly_of(text, label) is expected


_REASONS = [
    ("slow", ["Slow response"]),
    ("unresolved", ["Problem not solved"]),
    ("attitude", ["Unfriendly service"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not slow", True),
        ("不是慢", True),
        ("answered fast", True),
        ("answered fast, but rude", True),
        ("still no refund", False),
        ("waited forever", False),
        ("the app crashed", False),
    ],
)
def test_what_went_right_is_a_denial_or_praise_of_an_options_opposite(text: str, expected: bool) -> None:
    assert says_what_went_right(text, _REASONS) is expected
