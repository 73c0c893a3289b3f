"""Traditional Chinese read as Simplified."""

from __future__ import annotations

import pytest

from bot.hanzi import has_han, simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("非常滿意", "非常满意"),
        ("問題沒有解決", "问题没有解决"),
        ("非常满意", "非常满意"),  # Simplified stays
        ("5 stars, great", "5 stars, great"),  # no Chinese: as it is
        ("給5分 thanks", "给5分 thanks"),
    ],
)
def test_simplified(text: str, expected: str) -> None:
    assert simplified(text) == expected


def test_has_han() -> None:
    assert has_han("ok 好") and has_han("\uf900") and not has_han("ok 👍 ５")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("滿\x00滿意", "满\x00满意"),  # OpenCC stopped at the NUL: "满"
        ("\ud800滿意", "\ud800满意"),  # and could not encode a lone surrogate (UnicodeEncodeError)
        ("\udcb8\udca4分", "\udcb8\udca4分"),  # a byte that is not UTF-8, read with surrogateescape
        ("滿\x00\x00\ud800意\x00", "满\x00\x00\ud800意\x00"),
    ],
)
def test_nul_and_lone_surrogates_stay_and_the_rest_is_converted(text: str, expected: str) -> None:
    assert simplified(text) == expected
