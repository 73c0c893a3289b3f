"""Chat's spellings of Chinese: a reply typed in pinyin, 666 and 555, and 8 for 不."""

from __future__ import annotations

import pytest

from bot.pinyin import digit_words, hanzi_of, not_for_eight


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("hen manyi", "很满意", id="two-words"),
        pytest.param("bu tai manyi", "不太满意", id="three-words"),
        pytest.param("taidu hen cha", "态度很差", id="a-reason"),
        pytest.param("ke yi le", "可以了", id="a-word-across-spaces"),
        pytest.param("man si le", "慢死了", id="slow-to-death"),
        pytest.param("sanxing", "三星", id="a-number-and-its-unit-as-one-word"),
        pytest.param("4fen", "4分", id="a-digit-and-fen"),
        pytest.param("rongyi 6", "容易 6", id="a-digit-after-a-word-is-set-apart"),
        pytest.param("8f", "8分", id="the-units-initial"),
        pytest.param("3x好评", "3星好评", id="xing-initial-before-a-good-review"),
        pytest.param("3x", "3x", id="x-alone-is-times"),
        pytest.param("wu", "wu", id="one-syllable-stays"),
        pytest.param("man", "man", id="an-english-word-stays"),
        pytest.param("bake", "bake", id="syllables-of-no-known-word-stay"),
        pytest.param("hen good", "hen good", id="not-all-pinyin-stays"),
        pytest.param("10 10 10", "10 10 10", id="digits-alone-stay"),
        pytest.param("er 4", "er 4", id="an-english-filler-before-a-number-stays"),
        pytest.param("5 man", "5 man", id="an-english-word-after-a-number-stays"),
        pytest.param("gai cheng 5 fen", "改成 5分", id="a-unit-beside-the-number"),
        pytest.param("manyi " * 20, "manyi " * 20, id="too-long-stays"),
    ],
)
def test_a_reply_all_in_pinyin_is_read_as_its_characters(text: str, expected: str) -> None:
    assert hanzi_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("666 给4分", "绝绝子 给4分", id="six-six-six-as-praise"),
        pytest.param("4分 555 物流太慢", "4分 呜呜呜 物流太慢", id="five-five-five-as-crying"),
        pytest.param("房间666 2分", "房间666 2分", id="a-room-number-stays"),
        pytest.param("666", "666", id="alone-it-stays"),
        pytest.param("order 555, 2", "order 555, 2", id="in-english-it-stays"),
        pytest.param("5556 号 3分", "5556 号 3分", id="a-longer-number-stays"),
    ],
)
def test_chats_runs_of_a_digit_are_words_in_a_chinese_reply(text: str, expected: str) -> None:
    assert digit_words(text) == expected


def test_eight_is_not_before_what_it_negates() -> None:
    assert not_for_eight("还是8行") == "还是不行"
    assert not_for_eight("态度8太行") == "态度不太行"
    assert not_for_eight("8分") == "8分" and not_for_eight("18行") == "18行"
