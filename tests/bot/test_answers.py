"""Typed answers in Chinese and English: what counts as a score or a choice, and what never does."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import (
    chinese_number,
    is_skip,
    named_option,
    normalize,
    parse_choice,
    parse_rating,
    read_rating,
)
from bot.config.schema import SCALES
from bot.corrections import after_correction
from bot.prompts import ScaleKind
from bot.yes_no import parse_yes_no


def rate(text: str, kind: ScaleKind = "csat") -> int | None:
    low, high = SCALES[kind]
    return parse_rating(text, kind, low, high)


# The examples of issue 2, then what customers in China and the US actually type.
RATINGS = [
    # digits
    pytest.param("4", "csat", 4, id="digit"),
    pytest.param(" 4 ", "csat", 4, id="digit-padded"),
    pytest.param("\t4\n", "csat", 4, id="digit-tab-newline"),
    pytest.param("4/5", "csat", 4, id="digit-over-scale"),
    pytest.param("4 / 5", "csat", 4, id="digit-over-scale-spaced"),
    pytest.param("4 out of 5", "csat", 4, id="out-of"),
    pytest.param("1 of 5", "csat", 1, id="of"),
    pytest.param("9/10", "nps", 9, id="nps-over-ten"),
    pytest.param("9 out of 10", "nps", 9, id="nps-out-of-ten"),
    pytest.param("ten out of ten", "nps", 10, id="nps-ten-out-of-ten-words"),
    pytest.param("8/十", "nps", 8, id="nps-over-chinese-ten"),
    pytest.param("8分", "nps", 8, id="digit-fen"),
    pytest.param("5 分", "csat", 5, id="digit-space-fen"),
    pytest.param("给9分", "nps", 9, id="gei-digit-fen"),
    pytest.param("我给5分", "csat", 5, id="wo-gei-digit-fen"),
    pytest.param("给你们打5分", "csat", 5, id="gei-nimen-da-fen"),
    pytest.param("就5分吧", "csat", 5, id="jiu-fen-ba"),
    pytest.param("3分吧", "csat", 3, id="fen-ba"),
    pytest.param("5!!!", "csat", 5, id="exclamations"),
    pytest.param("5！", "csat", 5, id="fullwidth-exclamation"),
    pytest.param("5.", "csat", 5, id="trailing-period"),
    pytest.param("0", "nps", 0, id="nps-zero"),
    pytest.param("10", "nps", 10, id="nps-ten"),
    pytest.param("7", "ces", 7, id="ces-seven"),
    pytest.param("10分", "nps", 10, id="nps-ten-fen"),
    pytest.param("10分满分", "nps", 10, id="nps-ten-fen-full-marks"),
    pytest.param("5分满分", "csat", 5, id="csat-five-fen-full-marks"),
    pytest.param("满分", "csat", 5, id="full-marks-csat"),
    pytest.param("满分", "nps", 10, id="full-marks-nps"),
    pytest.param("满分!", "ces", 7, id="full-marks-ces"),
    pytest.param("5/5!", "csat", 5, id="five-over-five-bang"),
    pytest.param("10/10", "nps", 10, id="ten-over-ten"),
    # full-width and keyboard artefacts
    pytest.param("４", "csat", 4, id="fullwidth-digit"),
    pytest.param("１０", "nps", 10, id="fullwidth-ten"),
    pytest.param("５／５", "csat", 5, id="fullwidth-over"),
    pytest.param("５分", "csat", 5, id="fullwidth-fen"),
    pytest.param("5\u200b", "csat", 5, id="zero-width-space"),
    pytest.param("5️⃣", "csat", 5, id="keycap-emoji"),
    pytest.param("🔟", "nps", 10, id="keycap-ten"),
    pytest.param("「5」", "csat", 5, id="corner-brackets"),
    pytest.param("《8》", "nps", 8, id="angle-brackets"),
    pytest.param("十分，谢谢", "nps", 10, id="ten-then-thanks"),
    pytest.param("５、", "csat", 5, id="ideographic-comma"),
    pytest.param("5分哦", "csat", 5, id="particle-o"),
    pytest.param("五星啦", "csat", 5, id="particle-la"),
    pytest.param("给9分呀", "nps", 9, id="particle-ya"),
    # Chinese numerals
    pytest.param("五星", "csat", 5, id="wu-xing"),
    pytest.param("五颗星", "csat", 5, id="wu-ke-xing"),
    pytest.param("5星", "csat", 5, id="digit-xing"),
    pytest.param("一星", "csat", 1, id="yi-xing"),
    pytest.param("两星", "csat", 2, id="liang-xing"),
    pytest.param("打三分", "csat", 3, id="da-san-fen"),
    pytest.param("五分", "csat", 5, id="wu-fen"),
    pytest.param("三", "csat", 3, id="san"),
    pytest.param("十分", "nps", 10, id="shi-fen-on-nps-is-ten"),
    pytest.param("十", "nps", 10, id="shi"),
    pytest.param("零分", "nps", 0, id="ling-fen"),
    pytest.param("五星好评", "csat", 5, id="five-star-good-review"),
    pytest.param("5星好评!", "csat", 5, id="digit-star-good-review"),
    pytest.param("1星差评", "csat", 1, id="one-star-bad-review"),
    # stars and emoji
    pytest.param("⭐⭐⭐⭐", "csat", 4, id="stars-emoji"),
    pytest.param("★★★☆☆", "csat", 3, id="stars-filled-and-empty"),
    pytest.param("⭐️", "csat", 1, id="star-variation-selector"),
    pytest.param("⭐️⭐️⭐️⭐️⭐️", "csat", 5, id="stars-variation-selectors"),
    pytest.param("⭐ ⭐ ⭐", "csat", 3, id="stars-spaced"),
    pytest.param("🌟🌟🌟", "csat", 3, id="glowing-stars"),
    pytest.param("⭐⭐⭐⭐⭐!", "csat", 5, id="stars-bang"),
    pytest.param("👍", "csat", 4, id="thumbs-up"),
    pytest.param("👍👍", "csat", 5, id="two-thumbs-up"),
    pytest.param("👎", "csat", 2, id="thumbs-down"),
    pytest.param("😡", "csat", 1, id="angry-face"),
    pytest.param("😍", "csat", 5, id="heart-eyes"),
    pytest.param("☹️", "csat", 2, id="frowning-face-variation-selector"),
    # English numbers and phrasing
    pytest.param("5 stars", "csat", 5, id="five-stars"),
    pytest.param("5 stars!", "csat", 5, id="five-stars-bang"),
    pytest.param("4 of 5 stars", "csat", 4, id="four-of-five-stars"),
    pytest.param("four", "csat", 4, id="word-four"),
    pytest.param("ten", "nps", 10, id="word-ten"),
    pytest.param("I'd give it a 9", "nps", 9, id="id-give-it-a"),
    pytest.param("I’d give it a 9", "nps", 9, id="id-give-it-a-curly-apostrophe"),
    pytest.param("I'll give 5", "csat", 5, id="ill-give"),
    pytest.param("i would give 8", "nps", 8, id="i-would-give"),
    pytest.param("I rate it 4", "csat", 4, id="i-rate-it"),
    pytest.param("give it a 10", "nps", 10, id="give-it-a"),
    pytest.param("rating: 4", "csat", 4, id="rating-colon"),
    pytest.param("score 8", "nps", 8, id="score"),
    pytest.param("3 pts", "csat", 3, id="pts"),
    # forms added on 2026-12-05
    pytest.param("5-star", "csat", 5, id="hyphenated-star"),
    pytest.param("4 stars out of 5", "csat", 4, id="stars-then-out-of"),
    pytest.param("4 outta 5", "csat", 4, id="outta"),
    pytest.param("a solid 5", "csat", 5, id="a-solid"),
    pytest.param("★5", "csat", 5, id="star-before-number"),
    pytest.param("(5)", "csat", 5, id="in-brackets"),
    pytest.param("【9分】", "nps", 9, id="in-chinese-brackets"),
    pytest.param("五颗星星", "csat", 5, id="wu-ke-xingxing"),
    pytest.param("full marks", "nps", 10, id="full-marks-words"),
    pytest.param("top marks", "csat", 5, id="top-marks"),
    pytest.param("nps 9", "nps", 9, id="nps-prefix"),
    # thanks around an answer
    pytest.param("5, thanks!", "csat", 5, id="digit-thanks"),
    pytest.param("thanks, 5", "csat", 5, id="thanks-digit"),
    pytest.param("5分，谢谢", "csat", 5, id="fen-xiexie"),
    pytest.param("Good, thanks!", "csat", 4, id="good-thanks"),
    pytest.param("满意，谢谢！", "csat", 4, id="manyi-xiexie"),
    pytest.param("谢谢，非常满意", "csat", 5, id="xiexie-feichang-manyi"),
    # satisfaction words
    pytest.param("非常满意", "csat", 5, id="feichang-manyi"),
    pytest.param("十分满意", "csat", 5, id="shifen-manyi-is-very-satisfied"),
    pytest.param("很满意", "csat", 5, id="hen-manyi"),
    pytest.param("满意", "csat", 4, id="manyi"),
    pytest.param("满意！", "csat", 4, id="manyi-bang"),
    pytest.param("挺好的", "csat", 4, id="ting-hao-de"),
    pytest.param("不错哦", "csat", 4, id="bucuo-o"),
    pytest.param("一般", "csat", 3, id="yiban"),
    pytest.param("还行吧", "csat", 3, id="haixing-ba"),
    pytest.param("不满意", "csat", 2, id="bu-manyi"),
    pytest.param("非常不满意", "csat", 1, id="feichang-bu-manyi"),
    pytest.param("太差了", "csat", 1, id="tai-cha-le"),
    pytest.param("好评", "csat", 5, id="haoping"),
    pytest.param("给个好评", "csat", 5, id="gei-ge-haoping"),
    pytest.param("中评", "csat", 3, id="zhongping"),
    pytest.param("差评", "csat", 1, id="chaping"),
    pytest.param("打个差评", "csat", 1, id="da-ge-chaping"),
    pytest.param("very satisfied", "csat", 5, id="very-satisfied"),
    pytest.param("Very Satisfied!", "csat", 5, id="very-satisfied-capitalised"),
    pytest.param("not bad", "csat", 4, id="not-bad"),
    pytest.param("ok", "csat", 3, id="ok"),
    pytest.param("not good", "csat", 2, id="not-good-beats-good"),
    pytest.param("not satisfied at all", "csat", 1, id="not-satisfied-at-all"),
    pytest.param("great service", "csat", 5, id="great-service"),
    pytest.param("terrible", "csat", 1, id="terrible"),
    pytest.param("very dissatisfied", "csat", 1, id="very-dissatisfied"),
    # effort words (CES: 7 = very easy)
    pytest.param("very easy", "ces", 7, id="ces-very-easy"),
    pytest.param("easy", "ces", 6, id="ces-easy"),
    pytest.param("很麻烦", "ces", 2, id="ces-hen-mafan"),
    pytest.param("非常容易", "ces", 7, id="ces-feichang-rongyi"),
    pytest.param("一般", "ces", 4, id="ces-yiban"),
    # refusing any score is the lowest one
    pytest.param("一分都不想给", "nps", 0, id="not-even-one-point-nps"),
    pytest.param("连一颗星都不想给", "csat", 1, id="not-even-one-star"),
    pytest.param("负分", "csat", 1, id="negative-points"),
    pytest.param("not even one star", "csat", 1, id="not-even-one-star-en"),
    pytest.param("zero stars", "csat", 1, id="zero-stars"),
    # stars written beside the number, and words around a word rating
    pytest.param("五颗⭐", "csat", 5, id="wu-ke-star-emoji"),
    pytest.param("5 ⭐⭐⭐⭐⭐", "csat", 5, id="number-and-as-many-stars"),
    pytest.param("还凑合吧", "csat", 3, id="hai-couhe"),
    pytest.param("不好不坏", "csat", 3, id="neither-good-nor-bad-zh"),
    pytest.param("fine I guess", "csat", 3, id="trailing-i-guess"),
    pytest.param("great overall", "csat", 5, id="trailing-overall"),
    pytest.param("def a 5", "csat", 5, id="def-lead-in"),
    pytest.param("推荐指数9", "nps", 9, id="tuijian-zhishu"),
    pytest.param("满意度：5", "csat", 5, id="manyidu-colon"),
    pytest.param("100% satisfied", "csat", 5, id="100-percent-satisfied"),
    pytest.param("百分百满意", "csat", 5, id="baifenbai-manyi"),
    # 亲 ("dear") around the answer, as shoppers write
    pytest.param("I'd say an 8 out of 10", "nps", 8, id="i-would-say-an"),
    pytest.param("obviously 10", "nps", 10, id="obviously"),
    pytest.param("um 10", "nps", 10, id="um"),
    pytest.param("hmm, 7", "nps", 7, id="hmm"),
    pytest.param("四个⭐", "csat", 4, id="four-ge-star-emoji-zh"),
    pytest.param("给4个星星", "csat", 4, id="four-ge-xingxing-zh"),
    pytest.param("1星都嫌多", "csat", 1, id="even-one-star-is-too-many-zh"),
    pytest.param(":)", "csat", 4, id="emoticon-smile"),
    pytest.param(":(", "csat", 2, id="emoticon-frown"),
    pytest.param("亲，五星", "csat", 5, id="dear-before-zh"),
    pytest.param("亲 5分", "csat", 5, id="dear-space-before-zh"),
    pytest.param("五星哦亲", "csat", 5, id="dear-after-zh"),
    pytest.param("谢谢亲，9分", "nps", 9, id="thanks-dear-zh"),
    # Traditional Chinese reads as Simplified
    pytest.param("非常滿意", "csat", 5, id="traditional-feichang-manyi"),
    pytest.param("給五星", "csat", 5, id="traditional-gei-wuxing"),
    pytest.param("滿分", "nps", 10, id="traditional-manfen"),
    pytest.param("不滿意", "csat", 2, id="traditional-bu-manyi"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), RATINGS)
def test_rating_is_understood(text: str, kind: ScaleKind, expected: int) -> None:
    assert rate(text, kind) == expected


NOT_RATINGS = [
    pytest.param("where is my refund?", "csat", id="question"),
    pytest.param("我的退款呢？", "csat", id="question-zh"),
    pytest.param("11", "csat", id="above-scale"),
    pytest.param("0", "csat", id="below-scale"),
    pytest.param("8", "ces", id="above-ces-scale"),
    pytest.param("-1", "nps", id="negative"),
    pytest.param("100", "nps", id="hundred"),
    pytest.param("12345678", "nps", id="order-number"),
    pytest.param("#12345678", "csat", id="order-number-hash"),
    pytest.param("I waited 3 days", "csat", id="number-in-sentence"),
    pytest.param("3 days", "csat", id="number-with-unit"),
    pytest.param("等了5分钟", "csat", id="waited-five-minutes"),
    pytest.param("5分钟", "csat", id="five-minutes"),
    pytest.param("5星级酒店", "csat", id="five-star-hotel"),
    pytest.param("4.5", "csat", id="decimal"),
    pytest.param("5.0", "csat", id="decimal-zero"),
    pytest.param("8/10", "csat", id="wrong-denominator"),
    pytest.param("3/4", "csat", id="fraction"),
    pytest.param("4 or 5", "csat", id="two-numbers"),
    pytest.param("4-5", "csat", id="range"),
    pytest.param("5?", "csat", id="question-mark"),
    pytest.param("满意？", "csat", id="words-asked-back-zh"),
    pytest.param("十分感谢", "nps", id="many-thanks-is-no-ten"),
    pytest.param("非常感谢", "nps", id="many-thanks"),
    pytest.param("very satisfied?", "csat", id="words-asked-back"),
    pytest.param("maybe 4", "csat", id="hedged"),
    pytest.param("", "csat", id="empty"),
    pytest.param("   ", "csat", id="whitespace"),
    pytest.param("\u200b", "csat", id="zero-width-only"),
    pytest.param("5 " * 40, "csat", id="very-long"),
    pytest.param("非常满意" * 20, "csat", id="very-long-words"),
    pytest.param("十分", "csat", id="shi-fen-off-csat-scale"),
    pytest.param("十分满意", "nps", id="words-not-on-nps"),
    pytest.param("very satisfied", "nps", id="english-words-not-on-nps"),
    pytest.param("⭐⭐⭐⭐⭐", "nps", id="stars-on-nps"),
    pytest.param("5 stars", "nps", id="five-stars-on-nps"),
    pytest.param("五星", "ces", id="stars-on-ces"),
    pytest.param("⭐⭐⭐⭐⭐⭐", "csat", id="too-many-stars"),
    pytest.param("☆☆☆☆☆", "csat", id="only-empty-stars"),
    # (the fifth hunt reads "*****" as five stars: a deliberate change, see FIFTH_HUNT)
    pytest.param("**", "csat", id="two-asterisks-bold-with-nothing-in-it"),
    pytest.param("******", "csat", id="six-asterisks"),
    pytest.param("5*", "nps", id="asterisk-star-on-nps"),
    pytest.param("8分满分", "nps", id="full-marks-but-not-top"),
    pytest.param("5星差评", "csat", id="five-stars-bad-review-contradicts"),
    pytest.param("1星好评", "csat", id="one-star-good-review-contradicts"),
    pytest.param("满", "nps", id="man-alone"),
    pytest.param("满了", "nps", id="man-le-is-full"),
    pytest.param("好的", "csat", id="hao-de-is-ok-acknowledgement"),
    pytest.param("好吧", "csat", id="hao-ba-is-ok-acknowledgement"),
    pytest.param("好", "csat", id="hao-alone"),
    pytest.param("nope", "csat", id="nope"),
    pytest.param("no", "csat", id="no"),
    pytest.param("yes", "csat", id="yes"),
    pytest.param("thanks", "csat", id="thanks"),
    pytest.param("谢谢", "csat", id="xiexie"),
    pytest.param("no thanks", "csat", id="no-thanks"),
    pytest.param("party", "csat", id="word-ending-in-ty"),
    pytest.param("one more thing", "csat", id="number-word-in-sentence"),
    pytest.param("no one helped me", "csat", id="no-one"),
    pytest.param("not slow at all", "csat", id="not-an-answer-phrase"),
    pytest.param("Ⅴ", "csat", id="roman-numeral"),
    pytest.param("5 ⭐⭐⭐", "csat", id="number-and-other-stars"),
    pytest.param("0 stars", "nps", id="stars-on-nps-even-zero"),
    pytest.param("零星", "csat", id="lingxing-is-a-few"),
    pytest.param("i guess", "csat", id="only-the-trailing-words"),
    pytest.param("等了100分钟", "nps", id="a-hundred-minutes"),
    pytest.param("给你们一百分", "nps", id="a-hundred-is-off-the-scale-not-one"),
    pytest.param("100%", "csat", id="percent-alone"),
    pytest.param("4-", "csat", id="a-grade-minus"),
    pytest.param("亲", "csat", id="dear-alone-zh"),
    pytest.param("亲测好用", "csat", id="tested-in-person-zh"),
    pytest.param("9-", "nps", id="a-grade-minus-nps"),
]


@pytest.mark.parametrize(("text", "kind"), NOT_RATINGS)
def test_non_answer_is_never_a_score(text: str, kind: ScaleKind) -> None:
    assert rate(text, kind) is None


@pytest.mark.parametrize("kind", ["csat", "nps", "ces"])
def test_every_score_on_the_scale_parses_and_its_neighbours_do_not(kind: ScaleKind) -> None:
    low, high = SCALES[kind]
    assert [rate(str(v), kind) for v in range(low, high + 1)] == list(range(low, high + 1))
    assert rate(str(low - 1), kind) is None
    assert rate(str(high + 1), kind) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("零", 0, id="ling"),
        pytest.param("〇", 0, id="ling-circle"),
        pytest.param("两", 2, id="liang"),
        pytest.param("九", 9, id="jiu"),
        pytest.param("十", 10, id="shi"),
        pytest.param("一十", 10, id="yi-shi"),
        pytest.param("十一", 11, id="shi-yi"),
        pytest.param("二十", 20, id="er-shi"),
        pytest.param("二十一", 21, id="er-shi-yi"),
        pytest.param("九十九", 99, id="jiu-shi-jiu"),
        pytest.param("", None, id="empty"),
        pytest.param("五五", None, id="two-digits-without-shi"),
        pytest.param("十十", None, id="shi-twice"),
        pytest.param("一二十", None, id="two-tens-digits"),
        pytest.param("十一二", None, id="two-units-digits"),
        pytest.param("百", None, id="bai-unsupported"),
        pytest.param("5", None, id="arabic-digit"),
        pytest.param("五星", None, id="trailing-character"),
    ],
)
def test_chinese_number(text: str, expected: int | None) -> None:
    assert chinese_number(text) == expected


OPTIONS = [
    ("slow", ["Slow response", "响应太慢"]),
    ("unresolved", ["Problem not solved", "问题没有解决"]),
    ("attitude", ["Unfriendly service", "服务态度不好"]),
    ("other", ["Something else", "其他"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("slow", "slow", id="option-id"),
        pytest.param("OTHER", "other", id="option-id-upper-case"),
        pytest.param("Slow response", "slow", id="english-label"),
        pytest.param("slow response!!", "slow", id="english-label-punctuation"),
        pytest.param("响应太慢", "slow", id="chinese-label"),
        pytest.param("服务态度不好！", "attitude", id="chinese-label-punctuation"),
        pytest.param("2", "unresolved", id="number"),
        pytest.param("２", "unresolved", id="fullwidth-number"),
        pytest.param("2.", "unresolved", id="number-period"),
        pytest.param("#2", "unresolved", id="hash-number"),
        pytest.param("option 2", "unresolved", id="option-number"),
        pytest.param("no. 2", "unresolved", id="no-number"),
        pytest.param("第二个", "unresolved", id="di-er-ge"),
        pytest.param("第2个", "unresolved", id="di-digit-ge"),
        pytest.param("第四项", "other", id="di-si-xiang"),
        pytest.param("二", "unresolved", id="er"),
        pytest.param("选3", "attitude", id="xuan-digit"),
        pytest.param("选第二个", "unresolved", id="xuan-di-er-ge"),
        pytest.param("4号", "other", id="digit-hao"),
        pytest.param("second", "unresolved", id="english-ordinal"),
        pytest.param("the second one", "unresolved", id="the-second-one"),
        pytest.param("the 2nd one", "unresolved", id="the-2nd-one"),
        pytest.param("3rd", "attitude", id="3rd"),
        pytest.param("problem not solved at all", "unresolved", id="label-inside-reply"),
        pytest.param("其他问题", "other", id="label-inside-reply-zh"),
        pytest.param("响应太慢，非常失望", "slow", id="feichang-is-not-a-negation"),
        pytest.param("等太久了", "slow", id="waited-too-long-zh"),
        pytest.param("等了很久", "slow", id="waited-a-long-time-zh"),
        pytest.param("速度太慢", "slow", id="sudu-tai-man"),
        pytest.param("回得太慢", "slow", id="hui-de-tai-man"),
        pytest.param("没搞定", "unresolved", id="mei-gaoding"),
        pytest.param("不耐烦", "attitude", id="bu-naifan"),
        pytest.param("bad attitude", "attitude", id="bad-attitude"),
        pytest.param("still broken", "unresolved", id="still-broken"),
        pytest.param("issue persists", "unresolved", id="issue-persists"),
        pytest.param("none of the above", "other", id="none-of-the-above"),
        pytest.param("以上都不是", "other", id="yishang-dou-bushi"),
        pytest.param("none of these", "other", id="none-of-these"),
        pytest.param("nobody fixed it", "unresolved", id="nobody-fixed-it"),
        pytest.param("my problem is still there", "unresolved", id="still-there"),
        pytest.param("问题还在", "unresolved", id="wenti-hai-zai"),
        pytest.param("不友好", "attitude", id="bu-youhao"),
        pytest.param("等了好久", "slow", id="waited-ages-zh"),
        pytest.param("A", "slow", id="letter"),
        pytest.param("b)", "unresolved", id="letter-bracket"),
        pytest.param("选C", "attitude", id="xuan-letter"),
        pytest.param("(d)", "other", id="letter-in-brackets"),
        pytest.param("A!", "slow", id="letter-exclamation"),
        pytest.param("B。", "unresolved", id="letter-fullwidth-period"),
        pytest.param("选a吧", "slow", id="xuan-letter-ba"),
        pytest.param("就选A", "slow", id="jiu-xuan-letter"),
        pytest.param("选项C", "attitude", id="xuanxiang-letter"),
        pytest.param("选项1", "slow", id="xuanxiang-number"),
        pytest.param("answer b", "unresolved", id="answer-letter"),
        pytest.param("the last one", "other", id="the-last-one"),
        pytest.param("最后一个", "other", id="zuihou-yige"),
        pytest.param("問題沒有解決", "unresolved", id="traditional-label"),
        pytest.param("回覆太慢", "slow", id="traditional-paraphrase"),
        pytest.param("(2)", "unresolved", id="number-in-brackets"),
        pytest.param("2)", "unresolved", id="number-closing-bracket"),
        pytest.param("（3）", "attitude", id="number-in-fullwidth-brackets"),
        pytest.param("nobody answered for hours", "slow", id="nobody-answered"),
        pytest.param("半天没人回", "slow", id="nobody-replied-for-ages-zh"),
        pytest.param("回复不及时", "slow", id="not-in-time-zh"),
        pytest.param("问题依旧", "unresolved", id="problem-as-before-zh"),
        pytest.param("没礼貌", "attitude", id="impolite-zh"),
        # thanks, a greeting, a please or emphasis around the choice
        pytest.param("2 thanks", "unresolved", id="number-thanks"),
        pytest.param("B thx", "unresolved", id="letter-thx"),
        pytest.param("hi 2", "unresolved", id="hi-number"),
        pytest.param("option 2 please", "unresolved", id="option-please"),
        pytest.param("选B谢谢", "unresolved", id="xuan-letter-xiexie"),
        pytest.param("*2*", "unresolved", id="whatsapp-bold-number"),
        # the fifth hunt: "number 2" was refused
        pytest.param("number 2", "unresolved", id="number-word-before"),
        pytest.param("nr. 2", "unresolved", id="nr-before"),
        pytest.param("wrong answer", "unresolved", id="wrong-answer-is-no-slow-response"),  # was slow
        # typed-answers-7: one option denied, another named, in clauses a comma sets apart (was refused)
        pytest.param("not the speed, they were rude", "attitude", id="denied-then-named"),
        pytest.param("不是慢，是态度差", "attitude", id="denied-then-named-zh"),
        pytest.param("还是没修好", "unresolved", id="not-repaired-zh"),
        # the blind fourth set: Traditional Cantonese, a held letter, not replying (all were refused)
        pytest.param("態度唔好", "attitude", id="cantonese-m-hou-traditional"),
        pytest.param("冇解決到", "unresolved", id="cantonese-mou-traditional"),
        pytest.param("slowww", "slow", id="held-letter"),
        pytest.param("客服一直不回消息", "slow", id="never-replies-zh"),
        pytest.param("the answer was wrong", "unresolved", id="answer-was-wrong"),  # was slow
    ],
)
def test_choice_is_understood(text: str, expected: str) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("  ", id="whitespace"),
        pytest.param("5", id="number-past-options"),
        pytest.param("0", id="zero"),
        pytest.param("fifth", id="ordinal-past-options"),
        pytest.param("where is my refund?", id="question"),
        pytest.param("12345678", id="order-number"),
        pytest.param("9" * 5000, id="huge-number"),
        pytest.param("2 and 3", id="two-numbers"),
        pytest.param("slow and unfriendly", id="label-and-more"),
        pytest.param("响应太慢，问题没有解决", id="two-labels"),
        pytest.param("not slow at all", id="negated-label"),
        pytest.param("it wasn't slow response", id="negated-label-contraction"),
        pytest.param("没有其他", id="negated-label-zh"),
        pytest.param("slow " * 30, id="label-in-long-text"),
        pytest.param("2.5", id="decimal"),
        pytest.param("e", id="letter-past-options"),
        pytest.param("很滿意", id="traditional-word-that-is-no-option"),
        pytest.param("a b", id="two-letters"),
        pytest.param("at last", id="at-last"),
        pytest.param("最后", id="zuihou-alone"),
        pytest.param("答案是B吗", id="asking-about-a-letter"),
        pytest.param("客服态度很好", id="praise-opposite-to-a-label-zh"),
        pytest.param("速度很快", id="fast-is-no-slow-zh"),
        pytest.param("very friendly agent", id="friendly-is-no-unfriendly"),
        pytest.param("(5)", id="bracketed-number-past-options"),
        pytest.param("thanks", id="thanks-alone"),
        pytest.param("hi", id="hi-alone"),
        pytest.param("slow, rude", id="two-options-in-clauses"),
        pytest.param("not slow, not rude", id="two-denials"),
    ],
)
def test_non_choice_is_none(text: str) -> None:
    assert parse_choice(text, OPTIONS) is None


def test_only_a_greeting_is_dropped_before_a_yes_or_no() -> None:
    labels = [("yes", ["Yes", "是"]), ("no", ["No", "否"])]
    assert [parse_choice(t, labels) for t in ("yes no", "hi, no", "hello, Yes")] == [None, "no", "yes"]


def test_choice_labels_of_every_locale_and_numbers_follow_option_order() -> None:
    options = [("b", ["Bee", "蜜蜂"]), ("a", ["Ant", "蚂蚁"])]
    assert [parse_choice(t, options) for t in ("1", "2", "Ant", "蜜蜂")] == ["b", "a", "a", "b"]


ZH_SKIPS = {
    "tiaoguo": "跳过",
    "tiaoguo-period": "跳过。",
    "meiyou": "没有",
    "meiyou-period": "没有。",
    "wu": "无",
    "buyongle": "不用了",
    "meishenme": "没什么",
    "meisha": "没啥",
    "suanle": "算了",
    "tiaoguo-zheti": "跳过这题",
    "buxiangxuan": "不想选",
    "meiyou-le-xiexie": "没有了，谢谢",
    "meiyou-biede-le": "没有别的了",
    "meishenme-le": "没什么了",
    "zanshi-meiyou": "暂时没有",
    "meiyou-yijian": "没有意见",
    "jiu-zheyang": "就这样",
    "bu-xuyao": "不需要",
}


@pytest.mark.parametrize(
    "text",
    [
        "skip",
        " Skip ",
        "SKIP!",
        "no",
        "nope",
        "No thanks",
        "no, thanks",
        "n/a",
        "N/A",
        "none",
        "nothing",
        "pass",
        "nah",
        "no comment",
        "nothing else",
        "no thank you",
        "nope, thanks",
        "I'm good",
        "that's all",
        "nothing to add",
        "-",
        # third hunt: a face beside the no, "all good", thanks said another way
        "no 🙂",
        "nope 👍",
        "no :)",
        "nope, all good",
        "nah im good thx",
        "no, cheers",
        "nothing, thank you so much",
        pytest.param("没", id="mei"),
        pytest.param("没什么问题", id="mei-shenme-wenti"),
        pytest.param("不用了，辛苦了", id="buyong-le-xinku-le"),
        *(pytest.param(text, id=name) for name, text in ZH_SKIPS.items()),
    ],
)
def test_skip_words(text: str) -> None:
    assert is_skip(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the agent was rude",
        "skip the small talk next time",
        "ok",
        "5",
        pytest.param("没有人回复我", id="nobody-answered-me"),
        pytest.param("不", id="bu"),
        "thank you",
        pytest.param("谢谢", id="xiexie"),
        "no more waiting please",
        "not really",  # on a rating question it is a rating
        "👍",
        "slow 😡",
        pytest.param("问题没解决", id="not-solved-is-an-answer"),
    ],
)
def test_not_skip(text: str) -> None:
    assert not is_skip(text)


def test_skip_words_from_config_are_normalised() -> None:
    assert is_skip("Passer", ["passer"])
    assert is_skip("ＰＡＳＳＥＲ", ["passer"])
    assert not is_skip("passer", [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("  ＡＢＣ１２３ ", "abc123", id="fullwidth-and-case"),
        pytest.param("I’d", "i'd", id="curly-apostrophe"),
        pytest.param("5️⃣", "5", id="keycap"),
        pytest.param("a\u200bb", "ab", id="zero-width-space"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# ---- a score with a comment ------------------------------------------------------------------

PROPERTY = settings(max_examples=300, deadline=None, database=None)


def scored(text: str, kind: ScaleKind = "csat") -> tuple[int, str] | None:
    low, high = SCALES[kind]
    found = read_rating(text, kind, low, high)
    return None if found is None else (found.score, found.comment)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        pytest.param("5 stars, super quick reply", "csat", (5, "super quick reply"), id="stars-then-words"),
        pytest.param("8 - helpful but slow", "nps", (8, "helpful but slow"), id="dash"),
        pytest.param("2，等太久了", "csat", (2, "等太久了"), id="fullwidth-comma"),
        pytest.param("三分 态度一般", "csat", (3, "态度一般"), id="chinese-numeral-fen"),
        pytest.param("pretty easy, 6", "ces", (6, "pretty easy"), id="score-last"),
        pytest.param("10/10 great agent", "nps", (10, "great agent"), id="x-over-ten"),
        pytest.param("客服很专业 给五星", "csat", (5, "客服很专业"), id="gei-wu-xing-last"),
        pytest.param("客服很专业给五星", "csat", (5, "客服很专业"), id="glued-chinese"),
        pytest.param("⭐⭐⭐⭐ quick", "csat", (4, "quick"), id="emoji-stars"),
        pytest.param("5! thank you Ben", "csat", (5, "thank you Ben"), id="thanks-in-comment"),
        pytest.param("非常满意，客服很耐心", "csat", (5, "客服很耐心"), id="words-then-comment"),
        pytest.param("五星好评！谢谢客服小王", "csat", (5, "谢谢客服小王"), id="good-review"),
        pytest.param("5", "csat", (5, ""), id="no-comment"),
        pytest.param("5, thanks!", "csat", (5, ""), id="a-thank-you-is-no-comment"),
        # found by the audit of issue 15 on a fresh set of typed answers
        pytest.param("挺满意的，5分", "csat", (5, "挺满意的"), id="particle-stays-with-its-word"),
        pytest.param("easy 7", "ces", (7, "easy"), id="rating-word-then-number"),
        pytest.param("honestly a 4", "csat", (4, ""), id="lead-in-and-article"),
        pytest.param("a 4", "csat", (4, ""), id="article"),
        pytest.param("definitely 10", "nps", (10, ""), id="definitely"),
        pytest.param("absolutely 10", "nps", (10, ""), id="absolutely"),
        pytest.param("it's a 4, slow though", "csat", (4, "slow though"), id="its-a"),
        pytest.param("I am a 5", "csat", (5, ""), id="i-am-a"),
        pytest.param("3 - terrible", "csat", (3, "terrible"), id="neutral-is-no-contradiction"),
        pytest.param("4 - easy", "ces", (4, "easy"), id="ces-neutral-and-easy"),
        pytest.param("10 for sure!", "nps", (10, "for sure"), id="for-sure-is-no-count"),
        # ("of course" was kept as the comment until the fifth hunt: emphasis, as "definitely" is)
        pytest.param("10 of course", "nps", (10, ""), id="of-course-is-no-count"),
        pytest.param("就给3分吧", "csat", (3, ""), id="jiu-gei"),
        pytest.param("terrible experience", "csat", (1, ""), id="word-and-noun"),
        pytest.param("not easy", "ces", (3, ""), id="not-easy"),
        pytest.param("不难", "ces", (5, ""), id="bu-nan"),
        pytest.param("5 stars for the quick help", "csat", (5, "for the quick help"), id="stars-for"),
        pytest.param("非常满意⭐⭐⭐⭐⭐", "csat", (5, "非常满意"), id="words-glued-to-stars"),
        pytest.param("10分满分给9分", "nps", (9, ""), id="scale-then-score"),
        pytest.param("9分（满分10分）", "nps", (9, ""), id="score-then-scale"),
        pytest.param("4 out of 5, slow delivery", "csat", (4, "slow delivery"), id="out-of-then-comment"),
        pytest.param("a 3, meh", "csat", (3, "meh"), id="article-then-comment"),
        pytest.param("Very satisfied (5)", "csat", (5, "Very satisfied"), id="label-then-bracketed-score"),
        pytest.param(
            "非常滿意，客服很專業", "csat", (5, "客服很專業"), id="traditional-keeps-the-comment-as-written"
        ),
        pytest.param("i'd say 3, took forever", "nps", (3, "took forever"), id="i-would-say-then-comment"),
        pytest.param("zero stars if I could", "csat", (1, "if I could"), id="zero-stars-is-the-lowest"),
        pytest.param("0星", "csat", (1, ""), id="zero-stars-zh"),
        pytest.param("ok ok", "csat", (3, ""), id="word-said-twice"),
        # (a happy face beside a high score was kept as the comment until typed-answers-6: it only
        # agrees with the score, bot.faces)
        pytest.param("5👍", "csat", (5, ""), id="emoji-glued-after"),
        pytest.param("服务很好非常满意", "csat", (5, "服务很好"), id="two-word-ratings-glued-zh"),
        pytest.param("👍5", "csat", (5, ""), id="emoji-glued-before"),
        pytest.param("给5分哦亲们", "csat", (5, ""), id="score-not-cut-from-its-unit"),
        pytest.param("good good good", "csat", (4, ""), id="word-said-three-times"),
        pytest.param("0 if I could", "nps", (0, "if I could"), id="lowest-if-i-could-is-no-condition"),
        pytest.param("I'd like to give 5 stars", "csat", (5, "I'd like to"), id="to-then-verb"),
        pytest.param("想给5星", "csat", (5, "想给"), id="want-to-give-zh"),
        pytest.param("服务不好1分", "csat", (1, "服务不好"), id="negated-words-before-a-score"),
        pytest.param("3 because it took 2 days", "csat", (3, "because it took 2 days"), id="quantity"),
        pytest.param("1分 退款要7-10天", "nps", (1, "退款要7-10天"), id="a-range-of-days-beside"),
        pytest.param("3, not 5", "csat", (3, "not 5"), id="a-score-denied-beside"),
        pytest.param("4星，扣一星因为物流", "csat", (4, "扣一星因为物流"), id="a-star-off-explains-it-zh"),
        pytest.param("9分，扣一分因为物流", "nps", (9, "扣一分因为物流"), id="a-point-off-explains-it-zh"),
        pytest.param("4 stars, minus 1 for the wait", "csat", (4, "minus 1 for the wait"), id="minus-one"),
        pytest.param("5 wait time was long", "csat", (5, "wait time was long"), id="wait-is-no-correction"),
        pytest.param("5 sorry for the late reply", "csat", (5, "sorry for the late reply"), id="sorry"),
        pytest.param("6, a 2 day wait", "nps", (6, "a 2 day wait"), id="article-and-count-beside"),
        # what chat apps put before the reply: a quote of the question, a mention
        pytest.param("「客服：请打分」5", "csat", (5, ""), id="wechat-quote"),
        pytest.param(
            "「客服：请对本次服务打分」\n- - - - - - - - - - - - - - -\n5分，很耐心",
            "csat",
            (5, "很耐心"),
            id="wechat-quote-with-its-rule",
        ),
        pytest.param("回复 客服：五星", "csat", (5, ""), id="reply-to-zh"),
        pytest.param("@客服小美 9分", "nps", (9, ""), id="mention-zh"),
        pytest.param("@Amy thanks, 5", "csat", (5, ""), id="mention"),
        pytest.param("5 :)", "csat", (5, ""), id="score-and-a-smile"),
        # (refused as two things said until typed-answers-6: a frown after a top score is kept, bot.faces)
        pytest.param("5 :(", "csat", (5, ":("), id="top-score-and-a-frown"),
        pytest.param("2 stars, 3 days to reply", "csat", (2, "3 days to reply"), id="a-clause-with-a-count"),
        pytest.param("6, 3 days to reply", "nps", (6, "3 days to reply"), id="a-clause-with-a-count-nps"),
        pytest.param("1星，3天才回复", "csat", (1, "3天才回复"), id="a-clause-with-a-count-zh"),
        # a score that is a whole clause in the middle of a longer message
        pytest.param(
            "昨天问了三次才解决，体验不太好，给2分吧，希望改进",
            "csat",
            (2, "昨天问了三次才解决,体验不太好,希望改进"),
            id="buried-zh",
        ),
        pytest.param(
            "物流很快，客服态度很好，五星好评，下次还会再来的",
            "csat",
            (5, "物流很快,客服态度很好,下次还会再来的"),
            id="buried-review-zh",
        ),
        pytest.param(
            "Long story short, 8 points, the app is good",
            "nps",
            (8, "Long story short, the app is good"),
            id="buried",
        ),
        pytest.param("Well, I'd give 8, the app is good", "nps", (8, "the app is good"), id="well-leads-in"),
        pytest.param("5分，什么时候发货？", "csat", (5, "什么时候发货"), id="a-score-then-a-question-zh"),
        # (the scale note was kept as the comment until the fifth hunt: dropped now, as 满分10分 is)
        pytest.param("5分制的话4分", "csat", (4, ""), id="on-a-five-point-scale-zh"),
        pytest.param("10分制8分", "nps", (8, ""), id="on-a-ten-point-scale-zh"),
        pytest.param("非常满意，又快又好", "csat", (5, "又快又好"), id="praise-and-more-praise-zh"),
        pytest.param(
            "5, still waiting on the refund", "csat", (5, "still waiting on the refund"), id="score-and-still"
        ),
        pytest.param("1 = very difficult", "ces", (1, "very difficult"), id="equals-sets-off-the-words"),
        pytest.param("亲，5分，客服很好", "csat", (5, "客服很好"), id="dear-score-and-comment-zh"),
        pytest.param("等了三天 再也不来了 1分", "csat", (1, "等了三天 再也不来了"), id="never-again-zh"),
        # "I am" leads in like "it was": the comma typed inside "not satisfied" makes no 4 of it
        pytest.param("I am not, satisfied", "csat", (2, ""), id="i-am-negated-word-rating"),
    ],
)
def test_a_score_and_its_comment(text: str, kind: ScaleKind, expected: tuple[int, str]) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("my order 5 is late", "csat", id="order-in-sentence"),
        pytest.param("I bought 3", "nps", id="count-after-a-verb"),
        pytest.param("3 tries", "ces", id="count-of-tries"),
        pytest.param("1 sec", "csat", id="one-sec"),
        pytest.param("1 question", "csat", id="one-question"),
        pytest.param("3 business days", "nps", id="business-days"),
        pytest.param("2 wks", "csat", id="weeks-abbreviated"),
        pytest.param("2 of 5 items", "csat", id="x-of-y-items"),
        pytest.param("page 2 of 5", "csat", id="page-x-of-y"),
        pytest.param("we need 2", "csat", id="count-after-need"),
        pytest.param("9 friends would love it", "nps", id="count-of-friends"),
        pytest.param("give me 5", "nps", id="give-me-five"),
        pytest.param("a 5 minute wait, slow", "csat", id="article-only-on-a-whole-score"),
        pytest.param("order 5", "csat", id="order-number"),
        pytest.param("3 days and still nothing", "csat", id="quantity"),
        pytest.param("5分钟就回复了", "csat", id="minutes"),
        pytest.param("十分满意", "nps", id="shifen-is-very"),
        pytest.param("可能4分", "csat", id="hedged-zh"),
        pytest.param("7到8分", "nps", id="range-zh"),
        pytest.param("4-5", "csat", id="range"),
        pytest.param("10:30", "nps", id="time"),
        pytest.param("5 stars", "nps", id="stars-on-nps"),
        pytest.param("junk 1", "csat", id="name-and-number"),
        pytest.param("they were not, satisfied", "csat", id="negated-word-rating"),
        pytest.param("5?", "csat", id="question"),
        pytest.param('1"<一', "ces", id="symbols-are-no-comment"),
        pytest.param("I waited 3 out of 5 days", "csat", id="out-of-days"),
        pytest.param("a 2 pack of cables arrived broken", "csat", id="article-and-count-no-punctuation"),
        pytest.param("a 5 year old could do better", "nps", id="article-and-age"),
        pytest.param("5 stars, super quick reply", "nps", id="stars-then-comma-on-nps"),
        pytest.param("maybe a 4", "csat", id="hedged-article"),
        pytest.param("零星", "csat", id="lingxing-is-a-few"),
        pytest.param("0 stars", "nps", id="zero-stars-on-nps"),
        pytest.param("三星手机", "csat", id="samsung-phone"),
        pytest.param("一分钱都不值", "csat", id="not-worth-a-cent"),
        # a score its words hedge, bound, deny or make a condition: no answer, not that number
        pytest.param("maybe 4 stars", "csat", id="hedged-with-unit"),
        pytest.param("可能给4星", "csat", id="hedged-verb-zh"),
        pytest.param("3 or 4 stars", "csat", id="alternatives-with-unit"),
        pytest.param("at least 4", "csat", id="lower-bound"),
        pytest.param("最多3分", "csat", id="upper-bound-zh"),
        pytest.param("4分以上", "csat", id="bound-after-zh"),
        pytest.param("4 stars or more", "csat", id="bound-after"),
        pytest.param("not 5 stars", "csat", id="denied"),
        pytest.param("not even 3 stars", "csat", id="not-even"),
        pytest.param("I'd never give 5", "csat", id="never-give"),
        pytest.param("不是5分", "csat", id="denied-zh"),
        pytest.param("给不了5分", "csat", id="cannot-give-zh"),
        pytest.param("不能给5分", "csat", id="must-not-give-zh"),
        pytest.param("5分是不可能的", "csat", id="impossible-after-zh"),
        pytest.param("5? no way", "csat", id="questioned-then-denied"),
        pytest.param("would have been 5", "csat", id="would-have-been"),
        pytest.param("used to be 5", "csat", id="used-to-be"),
        pytest.param("5 if you had answered sooner", "csat", id="condition-after"),
        pytest.param("9 if shipping were faster", "nps", id="condition-after-nps"),
        pytest.param("10 next time", "nps", id="next-time"),
        pytest.param("5 when it arrives", "csat", id="when-after"),
        pytest.param("10 when you fix the app", "nps", id="when-after-nps"),
        pytest.param("5 until the next problem", "csat", id="until-after"),
        pytest.param("等收到货再给5分", "csat", id="once-it-comes-zh"),
        pytest.param("如果快一点就5分", "csat", id="condition-before-zh"),
        pytest.param("本来想给5分的", "csat", id="meant-to-give-zh"),
        pytest.param("差点给1星", "csat", id="almost-gave-zh"),
        pytest.param("would be 5 if faster", "csat", id="would-be"),
        pytest.param("4 maybe", "csat", id="hedged-after"),
        # the number and the words beside it on two sides of neutral: the scale read the other way
        pytest.param("1 - very easy", "ces", id="ces-read-backwards"),
        pytest.param("7 (very hard)", "ces", id="ces-read-backwards-bracketed"),
        pytest.param("1 - excellent service", "csat", id="one-as-number-one"),
        pytest.param("5, terrible", "csat", id="five-and-terrible"),
        pytest.param("非常满意，1分", "csat", id="very-satisfied-and-one-zh"),
        pytest.param("it's a 5 minute wait", "csat", id="its-a-count"),
        pytest.param("four/five", "nps", id="words-out-of-five-on-nps"),
        pytest.param("four/five", "ces", id="words-out-of-five-on-ces"),
        pytest.param("four / ten", "csat", id="words-out-of-ten-on-csat"),
        # two different scores: which one?
        pytest.param("last time 5, this time 2", "csat", id="two-scores-then-and-now"),
        pytest.param("2 then 4", "csat", id="two-scores-then"),
        pytest.param("4 now, was 2 before", "csat", id="two-scores-now-and-before"),
        pytest.param("客服5分，产品1分", "csat", id="two-scores-for-two-things-zh"),
        pytest.param("5 stars for speed 2 for quality", "csat", id="two-scores-for-two-things"),
        pytest.param("5分，2号客服很好", "csat", id="a-score-beside-a-word-rating"),
        pytest.param("五星，扣一分是因为慢", "csat", id="top-score-and-a-point-off-zh"),
        pytest.param("5 stars, minus 1 for the wait", "csat", id="top-score-and-a-point-off"),
        pytest.param("本来想给差评的", "csat", id="meant-to-give-a-bad-review-zh"),
        pytest.param("great... NOT", "csat", id="taken-back"),
        pytest.param("so helpful (not)", "csat", id="taken-back-bracketed"),
        pytest.param("5 jk", "csat", id="just-kidding"),
        pytest.param("「客服：请打分」", "csat", id="only-the-quote"),
        pytest.param("九点五分", "nps", id="nine-point-five-zh"),
        pytest.param("呵呵，五星，客服真棒", "csat", id="buried-and-sneered-zh"),
        pytest.param("五颗星给四颗", "csat", id="five-stars-give-four-zh"),
        pytest.param("客服说，满意的话，给5分", "csat", id="reported-and-conditional-zh"),
        pytest.param("满意的话给5分", "csat", id="if-satisfied-zh"),
        pytest.param("他们都说，5分，我觉得一般", "nps", id="buried-and-reported-zh"),
        pytest.param("5 no", "csat", id="score-then-no"),
        pytest.param("great, now my account is locked", "csat", id="praise-then-a-complaint"),
        pytest.param("wonderful, still not fixed", "csat", id="praise-then-still"),
        pytest.param("perfect, it broke again", "csat", id="praise-then-again"),
        pytest.param("太好了，还是不行", "csat", id="praise-then-still-not-working-zh"),
        pytest.param("4星半吧", "csat", id="four-and-a-half-stars-zh"),
        pytest.param("3分都嫌多", "csat", id="even-three-is-too-many-zh"),
        pytest.param("不想给好评", "csat", id="not-want-to-give-a-good-review-zh"),
        pytest.param("不给好评了", "csat", id="no-good-review-zh"),
        pytest.param("好评？不存在的", "csat", id="good-review-asked-back-zh"),
        pytest.param("我的订单，3星，什么时候发", "csat", id="buried-beside-a-question-zh"),
        pytest.param("客服说，给5分，就送优惠券", "csat", id="buried-and-asked-to-zh"),
        pytest.param("客服让我给五星", "csat", id="asked-to-give-zh"),
        pytest.param("你们让我打5分的", "nps", id="told-to-give-zh"),
        pytest.param("the agent asked me to give 10", "nps", id="asked-to-give"),
        pytest.param("5星能返现吗", "csat", id="asked-about-zh"),
        pytest.param("5分是最高吗", "nps", id="is-it-the-highest-zh"),
        pytest.param("5星怎么样", "csat", id="how-about-zh"),
        pytest.param("客服很好，5分，物流1分", "csat", id="buried-and-another-score-zh"),
        pytest.param("如果快一点，5分，可惜太慢", "csat", id="buried-in-a-condition-zh"),
        # ("hi, 5, thanks" was this row: a greeting and a thank-you around a score now leave the score)
        pytest.param("I called twice, 5, nobody answered", "csat", id="buried-bare-number"),
        pytest.param("the product, 8/10, would buy again if cheaper", "nps", id="buried-and-doubted"),
        pytest.param("4, 5 stars", "csat", id="two-scores-after-a-comma"),
        pytest.param("8. 9 would be too much", "nps", id="two-scores-after-a-full-stop"),
        pytest.param("7 = very difficult", "ces", id="ces-read-backwards-with-equals"),
        pytest.param("四点五星", "csat", id="four-point-five-stars-zh"),
        pytest.param("差一点五星", "csat", id="almost-five-stars-zh"),
        pytest.param("1 :)", "csat", id="lowest-score-and-a-smile"),
        # ("5 no wait 4" and "4 sorry i mean 3" were rows here: the score said last is now read,
        # tests/bot/test_corrections.py)
        pytest.param("5分，打错了", "csat", id="mistyped-zh"),
        pytest.param("5 no wait", "csat", id="taken-back-with-none-after"),
        pytest.param("the agent gets a 10 but the company gets 6", "nps", id="two-scores-one-with-article"),
        pytest.param("呵呵，五星", "csat", id="a-sneer-before-zh"),
        pytest.param("五星呵呵", "csat", id="a-sneer-after-zh"),
        pytest.param("呵呵，非常满意", "csat", id="a-sneer-before-words-zh"),
        pytest.param("没什么不满意的", "csat", id="nothing-to-be-unhappy-about-zh"),
        pytest.param("谈不上不满意", "csat", id="cannot-say-unhappy-zh"),
    ],
)
def test_not_a_score_with_a_comment(text: str, kind: ScaleKind) -> None:
    assert scored(text, kind) is None


NON_ANSWERS = ["order 98765", "my order 5 is late", "4.5", "0", "6"]
wrappers = st.sampled_from(["", " ", "  ", "\n", "!", "?", "。", "...", "!!", " please", " thanks"])


@PROPERTY
@given(core=st.sampled_from(NON_ANSWERS), before=wrappers, after=wrappers, upper=st.booleans())
def test_the_non_answers_of_the_issue_are_never_scores_on_a_one_to_five_scale(
    core: str, before: str, after: str, upper: bool
) -> None:
    text = (before.strip() + " " if before.strip() else before) + core + after
    assert scored(text.upper() if upper else text) is None


@PROPERTY
@given(
    n=st.integers(0, 10**7),
    template=st.sampled_from(
        ["order {n}", "order #{n}", "#{n}", "my order {n} is late", "order no. {n}", "订单{n}", "订单号 {n}",
         "我的订单{n}还没到", "room {n}", "ticket {n} please", "where is order {n}?"]
    ),
    kind=st.sampled_from(["csat", "nps", "ces"]),
)  # fmt: skip
def test_an_order_or_reference_number_is_never_a_score(n: int, template: str, kind: ScaleKind) -> None:
    assert scored(template.format(n=n), kind) is None


@PROPERTY
@given(whole=st.integers(0, 10), fraction=st.integers(1, 99), kind=st.sampled_from(["csat", "nps", "ces"]))
def test_decimals_are_never_scores(whole: int, fraction: int, kind: ScaleKind) -> None:
    assert scored(f"{whole}.{fraction}", kind) is None
    assert scored(f"{whole}.{fraction} stars", kind) is None


@PROPERTY
@given(
    kind=st.sampled_from(["csat", "nps", "ces"]),
    offset=st.integers(1, 1000),
    above=st.booleans(),
    comment=st.sampled_from(["", ", great", " - slow", " 太慢了", "，很好"]),
)
def test_numbers_off_the_scale_are_never_scores(
    kind: ScaleKind, offset: int, above: bool, comment: str
) -> None:
    low, high = SCALES[kind]
    value = high + offset if above else low - offset
    assert scored(f"{value}{comment}", kind) is None


@PROPERTY
@given(
    score=st.integers(1, 5),
    comment=st.sampled_from(["super quick reply", "the agent was rude", "等太久了", "态度一般", "took ages"]),
    separator=st.sampled_from([", ", " - ", "，", ". ", ": ", " "]),
    first=st.booleans(),
)
def test_a_score_beside_words_is_stored_once_with_the_words_as_comment(
    score: int, comment: str, separator: str, first: bool
) -> None:
    text = f"{score}{separator}{comment}" if first else f"{comment}{separator}{score}"
    assert scored(text) == (score, comment)


LONG_REPLIES = {
    "a-thousand-scale-notes": ("5满分" * 1366)[:4096],  # recursed past Python's limit: a 500
    "notes-and-scores": ("满分5分" * 1024)[:4096],
    "out-of-notes": ("out of 5分" * 410)[:4096],
    "a-run-of-digits": "5" * 4096,  # quadratic: a quarter of a second
    "digits-then-a-note": "5" * 4090 + "分满分",
    "a-note-over-int-digits": "满分" + "5" * 5000,  # int() refuses over 4,300 digits: ValueError
    "newlines": "\n" * 4096,  # a scale note searched after \s* from each: a second a message
    "spaces": " " * 4096,
    "quoted-lines": "> q\n" * 1024,
    "greetings": "hi, " * 1024,
    "counts": ("3 colors " * 455)[:4096],
    "for-names": ("5 for maria " * 342)[:4096],
    "stars-and-commas": ("⭐, " * 1366)[:4096],
    "words-said-twice": "so " * 1365,
    "corrections": ("3 no " * 820)[:4096],
    "corrections-zh": ("三分，不，" * 820)[:4096],
    "corrections-and-spaces": "3 no" + " " * 4090 + "4?",
    "corrections-first": ("改成" * 2048),  # the fifth hunt's words before a score, stars and scales
    "no-commas": ("no, " * 1024),
    "asterisks": "*" * 4096,
    "pluses": "10" + "+" * 4094,
    "over-tens": ("9 over 10 " * 410)[:4096],
    "li-xing": ("五粒星" * 1366)[:4096],
    "laughter": "哈" * 4096,
}


@pytest.mark.parametrize("text", LONG_REPLIES.values(), ids=LONG_REPLIES.keys())
def test_a_long_reply_is_read_in_bounded_time_and_never_raises(text: str) -> None:
    """The longest replies the channels allow (4,096 characters; a forged webhook may send more),
    made of what the rating reader looks for, are no score and cost milliseconds."""
    started = time.process_time()
    for kind in ("csat", "nps", "ces"):
        low, high = SCALES[kind]
        assert read_rating(text, kind, low, high) is None
    assert time.process_time() - started < 0.2


# The third hunt (2026-12-06): replies as customers type them, read whole by read_rating. None: the
# bot asks again.
THIRD_HUNT = [
    # a greeting or an acknowledgement before the score is neither part of it nor a comment
    pytest.param("hi 5", "csat", (5, ""), id="hi-bare-number"),
    pytest.param("hello 4 stars", "csat", (4, ""), id="hello-stars"),
    pytest.param("Hey there, 9", "nps", (9, ""), id="hey-there"),
    pytest.param("good morning, 5", "csat", (5, ""), id="good-morning"),
    pytest.param("ok, 5", "csat", (5, ""), id="ok-before"),
    pytest.param("yes 10", "nps", (10, ""), id="yes-before"),
    pytest.param("sure, 7 very easy", "ces", (7, "very easy"), id="sure-before-score-and-words"),
    pytest.param("hi, 5, thanks", "csat", (5, ""), id="hi-score-thanks"),
    pytest.param("hi, 5 from me, thanks!", "csat", (5, ""), id="hi-score-from-me-thanks"),
    pytest.param("您好，5分", "csat", (5, ""), id="nin-hao-zh"),
    pytest.param("嗯 5分", "csat", (5, ""), id="en-space-zh"),
    pytest.param("好的，五星", "csat", (5, ""), id="hao-de-before-zh"),
    pytest.param("嗯嗯，2分，物流太慢了", "csat", (2, "物流太慢了"), id="en-en-score-and-comment-zh"),
    pytest.param("uh, 4 I think", "csat", (4, ""), id="uh-then-i-think"),
    pytest.param("Rating - 5", "csat", (5, ""), id="rating-dash"),
    pytest.param("NPS=9", "nps", (9, ""), id="nps-equals"),
    pytest.param("rating -1", "nps", None, id="rating-minus-one-is-negative"),
    pytest.param("good -1", "nps", None, id="words-then-a-negative-number"),
    pytest.param("great, -1", "nps", None, id="words-comma-negative-number"),
    pytest.param("great - 5", "csat", (5, "great"), id="a-dash-between-stays-a-dash"),
    pytest.param("嗯…3分吧", "csat", (3, ""), id="en-ellipsis-zh"),
    pytest.param("额，3分", "csat", (3, ""), id="e-hesitation-zh"),
    pytest.param("我觉得4分吧", "csat", (4, ""), id="i-think-four-zh"),
    pytest.param("我觉得可以打4分", "csat", (4, ""), id="i-think-i-can-give-four-zh"),
    pytest.param("我觉得5点前能到", "csat", None, id="i-think-by-five-oclock-zh"),
    # ... but on its own it is no score, and "ok" after a score stays the customer's word
    pytest.param("hi", "csat", None, id="hi-alone"),
    pytest.param("嗯", "csat", None, id="en-alone-zh"),
    pytest.param("hi, 2 items missing", "csat", None, id="hi-then-a-count"),
    # thanks, emphasis and goodbyes beside a score are no comment on the service
    pytest.param("5 thanks a lot", "csat", (5, ""), id="thanks-a-lot"),
    pytest.param("5, cheers", "csat", (5, ""), id="cheers"),
    pytest.param("cheers 5", "csat", (5, ""), id="cheers-before"),
    pytest.param("9 thank you so much!", "nps", (9, ""), id="thank-you-so-much"),
    pytest.param("5分，辛苦了", "csat", (5, ""), id="xinku-le-zh"),
    pytest.param("辛苦啦 五星", "csat", (5, ""), id="xinku-la-before-zh"),
    pytest.param("5 please", "csat", (5, ""), id="please-after"),
    pytest.param("5 from me", "csat", (5, ""), id="from-me"),
    pytest.param("10 hands down", "nps", (10, ""), id="hands-down"),
    pytest.param("10, no doubt", "nps", (10, ""), id="no-doubt"),
    pytest.param("5 stars, bye", "csat", (5, ""), id="bye"),
    pytest.param("5分，拜拜", "csat", (5, ""), id="baibai-zh"),
    pytest.param("必须五星", "csat", (5, ""), id="bixu-zh"),
    pytest.param("肯定是5分", "csat", (5, ""), id="kending-shi-zh"),
    pytest.param("全部五星", "csat", (5, ""), id="quanbu-zh"),
    pytest.param("全五星", "csat", (5, ""), id="quan-zh"),
    pytest.param("必须五星好评", "csat", (5, ""), id="bixu-good-review-zh"),
    pytest.param("必须五星，客服很耐心", "csat", (5, "客服很耐心"), id="bixu-and-a-comment-zh"),
    pytest.param(
        "9 thanks for your help", "nps", (9, "thanks for your help"), id="thanks-for-what-is-a-comment"
    ),
    pytest.param("Thanks! 5/5, very helpful", "csat", (5, "very helpful"), id="thanks-then-score-and-words"),
    pytest.param("谢谢！5分，很耐心", "csat", (5, "很耐心"), id="thanks-then-score-and-words-zh"),
    pytest.param(
        "thanks for the help, 5", "csat", (5, "thanks for the help"), id="thanks-for-stays-a-comment"
    ),
    # number forms
    pytest.param("伍分", "csat", (5, ""), id="capital-numeral-zh"),
    pytest.param("捌分", "nps", (8, ""), id="capital-eight-zh"),
    pytest.param("拾分", "nps", (10, ""), id="capital-ten-zh"),
    pytest.param("肆", "csat", (4, ""), id="capital-alone-zh"),
    pytest.param("俩星", "csat", (2, ""), id="lia-two-zh"),
    pytest.param("仨星", "csat", (3, ""), id="sa-three-zh"),
    pytest.param("4分把", "csat", (4, ""), id="ba-mistyped-zh"),
    pytest.param("5🌟", "csat", (5, ""), id="glowing-star-unit"),
    pytest.param("⭐⭐⭐⭐⭐ 5/5", "csat", (5, ""), id="stars-then-the-same-in-digits"),
    pytest.param("5 stars⭐️⭐️⭐️⭐️⭐️", "csat", (5, ""), id="stars-then-star-emoji-glued"),
    pytest.param("⭐⭐⭐⭐ 5/5", "csat", None, id="stars-then-another-score"),
    pytest.param("3 态度一般", "csat", (3, "态度一般"), id="words-rating-the-same-stay-a-comment-zh"),
    pytest.param("⭐⭐⭐⭐⭐👍", "csat", (5, ""), id="stars-then-a-thumb"),  # (5, "👍") until typed-answers-6
    pytest.param("⭐️⭐️⭐️⭐️⭐️👍", "csat", (5, ""), id="stars-with-selectors-then-a-thumb"),
    pytest.param("⭐⭐⭐⭐⭐五星好评", "csat", (5, ""), id="stars-then-the-same-in-words-zh"),
    pytest.param("Fiveeee", "csat", (5, ""), id="number-word-held-down"),
    pytest.param("tennn!", "nps", (10, ""), id="ten-held-down"),
    pytest.param("俾5分", "csat", (5, ""), id="yue-bei-give"),
    pytest.param("畀五星呀", "csat", (5, ""), id="yue-bei-give-variant"),
    pytest.param("5分喇", "csat", (5, ""), id="yue-laa-particle"),
    pytest.param("給5分唷", "csat", (5, ""), id="tw-yo-particle"),
    pytest.param("唔係好滿意，3分", "csat", (3, "唔係好滿意"), id="yue-negated-words-then-score"),
    pytest.param("4 🌟 quick reply", "csat", (4, "quick reply"), id="glowing-star-unit-comment"),
    # hedged, approximate or negative: the customer did not give that score
    pytest.param("9 probably", "nps", None, id="probably-after"),
    pytest.param(
        "9, probably the best service", "nps", (9, "probably the best service"), id="probably-opens-a-comment"
    ),
    pytest.param("8-ish", "nps", None, id="ish"),
    pytest.param("8ish", "nps", None, id="ish-glued"),
    pytest.param("7 more or less", "nps", None, id="more-or-less"),
    pytest.param("negative 5 stars", "csat", None, id="negative-five-stars"),
    pytest.param("minus 5 stars", "csat", None, id="minus-five-stars"),
    pytest.param("6 prob", "nps", None, id="prob-after"),
    pytest.param("six-seven", "nps", None, id="range-in-words"),
    pytest.param("four - five stars", "csat", None, id="range-in-words-with-unit"),
    pytest.param("5 - one of the best", "csat", (5, "one of the best"), id="a-number-word-opens-a-comment"),
    # quotes and chat-app emphasis around the score (WhatsApp: *bold*, _italic_)
    pytest.param("*5*", "csat", (5, ""), id="whatsapp-bold"),
    pytest.param("**9**", "nps", (9, ""), id="markdown-bold"),
    pytest.param("_4_", "csat", (4, ""), id="whatsapp-italic"),
    pytest.param('"5"', "csat", (5, ""), id="double-quotes"),
    pytest.param("“8”", "nps", (8, ""), id="curly-quotes"),
    pytest.param("'3'", "ces", (3, ""), id="single-quotes"),
    pytest.param("~5~", "csat", None, id="whatsapp-struck-through"),
    # stars on NPS are refused with or without a dash (they were read as 5 with the comment "star")
    pytest.param("5-star", "nps", None, id="hyphenated-star-on-nps"),
    pytest.param("five-stars", "nps", None, id="hyphenated-word-stars-on-nps"),
    pytest.param("5-star, great", "csat", (5, "great"), id="hyphenated-star-and-comment"),
    # a complaint with a number, then the score after a comma: the comma ends the complaint
    pytest.param("等了5天才到，1星", "csat", (1, "等了5天才到"), id="arrived-after-days-comma-zh"),
    pytest.param("2 items missing, 1", "csat", (1, "2 items missing"), id="items-missing-comma"),
    pytest.param("waited 3 days, 1", "csat", (1, "waited 3 days"), id="waited-days-comma"),
    pytest.param("7到，8分", "nps", None, id="a-range-split-by-a-comma-stays-none-zh"),
    pytest.param("可能，4分", "csat", None, id="a-hedge-before-a-comma-stays-zh"),
    # asked about, not given
    pytest.param("满分几分", "csat", None, id="how-many-points-is-full-marks-zh"),
    pytest.param("几分满分", "nps", None, id="how-many-points-full-marks-zh"),
    pytest.param("5分，几分钟就回复了", "csat", (5, "几分钟就回复了"), id="a-few-minutes-is-no-question-zh"),
    # "if I could", as "0 if I could" is still a score; a condition on the service stays none
    pytest.param("如果可以给0分", "nps", (0, "如果可以"), id="if-i-could-zero-zh"),
    pytest.param("可以的话0星", "csat", (1, "可以的话"), id="if-i-could-zero-stars-zh"),
    pytest.param("要是能快点就给5星", "csat", None, id="if-it-were-faster-zh"),
    pytest.param("如果可以快点，5分", "csat", None, id="if-it-could-be-faster-zh"),
    pytest.param("负分滚粗", "csat", (1, ""), id="negative-points-get-lost-zh"),
    pytest.param("5 is the best right", "csat", None, id="tag-question"),
    pytest.param("10 means very likely, correct", "nps", None, id="tag-question-correct"),
    pytest.param("5分最高对吧", "csat", None, id="tag-question-dui-ba-zh"),
    pytest.param("五星是最好的对不对", "csat", None, id="tag-question-dui-bu-dui-zh"),
    pytest.param("给5分就行了是吧", "csat", None, id="tag-question-shi-ba-zh"),
    pytest.param("给了五星了", "csat", (5, ""), id="gave-already-zh"),
    # 一 in 一般 is no number: the three is the score, 一般般 its comment
    pytest.param("一般般吧，三星", "csat", (3, "一般般吧"), id="yiban-then-stars-zh"),
    pytest.param("一般般吧，3星", "csat", (3, "一般般吧"), id="yiban-then-digit-stars-zh"),
    pytest.param("一直没人回，1分", "csat", (1, "一直没人回"), id="yizhi-then-score-zh"),
    # minutes after a score are minutes (10分钟), and points of another scale are no word rating's comment
    pytest.param("五星，10分钟就回复了", "csat", (5, "10分钟就回复了"), id="stars-then-minutes-zh"),
    pytest.param("五星好评，10分钟就回复了", "csat", (5, "10分钟就回复了"), id="good-review-then-minutes-zh"),
    pytest.param("5分，3星期才到", "csat", (5, "3星期才到"), id="points-then-weeks-zh"),
    pytest.param("10分满分给9分，很好", "csat", None, id="ten-point-scale-asked-out-of-five-zh"),
    pytest.param("10分满分给9分，很好", "nps", (9, "很好"), id="ten-point-scale-on-nps-zh"),
    pytest.param("I'd say 3 out of 5, slow", "csat", (3, "slow"), id="out-of-the-scale-and-a-comment"),
    # a comment keeps the customer's full-width commas (it had a half-width one inside)
    pytest.param(
        "五星好评，客服很专业，解决问题很快",
        "csat",
        (5, "客服很专业，解决问题很快"),
        id="comment-keeps-fullwidth-comma",
    ),
    # whom the score is for, what it is worth, and how it is said
    pytest.param("5 for you", "csat", (5, ""), id="for-you"),
    pytest.param("5 for the agent", "csat", (5, "for the agent"), id="for-the-agent"),
    pytest.param("5 to the team, great job", "csat", (5, "to the team, great job"), id="to-the-team"),
    pytest.param("5 for $10", "csat", None, id="for-a-price-stays-a-count"),
    pytest.param("deserves a 5", "csat", (5, ""), id="deserves-a"),
    pytest.param("you guys deserve a 10", "nps", (10, ""), id="you-guys-deserve-a"),
    pytest.param("值五星", "csat", (5, ""), id="zhi-wuxing-zh"),
    # words that only bring the score in are no comment ("I choose" answered the follow-up question)
    pytest.param("I choose 5", "csat", (5, ""), id="i-choose"),
    pytest.param("my answer is 5", "csat", (5, ""), id="my-answer-is"),
    pytest.param("I'll go with 4", "csat", (4, ""), id="ill-go-with"),
    pytest.param("let's say 4", "csat", (4, ""), id="lets-say"),
    pytest.param("put me down for a 4", "csat", (4, ""), id="put-me-down-for"),
    pytest.param("I'd rate you guys 5", "csat", (5, ""), id="id-rate-you-guys"),
    pytest.param("5 it is", "csat", (5, ""), id="it-is"),
    pytest.param("I already gave 5", "csat", (5, ""), id="already-gave"),
    pytest.param("i gave 5 stars", "csat", (5, ""), id="gave-stars"),
    pytest.param("I have already given 5 stars", "csat", (5, ""), id="have-already-given"),
    pytest.param("I gave 5 days", "csat", None, id="gave-days-is-a-count"),
    pytest.param("only 2, sorry", "csat", (2, "sorry"), id="sorry-stays-a-comment-as-the-answer-set-has-it"),
    pytest.param("5 again!", "csat", (5, ""), id="again"),
    pytest.param("(5) Very satisfied", "csat", (5, "Very satisfied"), id="bracketed-number-then-the-label"),
    pytest.param("(2) slow", "csat", (2, "slow"), id="bracketed-number-then-words"),
    pytest.param("(5 days) late", "csat", None, id="bracketed-count-stays-none"),
    # the same score said again and again; stars and faces repeated still count up
    pytest.param("五星五星五星", "csat", (5, ""), id="wuxing-three-times-zh"),
    pytest.param("5星5星", "csat", (5, ""), id="five-stars-twice-zh"),
    pytest.param("5 5 5", "csat", (5, ""), id="five-three-times"),
    pytest.param("满意满意满意", "csat", (4, ""), id="manyi-three-times-zh"),
    pytest.param("好评五星", "csat", (5, ""), id="good-review-then-stars-zh"),
    pytest.param("5,5", "nps", None, id="decimal-comma-is-no-repeat"),
    pytest.param("5 5 4", "csat", None, id="two-different-scores"),
    pytest.param("差差差", "csat", (1, ""), id="cha-three-times-stays-stronger-zh"),
    pytest.param("⭐⭐⭐", "csat", (3, ""), id="three-stars-stay-three"),
    pytest.param("⭐️x5", "csat", (5, ""), id="star-times-five"),
    pytest.param("4 × ⭐", "csat", (4, ""), id="four-times-star"),
    pytest.param("⭐x5", "nps", None, id="star-times-five-on-nps"),
    pytest.param("⭐x6", "csat", None, id="star-times-six"),
    # 颗 counts stars ("给五颗"); 五星级 grades a service ("五星级服务"), a hotel is no rating
    pytest.param("给五颗", "csat", (5, ""), id="gei-wu-ke-zh"),
    pytest.param("四颗吧", "csat", (4, ""), id="si-ke-ba-zh"),
    pytest.param("五颗", "nps", None, id="ke-on-nps-zh"),
    pytest.param("五星级服务", "csat", (5, ""), id="five-star-service-zh"),
    pytest.param("服务五星级", "csat", (5, ""), id="service-five-star-zh"),
    pytest.param("五星级酒店", "csat", None, id="five-star-hotel-stays-none-zh"),
    pytest.param("五星级", "csat", None, id="five-star-grade-alone-zh"),
    # a review word that says the other end of an NPS score
    pytest.param("10分差评", "nps", None, id="ten-and-a-bad-review-zh"),
    pytest.param("0分好评", "nps", None, id="zero-and-a-good-review-zh"),
    pytest.param("9分好评", "nps", (9, ""), id="nine-and-a-good-review-zh"),
    # the top or the bottom of the scale, said in words
    pytest.param("perfect 10", "nps", (10, ""), id="perfect-ten"),
    pytest.param("a perfect score", "csat", (5, ""), id="a-perfect-score"),
    pytest.param("the lowest score", "nps", (0, ""), id="the-lowest-score"),
    pytest.param("最高分", "csat", (5, ""), id="zuigao-fen-zh"),
    pytest.param("最低分", "ces", (1, ""), id="zuidi-fen-zh"),
    pytest.param("5 as always", "csat", (5, ""), id="as-always"),
    # "stars" mistyped or autocorrected is still the unit, and still no NPS score
    pytest.param("5 starz", "csat", (5, ""), id="starz"),
    pytest.param("5 start", "csat", (5, ""), id="start-autocorrected"),
    pytest.param("4 satrs, slow", "csat", (4, "slow"), id="satrs-and-a-comment"),
    pytest.param("5 starts", "nps", None, id="starts-on-nps"),
    pytest.param("评价：五星", "csat", (5, ""), id="pingjia-colon-zh"),
    pytest.param("我的评分是5", "csat", (5, ""), id="my-score-is-zh"),
    pytest.param("选择5", "csat", (5, ""), id="xuanze-zh"),
    pytest.param("我给客服打5分", "csat", (5, ""), id="i-give-the-agent-zh"),
    pytest.param("4 is fair", "csat", (4, "is fair"), id="words-about-the-score-stay"),
    pytest.param("call it 5 minutes", "csat", None, id="call-it-minutes"),
    pytest.param("worth 10 dollars", "nps", None, id="worth-ten-dollars"),
    pytest.param("I'd give 5 bucks", "csat", None, id="give-five-bucks"),
    pytest.param("not worth 10", "nps", None, id="not-worth-ten"),
    pytest.param("hi, 5 minutes ago I asked", "csat", None, id="hi-then-minutes-ago"),
    pytest.param("好的，5号发货", "csat", None, id="ok-then-a-date-zh"),
    # a quoted question above the reply, a phone's signature under it
    pytest.param("> How satisfied were you? (1-5)\n5", "csat", (5, ""), id="quoted-question-line"),
    pytest.param("> q1\n> q2\n4 stars, slow", "csat", (4, "slow"), id="quoted-lines-then-score-and-words"),
    pytest.param("5\n\nSent from my iPhone", "csat", (5, ""), id="sent-from-my-iphone"),
    pytest.param("5分\n发自我的华为手机", "csat", (5, ""), id="sent-from-my-phone-zh"),
    pytest.param("5 > 4", "csat", None, id="greater-than-is-no-quote"),
    pytest.param("just a 3", "csat", (3, ""), id="just-a"),
    pytest.param("only 3, slow", "csat", (3, "slow"), id="only-and-a-comment"),
    pytest.param("only 3 arrived", "csat", None, id="only-three-arrived-is-a-count"),
    pytest.param("sadly 2", "csat", (2, ""), id="sadly"),
    pytest.param("sorry but 2", "csat", (2, ""), id="sorry-but"),
    pytest.param("a strong 8", "nps", (8, ""), id="a-strong"),
    pytest.param("high 5", "nps", None, id="high-five-is-no-nps-score"),
    # a promoter's score taken back by its words
    pytest.param("10/10 would not recommend", "nps", None, id="would-not-recommend-meme"),
    pytest.param("9，不会再推荐了", "nps", None, id="will-not-recommend-again-zh"),
    pytest.param("10 - not likely", "nps", None, id="ten-not-likely"),
    pytest.param("1 = extremely likely", "nps", None, id="scale-read-backwards-nps"),
    pytest.param("0 - extremely likely", "nps", None, id="zero-extremely-likely"),
    pytest.param("0/10 would recommend", "nps", None, id="zero-would-recommend"),
    pytest.param("10 - extremely likely", "nps", (10, "extremely likely"), id="ten-extremely-likely"),
    pytest.param("not likely at all, 1", "nps", (1, "not likely at all"), id="not-likely-at-all-one"),
    pytest.param("9分 已经推荐给朋友了", "nps", (9, "已经推荐给朋友了"), id="already-recommended-zh"),
    pytest.param("不一定推荐 5", "nps", (5, "不一定推荐"), id="passive-who-may-not-recommend-zh"),
    pytest.param("3分 不会推荐", "nps", (3, "不会推荐"), id="a-detractor-who-will-not-recommend-zh"),
    pytest.param(
        "0/10 would not recommend", "nps", (0, "would not recommend"), id="zero-would-not-recommend"
    ),
    # voice typing: a word that sounds like the number, before "stars" only
    pytest.param("For stars!", "csat", (4, ""), id="voice-for-stars"),
    pytest.param("to stars", "csat", (2, ""), id="voice-to-stars"),
    pytest.param("won star", "csat", (1, ""), id="voice-won-star"),
    pytest.param("for stars, slow", "csat", (4, "slow"), id="voice-for-stars-and-a-comment"),
    pytest.param("to the stars", "csat", None, id="voice-to-the-stars-is-no-number"),
    pytest.param("for stars", "nps", None, id="voice-stars-on-nps"),
    # the forms the hunt was asked about that were read right already, held to it
    pytest.param("⑤", "csat", (5, ""), id="circled-five"),
    pytest.param("⑩", "nps", (10, ""), id="circled-ten"),
    pytest.param("两分", "csat", (2, ""), id="liang-fen-zh"),
    pytest.param("eight", "nps", (8, ""), id="eight"),
    pytest.param("9 of 10", "nps", (9, ""), id="nine-of-ten"),
    # a half or a decimal is refused, not rounded: the scale has whole steps, and which way a
    # customer meant "4.5" to go is theirs to say (the bot asks again)
    pytest.param("4½", "csat", None, id="vulgar-half"),
    pytest.param("4,5", "csat", None, id="decimal-comma"),
    pytest.param("4.5 stars", "csat", None, id="decimal-stars"),
    # between two scores, or "or more": which one? (asked again)
    pytest.param("8-9", "nps", None, id="range-digits"),
    pytest.param("8 or 9", "nps", None, id="two-scores-or"),
    pytest.param("4+", "csat", None, id="four-plus"),
    pytest.param("#5", "csat", None, id="hash-number-is-a-reference"),
    # NPS has no words: a promoter in words is asked for the number
    pytest.param("would definitely recommend", "nps", None, id="nps-words-are-asked-again"),
    pytest.param("already recommended you to my sister", "nps", None, id="nps-already-recommended"),
    pytest.param("看情况", "nps", None, id="depends-zh"),
    pytest.param("quite difficult", "ces", (2, ""), id="ces-quite-difficult"),
    pytest.param("很轻松", "ces", (7, ""), id="ces-hen-qingsong"),
    pytest.param("effortless", "ces", (7, ""), id="ces-effortless"),
    pytest.param("5 ty", "csat", (5, ""), id="ty"),
    pytest.param("谢谢，给五星", "csat", (5, ""), id="thanks-then-five-stars-zh"),
    pytest.param("👍👍👍👍👍", "csat", (5, ""), id="five-thumbs"),
    pytest.param("⭐️⭐️⭐️⭐️", "csat", (4, ""), id="stars-with-variation-selectors"),
    pytest.param("what does 5 mean?", "csat", None, id="what-does-five-mean"),
    pytest.param("5是最好吗", "csat", None, id="is-five-best-zh"),
    pytest.param("at 5pm", "csat", None, id="at-five-pm"),
    pytest.param("5点前到吗", "csat", None, id="before-five-oclock-zh"),
    pytest.param("I don't want to rate", "csat", None, id="refusal"),
    pytest.param("不评了", "csat", None, id="refusal-zh"),
    pytest.param("stop", "nps", None, id="stop"),
    pytest.param("等了5天", "csat", None, id="waited-five-days-zh"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), THIRD_HUNT)
def test_the_third_hunts_replies_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


# The fourth hunt (2026-12-06): the third's leftovers, then replies written for this hunt as they come
# on WeChat, WhatsApp and Telegram after a rating question. None: the bot asks again.
FOURTH_HUNT = [
    # praise for the agent by name: "for" before a name is whom the score is for, not a count
    pytest.param("5 for Maria", "csat", (5, "for Maria"), id="for-a-name"),
    pytest.param("5 for Maria!", "csat", (5, "for Maria"), id="for-a-name-bang"),
    pytest.param(
        "10 for Lisa, she fixed it in 2 minutes",
        "nps",
        (10, "for Lisa, she fixed it in 2 minutes"),
        id="for-a-name-and-why",
    ),
    pytest.param("5 for the quick refund", "csat", (5, "for the quick refund"), id="for-what"),
    pytest.param("3 for delivery", "csat", (3, "for delivery"), id="for-a-noun"),
    pytest.param("2 for 1", "csat", None, id="for-a-number-is-a-count"),
    pytest.param("5 for $10", "csat", None, id="for-money-is-a-price"),
    pytest.param("3 for a week", "csat", None, id="for-a-span-is-a-duration"),
    pytest.param("4 for Ahmed, 2 for the courier", "csat", None, id="two-scores-for-two-people"),
    # the score said again, in brackets, after a comma, in words
    pytest.param("⭐⭐⭐⭐⭐ (5)", "csat", (5, ""), id="stars-then-bracketed-digit"),
    pytest.param("⭐⭐⭐⭐⭐, 5", "csat", (5, ""), id="stars-comma-digit"),
    pytest.param("5 (⭐⭐⭐⭐⭐)", "csat", (5, ""), id="digit-then-bracketed-stars"),
    pytest.param("5 (five)", "csat", (5, ""), id="digit-then-word"),
    pytest.param("4 (four stars)", "csat", (4, ""), id="digit-then-words-and-unit"),
    pytest.param("⭐⭐⭐⭐, 5", "csat", None, id="four-stars-comma-five"),
    pytest.param("5, ⭐⭐⭐⭐", "csat", None, id="five-comma-four-stars"),
    # "always" is emphasis, before or after
    pytest.param("always 5", "csat", (5, ""), id="always-before"),
    pytest.param("always a 5", "csat", (5, ""), id="always-a"),
    pytest.param("5 always", "csat", (5, ""), id="always-after"),
    pytest.param("10, always", "nps", (10, ""), id="always-after-comma"),
    pytest.param("actually 5", "csat", (5, ""), id="actually-before"),
    # a number that counts things is no score, unless a score is said too
    pytest.param("3 colors", "csat", None, id="a-count-of-colours"),
    pytest.param("pick 3 colors", "csat", None, id="pick-a-count"),
    pytest.param("2 shirts missing", "csat", None, id="a-count-of-shirts"),
    pytest.param("3 sizes too small", "csat", None, id="a-count-of-sizes"),
    pytest.param("2 bags missing", "csat", None, id="a-count-of-bags"),
    pytest.param("3 weeks for a refund", "csat", None, id="weeks"),
    pytest.param("3 calls and still nothing", "csat", None, id="calls"),
    pytest.param("3 bags missing, 2", "csat", (2, "3 bags missing"), id="a-count-then-the-score"),
    pytest.param(
        "4, 2 shirts were missing", "csat", (4, "2 shirts were missing"), id="the-score-then-a-count"
    ),
    pytest.param("5 stars, 3 colors in stock", "csat", (5, "3 colors in stock"), id="stars-then-a-count"),
    pytest.param("2 sizes wrong, 1", "csat", (1, "2 sizes wrong"), id="a-count-then-the-lowest"),
    pytest.param(
        "5 mins on hold then solved, 4", "csat", (4, "5 mins on hold then solved"), id="minutes-then"
    ),
    pytest.param("waited 3 hours, 2", "csat", (2, "waited 3 hours"), id="waited-then-the-score"),
    pytest.param("3件都坏了", "csat", None, id="a-count-of-items-zh"),
    pytest.param("3个客服都没解决", "csat", None, id="a-count-of-agents-zh"),
    pytest.param("第3次找客服了", "csat", None, id="the-third-time-zh"),
    pytest.param("打了5次电话才有人接", "csat", None, id="five-calls-zh"),
    pytest.param("买了3件，2分", "csat", (2, "买了3件"), id="a-count-then-the-score-zh"),
    pytest.param("两个小时才回复，2分", "csat", (2, "两个小时才回复"), id="hours-then-the-score-zh"),
    # ... but a plural-looking word after a score may be no count
    pytest.param("5 thumbs up", "csat", (5, "thumbs up"), id="thumbs-up"),
    pytest.param("5 james was great", "csat", (5, "james was great"), id="a-name-ending-in-s"),
    pytest.param("5 kudos to Maria", "csat", (5, "kudos to Maria"), id="kudos"),
    pytest.param("4 guys helped me", "csat", (4, "guys helped me"), id="guys"),
    # hedges are refused, in both languages, as "probably 7, the prices went up" is
    pytest.param("probably 7, the prices went up", "nps", None, id="probably-with-a-reason"),
    pytest.param("应该8分", "nps", None, id="yinggai-probably-zh"),
    pytest.param("应该是8分吧", "nps", None, id="yinggai-shi-zh"),
    pytest.param("大概三星吧", "csat", None, id="dagai-zh"),
    pytest.param("最多3星", "csat", None, id="at-most-zh"),
    pytest.param("7 i guess", "nps", (7, ""), id="i-guess-is-an-opinion-not-a-hedge"),
    # ranges: which one? (asked again)
    pytest.param("7 or 8", "nps", None, id="or"),
    pytest.param("between 7 and 8", "nps", None, id="between"),
    pytest.param("3-4 stars", "csat", None, id="range-stars"),
    pytest.param("4~5分", "csat", None, id="range-tilde-zh"),
    pytest.param("三四分吧", "csat", None, id="range-numerals-zh"),
    pytest.param("八到九", "nps", None, id="range-dao-zh"),
    # Chinese numerals, verbs and measure words; full-width digits; zh and en mixed
    pytest.param("打个三分吧", "csat", (3, ""), id="da-ge-san-fen-zh"),
    pytest.param("给你们打个九分", "nps", (9, ""), id="gei-nimen-da-ge-zh"),
    pytest.param("给三颗星吧", "csat", (3, ""), id="san-ke-xing-zh"),
    pytest.param("七分吧，价格有点贵", "nps", (7, "价格有点贵"), id="qi-fen-with-a-reason-zh"),
    pytest.param("满分10分，给8分", "nps", (8, ""), id="scale-then-score-zh"),
    pytest.param("客服小王，5分", "csat", (5, "客服小王"), id="agent-name-then-score-zh"),
    pytest.param("１０，客服很专业", "nps", (10, "客服很专业"), id="fullwidth-ten-and-words"),
    pytest.param("４　服务不错", "csat", (4, "服务不错"), id="fullwidth-digit-and-space"),
    pytest.param("９／１０", "nps", (9, ""), id="fullwidth-over-ten"),
    pytest.param("4星 the agent was patient", "csat", (4, "the agent was patient"), id="zh-unit-en-words"),
    pytest.param("2 stars 物流太慢", "csat", (2, "物流太慢"), id="en-unit-zh-words"),
    pytest.param("打9分 because fast delivery", "nps", (9, "because fast delivery"), id="zh-verb-en-reason"),
    pytest.param("服务很好 5 stars", "csat", (5, "服务很好"), id="zh-words-en-score"),
    pytest.param("ok啦 4分", "csat", (4, "ok啦"), id="ok-la-then-score"),
    # words, intensifiers, faces
    pytest.param("so so", "csat", (3, ""), id="so-so-is-no-word-said-twice"),
    pytest.param("so so", "ces", (4, ""), id="so-so-ces"),
    pytest.param("very very happy", "csat", (5, ""), id="very-very"),
    pytest.param("非常非常满意", "csat", (5, ""), id="feichang-feichang-zh"),
    pytest.param("一点都不满意", "csat", (1, ""), id="not-at-all-satisfied-zh"),
    pytest.param("不是很满意", "csat", (2, ""), id="not-very-satisfied-zh"),
    pytest.param("⭐⭐，太慢了", "csat", (2, "太慢了"), id="stars-comma-reason-zh"),
    # (the faces were kept as the comment until typed-answers-6: they only agree with the score)
    pytest.param("5分！！！👍👍", "csat", (5, ""), id="score-bangs-thumbs"),
    pytest.param("1 😡😡😡", "csat", (1, ""), id="lowest-and-angry-faces"),
]


# The fifth hunt (2026-12-06): the fourth's leftovers, then replies written by category (emphasis,
# names, scales, stars, slang, Cantonese, words that correct). None: the bot asks again.
FIFTH_HUNT = [
    # emphasis and laughter beside a score say nothing about the service
    pytest.param("5 seriously", "csat", (5, ""), id="seriously"),
    pytest.param("5 no joke", "csat", (5, ""), id="no-joke"),
    pytest.param("10 for real", "nps", (10, ""), id="for-real"),
    pytest.param("5 lol", "csat", (5, ""), id="lol"),
    pytest.param("5 haha", "csat", (5, ""), id="haha"),
    pytest.param("4 typo", "csat", (4, ""), id="typo"),
    pytest.param("4. sorry typo", "csat", (4, ""), id="sorry-typo"),
    pytest.param("only 2, sorry", "csat", (2, "sorry"), id="sorry-stays-a-comment"),
    # a name ending in s before a verb of helping is whom the score is for (boxes arrive, they do not help)
    pytest.param("5 charles helped", "csat", (5, "charles helped"), id="name-in-s-helped"),
    pytest.param("5 james fixed it", "csat", (5, "james fixed it"), id="name-in-s-fixed"),
    pytest.param("2 boxes arrived broken", "csat", None, id="boxes-arrived-is-a-count"),
    pytest.param("2 parcels fixed", "csat", None, id="parcels-fixed-is-a-count"),
    # a score for now is a score, said with its reservation
    pytest.param("5 for now", "csat", (5, "for now"), id="for-now"),
    pytest.param("8 for now", "nps", (8, "for now"), id="for-now-nps"),
    pytest.param("4 so far", "csat", (4, "so far"), id="so-far"),
    pytest.param("2 for 1", "csat", None, id="for-a-number-still-counts"),
    # Cantonese counts stars with 粒 (颗): "五粒星" was refused, "畀五粒星" kept "粒星" as its comment
    pytest.param("五粒星", "csat", (5, ""), id="wu-li-xing-yue"),
    pytest.param("畀五粒星", "csat", (5, ""), id="bei-wu-li-xing-yue"),
    pytest.param("3粒星，服务一般", "csat", (3, "服务一般"), id="li-xing-with-a-comment-yue"),
    pytest.param("ok la, 4", "csat", (4, "ok la"), id="singlish-then-a-score"),
    # stars typed on a keyboard (NOT_RATINGS had "*****" as no score: changed on purpose, as the
    # bot reads the customer's own text and nothing else writes asterisks into it)
    pytest.param("*****", "csat", (5, ""), id="five-asterisks"),
    pytest.param("* * *", "csat", (3, ""), id="spaced-asterisks"),
    pytest.param("4*", "csat", (4, ""), id="digit-asterisk"),
    pytest.param("4*, great agent", "csat", (4, "great agent"), id="digit-asterisk-comment"),
    pytest.param("*", "csat", None, id="one-asterisk"),
    pytest.param("*4", "csat", (4, ""), id="chat-correction-asterisk"),
    pytest.param("⭐⭐⭐/5", "csat", (3, ""), id="stars-over-five"),
    # full marks or none are the same on any scale; between them the customer is asked on this one
    pytest.param("10/10", "csat", (5, ""), id="ten-over-ten-on-csat"),
    pytest.param("10/10 service", "csat", (5, "service"), id="ten-over-ten-with-words"),
    pytest.param("5/5", "nps", (10, ""), id="five-over-five-on-nps"),
    pytest.param("10/10", "ces", (7, ""), id="ten-over-ten-on-ces"),
    pytest.param("0/10", "csat", (1, ""), id="zero-over-ten-on-csat"),
    pytest.param("100/100", "csat", (5, ""), id="hundred-over-hundred"),
    pytest.param("0/0", "csat", None, id="zero-over-zero-is-no-scale"),  # was 5: "full marks"
    pytest.param("1/1", "nps", None, id="one-over-one-is-no-scale"),  # was 10
    pytest.param("7/7", "csat", (5, ""), id="full-marks-on-a-seven-point-scale"),
    pytest.param("8/10", "csat", None, id="eight-over-ten-still-asked"),
    pytest.param("90/100", "csat", None, id="ninety-over-hundred-asked"),
    pytest.param("5 stars out of 10", "csat", None, id="stars-out-of-ten"),  # was 5, "out of 10"
    pytest.param("90分", "csat", None, id="ninety-points-asked-zh"),
    pytest.param("九十分", "nps", None, id="ninety-points-numerals-zh"),
    # the scale said with other words; over the top of it
    pytest.param("9 over 10", "nps", (9, ""), id="over-ten"),  # was 9, "over 10"
    pytest.param("9 from 10", "nps", (9, ""), id="from-ten"),
    pytest.param("4 on 5", "csat", (4, ""), id="on-five"),  # was refused
    pytest.param("9 outa 10", "nps", (9, ""), id="outa-ten"),
    pytest.param("5 over 10 minutes", "csat", None, id="over-ten-minutes-is-a-span"),
    pytest.param("9 from 10 people", "nps", None, id="from-ten-people-is-a-count"),
    pytest.param("10+", "nps", (10, ""), id="ten-plus"),
    pytest.param("5++", "csat", (5, ""), id="five-plus-plus"),
    pytest.param("5 plus", "csat", (5, ""), id="five-plus-word"),  # was 5, "plus"
    pytest.param("9+", "nps", None, id="nine-plus-is-nine-or-more"),
    pytest.param("4 plus", "csat", None, id="four-plus-word"),
    pytest.param("11/10", "nps", None, id="eleven-over-ten-may-be-a-date"),
    pytest.param("555", "csat", None, id="crying-555-zh"),  # 呜呜呜 in Chinese chat
    # a number right after a slash is the scale of the words before it, not a score
    pytest.param("meh/5", "csat", None, id="words-over-five"),  # was 5, "meh"
    pytest.param("great/10", "nps", None, id="words-over-ten"),  # was 10, "great"
    pytest.param("good service, 9/10", "nps", (9, "good service"), id="words-then-a-score-over-ten"),
    # voice typing: a number heard as a word that sounds the same
    pytest.param("ate out of ten", "nps", (8, ""), id="ate-out-of-ten"),
    pytest.param("ate/10", "nps", (8, ""), id="ate-over-ten"),  # was 10, "ate"
    pytest.param("tree stars", "csat", (3, ""), id="tree-stars"),
    pytest.param("ate", "nps", None, id="ate-alone"),
    # 呗, a particle of "just": "4呗"
    pytest.param("4呗", "csat", (4, ""), id="bei-particle-zh"),
    pytest.param("5分呗", "csat", (5, ""), id="fen-bei-particle-zh"),
    # emphasis before or after: no comment
    pytest.param("3 tbh", "csat", (3, ""), id="tbh-after"),
    pytest.param("3 ngl", "csat", (3, ""), id="ngl-after"),
    pytest.param("3 idk", "csat", (3, ""), id="idk-after-as-i-guess"),
    pytest.param("5 ofc", "csat", (5, ""), id="ofc-after"),
    pytest.param("ofc 5", "csat", (5, ""), id="ofc-before"),  # was refused
    pytest.param("of course 5", "csat", (5, ""), id="of-course-before"),  # was 5, "of course"
    pytest.param("5 duh", "csat", (5, ""), id="duh"),
    pytest.param("5, no question", "csat", (5, ""), id="no-question"),
    pytest.param("5 easily", "csat", (5, "easily"), id="easily-stays-as-the-answer-set-has-it"),
    pytest.param("5 every day", "csat", (5, ""), id="every-day"),
    pytest.param("好评！客服小姐姐超耐心", "csat", (5, "客服小姐姐超耐心"), id="praise-then-the-agent-zh"),
    pytest.param("well... 3", "csat", (3, ""), id="well-dots-before"),  # was 3, "well"
    pytest.param("idk 3", "csat", None, id="idk-before-stays-asked"),
    pytest.param("5 but the wait was long", "csat", (5, "but the wait was long"), id="but-is-a-comment"),
    pytest.param("3 being generous", "csat", (3, "being generous"), id="being-generous-is-a-comment"),
    # thanks as chat spells it, and farewells (each was kept as the comment; "5 gracias" was refused)
    pytest.param("5 tq", "csat", (5, ""), id="tq"),
    pytest.param("5 thnx", "csat", (5, ""), id="thnx"),
    pytest.param("5 gracias", "csat", (5, ""), id="gracias-no-plural"),
    pytest.param("5 merci", "csat", (5, ""), id="merci"),
    pytest.param("5 thanks a ton", "csat", (5, ""), id="thanks-a-ton"),
    pytest.param("5 much appreciated", "csat", (5, ""), id="much-appreciated"),
    pytest.param("5 cheers mate", "csat", (5, ""), id="cheers-mate"),
    pytest.param("5 have a nice day", "csat", (5, ""), id="have-a-nice-day"),
    pytest.param("5 晚安", "csat", (5, ""), id="wanan-zh"),
    pytest.param("1 not appreciated", "csat", (1, "not appreciated"), id="not-appreciated-is-a-comment"),
    pytest.param("5 keep up the good work", "csat", (5, "keep up the good work"), id="praise-is-a-comment"),
    pytest.param("5 加油", "csat", (5, "加油"), id="jiayou-is-a-comment-zh"),
    # "1 word" counts words: it is no score of 1 (was 1, "word: great")
    pytest.param("1 word: great", "csat", (5, ""), id="one-word-great"),
    pytest.param("in one word, terrible", "csat", (1, ""), id="in-one-word-terrible"),
    pytest.param("2 words: never again", "csat", None, id="two-words"),
    # denied, bounded or only: "no way 5" and "不值5分" stored 5 with the denial as the comment
    pytest.param("no way 5", "csat", None, id="no-way-before"),
    pytest.param("不值5分", "csat", None, id="buzhi-not-worth-zh"),
    pytest.param("不配5星", "csat", None, id="bupei-zh"),
    pytest.param("2, at best", "csat", None, id="at-best-after-a-comma"),  # "2 at best" was refused
    pytest.param("3 at a push", "csat", None, id="at-a-push"),
    pytest.param("只能给3分", "csat", (3, ""), id="zhineng-only-zh"),  # was 3, "只能"
    pytest.param("只给3分", "csat", (3, ""), id="zhi-gei-zh"),
    pytest.param("勉强给个3分吧", "csat", (3, "勉强"), id="mianqiang-is-a-comment-zh"),
    pytest.param("a mere 2", "csat", (2, ""), id="a-mere"),
    pytest.param("a generous 3", "csat", (3, ""), id="a-generous"),
    pytest.param("6 to be honest", "nps", (6, ""), id="to-be-honest-after"),  # was refused
    pytest.param("to be honest, 6", "nps", (6, ""), id="to-be-honest-before"),
    pytest.param("4 if I'm honest", "csat", (4, ""), id="if-im-honest-is-no-condition"),  # was refused
    pytest.param("3 if I'm being nice", "csat", (3, "if I'm being nice"), id="if-im-being-nice"),
    pytest.param("5 if you fix the app", "csat", None, id="if-still-a-condition"),
    # a score in the middle with words that agree on either side (was refused: the first clause rates)
    pytest.param("客服很好，给5分，物流慢", "csat", (5, "客服很好,物流慢"), id="buried-agreeing-zh"),
    pytest.param("客服很好，给2分，物流慢", "csat", None, id="buried-disagreeing-zh"),
    pytest.param("5分，给4分，很好", "csat", None, id="buried-with-another-number-zh"),
    # an NPS score its words take back: "never again" (was 10 with the words as comment)
    pytest.param("10 - never again", "nps", None, id="ten-never-again"),
    pytest.param("9，再也不来了", "nps", None, id="nine-never-again-zh"),
    pytest.param("0 never again", "nps", (0, "never again"), id="zero-never-again"),
    # a count or a reference, then a sentence break, then the score (each was refused)
    pytest.param("took 3 days. 4", "csat", (4, "took 3 days"), id="days-full-stop-score"),
    pytest.param("took 3 days - 4", "csat", (4, "took 3 days"), id="days-dash-score"),
    pytest.param("took 3 days! 4", "csat", (4, "took 3 days"), id="days-bang-score"),
    pytest.param("订单号123456，4", "csat", (4, "订单号123456"), id="order-number-comma-score-zh"),
    pytest.param("订单号123456，给4分", "csat", (4, "订单号123456"), id="order-number-gei-zh"),  # kept "给"
    pytest.param("4\norder #12345 was late", "csat", (4, "order #12345 was late"), id="line-break"),
    pytest.param("took 3 days 4", "csat", None, id="days-space-score-is-day-four"),
    pytest.param("order no. 5", "csat", None, id="order-no-dot-five-stays-a-number"),
    pytest.param("room: 5", "csat", None, id="room-colon-five-stays-a-number"),
    pytest.param("4,5", "csat", None, id="comma-decimal-stays-refused"),
    # the scale named as 分制, dropped as 满分 is; nearly a score is no score; emphasis in Chinese
    pytest.param("5分制给4分", "csat", (4, ""), id="fenzhi-scale-note-zh"),
    pytest.param("十分制八分", "nps", (8, ""), id="fenzhi-numerals-zh"),
    pytest.param("10分制8分", "csat", None, id="fenzhi-other-scale-zh"),
    pytest.param("接近5分", "csat", None, id="jiejin-nearly-zh"),  # was 5, "接近"
    pytest.param("将近5星", "csat", None, id="jiangjin-nearly-zh"),
    pytest.param("五星没毛病", "csat", (5, ""), id="meimaobing-emphasis-zh"),
    pytest.param("妥妥的五星", "csat", (5, ""), id="tuotuo-emphasis-zh"),
    pytest.param("果断五星", "csat", (5, ""), id="guoduan-emphasis-zh"),
    pytest.param("给你一个大大的五星", "csat", (5, ""), id="dada-de-wuxing-zh"),
    pytest.param("给个大大的好评", "csat", (5, ""), id="dada-de-haoping-zh"),  # was refused
    pytest.param("四星半", "csat", None, id="four-and-a-half-stars-asked-zh"),
    # Cantonese says whom the score is for after it (each was refused)
    pytest.param("俾個5星你", "csat", (5, ""), id="bei-5-xing-nei-yue"),
    pytest.param("畀5分佢", "csat", (5, ""), id="bei-5-fen-keoi-yue"),
    pytest.param("冇得輸", "csat", (5, ""), id="mou-dak-syu-unbeatable-yue"),
    pytest.param("5个你", "csat", None, id="five-of-you-is-no-score-zh"),
]


# The general causes behind the misreadings of the blind set typed_answers_third_* (typed-answers-7) and
# the look-alikes found beside them: each was a score (or a comment) before.
BLIND_SEVENTH = [
    # the decimal point said in words is no score and a comment
    pytest.param("three point five", "csat", None, id="three-point-five"),
    pytest.param("seven point 5", "nps", None, id="seven-point-5-was-5"),
    pytest.param("four point 5 stars", "csat", None, id="four-point-5-stars-was-5"),
    pytest.param("three points, slow", "csat", (3, "slow"), id="points-is-still-the-unit"),
    # a number said to be a reference's
    pytest.param("my order number is 5", "csat", None, id="order-number-is-5"),
    pytest.param("the room was 4", "csat", None, id="room-was-4"),
    pytest.param("ref: 4", "csat", None, id="ref-colon-4"),
    pytest.param("the agent was great 5", "csat", (5, "the agent was great"), id="agent-was-great-still-5"),
    # too much for what was had, disbelief
    pytest.param("5分太多了", "csat", None, id="5-fen-tai-duo-le"),
    pytest.param("5星太高了", "csat", None, id="5-xing-tai-gao-le"),
    pytest.param("5 is too much", "csat", None, id="5-is-too-much"),
    pytest.param(
        "4 too many problems lately", "nps", (4, "too many problems lately"), id="too-many-is-a-complaint"
    ),
    pytest.param("5分，太高兴了", "csat", (5, "太高兴了"), id="tai-gaoxing-is-happy"),
    pytest.param("5 stars my ass", "csat", None, id="my-ass"),
    pytest.param("五星你妹", "csat", None, id="ni-mei-zh"),
    pytest.param("5 stars, dream on", "csat", None, id="dream-on"),
    # a question word alone beside a score
    pytest.param("5分是什么意思", "csat", None, id="what-does-5-fen-mean-zh"),
    pytest.param("怎么给5分", "csat", None, id="how-to-give-5-zh"),
    pytest.param("what is 5", "csat", None, id="what-is-5"),
    pytest.param("how do I give 5", "csat", None, id="how-do-i-give-5"),
    pytest.param("5 why", "csat", None, id="5-why"),
    pytest.param(
        "为什么这么慢，1分", "csat", (1, "为什么这么慢"), id="a-complaint-asked-is-still-a-comment-zh"
    ),
    pytest.param("5 what a great service", "csat", (5, "what a great service"), id="what-a-great-service"),
    # money, measures, clock and age as chat writes them
    pytest.param("5 quid", "csat", None, id="quid"),
    pytest.param("10 grand", "nps", None, id="grand"),
    pytest.param("5 lbs", "csat", None, id="lbs"),
    pytest.param("5 o clock", "csat", None, id="o-clock"),
    pytest.param("10 left", "nps", None, id="left"),
    pytest.param("3分多钟", "csat", None, id="three-minutes-and-more-zh"),
    # a run of "!" ends the score's clause; time as chat shortens it is a count beside it
    pytest.param(
        "5 stars!! 5 days to deliver", "csat", (5, "5 days to deliver"), id="bang-bang-then-a-count"
    ),
    pytest.param("五星！！！3天就到了", "csat", (5, "3天就到了"), id="bangs-then-a-count-zh"),
    pytest.param("1 star, 20 min wait", "csat", (1, "20 min wait"), id="min-is-minutes"),
    pytest.param("3 - 4 days", "csat", None, id="a-dash-before-a-count-is-a-range"),
    # "five-star service" is the English of 五星级服务: the words add nothing
    pytest.param("5 star service", "csat", (5, ""), id="five-star-service"),
    pytest.param("five-star experience", "csat", (5, ""), id="five-star-experience"),
    pytest.param("5 star service", "nps", None, id="stars-on-nps"),
]


# The blind fourth set (typed_answers_fourth_*, 2026-12-06: 221 en, 203 zh written from the README before
# reading the parser; first run 87.8% / 94.1%): the general causes of its misses, with look-alikes.
BLIND_EIGHTH = [
    # a high score "for" what went wrong is sarcasm (was stored: 5 with the words as comment)
    pytest.param("5 stars for waiting 3 hours", "csat", None, id="five-stars-for-waiting"),
    pytest.param("sure, 5 stars for losing my parcel", "csat", None, id="for-losing"),
    pytest.param("10 for waiting two weeks, great job", "nps", None, id="ten-for-waiting"),
    pytest.param("5 stars for nothing", "csat", None, id="for-nothing"),
    pytest.param(
        "5 for never giving up", "csat", (5, "for never giving up"), id="for-never-giving-up-is-meant"
    ),
    pytest.param("5分，你们才是最棒的呢", "csat", (5, "你们才是最棒的呢"), id="cai-shi-praise-zh"),
    pytest.param("五星，三天才到呢", "csat", None, id="cai-dao-ne-zh"),
    pytest.param(
        "2 stars for waiting 3 hours", "csat", (2, "for waiting 3 hours"), id="low-for-waiting-is-meant"
    ),
    pytest.param("5 stars for the quick fix", "csat", (5, "for the quick fix"), id="for-what-went-right"),
    pytest.param(
        "5 for keeping me updated", "csat", (5, "for keeping me updated"), id="for-keeping-me-updated"
    ),
    pytest.param("给你们10分，等了两个礼拜呢", "nps", None, id="ne-after-a-wait-zh"),
    pytest.param("1分，等了两个礼拜呢", "csat", (1, "等了两个礼拜呢"), id="low-ne-is-meant-zh"),
    pytest.param("5分，两天就到了", "csat", (5, "两天就到了"), id="no-ne-is-meant-zh"),
    # laughing before a take-back still takes it back
    pytest.param("5 stars lol as if", "csat", None, id="lol-as-if"),
    pytest.param("5 lol", "csat", (5, ""), id="lol-alone-is-emphasis"),
    # a question offering two readings after the score
    pytest.param("1分是容易还是难", "ces", None, id="easy-or-hard-zh"),
    pytest.param("5分是最好还是最差", "csat", None, id="best-or-worst-zh"),
    # a spaced dash before a smaller count ends the score's clause; a range goes up
    pytest.param("4 - 2 hours on hold", "csat", (4, "2 hours on hold"), id="dash-then-a-smaller-count"),
    pytest.param("8 - 2 calls", "nps", (8, "2 calls"), id="dash-then-calls-nps"),
    pytest.param("3 - 4 days for a reply", "csat", None, id="dash-then-a-larger-count-is-a-range"),
    pytest.param("4 - 10 minutes wait", "csat", None, id="dash-up-to-ten-is-a-range"),
    pytest.param("4-2 hours", "csat", None, id="unspaced-dash"),
    # a unit ends the score: the count after it is its comment
    pytest.param("4 stars 2 hours on hold", "csat", (4, "2 hours on hold"), id="unit-then-a-count"),
    pytest.param("4 stars 5 stars", "csat", None, id="unit-then-another-score"),
    # what is taken off after the score explains it
    pytest.param(
        "4 out of 5 stars, 1 star off for the wait", "csat", (4, "1 star off for the wait"), id="star-off"
    ),
    pytest.param("5 stars, 1 star off for the wait", "csat", None, id="five-with-one-off-5-or-4"),
    # words that bring the score in, as speech runs on
    pytest.param("its a three from me", "csat", (3, ""), id="its-without-apostrophe"),
    pytest.param(
        "it was a 2, I had to repeat myself 3 times",
        "ces",
        (2, "I had to repeat myself 3 times"),
        id="it-was-a",
    ),
    pytest.param(
        "Honestly? 2. Nobody read my messages.", "csat", (2, "Nobody read my messages"), id="honestly-asked"
    ),
    pytest.param("um like a four i guess", "csat", (4, ""), id="like-a-four"),
    pytest.param("like 4", "csat", None, id="like-without-an-article-is-about"),
    pytest.param(
        "ok so basically 4 but the app is confusing",
        "csat",
        (4, "but the app is confusing"),
        id="so-basically-but",
    ),
    pytest.param("a 2 pack of cables arrived broken", "csat", None, id="a-two-pack-still-counts"),
    pytest.param(
        "honestly like a 4 the delivery guy was rude",
        "nps",
        (4, "the delivery guy was rude"),
        id="like-a-then-the",
    ),
    pytest.param("pretty likely, like an 8", "nps", (8, "pretty likely"), id="last-clause-brings-it-in"),
    pytest.param("slow reply, a 3", "csat", (3, "slow reply"), id="last-clause-is-an-article"),
    pytest.param("I bought a 3", "csat", None, id="an-article-after-a-verb-counts"),
    pytest.param("give you guys a 9", "nps", (9, ""), id="give-you-guys-a"),
    # a number word before words that say nothing, or before a clause of its own, counts nothing
    pytest.param("six i think", "ces", (6, ""), id="number-word-i-think"),
    pytest.param(
        "six it was okay i had to explain twice",
        "ces",
        (6, "it was okay i had to explain twice"),
        id="number-word-then-a-clause",
    ),
    pytest.param("one sec", "csat", None, id="one-sec-still-counts"),
    pytest.param("two more questions", "csat", None, id="two-more-still-counts"),
    # the scale said in words: the question's own is no comment, another is asked again
    pytest.param("on a scale of 0-10 id say 8", "nps", (8, ""), id="on-a-scale-own"),
    pytest.param("on a scale of 1 to 10, 7", "nps", (7, ""), id="on-a-scale-own-comma"),
    pytest.param("on a scale of 1-5 id say 4", "nps", None, id="on-a-scale-another"),  # was 4
    pytest.param("满分5分的话给4", "csat", (4, ""), id="manfen-dehua-zh"),
    # a wish for next time doubts nothing in a buried score
    pytest.param(
        "Thanks for the help. I'd give it a 4. Next time please answer faster.",
        "csat",
        (4, "Thanks for the help. Next time please answer faster"),
        id="next-time-please",
    ),
    pytest.param("slow reply. 5 next time. 2 now", "csat", None, id="next-time-is-a-condition"),
    # probed after the fixes above, in the same categories (not blind): what they still missed
    pytest.param("it was like a 2 honestly", "csat", (2, ""), id="it-was-like-a"),
    pytest.param("8 - 1 call was enough", "nps", (8, "1 call was enough"), id="dash-then-one-call"),
    pytest.param("nine i reckon", "nps", (9, ""), id="i-reckon-says-nothing"),
    pytest.param("五星，逗你玩的，一星", "csat", (1, ""), id="dou-ni-wan-de-zh"),
    pytest.param("满分十分我给八分", "nps", (8, ""), id="manfen-shifen-in-numerals-zh"),
    pytest.param("3 - 1 day late", "csat", (3, "1 day late"), id="dash-then-one-day"),
    pytest.param(
        "9 out of 10, 1 point off for the price", "nps", (9, "1 point off for the price"), id="point-off"
    ),
    pytest.param("ten for ghosting me", "nps", None, id="ten-for-ghosting"),
    pytest.param("7 for making me wait 2 hours", "ces", None, id="seven-for-making-me-wait"),
    pytest.param("四分 - 等了一个小时", "csat", (4, "等了一个小时"), id="dash-then-a-wait-zh"),
]


@pytest.mark.parametrize(
    ("text", "kind", "expected"), FOURTH_HUNT + FIFTH_HUNT + BLIND_SEVENTH + BLIND_EIGHTH
)
def test_the_fourth_and_fifth_hunts_replies_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("rude agent", "attitude"),
        ("never solved my problem", "unresolved"),
        ("took forever to reply", "slow"),
        ("slow response", "slow"),
        ("回复太慢了", "slow"),
        ("客服态度太差", "attitude"),
        ("问题还是没解决", "unresolved"),
        ("答非所问", "unresolved"),
        ("slow and rude", None),  # two options
        ("太慢了而且态度差", None),
        ("it wasn't slow at all", None),  # negated
        ("not rude at all", None),
        ("delivery was slow", None),  # more about the delivery than the response
        ("物流太慢了", None),
        ("the second one", None),  # a comment's number or position names no option
        ("2", None),
        ("b", None),
        ("my parcel never arrived", None),
    ],
)
def test_a_comment_names_an_option_only_by_its_words_and_only_one(comment: str, expected: str | None) -> None:
    assert named_option(comment, OPTIONS) == expected


# The blind fifth set (typed_answers_fifth_*, 2026-12-06: 210 en, 202 zh written from the README before
# reading the parser; first run 77.1% / 82.7%): the general causes of its misses, with look-alikes.
BLIND_NINTH = [
    # a number word mistyped in a hurry: two letters swapped, one doubled, an inner vowel dropped
    pytest.param("fvie", "csat", (5, ""), id="fvie"),
    pytest.param("fuor", "csat", (4, ""), id="fuor"),
    pytest.param("nien", "nps", (9, ""), id="nien"),
    pytest.param("sevn", "nps", (7, ""), id="sevn"),
    pytest.param("thre stars", "csat", (3, ""), id="thre-stars"),
    pytest.param("there", "csat", None, id="there-is-a-word"),
    pytest.param("even", "nps", None, id="even-is-a-word"),
    pytest.param("fine", "nps", None, id="fine-is-no-five"),
    # a phone's signature or a letter's sign-off after a dash rule or a space, no comment
    pytest.param("4 -- Sent from my Galaxy", "csat", (4, ""), id="dash-sent-from"),
    pytest.param("5 —— 发自我的iPhone", "csat", (5, ""), id="dash-fazi-zh"),
    pytest.param("4分 发自我的华为手机", "csat", (4, ""), id="space-fazi-zh"),
    pytest.param("7 -- 来自小米手机", "nps", (7, ""), id="laizi-shouji-zh"),
    pytest.param("8分 -- 张先生", "nps", (8, ""), id="dash-name-zh"),
    pytest.param("5 - Regards, Dr. Alan Whitmore", "csat", (5, ""), id="regards-name"),
    pytest.param("4 - 2 hours on hold", "csat", (4, "2 hours on hold"), id="single-dash-is-no-rule"),
    pytest.param("5 -- the agent was nice", "csat", (5, "the agent was nice"), id="dash-then-words"),
    pytest.param("5 来自朋友推荐", "csat", (5, "来自朋友推荐"), id="laizi-is-no-phone-zh"),
    # the question pasted in quotes, a letter's salutation, formal words that bring a score in
    pytest.param(
        '"How satisfied are you with the help you received?" 4', "csat", (4, ""), id="quoted-question"
    ),
    pytest.param("“您对本次服务满意吗？” 5", "csat", (5, ""), id="quoted-question-zh"),
    pytest.param('"very good" 4', "csat", (4, "very good"), id="quoted-words-are-a-comment"),
    pytest.param("I'd give it a solid 4", "csat", (4, ""), id="a-solid-four"),
    pytest.param("I would score you 10 out of 10", "nps", (10, ""), id="would-score-you"),
    pytest.param(
        "Dear Sir/Madam, I would rate the assistance I received as four out of five. Kind regards, Margaret",
        "csat",
        (4, ""),
        id="formal-rate-as",
    ),
    pytest.param("给予4分评价", "csat", (4, ""), id="geiyu-pingjia-zh"),
    pytest.param("我愿意给出9分的评价", "nps", (9, ""), id="yuanyi-geichu-zh"),
    pytest.param(
        "尊敬的客服：此次服务非常周到，特此给予五星好评。此致 敬礼",
        "csat",
        (5, "此次服务非常周到"),
        id="formal-zh",
    ),
    # NPS in the scale's own anchor words; other words are still asked for the number
    pytest.param("extremely likely", "nps", (10, ""), id="nps-high-anchor"),
    pytest.param("Not at all likely.", "nps", (0, ""), id="nps-low-anchor"),
    pytest.param("完全不可能", "nps", (0, ""), id="nps-low-anchor-zh"),
    pytest.param("very likely", "nps", None, id="very-likely-is-no-anchor"),
    pytest.param("肯定会推荐", "nps", None, id="kending-tuijian-is-asked-zh"),
    # a condition after a score in Chinese
    pytest.param("5分如果能退款的话", "csat", None, id="ruguo-after-zh"),
    pytest.param("5分，要是早点回复就好了", "csat", None, id="yaoshi-after-zh"),
    pytest.param("5分，如果可以的话", "csat", (5, "如果可以的话"), id="ruguo-keyi-is-if-i-could-zh"),
    # the star unit drawn once more, "no cap" (no lie) beside a score, laughing before it
    pytest.param("五颗星⭐", "csat", (5, ""), id="wu-ke-xing-star-zh"),
    pytest.param("五星⭐⭐", "csat", None, id="five-stars-then-two-zh"),
    pytest.param("5/5 no cap", "csat", (5, ""), id="no-cap"),
    pytest.param("lmaooo 2", "csat", (2, ""), id="lmao-first"),
    pytest.param("haha 5", "csat", (5, ""), id="haha-first"),
    # the score's own words in brackets are no comment; a few more words are
    pytest.param("7 (very easy)", "ces", (7, ""), id="bracketed-gloss"),
    pytest.param("1 (非常不满意)", "csat", (1, ""), id="bracketed-gloss-zh"),
    pytest.param("4 (the agent was nice)", "csat", (4, "the agent was nice"), id="bracketed-comment"),
    pytest.param("5 (very easy)", "ces", (5, "very easy"), id="bracketed-other-score"),
    # words that say nothing before a comma after the score are dropped from the comment
    pytest.param(
        "3 i guess, the app kept crashing", "csat", (3, "the app kept crashing"), id="i-guess-comma"
    ),
    pytest.param("5 lol, great service", "csat", (5, "great service"), id="lol-comma"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_NINTH)
def test_the_fifth_blind_sets_replies_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


YES_NO_LABELS = [("yes", ["Yes", "是"]), ("no", ["No", "否"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it works now", None),  # "no" inside "now" was read as the label No
        ("all good now 👍", None),
        ("还是老样子", None),  # 是 inside 还是 was read as the label 是
        ("算是吧", None),
        ("no", "no"),
        ("是", "yes"),
        ("no, not at all", "no"),
        ("Problem not solved at all", "unresolved"),
    ],
)
def test_a_label_inside_a_reply_counts_only_as_words_of_its_own(text: str, expected: str | None) -> None:
    options = [*YES_NO_LABELS, ("unresolved", ["Problem not solved"])]
    assert parse_choice(text, options, numbered=False) == expected


# The blind sixth set (2026-12-07, typed_answers_sixth_*) and look-alikes: a phone's 份 for 分 in a reply of
# only the number, a fraction said in Chinese, 吾 (sounds as 五) before a unit, a letter held inside a number
# word, the top of the NPS scale in stars, a lead-in before a score with a face, the stronger of two word
# ratings first, "我觉得" as "i think", "kinda" as "a bit", and the low end of NPS said as the high one is.
BLIND_TENTH = [
    pytest.param("7份", "nps", (7, ""), id="fen-typed-as-portion"),
    pytest.param("打6份吧", "nps", (6, ""), id="da-fen-typed-as-portion"),
    pytest.param("买了4份", "csat", None, id="bought-four-portions"),
    pytest.param("4份，都坏了", "csat", None, id="four-portions-broken"),
    pytest.param("十分之九", "nps", (9, ""), id="nine-tenths"),
    pytest.param("五分之四", "csat", (4, ""), id="four-fifths"),
    pytest.param("十分之八", "csat", None, id="eight-tenths-asked-out-of-5"),
    pytest.param("三分之一", "csat", None, id="one-third"),
    pytest.param("吾颗星", "csat", (5, ""), id="wu-homophone-stars"),
    pytest.param("吾", "csat", None, id="wu-alone"),
    pytest.param("niiine", "nps", (9, ""), id="held-inside"),
    pytest.param("seveeen", "nps", (7, ""), id="held-inside-double"),
    pytest.param("sooo", "csat", None, id="held-no-number"),
    pytest.param("10 stars", "nps", (10, ""), id="ten-stars-on-nps"),
    pytest.param("8 stars", "nps", None, id="eight-stars-on-nps"),
    pytest.param("5 stars", "nps", None, id="five-stars-on-nps"),
    pytest.param("solid 8/10 👍", "nps", (8, ""), id="lead-in-and-face"),
    pytest.param("超级满意，服务不错", "csat", (5, "服务不错"), id="stronger-words-first"),
    pytest.param("很满意，服务很好", "csat", (5, "服务很好"), id="stronger-words-first-hen"),
    pytest.param("还行，服务很好", "csat", (4, "还行"), id="neutral-words-first"),
    pytest.param("非常满意，服务很差", "csat", None, id="words-on-both-sides"),
    pytest.param("8分我认为", "nps", (8, ""), id="wo-renwei"),
    pytest.param("ehhh 5", "csat", (5, ""), id="ehhh"),
    pytest.param("kinda hard", "ces", (3, ""), id="kinda-hard"),
    pytest.param("kinda easy", "ces", (5, ""), id="kinda-easy"),
    pytest.param("kind of disappointed", "csat", (2, ""), id="kind-of-disappointed"),
    pytest.param("pretty hard", "ces", (2, ""), id="pretty-hard"),
    pytest.param("total pain in the ass", "ces", (1, ""), id="total-pain"),
    pytest.param("couldn't be easier", "ces", (7, ""), id="couldnt-be-easier"),
    pytest.param("tricky", "ces", (3, ""), id="tricky"),
    pytest.param("有一点点麻烦", "ces", (3, ""), id="youyidiandian"),
    pytest.param("好易", "ces", (7, ""), id="cantonese-hou-ji"),
    pytest.param("不易", "ces", (3, ""), id="bu-yi"),
    pytest.param("extremely unlikely", "nps", (0, ""), id="extremely-unlikely"),
    pytest.param("非常不可能", "nps", (0, ""), id="feichang-bu-keneng"),
]


# The eighth blind set (typed_answers_seventh_*), with look-alikes: what brings a score in as chat types it
# ("id give em a 3", "I'm giving you a 1", "I'd go 9", 我會給8分), words that say nothing in a few sentences,
# a vowel typed as another in a number word, pinyin with its unit, 才怪 taking a score back, a score said to
# be too much and the one meant after it, idioms of "very easy", and a Chinese word with each half doubled.
BLIND_ELEVENTH = [
    pytest.param("id give em a 3", "csat", (3, ""), id="id-give-em"),
    pytest.param("id like a refund", "csat", None, id="id-like-a-refund"),
    pytest.param(
        "I'm giving you a 1 because nobody called", "csat", (1, "because nobody called"), id="im-giving"
    ),
    pytest.param("I'm giving up", "csat", None, id="im-giving-up"),
    pytest.param("on a scale of 0-10 I'd go 9", "nps", (9, ""), id="id-go"),
    pytest.param("i'd go for a refund", "csat", None, id="id-go-for-a-refund"),
    pytest.param("solid 3 I'd say", "csat", (3, ""), id="id-say-after"),
    pytest.param("我會給8分", "nps", (8, ""), id="wo-hui-gei"),
    pytest.param("我要给8分", "nps", (8, ""), id="wo-yao-gei"),
    pytest.param("我会8点到", "nps", None, id="wo-hui-eight-oclock"),
    pytest.param("Hi! 7 from me. Have a nice day", "nps", (7, ""), id="sentences-of-nothing"),
    pytest.param("5. Great job.", "csat", (5, "Great job"), id="sentence-that-says-something"),
    pytest.param("sevin", "nps", (7, ""), id="vowel-typed-as-another"),
    pytest.param("thrie stars", "csat", (3, ""), id="vowel-typed-as-another-stars"),
    pytest.param("fave", "csat", None, id="fave-is-a-word"),
    pytest.param("none", "nps", None, id="none-is-a-word"),
    pytest.param("wu xing", "csat", (5, ""), id="pinyin-stars"),
    pytest.param("jiu fen", "nps", (9, ""), id="pinyin-points"),
    pytest.param("8 fen", "nps", (8, ""), id="digit-and-pinyin-unit"),
    pytest.param("wu", "csat", None, id="pinyin-alone"),
    pytest.param("wu fen zhong", "csat", None, id="pinyin-five-minutes"),
    pytest.param("10分，才怪", "nps", None, id="caiguai"),
    pytest.param("给10分才怪", "nps", None, id="gei-caiguai"),
    pytest.param("5 is too much, 4", "csat", (4, ""), id="too-much-then-meant"),
    pytest.param("5分太高了，4分吧", "csat", (4, ""), id="tai-gao-then-meant"),
    pytest.param("5 is too much", "csat", None, id="too-much-alone"),
    pytest.param("5分太多了", "csat", None, id="tai-duo-alone"),
    pytest.param("easy as pie", "ces", (7, ""), id="easy-as-pie"),
    pytest.param("a walk in the park", "ces", (7, ""), id="walk-in-the-park"),
    pytest.param("quite easy actually", "ces", (6, ""), id="actually-after"),
    pytest.param("轻轻松松", "ces", (7, ""), id="qingqingsongsong"),
    pytest.param("简简单单", "ces", (7, ""), id="jianjiandandan"),
    pytest.param("麻麻地", "csat", (3, ""), id="mamadei-is-no-doubling"),
]


# The ninth blind set (typed_answers_eighth_*), with look-alikes: a half after stars, a condition after
# "but only", a hedge or a cap that is all the words after a score, 算不上 before it, a joke taken back
# before the score meant, voice typing before the scale, a silent final e left off, a greeting with a
# face, whom it is said to, a sigh, Cantonese thanks and thanks to whom, a straight face at the middle,
# a check mark, full marks on another scale, and word ratings (an article before an intensifier, "not
# ... at all" on the 7-point scale, "bit of a", 唔係幾, 极其, idioms of effortless, 烦).
BLIND_TWELFTH = [
    pytest.param("⭐⭐⭐⭐ and a half", "csat", None, id="stars-and-a-half"),
    pytest.param("4 and half", "csat", None, id="and-half"),
    pytest.param("10 but only if you fix the app", "nps", None, id="but-only-if"),
    pytest.param("5 as long as the refund comes", "csat", None, id="as-long-as"),
    pytest.param("5 unless it breaks again", "csat", None, id="unless"),
    pytest.param("9, only the delivery was slow", "nps", (9, "only the delivery was slow"), id="only-no-if"),
    pytest.param("8分，可能吧", "nps", None, id="keneng-ba-after"),
    pytest.param("8分，可能是因为物流慢", "nps", (8, "可能是因为物流慢"), id="keneng-because"),
    pytest.param("10分但是要先退款", "nps", None, id="danshi-yao-xian"),
    pytest.param("8分吧，先这样", "nps", (8, "先这样"), id="xian-zheyang"),
    pytest.param("6分封顶", "nps", None, id="fengding"),
    pytest.param("算不上5分", "csat", None, id="suanbushang"),
    pytest.param("称不上五星", "csat", None, id="chengbushang"),
    pytest.param("唔會推薦，0分", "nps", (0, "唔會推薦"), id="cantonese-wont-recommend-0"),
    pytest.param("唔會推薦，10分", "nps", None, id="cantonese-wont-recommend-10"),
    pytest.param("5 stars, jk, 2", "csat", (2, ""), id="jk-then-score"),
    pytest.param("0... just kidding, 8", "nps", (8, ""), id="just-kidding-then-score"),
    pytest.param("5 jk", "csat", None, id="jk-alone"),
    pytest.param("5星是不可能的，3星吧", "csat", (3, ""), id="bukeneng-then-meant"),
    pytest.param("给五星是不可能的", "csat", None, id="bukeneng-alone"),
    pytest.param("a for out of five", "csat", (4, ""), id="for-out-of-five"),
    pytest.param("fiv", "csat", (5, ""), id="silent-e-left-off"),
    pytest.param("nin", "nps", None, id="nin-is-pinyin"),
    pytest.param("Morning 🙂 4", "csat", (4, ""), id="morning-face"),
    pytest.param(
        "hello 👋 3 stars, took too long to get a reply",
        "csat",
        (3, "took too long to get a reply"),
        id="hello-wave",
    ),
    pytest.param("morning", "csat", None, id="morning-alone"),
    pytest.param("morning, 4", "csat", (4, ""), id="morning-comma"),
    pytest.param(
        "morning delivery was late, 2", "csat", (2, "morning delivery was late"), id="morning-says-when"
    ),
    pytest.param(
        "5 - provided the info I needed", "csat", (5, "provided the info I needed"), id="provided-verb"
    ),
    pytest.param("5 provided you refund me", "csat", None, id="provided-condition"),
    pytest.param("i give u 5 bro", "csat", (5, ""), id="bro"),
    pytest.param("5 for my bro", "csat", (5, "for my bro"), id="for-my-bro"),
    pytest.param("pfff 2", "ces", (2, ""), id="sigh"),
    pytest.param("ugh 1", "csat", (1, ""), id="ugh"),
    pytest.param("实打实的4分", "csat", (4, ""), id="shidashi"),
    pytest.param("唔該，4分", "csat", (4, ""), id="m-goi"),
    pytest.param("4分，唔該晒", "csat", (4, ""), id="m-goi-saai"),
    pytest.param("五星好評，謝謝客服", "csat", (5, ""), id="thanks-to-whom"),
    pytest.param("五星，谢谢客服帮我退款", "csat", (5, "谢谢客服帮我退款"), id="thanks-for-what"),
    pytest.param("3 😐", "csat", (3, ""), id="straight-face-at-middle"),
    pytest.param("3 🙄", "csat", (3, "🙄"), id="eye-roll-at-middle"),
    pytest.param("7 ✅", "ces", (7, ""), id="check-mark"),
    pytest.param("满分5分给5分", "nps", (10, ""), id="full-marks-on-another-scale"),
    pytest.param("满分5分给4分", "nps", None, id="another-scale"),  # was 4 with "满分5分" as its comment
    pytest.param("on a scale of 1-5 I'd say 5", "nps", (10, ""), id="full-marks-said-in-words"),
    pytest.param("an absolute nightmare", "ces", (1, ""), id="an-absolute"),
    pytest.param("a total pain", "ces", (1, ""), id="a-total"),
    pytest.param("not difficult at all", "ces", (6, ""), id="not-at-all-on-ces"),
    pytest.param("not bad at all", "csat", (4, ""), id="not-at-all-on-csat"),
    pytest.param("bit of a hassle", "ces", (3, ""), id="bit-of-a"),
    pytest.param("唔係幾滿意", "csat", (2, ""), id="m-hai-gei"),
    pytest.param("极其不满", "csat", (1, ""), id="jiqi"),
    pytest.param("轻而易举", "ces", (7, ""), id="qingeryiju"),
    pytest.param("好煩", "ces", (1, ""), id="hao-fan"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_TENTH + BLIND_ELEVENTH)
def test_the_sixth_and_eighth_blind_sets_replies_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


# The tenth blind set (typed_answers_ninth_*, round 13), with look-alikes: a form's fields copied into chat,
# a taken-back score with typo, "meant", laughter, an apology or 不是 between, "not really" before a score,
# 或 between two, none out of the question's own scale, a face agreeing beside a low score, 的话 after
# the NPS question's own verb, and a double negation.
BLIND_THIRTEENTH = [
    pytest.param("Rating: 3\nComment: slow", "csat", (3, "slow"), id="form-rating-comment"),
    pytest.param("Score: 4\nWhy: too expensive", "nps", (4, "too expensive"), id="form-why"),
    pytest.param(
        "rating 4, comment: the chat took a while", "csat", (4, "the chat took a while"), id="form-inline"
    ),
    pytest.param("Rating: 4\nComment: thanks", "csat", (4, ""), id="form-comment-only-thanks"),
    pytest.param("Stars: 1\nNotes: never again", "csat", (1, "never again"), id="form-stars-notes"),
    pytest.param("Effort: 3", "ces", (3, ""), id="form-effort"),
    pytest.param("评分：5\n备注：小哥很耐心", "csat", (5, "小哥很耐心"), id="form-beizhu-zh"),
    pytest.param("評分：2\n評論：等太久了", "csat", (2, "等太久了"), id="form-traditional-zh"),
    pytest.param("评价：非常满意", "csat", (5, ""), id="form-word-rating-zh"),
    pytest.param("Comment: slow", "csat", None, id="form-comment-alone-is-no-score"),
    pytest.param("2 sorry typo, 4", "csat", (4, ""), id="sorry-typo-then-score"),
    pytest.param("5 typo", "csat", (5, ""), id="typo-alone-keeps-the-score"),
    pytest.param("6, sorry meant 5", "ces", (5, ""), id="sorry-meant"),
    pytest.param("5 meant a lot to me", "csat", (5, "meant a lot to me"), id="meant-without-a-score"),
    pytest.param("5 lol jk 2", "csat", (2, ""), id="laughing-then-jk"),
    pytest.param("5 lol 2 days late", "csat", (5, "lol 2 days late"), id="laughing-no-take-back"),
    pytest.param("五星，不好意思，我是说四星", "csat", (4, ""), id="buhaoyisi-woshishuo"),
    pytest.param("5分，不好意思，3天才回复", "csat", (5, "不好意思，3天才回复"), id="buhaoyisi-then-days"),
    pytest.param("4星，刚才手滑了，应该是3星", "csat", (3, ""), id="gangcai-shouhua"),
    pytest.param("9分，不是，10分", "nps", (10, ""), id="bushi-between"),
    pytest.param("5分，不是，3天就到了", "csat", (5, "不是，3天就到了"), id="bushi-then-days"),
    pytest.param("not really 5", "csat", None, id="not-really"),
    pytest.param("not quite a 7", "ces", None, id="not-quite"),
    pytest.param("8分或9分吧", "nps", None, id="huo-between-two"),
    pytest.param("4分或者更高", "csat", None, id="huozhe-higher"),
    pytest.param("4分还是挺好的", "csat", (4, "还是挺好的"), id="haishi-is-still"),
    pytest.param("0/5", "csat", (1, ""), id="none-out-of-the-questions-own-five"),
    pytest.param("0 out of 7", "ces", (1, ""), id="none-out-of-the-questions-own-seven"),
    pytest.param("0/10", "nps", (0, ""), id="none-out-of-ten-on-nps"),
    pytest.param("0", "csat", None, id="a-bare-zero-is-still-off-the-scale"),
    pytest.param("2 😞 nobody helped", "csat", (2, "nobody helped"), id="agreeing-face-then-words"),
    pytest.param("nobody helped 😞 2", "csat", (2, "nobody helped"), id="words-then-agreeing-face"),
    pytest.param("5 🙄 great job", "csat", (5, "🙄 great job"), id="ironic-face-stays"),
    pytest.param("1 😊 awful", "csat", (1, "😊 awful"), id="disagreeing-face-stays"),
    pytest.param("推荐给朋友的话7分", "nps", (7, ""), id="dehua-after-the-questions-verb"),
    pytest.param("如果退款的话10分", "nps", None, id="dehua-still-a-condition"),
    pytest.param("没有不满意", "csat", (4, ""), id="double-negation-meiyou"),
    pytest.param("不是不满意", "csat", (4, ""), id="double-negation-bushi"),
    pytest.param("没有很满意", "csat", (2, ""), id="meiyou-hen"),
    pytest.param("5分里给4分", "csat", (4, ""), id="fenli-own-scale"),
    pytest.param("10分里给8分", "csat", None, id="fenli-another-scale"),
    pytest.param("4分。发自我的iPhone", "csat", (4, ""), id="signature-after-a-full-stop"),
]


# Look-alikes of the general fixes after the eleventh blind set (typed_answers_tenth_*, blind round 14):
# quotes of the question, voice typing, other scripts, stories, measure words, ranges, ZWJ emoji.
BLIND_FOURTEENTH = [
    pytest.param(
        "Re: How satisfied are you with the help you received?\n4", "csat", (4, ""), id="re-question-line"
    ),
    pytest.param(
        "RE: How likely are you to recommend us to a friend or colleague?\n9", "nps", (9, ""), id="re-caps"
    ),
    pytest.param("Re: order 5", "csat", None, id="re-without-a-question-is-no-quote"),
    pytest.param("*How easy was it to get your issue solved?*\n6", "ces", (6, ""), id="bold-question"),
    pytest.param(
        "How satisfied are you with the help you received? 2, nobody called back",
        "csat",
        (2, "nobody called back"),
        id="question-pasted-then-score-and-words",
    ),
    pytest.param(
        "How come nobody answered? 1", "csat", (1, "How come nobody answered"), id="own-question-stays"
    ),
    pytest.param("您对本次服务满意吗？ 4星", "csat", (4, ""), id="question-pasted-zh"),
    pytest.param("你们怎么这么慢？ 1分", "csat", (1, "你们怎么这么慢"), id="own-question-stays-zh"),
    pytest.param("uh uh five stars", "csat", (5, ""), id="hesitations-in-a-row"),
    pytest.param("erm 2 the wait was long", "csat", (2, "the wait was long"), id="erm-then-words"),
    pytest.param("umbrella 4", "csat", None, id="um-inside-a-word-is-no-filler"),
    pytest.param("呃，2分，太慢了", "csat", (2, "太慢了"), id="e-filler-zh"),
    pytest.param("four comma great job", "csat", (4, "great job"), id="said-comma"),
    pytest.param("comma 4", "csat", None, id="comma-before-a-number-is-no-punctuation"),
    pytest.param("i'd give it a for", "csat", (4, ""), id="a-for-at-the-end"),
    pytest.param("go for", "csat", None, id="for-alone-is-no-four"),
    pytest.param(
        "to stars because the app crashed", "csat", (2, "because the app crashed"), id="to-stars-then-words"
    ),
    pytest.param("to the store 2", "csat", None, id="to-without-stars"),
    pytest.param("4 estrellas", "csat", (4, ""), id="estrellas"),
    pytest.param("3 bintang", "csat", (3, ""), id="bintang"),
    pytest.param("5 estrellas", "nps", None, id="estrellas-on-nps-as-stars"),
    pytest.param("4です", "csat", (4, ""), id="desu"),
    pytest.param("です", "csat", None, id="desu-alone"),
    pytest.param("5 terima kasih", "csat", (5, ""), id="terima-kasih"),
    pytest.param("9 ありがとう", "nps", (9, ""), id="arigatou-kana"),
    pytest.param("1 🤦🏻\u200d♀️", "csat", (1, ""), id="zwj-face-agrees"),
    pytest.param("5 ❤️\u200d🔥", "csat", (5, ""), id="zwj-heart-on-fire"),
    pytest.param("就是说 六七分吧", "nps", None, id="range-after-words"),
    pytest.param("嗯 七八分", "nps", None, id="range-after-a-filler"),
    pytest.param("打5折吧", "csat", None, id="discount"),
    pytest.param("发了1封邮件，给5星", "csat", (5, "发了1封邮件"), id="measure-word-feng"),
    pytest.param("跑了3趟，2分", "csat", (2, "跑了3趟"), id="measure-word-tang"),
    pytest.param("5 张师傅很耐心", "csat", (5, "张师傅很耐心"), id="a-surname-is-no-measure-word"),
    pytest.param("seven super easy", "ces", (7, "super easy"), id="number-word-then-rating-words"),
    pytest.param("zero would not recommend", "nps", (0, "would not recommend"), id="number-word-then-modal"),
    pytest.param("seven super", "ces", None, id="number-word-then-no-rating"),
    pytest.param("two more questions", "csat", None, id="number-word-still-counts"),
    pytest.param("a ten for sure", "nps", (10, "for sure"), id="a-ten-for-sure"),
    pytest.param("a 3 for the delivery", "csat", None, id="a-number-for-what"),
    pytest.param("anyway 4", "csat", (4, ""), id="anyway"),
    pytest.param("5 stars in the end", "csat", (5, ""), id="in-the-end-after"),
    pytest.param("最后给5星", "csat", (5, ""), id="zuihou-gei"),
    pytest.param("最后5分钟", "csat", None, id="zuihou-minutes"),
    pytest.param("5 yyds", "csat", (5, ""), id="yyds-is-no-plural"),
    pytest.param("泰裤辣", "csat", (5, ""), id="taikula"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_FOURTEENTH)
def test_the_eleventh_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("> What went wrong?\nSlow response", "slow"),  # a quote of the question before the pick
        ("「客服：主要是哪方面的问题？」\n- - - - - -\n问题没有解决", "unresolved"),
        ("uh the second one", "unresolved"),
        ("2 i guess", "unresolved"),
        ("the last one i think", "other"),
        ("no comment", None),  # declines: no option inside it
        ("其他是什么意思", None),  # asks what the option means
        ("what does other mean", None),
        ("其他", "other"),
        ("on hold forever", "slow"),
        ("hold on", None),
        ("排队太久", "slow"),
        ("排队40分钟", None),  # a duration alone names none, as "it took 4 days"
        ("3天才回", "slow"),
    ],
)
def test_the_eleventh_blind_sets_choices(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不想评", True),
        ("i'd prefer not to say", True),
        ("no comment", True),
        ("不想评价这个客服态度太差", False),
    ],
)
def test_the_eleventh_blind_sets_refusals_skip(text: str, expected: bool) -> None:
    assert is_skip(text) is expected


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_TWELFTH + BLIND_THIRTEENTH)
def test_the_ninth_and_tenth_blind_sets_replies_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("answer: 3", "attitude"),  # was Slow response: "answer" read as a paraphrase of "response"
        ("I pick 2", "unresolved"),
        ("I'll go with b", "unresolved"),
        ("I choose the last one", "other"),
        ("pick up my parcel", None),
        ("2 - still no refund", "unresolved"),
        ("4: it took 2 days", "other"),
        ("2、问题一直没解决", "unresolved"),
        ("2 - 3 days", None),  # how long it took, no option
        ("1, 2 hours wait", None),  # a number after it: which is the option? (as before)
        ("1 - not slow", None),  # the option's number, and its denial
        ("1 - rude agent", "attitude"),  # the words name another option: read as before, by the words
        ("unsolved", "unresolved"),
    ],
)
def test_an_option_by_its_number_with_words_or_a_verb_of_picking(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


# Look-alikes of the twelfth blind set's fixes (typed_answers_eleventh_*, blind round 15): each rule with
# a reply it reads and one it must still refuse.
BLIND_FIFTEENTH = [
    pytest.param("★★☆☆☆", "csat", (2, ""), id="filled-stars-count"),
    pytest.param("~5~", "csat", None, id="a-tilde-is-no-mark-before"),
    pytest.param("⭐\n⭐\n⭐", "csat", (3, ""), id="a-star-a-line"),
    pytest.param("五心", "csat", (5, ""), id="hearts-for-stars"),
    pytest.param("5心好评", "csat", (5, ""), id="hearts-and-a-good-review"),
    pytest.param("三心二意", "csat", None, id="hearts-inside-an-idiom"),
    pytest.param("一心一意", "csat", None, id="hearts-inside-another-idiom"),
    pytest.param("5分 很用心", "csat", (5, "很用心"), id="xin-in-a-word-beside-a-score"),
    pytest.param("3outof5", "csat", (3, ""), id="out-of-without-spaces"),
    pytest.param("9outof10", "nps", (9, ""), id="out-of-without-spaces-nps"),
    pytest.param("...3...", "csat", (3, ""), id="dots-around"),
    pytest.param("?!?! 1", "csat", (1, ""), id="marks-before"),
    pytest.param("……1分", "csat", (1, ""), id="ellipsis-before-zh"),
    pytest.param("?5", "csat", None, id="a-question-mark-alone-asks"),
    pytest.param("***** !!!", "csat", (5, ""), id="asterisks-then-marks"),
    pytest.param("*x5", "csat", (5, ""), id="asterisk-times"),
    pytest.param("x5", "csat", None, id="times-without-a-star"),
    pytest.param("lowkey a 4", "csat", (4, ""), id="lowkey-before"),
    pytest.param("deadass 2", "csat", (2, ""), id="deadass-before"),
    pytest.param("ong 9", "nps", (9, ""), id="on-god-before"),
    pytest.param("7 ig", "nps", (7, ""), id="ig-after"),
    pytest.param("10/10 fr fr", "nps", (10, ""), id="fr-fr-after"),
    pytest.param("gonna go with 8", "nps", (8, ""), id="gonna-go-with"),
    pytest.param("gonna be late 4", "csat", (4, "gonna be late"), id="gonna-without-a-pick"),
    pytest.param("3 tbh ur app is trash", "nps", (3, "ur app is trash"), id="tbh-starting-the-comment"),
    pytest.param("u1s1 服务还行 3分", "csat", (3, "服务还行"), id="u1s1-starting-the-comment"),
    pytest.param(
        "2 it was a whole thing ngl", "ces", (2, "it was a whole thing"), id="ngl-ending-the-comment"
    ),
    pytest.param("pretty easy tbh 6", "ces", (6, "pretty easy tbh"), id="tbh-after-words-stays-as-before"),
    pytest.param("SO HARD 1", "ces", (1, "SO HARD"), id="so-hard-is-a-rating"),
    pytest.param("a hard 10", "nps", (10, ""), id="a-hard-ten-is-firm"),
    pytest.param("贼好", "csat", (5, ""), id="northeastern-zei"),
    pytest.param("整挺好", "csat", (4, ""), id="northeastern-zheng"),
    pytest.param("啥也不是", "csat", (1, ""), id="worthless"),
    pytest.param("巴适", "csat", (4, ""), id="sichuan-bashi"),
    pytest.param("巴适得板", "csat", (5, ""), id="sichuan-bashi-deban"),
    pytest.param("退款到账就给五星", "csat", None, id="once-the-refund-arrives"),
    pytest.param("修好了就打5分", "csat", None, id="once-it-is-fixed"),
    pytest.param("退款到账了，5星", "csat", (5, "退款到账了"), id="the-refund-has-arrived"),
    pytest.param("最后就给5星", "csat", (5, ""), id="jiu-after-zuihou"),
    pytest.param("5 ⭐️!!!!! thank u sooo much!!!!!", "csat", (5, ""), id="thank-u-sooo-much"),
    pytest.param("4星，小哥辛苦了", "csat", (4, ""), id="xinku-with-whom-first"),
    pytest.param("五星好评亲", "csat", (5, ""), id="qin-after-haoping"),
    pytest.param("无星好评", "csat", (5, ""), id="wu-homophone-before-a-good-review"),
    pytest.param("无星", "csat", None, id="no-stars-alone"),
    pytest.param("thre stars the app keeps crashing", "csat", (3, "the app keeps crashing"), id="slip-first"),
    pytest.param("there stars", "csat", None, id="an-english-word-is-no-slip"),
    pytest.param("FOUER", "csat", (4, ""), id="a-vowel-put-in"),
    pytest.param("seiven", "ces", (7, ""), id="a-vowel-put-in-seven"),
    pytest.param("等了一个星期才到\n2星", "csat", (2, "等了一个星期才到"), id="a-week-then-a-line-break"),
    pytest.param("一个星期", "csat", None, id="a-week-is-no-star"),
    pytest.param("打了两次电话\n4", "ces", (4, "打了两次电话"), id="a-call-then-a-line-break"),
    pytest.param("电话4", "csat", None, id="a-phone-reference-still"),
    pytest.param("7到8分", "nps", None, id="a-range-still"),
    pytest.param("如果让我打分的话我给9分", "nps", (9, ""), id="if-you-ask-me"),
    pytest.param("如果快一点就9分", "nps", None, id="a-real-condition-still"),
    pytest.param("Hello dear, I would give you people a 5", "csat", (5, ""), id="hello-dear-you-people"),
    pytest.param("I should say four out of five. God bless.", "csat", (4, ""), id="i-should-say"),
    pytest.param("Thank you kindly for asking. 4", "csat", (4, ""), id="thanks-for-asking"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_FIFTEENTH)
def test_the_twelfth_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("贼拉慢", "slow"),  # Northeastern 贼拉 (very)
        ("磨磨唧唧的", "slow"),
        ("慢得要死", "slow"),
        ("有夠慢", "slow"),  # Taiwan 有够
        ("凶巴巴的", "attitude"),
        ("客服好凶", "attitude"),
        ("客服小哥太冲了", "attitude"),
        ("莫得解决", "unresolved"),  # Sichuan 莫得 (没有)
        ("it took 4ever", "slow"),
        ("ignored for 3 days", "slow"),
        ("still doesnt work", "unresolved"),
        ("it still doesnt work after 2 calls", "unresolved"),
        ("it works now", None),  # works, not denied: no option
        ("after 2 calls", None),
    ],
)
def test_the_twelfth_blind_sets_choices(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("略过", True), ("id rather not say", True), ("略过了吗", False)]
)
def test_the_twelfth_blind_sets_refusals_skip(text: str, expected: bool) -> None:
    assert is_skip(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oops i pressed 1 meant 5", "5"),
        ("my finger slipped, 5", "5"),
        ("wrong button lol meant 5", "5"),
        ("can u change it to 3", "3"),
        ("pls change it to fiv", "fiv"),  # a mistyped number word, read by the rating reader
        ("我是想给四份的", "给四份的"),
        ("按错了哈，我想给四星", "给四星"),
        ("我是想问一下", None),
        ("my finger hurts", None),
    ],
)
def test_the_twelfth_blind_sets_corrections(text: str, expected: str | None) -> None:
    assert after_correction(text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("fiv", "csat", (5, "")),
        ("blue", "csat", None),
        ("给四份的", "csat", (4, "")),
        ("给四星", "csat", (4, "")),
    ],
)
def test_what_a_correction_leaves_is_read_or_refused(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected  # "change it to blue" is then no correction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yh", "yes"),
        ("nop", "no"),
        ("莫得", "no"),
        ("还没得", "no"),
        ("yes if the refund comes", None),  # a condition after the yes
        ("yes once it arrives", None),
        ("yes thanks", "yes"),
        ("解決了喔", "yes"),  # a particle after 了
        ("好了哦", None),  # still an OK, as "好啦"
    ],
)
def test_the_twelfth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


# The thirteenth blind set (typed-51): a number on no scale after a score, a month before a day,
# WeChat's thumb stickers; and their look-alikes that must stay as they were.
BLIND_SIXTEENTH = [
    pytest.param("1分，305房间没有热水", "csat", (1, "305房间没有热水"), id="a-room-number-after-a-score"),
    pytest.param("1星 305房间没有热水", "csat", (1, "305房间没有热水"), id="a-room-number-after-stars"),
    pytest.param("5 stars, 1204 was great", "csat", (5, "1204 was great"), id="a-long-number-after-stars"),
    pytest.param("1分，3房间很脏", "csat", None, id="a-number-on-the-scale-still"),
    pytest.param("4 123", "csat", None, id="a-long-number-without-a-break-still"),
    pytest.param(
        "10. parcel came on Dec 2 as promised", "nps", (10, "parcel came on Dec 2 as promised"), id="a-month"
    ),
    pytest.param("10/10 parcel came on Dec 2", "nps", None, id="a-month-day-is-no-score"),
    pytest.param("9 came on march 3, great", "nps", (9, "came on march 3, great"), id="a-month-in-words"),
    pytest.param("[强][强][强]", "csat", (5, ""), id="wechat-thumbs"),
    pytest.param("[强][强]", "csat", (5, ""), id="two-wechat-thumbs"),
    pytest.param("[弱][弱]", "csat", (1, ""), id="wechat-thumbs-down"),
    pytest.param("[微笑]", "csat", None, id="a-wechat-smile-is-kept-unread"),
    pytest.param("[强]大", "csat", None, id="a-bracketed-word-is-no-sticker-alone"),
    pytest.param("7分 点2下就改好了", "ces", (7, "点2下就改好了"), id="clicks-counted-with-xia"),
    pytest.param("5分 按了3下", "csat", (5, "按了3下"), id="presses-counted-with-xia"),
    pytest.param("5分 2下次再来", "csat", None, id="next-time-is-no-count"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_SIXTEENTH)
def test_the_thirteenth_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("👍👍👍", "yes"), ("[强]", "yes"), ("👎👎", "no"), ("[弱]", "no"), ("👍👎", None), ("!!!", None)],
)
def test_the_thirteenth_blind_sets_thumbs_answer_yes_or_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


# Look-alikes of the fourteenth blind set's fixes (typed_answers_thirteenth_*, blind round 17): each rule
# with replies it now reads and replies it must still refuse or keep as they were.
BLIND_SEVENTEENTH = [
    # a cheque's capitals and the spoken 俩, 仨 as the number of a score with a comment
    pytest.param("肆分，物流慢", "csat", (4, "物流慢"), id="capital-four-then-words"),
    pytest.param("仨星 包装破了", "csat", (3, "包装破了"), id="sa-then-words"),
    pytest.param("參分", "csat", (3, ""), id="traditional-capital-three"),
    pytest.param("参加活动送的 5分", "csat", (5, "参加活动送的"), id="can-in-a-word-is-no-number"),
    pytest.param("4 • agent was kind", "csat", (4, "agent was kind"), id="a-bullet-sets-off-the-comment"),
    # spoken punctuation and hashtags
    pytest.param("四星 句号", "csat", (4, ""), id="a-said-full-stop-zh"),
    pytest.param("两分逗号客服不理人", "csat", (2, "客服不理人"), id="a-said-comma-zh"),
    pytest.param("eight period", "nps", (8, ""), id="a-said-period"),
    pytest.param("four comma slow delivery", "csat", (4, "slow delivery"), id="a-said-comma"),
    pytest.param(
        "the trial period was fine, 4", "csat", (4, "the trial period was fine"), id="period-in-words"
    ),
    pytest.param("#4stars", "csat", (4, ""), id="a-hashtag-score"),
    pytest.param("#四星#", "csat", (4, ""), id="a-weibo-hashtag-score"),
    pytest.param("#9outof10", "nps", (9, ""), id="a-hashtag-out-of"),
    pytest.param("#4", "csat", None, id="a-hash-before-a-number-still"),
    # a price in pounds or euros beside a score is no second score, as one in dollars
    pytest.param(
        "paid €20 for the upgrade, 2", "nps", (2, "paid €20 for the upgrade"), id="euros-then-a-score"
    ),
    pytest.param("£5", "csat", None, id="pounds-alone"),
    pytest.param("order #4821", "csat", None, id="an-order-number-still"),
    # both thumbs, 称不上 ("cannot be called"), Northeastern intensifiers
    pytest.param("both thumbs up", "csat", (5, ""), id="both-thumbs-up"),
    pytest.param("thumbs up", "csat", (4, ""), id="one-thumb-up-still"),
    pytest.param("称不上满意", "csat", (2, ""), id="cannot-be-called-satisfied-zh"),
    pytest.param("老好了", "csat", (5, ""), id="lao-intensifies-zh"),
    pytest.param("老样子", "csat", None, id="lao-in-a-word-zh"),
    # fillers and lead-ins that say nothing
    pytest.param("呃 那个 四分", "csat", (4, ""), id="voice-fillers-zh"),
    pytest.param("那个客服很好 5分", "csat", (5, "那个客服很好"), id="nage-as-that-keeps-its-words"),
    pytest.param("好的好的 4分", "csat", (4, ""), id="ok-ok-zh"),
    pytest.param("十分感谢 4分", "csat", (4, ""), id="many-thanks-zh"),
    pytest.param("well, let me see... 3", "csat", (3, ""), id="let-me-see"),
    pytest.param("sure thing, 4", "csat", (4, ""), id="sure-thing"),
    pytest.param("ok fine 2", "csat", (2, ""), id="ok-fine"),
    pytest.param("5 please and thanks", "csat", (5, ""), id="please-and-thanks"),
    pytest.param("Score - 3\nComment - app froze", "csat", (3, "app froze"), id="fields-set-off-by-dashes"),
    pytest.param("3 - reason unclear", "csat", (3, "reason unclear"), id="a-field-name-alone-is-words"),
    # full marks on another scale, and a fraction that is an idiom
    pytest.param("10分满分", "csat", (5, ""), id="ten-full-marks-out-of-five"),
    pytest.param("100分满分", "nps", (10, ""), id="a-hundred-full-marks"),
    pytest.param("8分满分", "csat", None, id="eight-is-no-scales-top"),
    pytest.param("50/50", "nps", None, id="fifty-fifty"),
    pytest.param("20/20", "csat", None, id="twenty-twenty"),
    pytest.param("100/100", "csat", (5, ""), id="a-hundred-out-of-a-hundred"),
    # a zero beside a score is a second score; beside the lowest it says the same
    pytest.param("客服五星，物流零分", "csat", None, id="a-zero-for-something-else"),
    pytest.param("太差了 零分", "csat", (1, "零分"), id="a-zero-beside-the-lowest"),
    # which end is which, asked with no question mark
    pytest.param("5 到底哪个是满意", "csat", None, id="which-one-after"),
    pytest.param("到底哪个是最好 5", "csat", None, id="which-one-before"),
    pytest.param("5分，到底什么时候发货", "csat", (5, "到底什么时候发货"), id="a-question-of-its-own"),
    # a higher score denied or not reached, then the one given
    pytest.param("不到五星，四星", "csat", (4, ""), id="not-up-to-five-then-four"),
    pytest.param("够不上10分，8分", "nps", (8, ""), id="not-reaching-ten-then-eight"),
    pytest.param("不到五分", "csat", None, id="not-up-to-five-alone"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_SEVENTEENTH)
def test_the_fourteenth_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("🐢", "slow", id="a-tortoise"),
        pytest.param("🐌🐌🐌", "slow", id="snails-said-over"),
        pytest.param("龟速回复", "slow", id="a-tortoise-pace-zh"),
        pytest.param("🐌 and rude", None, id="a-snail-and-another-option"),
        pytest.param("the agent hung up", "attitude", id="hung-up-without-on"),
        pytest.param("没用，订单号123", "unresolved", id="no-use-and-an-order-number-zh"),
        pytest.param("工单号5566 还是没修好", "unresolved", id="a-ticket-number-first-zh"),
        pytest.param("C选项", "attitude", id="a-letter-then-option-zh"),
        pytest.param("E选项", None, id="a-letter-past-the-options-zh"),
    ],
)
def test_the_fourteenth_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


def test_a_no_comment_as_officials_say_it_skips() -> None:
    assert is_skip("不予置评") and is_skip("无可奉告") and not is_skip("不予置评的态度")


BLIND_EIGHTEENTH = [
    # regional English's particles and courtesies beside a score say nothing ("ok lah" is still words)
    pytest.param("4 lah", "csat", (4, ""), id="singapore-lah"),
    pytest.param("3 lor, agent was kind", "csat", (3, "agent was kind"), id="lor-then-words"),
    pytest.param("five only", "csat", (5, ""), id="india-only"),
    pytest.param("2 only, nobody replied", "csat", (2, "nobody replied"), id="only-then-words"),
    pytest.param("8 sha", "nps", (8, ""), id="nigeria-sha"),
    pytest.param("9 madam", "nps", (9, ""), id="whom-it-is-said-to"),
    pytest.param("4 po, salamat", "csat", (4, "salamat"), id="philippines-po"),
    pytest.param("kindly note, 4", "csat", (4, ""), id="kindly-note"),
    pytest.param("abeg 3", "csat", (3, ""), id="abeg"),
    pytest.param("6, only had to message once", "ces", (6, "only had to message once"), id="only-as-a-word"),
    # marks as the unit, a grammar slip before the score, what is rated named
    pytest.param("7 marks", "ces", (7, ""), id="marks"),
    pytest.param("i giving 3 star", "csat", (3, ""), id="i-giving"),
    pytest.param("i rate support 2", "csat", (2, ""), id="rate-what"),
    pytest.param("full marks!!", "csat", (5, ""), id="full-marks-with-marks"),
    pytest.param("fully satisfied sir", "csat", (5, ""), id="fully-satisfied-sir"),
    pytest.param("can't complain really", "csat", (4, ""), id="really-after"),
    pytest.param("not really", "csat", None, id="not-really-still"),
    # chat slang and pinyin
    pytest.param("狗都不用", "csat", (1, ""), id="not-even-a-dog-zh"),
    pytest.param("难如登天", "ces", (1, ""), id="harder-than-the-sky-zh"),
    pytest.param("hen manyi", "csat", (5, ""), id="pinyin-very-satisfied"),
    pytest.param("bu tai manyi", "csat", (2, ""), id="pinyin-not-very-satisfied"),
    pytest.param("sanxing", "csat", (3, ""), id="pinyin-three-stars"),
    pytest.param("8f", "nps", (8, ""), id="fen-initial"),
    pytest.param("wu", "csat", None, id="one-syllable-alone"),
    pytest.param("666 给4分", "csat", (4, ""), id="six-six-six-beside-a-score"),
    pytest.param("4分 555 物流太慢", "csat", (4, "555 物流太慢"), id="crying-keeps-its-digits"),
    pytest.param("房间666 2分", "csat", (2, "房间666"), id="a-room-number-stays"),
    pytest.param("hhh 还行 3分", "csat", (3, "还行"), id="laughing-before-words"),
    # two questions answered by name, a score for now, a plan, a question without its mark
    pytest.param("满意度4，推荐度9", "nps", (9, "满意度4，推荐度9"), id="named-for-the-question"),
    pytest.param(
        "4 for now, 5 if the refund comes", "csat", (4, "4 for now, 5 if the refund comes"), id="for-now"
    ),
    pytest.param("4, 5 if the refund comes", "csat", None, id="no-now-asked-again"),
    pytest.param("5 after you fix the app", "csat", None, id="after-a-fix"),
    pytest.param("8 definitely if cheaper", "nps", None, id="sure-if"),
    pytest.param("3 is good or bad", "csat", None, id="good-or-bad"),
    pytest.param("9 would recommend, satisfied", "csat", None, id="an-nps-number-at-csat"),
    pytest.param("6 (if 7 is the best)", "ces", None, id="a-legend-on-a-middle-score"),
    pytest.param("Dear team, I rate you 9. Thanks", "csat", None, id="a-letter-off-the-scale"),
    pytest.param("您好，等退款到了，我再给你们打5分。谢谢", "csat", None, id="a-letter-with-a-plan-zh"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_EIGHTEENTH)
def test_the_fifteenth_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("3 lah", "attitude", id="a-number-and-lah"),
        pytest.param("the first one lor", "slow", id="the-first-one-lor"),
        pytest.param("the man was rude", "attitude", id="the-man"),
        pytest.param("suplado yung staff", "attitude", id="tagalog-snobbish"),
        pytest.param("issue still pending", "unresolved", id="still-pending"),
        pytest.param("long queue", "slow", id="a-long-queue"),
        pytest.param("the queue was short", None, id="a-short-queue"),
        pytest.param("the delivery was slow", None, id="the-delivery-is-someone-else"),
        pytest.param("快递员态度差", None, id="the-courier-is-someone-else-zh"),
        pytest.param("which one means rude?", None, id="a-question-back"),
        pytest.param("客服凶得一批", "attitude", id="yipi-intensifies-zh"),
        pytest.param("踢皮球", "unresolved", id="passing-the-ball-zh"),
        pytest.param("问题是什么？\n没解决", "unresolved", id="a-question-line-before-zh"),
        pytest.param("taidu hen cha", "attitude", id="pinyin-attitude"),
    ],
)
def test_the_fifteenth_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("can le", "yes", id="can-le"),
        pytest.param("still cannot leh", "no", id="still-cannot-leh"),
        pytest.param("nahin hua", "no", id="hindi-not-done"),
        pytest.param("hindi", "no", id="tagalog-no"),
        pytest.param("history", None, id="hi-inside-a-word-is-no-greeting"),
        pytest.param("afraid not, still broken", "no", id="afraid-not"),
        pytest.param("I reset it as you said and now I can log in", "yes", id="a-story-ending-in-a-login"),
        pytest.param("I clicked the link, it said expired", "no", id="a-story-ending-expired"),
        pytest.param("tried twice, same error", "no", id="a-story-ending-in-the-same-error"),
        pytest.param("it worked then stopped again", "no", id="stopped-again"),
        pytest.param("it's working again", "yes", id="working-again-still"),
        pytest.param("not yet, will try tonight", None, id="not-tried-yet"),
        pytest.param("我照你说的弄了，现在可以登录了", "yes", id="a-story-zh"),
        pytest.param("短信一直没收到", "no", id="never-came-zh"),
        pytest.param("还是8行啊", "no", id="eight-for-not-zh"),
        pytest.param("hao le", "yes", id="pinyin-yes"),
        pytest.param("“解决了吗” 没有", "no", id="a-question-quoted-without-its-mark"),
    ],
)
def test_the_fifteenth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sorry lah press wrong, should be 4", "4", id="press-wrong"),
        pytest.param("aiya wrong star, 5", "5", id="aiya-wrong-star"),
        pytest.param("my finger shake, i wanted 4", "4", id="a-shaking-finger"),
        pytest.param("I pressed the wrong star by mistake. I meant to give four.", "four", id="a-story"),
        pytest.param("那个2分是给快递的，客服给4分", "4分", id="the-first-was-for-the-courier-zh"),
        pytest.param("kindly change it to 4", "4", id="kindly-change"),
        pytest.param("please correct it to 3", "3", id="correct-it-to"),
        pytest.param("gai cheng 4 fen", "4分", id="pinyin-change-to"),
        pytest.param("wrong star but fine", None, id="a-wrong-tap-and-no-score"),
        pytest.param("the agent was kind", None, id="a-comment"),
    ],
)
def test_the_fifteenth_blind_sets_corrections(text: str, expected: str | None) -> None:
    assert after_correction(text) == expected


# The sixteenth blind set (typed_answers_fifteenth_*, round 19), with look-alikes: digits in circles NFKC
# keeps, chat apps' formatting marks, other languages' words for giving a score, sarcasm told as a
# review's "would ... again", a range said on in Chinese, WeChat stickers, a face before a score, thanks
# that are all thanks, stars given after 给个; and the look-alikes that must stay as they were.
BLIND_NINETEENTH = [
    pytest.param("❹", "csat", (4, ""), id="a-negative-circled-digit"),
    pytest.param("➒ out of ➓", "nps", (9, ""), id="sans-serif-circled-digits"),
    pytest.param("⓷ stars, slow", "csat", (3, "slow"), id="a-double-circled-digit"),
    pytest.param("`4` stars", "csat", (4, ""), id="code-marks"),
    pytest.param("__3__", "csat", (3, ""), id="double-underscores"),
    pytest.param("||5|| lol", "csat", (5, ""), id="a-spoiler"),
    pytest.param("*8*/10", "nps", (8, ""), id="bold-before-a-scale"),
    pytest.param("给_4_分", "csat", (4, ""), id="italics-inside-chinese-zh"),
    pytest.param("~4~ 5", "csat", (5, ""), id="struck-through-then-the-one-meant"),
    pytest.param("~3~", "csat", None, id="struck-through-alone-still-refused"),
    pytest.param("5*, 4*", "csat", None, id="two-asterisk-units-are-no-pair"),
    pytest.param("le doy un 3", "csat", (3, ""), id="spanish-i-give"),
    pytest.param("je donne 4, merci beaucoup", "csat", (4, ""), id="french-i-give-and-thanks"),
    pytest.param("saya bagi 2, lambat", "csat", (2, "lambat"), id="malay-i-give"),
    pytest.param("tiga bintang", "csat", (3, ""), id="malay-number-word-and-unit"),
    pytest.param("siete", "ces", (7, ""), id="spanish-number-word-alone"),
    pytest.param("lima is far", "csat", None, id="a-number-word-as-a-city"),
    pytest.param("7점", "ces", (7, ""), id="korean-points"),
    pytest.param("5점 만점에 4점", "csat", (4, ""), id="korean-out-of"),
    pytest.param("星3つ", "csat", (3, ""), id="japanese-stars"),
    pytest.param("3 sterne", "csat", (3, ""), id="german-stars"),
    pytest.param("8 grazie", "nps", (8, ""), id="italian-thanks"),
    pytest.param("4 thanks so much", "csat", (4, ""), id="thanks-so-much"),
    pytest.param("10/10 would wait on hold again", "nps", None, id="would-wait-again"),
    pytest.param("5 stars, would happily get ignored again", "csat", None, id="would-get-ignored-again"),
    pytest.param("10/10 would buy again", "nps", (10, "would buy again"), id="would-buy-again-is-meant"),
    pytest.param("10 for the queue", "nps", None, id="for-the-queue"),
    pytest.param("5 stars for the quick fix", "csat", (5, "for the quick fix"), id="for-a-fix-is-meant"),
    pytest.param("9分，推荐给我的死对头", "nps", None, id="recommend-to-an-enemy-zh"),
    pytest.param("5分，丢了两次快递真是太棒了", "csat", None, id="praise-of-a-loss-zh"),
    pytest.param("5星，你们把我拉黑了", "csat", None, id="blocked-me-zh"),
    pytest.param("5星，快递丢了但是客服帮我补发了", "csat", (5, None), id="a-loss-with-a-turn-zh"),
    pytest.param("6 digit code never came", "nps", None, id="a-digit-count"),
    pytest.param("5分到8分之间", "nps", None, id="a-range-said-on-zh"),
    pytest.param("5分，到3号才收到", "csat", (5, "到3号才收到"), id="to-a-date-is-no-range-zh"),
    pytest.param("係4分", "csat", (4, ""), id="cantonese-is-zh"),
    pytest.param("[爱心]5分", "csat", (5, ""), id="a-heart-sticker-zh"),
    pytest.param("8分[赞]", "nps", (8, ""), id="a-thumb-sticker-after-zh"),
    pytest.param("👍 4, quick reply", "csat", (4, "quick reply"), id="a-face-before-a-score-and-words"),
    pytest.param("🙄 5, great", "csat", None, id="an-ironic-face-before-still-refused"),
    pytest.param("给个⭐⭐⭐", "csat", (3, ""), id="stars-given-zh"),
    pytest.param("i give ⭐⭐", "csat", (2, ""), id="stars-given"),
    pytest.param("3分/5分", "csat", (3, ""), id="a-fraction-with-units-zh"),
    pytest.param("5星里给4星", "csat", (4, ""), id="stars-out-of-stars-zh"),
    pytest.param("a strong fore", "csat", (4, ""), id="a-strong-fore"),
    pytest.param("dead good", "csat", (5, ""), id="dead-as-very"),
    pytest.param("a bit of a faff", "ces", (3, ""), id="a-bit-of-a-faff"),
    pytest.param("一点也不可能", "nps", (0, ""), id="not-at-all-likely-zh"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_NINETEENTH)
def test_the_sixteenth_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str | None] | None
) -> None:
    found = scored(text, kind)
    if expected is not None and expected[1] is None:  # the score alone is checked
        assert found is not None and found[0] == expected[0]
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("❸", "attitude", id="a-negative-circled-digit"),
        pytest.param("*Problem not solved*", "unresolved", id="bold-label"),
        pytest.param("they never replied", "slow", id="never-replied"),
        pytest.param("成日冇人覆我", "slow", id="cantonese-nobody-replies-zh"),
        pytest.param("no idea", None, id="not-knowing-names-none"),
        pytest.param("不知道", None, id="not-knowing-names-none-zh"),
    ],
)
def test_the_sixteenth_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("네", "yes", id="korean-yes"),
        pytest.param("いいえ、まだです", None, id="japanese-no-with-more-is-asked-again"),
        pytest.param("belum lagi", "no", id="malay-not-yet"),
        pytest.param("dah settle", "yes", id="malay-done"),
        pytest.param("_yes_", "yes", id="italic-yes"),
        pytest.param("好咗喇", "yes", id="cantonese-particle-after-done-zh"),
        pytest.param("包裹终于收到了", "yes", id="the-parcel-came-zh"),
        pytest.param("钱还没到账", "no", id="the-money-not-yet-zh"),
        pytest.param("依旧打印不了", "no", id="still-cannot-print-zh"),
        pytest.param("mostly, it crashed again", "no", id="partly-then-failing-again"),
        pytest.param("部分解决了，但是又坏了", "no", id="partly-then-broken-again-zh"),
        pytest.param("it broke again", "no", id="broke-again"),
        pytest.param("partly solved, thanks", None, id="partly-alone-still-asked"),
        pytest.param("kinda, still waiting on refund", None, id="partly-and-waiting-still-asked"),
    ],
)
def test_the_sixteenth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sorry, meant *4*", "4", id="bold-after-meant"),
        pytest.param("改成❹分", "4分", id="a-negative-circled-digit-zh"),
        pytest.param("点错了，应该3️⃣星", "3星", id="a-keycap-after-should-zh"),
        pytest.param("唔好意思，應該係4分", "4分", id="cantonese-should-be-zh"),
    ],
)
def test_the_sixteenth_blind_sets_corrections(text: str, expected: str | None) -> None:
    assert after_correction(text) == expected


# The seventeenth blind set (typed_answers_sixteenth_*, round 20), with look-alikes: an apology for
# answering late or the reason it came late before the answer (bot/late_replies.py), a greeting on each
# of two lines, "在吗", Hindi and Singlish courtesies and lead-ins ("ji", "pakka", "bas", "confirm"), "a
# solid" after "I'd say", "my rating of 5", an ordinal after a comma, something to be fixed named before
# 就, CES idioms; and the look-alikes that must stay as they were.
BLIND_TWENTIETH = [
    pytest.param("sorry late, 3", "csat", (3, ""), id="sorry-late"),
    pytest.param("so sorry for the delay - 9", "nps", (9, ""), id="sorry-for-the-delay"),
    pytest.param("my apologies, was away. 4 stars", "csat", (4, ""), id="apologies-was-away"),
    pytest.param("only saw this now, 6", "ces", (6, ""), id="only-saw-this-now"),
    pytest.param(
        "just got the reminder: 2, nobody called me", "csat", (2, "nobody called me"), id="reminder"
    ),
    pytest.param("late reply but 8", "nps", (8, ""), id="late-reply-but"),
    pytest.param("sorry late", "csat", None, id="sorry-late-alone-is-no-score"),
    pytest.param("sorry, late delivery again", "csat", None, id="a-late-delivery-is-no-score"),
    pytest.param("forgot my password twice, 3", "csat", (3, "forgot my password twice"), id="forgot-is-kept"),
    pytest.param("抱歉回复晚了，5分", "csat", (5, ""), id="sorry-late-zh"),
    pytest.param("才看到消息 9分", "nps", (9, ""), id="only-just-saw-zh"),
    pytest.param("剛才在開車，4分", "csat", (4, ""), id="was-driving-traditional-zh"),
    pytest.param("忘了回复了，3分，物流太慢", "csat", (3, "物流太慢"), id="forgot-to-reply-zh"),
    pytest.param("晚了三天才到，2分", "csat", (2, "晚了三天才到"), id="late-delivery-is-kept-zh"),
    pytest.param("不好意思，3分", "csat", (3, None), id="sorry-alone-unchanged-zh"),
    pytest.param("hello\nhi there\n5", "csat", (5, ""), id="a-greeting-on-each-line"),
    pytest.param("在吗？5分", "csat", (5, ""), id="are-you-there-zh"),
    pytest.param("4 ji", "csat", (4, ""), id="hindi-ji"),
    pytest.param("pakka 9", "nps", (9, ""), id="hindi-pakka"),
    pytest.param("bas 3", "csat", (3, ""), id="hindi-bas"),
    pytest.param("10 confirm", "nps", (10, ""), id="singlish-confirm"),
    pytest.param("ya 4", "csat", (4, ""), id="ya"),
    pytest.param("honestly a solid 4", "csat", (4, ""), id="a-solid-after-honestly"),
    pytest.param("my rating of 3, too slow", "csat", (3, "too slow"), id="rating-of"),
    pytest.param("4, 3rd call fixed it", "csat", (4, "3rd call fixed it"), id="an-ordinal-after-a-comma"),
    pytest.param("4 2nd", "csat", None, id="an-ordinal-with-no-comma-still-refused"),
    pytest.param("已经给过4分了", "csat", (4, ""), id="already-gave-zh"),
    pytest.param("修好wifi就给9分", "nps", None, id="once-the-wifi-is-fixed-zh"),
    pytest.param("解决问题就给五星", "csat", None, id="once-the-problem-is-solved-zh"),
    pytest.param("问题解决了，5星", "csat", (5, None), id="solved-already-is-a-score-zh"),
    pytest.param("a real headache", "ces", (1, ""), id="a-real-headache"),
    pytest.param("headache", "ces", (2, ""), id="a-headache"),
    pytest.param("pulling teeth", "ces", (1, ""), id="pulling-teeth"),
    pytest.param("no sweat at all", "ces", (7, ""), id="no-sweat-at-all"),
    pytest.param("费了很大的劲", "ces", (2, ""), id="took-great-effort-zh"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sorry late, 3", "attitude", id="sorry-late-then-a-number"),
        pytest.param("sorry, 2", "unresolved", id="sorry-then-a-number"),
        pytest.param("sorry", None, id="sorry-alone-names-none"),
        pytest.param("apologies for the delay - not solved", "unresolved", id="apologies-then-a-label"),
        pytest.param("不好意思回晚了，态度不好", "attitude", id="sorry-late-then-a-label-zh"),
        pytest.param("slow response: 2 hours on hold", "slow", id="a-label-as-a-field"),
        pytest.param("Something else - the invoice", "other", id="a-label-then-a-dash"),
        pytest.param("其它：发票开错了", "other", id="other-as-a-field-zh"),
        pytest.param("其他（快递）", "other", id="other-with-the-courier-in-brackets-zh"),
        pytest.param("other: rude agent", None, id="a-field-naming-another-option"),
        pytest.param("answer: 3", "attitude", id="a-field-named-answer-still-picks-by-number"),
        pytest.param("courier (slow)", None, id="the-courier-named-first-still-none"),
        pytest.param("⌛", "slow", id="an-hourglass"),
        pytest.param("好几天都没人回", "slow", id="quite-a-few-days-zh"),
    ],
)
def test_the_seventeenth_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sorry late - no, still broken", "no", id="sorry-late-then-no"),
        pytest.param("just saw this, yes all good", "yes", id="just-saw-then-yes"),
        pytest.param("不好意思才回，还没好", "no", id="sorry-late-then-not-yet-zh"),
        pytest.param("haan ji", "yes", id="hindi-yes-sir"),
        pytest.param("ji nahi", "no", id="hindi-no-sir"),
        pytest.param("all settled", "yes", id="singlish-settled"),
        pytest.param("did not", "no", id="did-not"),
        pytest.param("同样的问题", "no", id="the-same-problem-zh"),
        pytest.param("settled? not sure", None, id="settled-unsure-still-asked"),
    ],
)
def test_the_seventeenth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


# The eighteenth blind set (typed_answers_seventeenth_*, round 21: real chat logs), with look-alikes: a
# number word with a key beside a letter, a pinyin keyboard's homophones in the rating words, the idioms of
# the greatest effort, "*5" on the next line, the groups of a longer number, swearing before a score, a
# missed space before a word, the polite 您, a question back after the score, "rate ... at", 我对, 好评
# glued after the stars, "the help I received", chat's spellings with digits, "and that's" after a score;
# and what must stay refused.
BLIND_TWENTY_FIRST = [
    pytest.param("fibe", "csat", (5, ""), id="a-key-beside-v"),
    pytest.param("nime", "nps", (9, ""), id="a-key-beside-n"),
    pytest.param("sevem", "ces", (7, ""), id="a-key-beside-the-last-n"),
    pytest.param("threw", "csat", None, id="threw-is-a-word"),
    pytest.param("give 5", "csat", (5, None), id="give-is-no-slip-of-five"),
    pytest.param("非常满易", "csat", (5, ""), id="a-homophone-of-manyi-zh"),
    pytest.param("不瞒意", "csat", (2, ""), id="a-homophone-after-bu-zh"),
    pytest.param("菲常满意", "csat", (5, ""), id="a-homophone-of-feichang-zh"),
    pytest.param("非常容意", "ces", (7, ""), id="a-homophone-of-rongyi-zh"),
    pytest.param("费了九牛二虎之力", "ces", (1, ""), id="nine-oxen-two-tigers-zh"),
    pytest.param("千辛万苦", "ces", (1, ""), id="a-thousand-hardships-zh"),
    pytest.param("4\n*5", "csat", (5, ""), id="an-asterisk-on-the-next-line"),
    pytest.param("4分\n*5分", "csat", (5, ""), id="an-asterisk-on-the-next-line-zh"),
    pytest.param("4 * 5", "csat", None, id="an-asterisk-between-is-no-correction"),
    pytest.param("my tracking no is 7731 2233 09", "nps", None, id="a-tracking-number"),
    pytest.param("call me on 138 0013 8000", "nps", None, id="a-phone-number"),
    pytest.param("room 1204 4", "csat", (4, None), id="one-long-number-before-is-kept"),
    pytest.param("f***ing 1", "csat", (1, ""), id="masked-swearing"),
    pytest.param("FUCKING 1", "csat", (1, ""), id="swearing-in-caps"),
    pytest.param("bloody 2", "csat", (2, ""), id="bloody"),
    pytest.param("10would recommend", "nps", (10, "would recommend"), id="a-missed-space"),
    pytest.param("3/5would use again", "csat", (3, "would use again"), id="a-missed-space-after-a-fraction"),
    pytest.param("5stars", "csat", (5, ""), id="a-unit-needs-no-space"),
    pytest.param("给您打4分", "csat", (4, ""), id="polite-you-zh"),
    pytest.param("您好，给您打4分，小伙子很有耐心，谢谢。", "csat", (4, None), id="a-polite-letter-zh"),
    pytest.param("4, when will the refund come?", "csat", (4, "when will the refund come"), id="when-asked"),
    pytest.param("5 when it arrives", "csat", None, id="when-it-arrives-still-a-condition"),
    pytest.param("5 but how do i cancel my order?", "csat", (5, None), id="a-question-back"),
    pytest.param("5 but why?", "csat", None, id="but-why-still-refused"),
    pytest.param("5 but is that the best?", "csat", None, id="asked-about-the-score-still-refused"),
    pytest.param("I would rate the likelihood at 7", "nps", (7, ""), id="rate-at"),
    pytest.param("我对这次服务非常满意", "csat", (5, ""), id="wo-dui-zh"),
    pytest.param("非常满意五星好评", "csat", (5, "非常满意"), id="haoping-glued-zh"),
    pytest.param("不满意五星好评", "csat", None, id="haoping-glued-contradicted-zh"),
    pytest.param("I am very satisfied with the help I received", "csat", (5, ""), id="the-help-received"),
    pytest.param("5 nice 1", "csat", (5, "nice one"), id="nice-one"),
    pytest.param("l8r 8", "nps", (8, ""), id="later"),
    pytest.param("k 4", "csat", (4, None), id="k-for-ok"),
    pytest.param("good 1/5", "csat", None, id="good-then-a-fraction-still-refused"),
    pytest.param("gate 5", "csat", None, id="a-name-and-a-number-still-refused"),
    pytest.param("10 obvs", "nps", (10, ""), id="obvs"),
    pytest.param("3 days", "csat", None, id="a-count-still-refused"),
    pytest.param("1 and thats generous", "csat", (1, "and thats generous"), id="and-thats-generous"),
    pytest.param("8 and it's only because of Amy", "nps", (8, None), id="and-its"),
    pytest.param("3 and a half", "csat", None, id="and-a-half-still-refused"),
    pytest.param("1 and 2", "csat", None, id="two-numbers-still-refused"),
    pytest.param("4分，要是能快点就5分了", "csat", None, id="a-higher-score-on-a-condition-still-refused-zh"),
]


# The nineteenth blind set (typed_answers_eighteenth_*, round 22: industries' own numbers beside a score),
# with look-alikes: a score with its scale among other parts' scores (none) or among counts and references
# (bot/fraction_scores.py), the score named overall (bot/overall_scores.py), a card by its last digits,
# Chinese measure words and a booking's counts, "x2" before the score; and what must stay refused.
BLIND_TWENTY_SECOND = [
    pytest.param("phone 7/10, laptop 3/10", "nps", None, id="two-parts-scored-with-their-scale"),
    pytest.param("4/5 for the agent, 1/5 for the app", "csat", None, id="two-parts-scored-out-of-5"),
    pytest.param(
        "9/10, would be 10/10 with faster delivery", "nps", None, id="a-hypothetical-second-fraction"
    ),
    pytest.param("open 24/7, 5/5", "csat", (5, "open 24/7"), id="a-clock-fraction-is-no-score"),
    pytest.param("rated 4/5 on 12/3, fine", "csat", None, id="a-date-is-no-score-and-no-clause-break"),
    pytest.param("rated 4/5, on 12/3", "csat", (4, None), id="a-date-after-a-clause-break"),
    pytest.param("card ending 5", "csat", None, id="a-card-ending"),
    pytest.param("card ending in 8", "nps", None, id="a-card-ending-in"),
    pytest.param(
        "the card ending 4421 works, 5", "csat", (5, "the card ending 4421 works"), id="card-then-score"
    ),
    pytest.param("住了2晚，5星", "csat", (5, "住了2晚"), id="nights-zh"),
    pytest.param("刷了2笔，4分", "csat", (4, "刷了2笔"), id="payments-zh"),
    pytest.param("办了2张卡，9分", "nps", (9, "办了2张卡"), id="cards-zh"),
    pytest.param("买了2双，5分", "csat", (5, "买了2双"), id="pairs-zh"),
    pytest.param("住2晚", "csat", None, id="nights-alone-zh"),
    pytest.param("app 2, agent 5, overall 4", "csat", (4, "app 2, agent 5"), id="overall-after-parts"),
    pytest.param("菜2分，服务5分，总体3分", "csat", (3, "菜2分，服务5分"), id="overall-after-parts-zh"),
    pytest.param("4/5 overall", "csat", (4, ""), id="overall-after-the-score"),
    pytest.param("rider 5, food 1", "csat", None, id="parts-with-no-overall-still-refused"),
    pytest.param("overall 4, overall 5", "csat", None, id="two-overalls-refused"),
    pytest.param("overall maybe 4", "csat", None, id="a-hedged-overall-refused"),
    pytest.param("flight late 2 hours, 3/5 for the help", "csat", (3, None), id="a-fraction-after-a-count"),
    pytest.param("3 boxes, 4/5 though", "csat", (4, None), id="a-fraction-then-though"),
    pytest.param("room 1205, 2/5", "csat", (2, "room 1205"), id="a-room-then-a-fraction"),
    pytest.param("12A, 3/7 easy enough", "ces", (3, None), id="a-seat-then-a-fraction"),
    pytest.param("8/10 at best", "nps", None, id="at-best-still-refused"),
    pytest.param("4/5 4 stars", "csat", None, id="a-fraction-run-on-still-refused"),
    pytest.param("maybe 4/5, seat 12A", "csat", None, id="a-hedged-fraction-refused"),
    pytest.param("seat 12A, not 5/5", "csat", None, id="a-denied-fraction-refused"),
    pytest.param("if refunded 5/5, seat 12A", "csat", None, id="a-conditional-fraction-refused"),
    pytest.param("seat 12A was broken, 5/5 lol", "csat", None, id="a-sarcastic-fraction-refused"),
    pytest.param("薯条x2，5星", "csat", (5, "薯条x2"), id="times-two-before-the-score-zh"),
    pytest.param("shirts x2, 4", "csat", (4, "shirts x2"), id="times-two-before-the-score"),
    pytest.param("x2", "csat", None, id="times-two-alone"),
    pytest.param("2 adults 1 child, 4", "csat", (4, "2 adults 1 child"), id="a-booking-counts"),
    pytest.param("1 night, 5", "csat", (5, "1 night"), id="one-night"),
    pytest.param("1 child", "csat", None, id="one-child-is-no-score"),
    pytest.param("1 bag lost", "csat", None, id="one-bag-lost-is-no-score"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("the agent was rude about my size 40 exchange", "attitude", id="a-size-says-nothing"),
        pytest.param("换40码的时候客服态度很差", "attitude", id="a-size-says-nothing-zh"),
        pytest.param("B22登机口的地勤很凶", "attitude", id="ground-staff-zh"),
        pytest.param("room 1203 still has no hot water", "unresolved", id="still-has-no"),
        pytest.param("still no refund of the $120", "unresolved", id="still-no-refund"),
        pytest.param("still no reply", "slow", id="still-no-reply-is-slow"),
        pytest.param("2GB missing still", "unresolved", id="missing-still"),
        pytest.param("少的2GB流量还是没补", "unresolved", id="still-not-made-up-zh"),
        pytest.param("骑手凶我", None, id="the-rider-is-someone-else-zh"),
        pytest.param("1，骑手送了一个小时", None, id="the-rider-by-number-zh"),
        pytest.param("size 40", None, id="a-size-alone"),
        pytest.param("40码", None, id="a-size-alone-zh"),
    ],
)
def test_the_nineteenth_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("yes, card ending 4421 works again", "yes", id="works-again"),
        pytest.param("yes, broke again", "no", id="broke-again-still-no"),
        pytest.param("still only 10M", "no", id="still-only"),
        pytest.param("还是只有10M", "no", id="still-only-zh"),
        pytest.param("还没，508房还是很冷", "no", id="not-yet-and-still-zh"),
        pytest.param("还没，我明天试试", None, id="not-yet-and-will-try-zh"),
        pytest.param("the 5GB came back, thanks", "yes", id="data-came-back"),
        pytest.param("the error came back", None, id="an-error-came-back-is-no-yes"),
        pytest.param("5GB流量补回来了，谢谢", "yes", id="made-up-zh"),
        pytest.param("信号恢复了", "yes", id="restored-zh"),
    ],
)
def test_the_nineteenth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("应该是4分不是2分，骑手挺好的", "4分，骑手挺好的", id="should-be-not-zh"),
        pytest.param("是5星，不是1星", "5星", id="is-not-zh"),
        pytest.param("4分不是2分", None, id="no-is-before-still-none-zh"),
    ],
)
def test_the_nineteenth_blind_sets_corrections(text: str, expected: str | None) -> None:
    assert after_correction(text) == expected


BLIND_TWENTY_THIRD = [
    pytest.param("f i v e", "csat", (5, ""), id="letters-spaced"),
    pytest.param("S-E-V-E-N", "nps", (7, ""), id="letters-dashed"),
    pytest.param("F.O.U.R.", "csat", (4, ""), id="letters-dotted"),
    pytest.param("T W O stars, slow", "csat", (2, "slow"), id="letters-then-a-unit-and-words"),
    pytest.param("a b c", "csat", None, id="letters-spelling-no-answer-word"),
    pytest.param("f-i-v-e-s", "csat", None, id="letters-spelling-a-longer-word"),
    pytest.param("Re: How likely are you to recommend us? 9", "nps", (9, ""), id="re-question-same-line"),
    pytest.param("re: is it free? 4", "csat", (4, ""), id="re-any-question-same-line"),
    pytest.param('"How satisfied are you?" - 4', "csat", (4, ""), id="quoted-question-then-a-dash"),
    pytest.param('just saw this. "How satisfied are you?" 5', "csat", (5, ""), id="late-then-quoted"),
    pytest.param("回复：推荐度 8分", "nps", (8, ""), id="reply-mark-zh"),
    pytest.param("解决您的问题容易吗？ 6", "ces", (6, ""), id="ces-question-pasted-zh"),
    pytest.param("hey there, sorry for the delay, I'd say 4", "csat", (4, ""), id="greeting-then-late"),
    pytest.param("sorry, busy week. 10", "nps", (10, ""), id="a-busy-week"),
    pytest.param("Sorry!! totally forgot. FOUR", "csat", (4, ""), id="forgot-after-a-mark"),
    pytest.param("forgot my password, 3", "csat", (3, "forgot my password"), id="forgot-what-is-kept"),
    pytest.param("刚下班，给3分", "csat", (3, ""), id="just-off-work-zh"),
    pytest.param("抱歉这两天太忙了，给4分", "csat", (4, ""), id="busy-these-days-zh"),
    pytest.param("🌟 4 🌟", "csat", (4, ""), id="a-star-each-side"),
    pytest.param("⭐ 5 ✨", "csat", (5, ""), id="two-different-stars"),
    pytest.param("★★★★★★★★★ 9", "nps", (9, ""), id="the-score-drawn-in-stars"),
    pytest.param("🌟 10", "nps", (10, ""), id="one-star-beside-the-score"),
    pytest.param("★★★ 9", "nps", (9, "★★★"), id="other-stars-beside-the-score-kept"),
    pytest.param("not five, but a solid four", "csat", (4, ""), id="a-denied-score-first"),
    pytest.param("not 5... 7", "nps", (7, ""), id="a-denied-digit-first"),
    pytest.param("I meant 4 not 2", "csat", (4, "not 2"), id="a-denied-score-after-keeps-its-words"),
    pytest.param("不好意思，七分", "nps", (7, ""), id="an-apology-before-the-score-zh"),
    pytest.param("2 stars, sorry", "csat", (2, "sorry"), id="an-apology-after-a-low-score-stays"),
    pytest.param(
        "4 - 1st call was useless", "nps", (4, "1st call was useless"), id="an-ordinal-after-a-dash"
    ),
    pytest.param("3 - 4 days", "csat", None, id="a-range-after-a-dash-still-refused"),
    pytest.param("8, 3 of my mates use you", "nps", (8, "3 of my mates use you"), id="a-share-of-a-group"),
    pytest.param("8/10, 3/4 of my friends", "nps", (8, "3/4 of my friends"), id="a-fraction-of-a-group"),
    pytest.param("3 - 4 of us", "nps", None, id="a-share-after-a-dash-may-be-a-range"),
    pytest.param("7 — 1 chat and done", "ces", (7, "1 chat and done"), id="one-chat"),
    pytest.param("东西不错，下次还来，五分好评", "csat", (5, None), id="come-again-is-praise-zh"),
    pytest.param("下次给5分", "csat", None, id="next-time-still-refused-zh"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("s-l-o-w", "slow", id="letters-dashed"),
        pytest.param("Re: What went wrong? they took ages to answer", "slow", id="re-question-same-line"),
        pytest.param("sorry late reply - the waiting", "slow", id="late-then-the-waiting"),
        pytest.param("the girl on the phone had an attitude", "attitude", id="had-an-attitude"),
        pytest.param("they kept me on hold forever", "slow", id="kept-on-hold"),
        pytest.param("the fix didn't hold, broke again next day", "unresolved", id="broke-again"),
        pytest.param("none of the options really, it's the app", "other", id="none-of-the-options"),
        pytest.param("消息石沉大海", "slow", id="sunk-without-trace-zh"),
        pytest.param("等了老半天才有人理", "slow", id="only-answered-after-ages-zh"),
        pytest.param("到现在还是登不上", "unresolved", id="still-cannot-log-in-zh"),
        pytest.param("抱歉回晚了，主要是太慢", "slow", id="mainly-zh"),
        pytest.param("waiting for a refund", None, id="waiting-for-something-names-none"),
    ],
)
def test_the_twentieth_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("N-O", "no", id="letters-dashed-no"),
        pytest.param("Y E S", "yes", id="letters-spaced-yes"),
        pytest.param("Re: Did this solve it? no", "no", id="re-question-same-line"),
        pytest.param("暂时好了", "yes", id="for-now-zh"),
        pytest.param("目前好了", "yes", id="at-present-zh"),
        pytest.param("not quite", None, id="not-quite-is-partly"),
        pytest.param("没有完全解决", None, id="not-fully-is-partly-zh"),
    ],
)
def test_the_twentieth_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("my 4 was meant to be a 5", "a 5", id="was-meant-to-be"),
        pytest.param("是肆分，刚才点错了", "肆分", id="meant-first-then-the-wrong-tap-zh"),
        pytest.param("5分，打错了", None, id="a-wrong-tap-after-a-bare-score-still-none-zh"),
    ],
)
def test_the_twentieth_blind_sets_corrections(text: str, expected: str | None) -> None:
    assert after_correction(text) == expected


BLIND_TWENTY_FOURTH = [
    pytest.param("(^-^)", "csat", (4, ""), id="kaomoji-smiling"),
    pytest.param("T_T", "csat", (2, ""), id="kaomoji-crying"),
    pytest.param("(╯°□°)╯︵┻━┻", "csat", (1, ""), id="kaomoji-table-flipped"),
    pytest.param("huge W", "csat", (5, ""), id="a-win"),
    pytest.param("big L tbh", "csat", (1, ""), id="a-loss"),
    pytest.param("W", "csat", None, id="a-bare-letter-is-no-rating"),
    pytest.param("far from happy", "csat", (2, ""), id="far-from"),
    pytest.param("not pleased in the slightest", "csat", (1, ""), id="in-the-slightest"),
    pytest.param("beyond satisfied", "csat", (5, ""), id="beyond"),
    pytest.param("不能再棒了", "csat", (5, ""), id="could-be-no-better-zh"),
    pytest.param("不能再差了", "csat", (1, ""), id="could-be-no-worse-zh"),
    pytest.param("方便得不得了", "ces", (7, ""), id="de-bu-de-liao-zh"),
    pytest.param("超级无敌棒", "csat", (5, ""), id="invincibly-zh"),
    pytest.param("客服很贴心", "csat", (5, ""), id="attentive-zh"),
    pytest.param("还不赖吧", "csat", (4, ""), id="not-bad-zh"),
    pytest.param("没那么糟糕", "csat", (4, ""), id="not-that-bad-zh"),
    pytest.param("甚为满意", "csat", (5, ""), id="formal-very-zh"),
    pytest.param("no-brainer", "ces", (7, ""), id="no-brainer-at-ces"),
    pytest.param("no brainer", "nps", None, id="no-brainer-at-nps-still-asked"),
    pytest.param("honestly mid", "ces", (4, ""), id="mid-at-ces"),
    pytest.param("lowkey kinda tricky", "ces", (3, ""), id="chat-honestly-then-a-hedge"),
    pytest.param("took minimal effort", "ces", (6, ""), id="took-minimal-effort"),
    pytest.param("easy as one two three", "ces", (7, ""), id="easy-as-one-two-three"),
    pytest.param("five star's", "csat", (5, ""), id="a-stray-apostrophe"),
    pytest.param("smh 2", "nps", (2, ""), id="smh-first"),
    pytest.param("5 deffo", "csat", (5, ""), id="deffo"),
    pytest.param("waited 3 days, great", "csat", None, id="praise-after-a-long-wait"),
    pytest.param("2 weeks of waiting, fantastic", "csat", None, id="praise-after-weeks-of-waiting"),
    pytest.param("fixed in 5 minutes, amazing", "csat", (5, None), id="praise-after-a-quick-fix-meant"),
    pytest.param("waited 2 days but fixed, great", "csat", (5, None), id="a-wait-with-a-turn-meant"),
    pytest.param("5 = best right?", "csat", None, id="a-legend-asked"),
    pytest.param("啊对对对，五星", "csat", None, id="ah-yes-yes-yes-zh"),
    pytest.param("nps 8 satisfaction 3", "nps", (8, None), id="fields-in-english-nps"),
    pytest.param("nps 8 satisfaction 3", "csat", (3, None), id="fields-in-english-csat"),
    pytest.param("I would rate the support as excellent", "csat", (5, ""), id="rate-as-words"),
    pytest.param("very pleased with the kind gentleman", "csat", (5, ""), id="pleased-with-whom"),
    pytest.param("吃鸭蛋", "nps", (0, ""), id="a-zero-as-an-egg-zh"),
    pytest.param("鸭蛋", "csat", (1, ""), id="a-zero-as-an-egg-is-the-lowest-zh"),
    pytest.param("老太太我很满意", "csat", (5, ""), id="an-older-customer-names-herself-zh"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("慢到离谱了", "slow", id="absurdly-slow-zh"),
        pytest.param("白忙活一场", "unresolved", id="all-for-nothing-zh"),
        pytest.param("客服态度很拉胯", "attitude", id="a-let-down-attitude-zh"),
        pytest.param("问了也白问", "unresolved", id="asked-for-nothing-zh"),
        pytest.param("家人们谁懂啊，回复慢死了", "slow", id="folks-first-zh"),
        pytest.param("they put me on hold", "slow", id="put-on-hold"),
    ],
)
def test_the_twenty_first_blind_sets_choice_look_alikes(text: str, expected: str | None) -> None:
    assert parse_choice(text, OPTIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("+1", "yes", id="plus-one"),
        pytest.param("100%", "yes", id="a-hundred-percent"),
        pytest.param("no cap, it worked", "yes", id="no-cap-is-no-no"),
        pytest.param("tbh nope", "no", id="chat-honestly-then-no"),
        pytest.param("当然", None, id="of-course-alone-stays-none-zh"),
        pytest.param("木有问题", "yes", id="mu-for-mei-zh"),
        pytest.param("+1 but still broken", None, id="plus-one-with-a-but"),
    ],
)
def test_the_twenty_first_blind_sets_yes_and_no(text: str, expected: str | None) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("tbh i meant 5", "5", id="chat-honestly-then-meant"),
        pytest.param("改4分", "4分", id="gai-alone-zh"),
        pytest.param("可以改成满分吗", "满分", id="full-marks-zh"),
        pytest.param("改天再说", None, id="gai-tian-is-no-correction-zh"),
    ],
)
def test_the_twenty_first_blind_sets_corrections(text: str, expected: str | None) -> None:
    assert after_correction(text) == expected


BLIND_TWENTY_FIFTH = [
    pytest.param("3 [sticker]", "csat", (3, ""), id="a-sticker-after"),
    pytest.param("[Sticker] [Sticker]\n9", "nps", (9, ""), id="stickers-on-a-line-before"),
    pytest.param("[GIF]", "csat", None, id="a-gif-alone-is-no-answer"),
    pytest.param("[动画表情] 4分", "csat", (4, ""), id="a-wechat-animation-before-zh"),
    pytest.param("[转发] 解决您的问题容易吗？ 6", "ces", (6, ""), id="forwarded-question-zh"),
    pytest.param("5\nSent via Telegram", "csat", (5, ""), id="an-apps-line-under"),
    pytest.param("Sent from my Galaxy\n2", "csat", (2, ""), id="a-phones-line-over"),
    pytest.param("7 (sent from my phone)", "nps", (7, ""), id="a-phones-line-in-brackets"),
    pytest.param("2分\n发自我的华为", "csat", (2, ""), id="a-phones-line-under-zh"),
    pytest.param('transcript: "seven"', "ces", (7, ""), id="a-transcript-label"),
    pytest.param("语音转写：四分", "csat", (4, ""), id="a-transcript-label-zh"),
    pytest.param("just saw this this morning, 3", "csat", (3, ""), id="seen-this-morning"),
    pytest.param("never got your message until today. 8", "nps", (8, ""), id="not-seen-until-today"),
    pytest.param("saw it too late sorry, 5", "csat", (5, ""), id="seen-too-late-then-sorry"),
    pytest.param("抱歉现在才看到，3分", "csat", (3, ""), id="only-now-seen-zh"),
    pytest.param("之前没看到消息，6分", "ces", (6, ""), id="not-seen-before-zh"),
    pytest.param("没看到客服回复，2分", "csat", (2, None), id="not-seen-a-reply-is-a-comment-zh"),
    pytest.param("2222", "csat", None, id="a-held-two-is-off-the-scale"),
    pytest.param("0000", "nps", (0, ""), id="zeros-are-zero"),
    pytest.param("666", "csat", None, id="chats-six-six-six-still-no-score"),
    pytest.param("888", "nps", None, id="chats-eight-eight-eight-still-no-score"),
    pytest.param("44", "csat", None, id="forty-four-is-no-held-digit"),
    pytest.param("1o/10", "nps", (10, ""), id="ten-with-the-letter-o"),
    pytest.param("lo", "nps", None, id="lo-is-a-word"),
    pytest.param("un 4 de 5", "csat", (4, ""), id="spanish-out-of"),
    pytest.param("un 8", "nps", (8, ""), id="spanish-a"),
    pytest.param("5 고맙습니다", "csat", (5, ""), id="korean-thanks"),
    pytest.param("4 gracias amiga", "csat", (4, ""), id="spanish-thanks-to-a-friend"),
    pytest.param("so yeah a three", "csat", (3, ""), id="so-yeah-first"),
    pytest.param("i'll give it like a two", "csat", (2, ""), id="ill-give-it-like-a"),
    pytest.param("7 yep", "ces", (7, ""), id="yep-after"),
]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    BLIND_TWENTIETH
    + BLIND_TWENTY_FIRST
    + BLIND_TWENTY_SECOND
    + BLIND_TWENTY_THIRD
    + BLIND_TWENTY_FOURTH
    + BLIND_TWENTY_FIFTH,
)
def test_the_seventeenth_to_twenty_second_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str | None] | None
) -> None:
    test_the_sixteenth_blind_sets_look_alikes_are_read_as_meant(text, kind, expected)  # the same check


# ---- hostile text ----------------------------------------------------------------------------

# Any character, lone surrogates and NUL included (a pure reader may be handed text before it is
# cleaned for storage), mixed with the pieces answers are made of.
HOSTILE_PIECES = ["\ud800", "\udcff", "\x00", "滿意", "分", "5", "⭐", " ", "不", "no", "😀", "\u200d"]
hostile_text = st.lists(st.text(max_size=6) | st.sampled_from(HOSTILE_PIECES), max_size=12).map("".join)


@settings(max_examples=200, deadline=None, database=None)
@given(text=hostile_text, kind=st.sampled_from(["csat", "nps", "ces"]))
def test_any_text_is_read_or_refused_never_raised(text: str, kind: ScaleKind) -> None:
    # A lone surrogate beside a Chinese character ("\udcb8\udca4分": bytes that are not UTF-8, read
    # with surrogateescape) was a UnicodeEncodeError in OpenCC, through every typed reader.
    low, high = SCALES[kind]
    found = read_rating(text, kind, low, high)
    assert found is None or low <= found.score <= high
    number = parse_rating(text, kind, low, high)
    assert number is None or low <= number <= high
    options = [("slow", ["Slow", "太慢"]), ("other", ["Other", "其他"])]
    assert parse_choice(text, options) in (None, "slow", "other")
    parse_yes_no(text)
    is_skip(text)
    after_correction(text)


def test_a_lone_surrogate_beside_chinese_is_no_score_and_no_error() -> None:
    assert scored("\udcb8\udca4分") is None
    assert scored("\ud800五分") is None  # as "\ufffd五分": a broken character before it, no plain score


def test_a_delivery_is_someone_elses_fault_unless_the_question_asks_about_it() -> None:
    reasons = [("slow", ["Slow response", "响应太慢"]), ("other", ["Something else", "其他"])]
    assert parse_choice("courier very slow", reasons) is None  # the courier's, not the support's
    topics = [("delivery", ["Delivery", "物流配送"]), ("app", ["The app", "App"])]
    assert parse_choice("Delivery", topics) == "delivery"
    assert parse_choice("物流配送", topics) == "delivery"
    assert parse_choice("the app", topics) == "app"


@pytest.mark.parametrize(
    ("text", "kind", "read"),
    [
        ("8 (was 6 last year)", "nps", (8, "was 6 last year")),
        ("4 (was going to say 5 but the wait)", "csat", (4, "was going to say 5 but the wait")),
        ("6 (took 2 calls)", "ces", (6, "took 2 calls")),
        ("recommend? 9", "nps", (9, "")),  # the question's word asked back says nothing
        ("推荐？8分", "nps", (8, "")),
        ("you asked how satisfied i am: 2", "csat", (2, "")),
        ("satisfied 4", "csat", (4, "satisfied")),  # a word rating beside the score stays its comment
        ("IV stars", "csat", (4, "")),
        ("Five stairs", "csat", (5, "")),  # autocorrect's stars
        ("definately a 5", "csat", (5, "")),
        ("recommend you? 10 obviously", "nps", (10, "")),
        ("easy? 2", "ces", (2, "")),
        ("满分10", "nps", (10, "")),  # full marks named by the scale's top
        ("肯定推荐啊 满分10", "nps", (10, "肯定推荐啊")),
        ("满分5", "csat", (5, "")),
        ("给7分，扣的3分是物流", "nps", (7, "扣的3分是物流")),  # the points taken off, no second score
        ("不算差，4分", "csat", (4, "不算差")),  # 不算差 is "not bad", no slip told
        ("要打分的话就4分吧", "csat", (4, "")),
        ("给3分吧，唉", "csat", (3, "")),  # a sigh
    ],
)
def test_the_twenty_third_sets_shapes_are_read(text: str, kind: ScaleKind, read: tuple[int, str]) -> None:
    assert scored(text, kind) == read


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("10 being what", "nps"),  # the scale asked about
        ("10 means what?", "nps"),
        ("1 (1 being hardest?)", "ces"),
        ("3 (or 4)", "csat"),  # a hedge in brackets
        ("4 (maybe 3)", "csat"),
        ("4 (wait, no, 3)", "csat"),
        ("7 (very hard)", "ces"),  # the scale read backwards, as before
        ("满分5", "nps"),  # full marks on another scale
        ("满分10", "csat"),
        ("10分，扣的1分是物流", "nps"),  # the top with points taken off: 10 or 9?
        ("recommend? never", "nps"),
    ],
)
def test_an_aside_that_asks_or_hedges_is_no_score(text: str, kind: ScaleKind) -> None:
    low, high = SCALES[kind]
    assert read_rating(text, kind, low, high) is None


BLIND_TWENTY_SEVENTH = [
    pytest.param("ok i guess", "csat", (3, ""), id="ok-with-a-shrug-is-the-answer"),
    pytest.param("okay tbh", "csat", (3, ""), id="okay-with-chats-honestly"),
    pytest.param("ok, i guess", "ces", (4, ""), id="ok-with-a-shrug-at-ces"),
    pytest.param("ok 4", "csat", (4, ""), id="ok-before-a-score-still-a-lead"),
    pytest.param("ill give 4", "csat", (4, ""), id="ill-without-its-apostrophe"),
    pytest.param("gonna give it 4", "csat", (4, ""), id="gonna-give-with-no-i"),
    pytest.param("imma give 9", "nps", (9, ""), id="imma-give"),
    pytest.param("i wanna give 4", "csat", (4, ""), id="wanna-give"),
    pytest.param("would give 4", "csat", (4, ""), id="would-give-with-no-i"),
    pytest.param("ill say 4, slow though", "csat", (4, "slow though"), id="ill-say-then-a-comment"),
    pytest.param("im gonna say 9", "nps", (9, ""), id="gonna-say"),
    pytest.param("would give 10 if cheaper", "nps", None, id="would-give-on-a-condition-still-refused"),
    pytest.param("will give 5 when it arrives", "csat", None, id="will-give-once-something-comes-refused"),
    pytest.param("i cant give 5", "csat", None, id="cant-without-its-apostrophe"),
    pytest.param("wont give 10", "nps", None, id="wont-without-its-apostrophe"),
    pytest.param("why would i give 5", "csat", None, id="why-would-i-give-asked-back"),
    pytest.param("凭什么给5分", "csat", None, id="why-should-i-give-zh"),
    pytest.param("凭啥10分", "nps", None, id="why-should-i-give-zh-chat"),
    pytest.param("0 = never?", "nps", None, id="a-legend-asked-with-a-question-mark"),
    pytest.param("4 = good?", "csat", None, id="a-word-legend-asked"),
    pytest.param("5 = excellent", "csat", (5, "excellent"), id="a-legend-told-is-a-comment"),
    pytest.param("4.0/5", "csat", None, id="a-decimal-stays-asked-again"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), BLIND_TWENTY_SEVENTH)
def test_the_twenty_fourth_blind_sets_look_alikes_are_read_as_meant(
    text: str, kind: ScaleKind, expected: tuple[int, str] | None
) -> None:
    assert scored(text, kind) == expected  # the score and the comment kept, or no score at all
