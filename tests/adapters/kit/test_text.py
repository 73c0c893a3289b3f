"""One text splitter for every channel: limits by characters, UTF-16 units or UTF-8 bytes."""

from __future__ import annotations

import pytest

from adapters.kit.text import Measure, shows_nothing, split_text, utf8_len, utf16_len


@pytest.mark.parametrize(
    ("text", "limit", "parts"),
    [
        pytest.param("short", 10, ["short"], id="short"),
        pytest.param("abcdefghij", 10, ["abcdefghij"], id="exact-limit"),
        pytest.param("aaa bb\ncc dd ee", 10, ["aaa bb", "cc dd ee"], id="line-break-first"),
        pytest.param("aaaa bbbb cccc", 10, ["aaaa bbbb", "cccc"], id="space"),
        pytest.param("abcdefghijklmno", 10, ["abcdefghij", "klmno"], id="hard-cut"),
        pytest.param("ab cdefghijklmno", 10, ["ab cdefghi", "jklmno"], id="break-too-early-cuts"),
        pytest.param("  padded  ", 10, ["padded"], id="stripped"),
        pytest.param("", 10, [], id="empty"),
        pytest.param(" \n ", 10, [], id="blank"),
    ],
)
def test_split_by_characters(text: str, limit: int, parts: list[str]) -> None:
    assert split_text(text, limit) == parts
    assert all(len(p) <= limit for p in parts)


@pytest.mark.parametrize(
    ("text", "limit", "measure", "parts"),
    [
        pytest.param("😀" * 6, 10, utf16_len, ["😀" * 5, "😀"], id="emoji-utf16-twice"),
        pytest.param("😀" * 3, 10, utf8_len, ["😀😀", "😀"], id="emoji-utf8-four-bytes"),
        pytest.param("很长的回复", 9, utf8_len, ["很长的", "回复"], id="cjk-three-bytes"),
        pytest.param("很长的回复", 8, utf8_len, ["很长", "的回", "复"], id="cjk-never-half-a-character"),
        pytest.param("第一行\n第二行", 12, utf8_len, ["第一行", "第二行"], id="cjk-line-break"),
        pytest.param("é" * 5, 5, utf8_len, ["éé", "éé", "é"], id="accent-two-bytes"),
    ],
)
def test_split_by_measure(text: str, limit: int, measure: Measure, parts: list[str]) -> None:
    assert split_text(text, limit, measure=measure) == parts
    assert all(measure(p) <= limit for p in parts)


@pytest.mark.parametrize("keep_spaces", [False, True])
def test_a_character_wider_than_the_limit_is_a_part_of_its_own(keep_spaces: bool) -> None:
    # it looped for ever: the longest prefix that fits was empty, and nothing was taken off
    assert split_text("😀ab", 1, measure=utf16_len, keep_spaces=keep_spaces) == ["😀", "a", "b"]


def test_breaks_choose_where_a_part_may_end() -> None:
    assert split_text("aaaaaa bbbbbbb", 10) == ["aaaaaa", "bbbbbbb"]
    assert split_text("aaaaaa bbbbbbb", 10, breaks=("\n",)) == ["aaaaaa bbb", "bbbb"]


@pytest.mark.parametrize(
    ("text", "limit", "parts"),
    [
        pytest.param("aaaa  bbbbbbbb", 10, ["aaaa ", "bbbbbbbb"], id="only-the-break-is-dropped"),
        pytest.param("abcdefghij klm", 10, ["abcdefghij", "klm"], id="break-just-past-the-limit"),
        pytest.param("abcdefghijklmno", 10, ["abcdefghij", "klmno"], id="hard-cut"),
        pytest.param("  ", 10, [], id="blank"),
    ],
)
def test_keep_spaces(text: str, limit: int, parts: list[str]) -> None:
    assert split_text(text, limit, keep_spaces=True) == parts


def test_nothing_visible_is_lost() -> None:
    text = "\n".join(f"第{n}行：" + "很长的回复 😀" * 7 for n in range(40))
    for measure, limit in ((len, 100), (utf16_len, 100), (utf8_len, 200)):
        parts = split_text(text, limit, measure=measure)
        assert len(parts) > 1 and all(measure(p) <= limit for p in parts)
        assert "".join("".join(parts).split()) == "".join(text.split())


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("", True),
        ("\x00", True),
        (" \x00\u200b\ufeff\u2060\u3000", True),
        ("\x00a", False),
        ("\ud800", False),
    ],
)
def test_says_nothing_is_a_text_blank_once_its_nul_characters_are_removed(text: str, nothing: bool) -> None:
    assert shows_nothing(text) is nothing
