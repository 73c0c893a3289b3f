"""Faces alone beside a score (``bot.faces``): irony or unhappiness after a high score is the
comment, a face that only agrees with the score is none, and the rest is left to the reader."""

from __future__ import annotations

import pytest

from bot.faces import EMOTICON, STARS, emoji, face_beside, glyph, without_agreeing_face


@pytest.mark.parametrize(
    ("face", "score", "middle", "said"),
    [
        ("🙃", 5, 3, "comment"),
        ("🙄", 5, 3, "comment"),
        ("😒", 4, 3, "comment"),
        ("👎", 5, 3, "comment"),
        ("👍🙄", 5, 3, "comment"),  # one face of the two says something
        (":(", 5, 3, "comment"),
        ("🙄", 10, 5, "comment"),  # NPS: its middle is 5
        ("😑", 7, 4, "comment"),  # CES
        ("😊", 5, 3, "nothing"),
        ("👍👍", 5, 3, "nothing"),
        ("❤️", 5, 3, "nothing"),  # with the emoji-style selector
        ("👍🏽", 4, 3, "nothing"),  # with a skin tone
        ("🎉", 5, 3, "nothing"),
        (":D", 5, 3, "nothing"),
        (";)", 4, 3, "nothing"),
        ("😊", 9, 5, "nothing"),
        ("😡", 1, 3, "nothing"),
        ("😭", 2, 3, "nothing"),
        ("😂", 5, 3, None),  # neither happy nor ironic for sure: read as before (kept)
        (":)", 1, 3, None),  # a scale read backwards? read as before (refused)
        ("🙏", 1, 3, None),
        ("😊", 3, 3, None),  # the middle of the scale
        ("⭐⭐⭐⭐⭐", 5, 3, None),  # stars are a score of their own
        ("🙃 lol", 5, 3, None),  # words too: no lone face
        ("", 5, 3, None),
    ],
)
def test_a_lone_face_says_something_only_beside_a_score_it_does_not_agree_with(
    face: str, score: int, middle: float, said: str | None
) -> None:
    assert face_beside(face, score, middle) == said


def test_a_cut_falls_between_text_emoji_and_stars() -> None:
    assert [glyph(ch) for ch in "5👍⭐"] == [0, 1, 2]
    assert emoji("\ufe0f") and emoji("❤") and not emoji("5") and not emoji("好")


def test_emoticons_and_stars() -> None:
    assert all(EMOTICON.match(face) for face in (":)", ":-(", ":D", "^_^", "xd", "<3"))
    assert not EMOTICON.match("ok") and STARS.search("5⭐") and not STARS.search("5分")


@pytest.mark.parametrize(
    ("comment", "score", "after", "left"),
    [
        ("😞 nobody helped", 2, True, "nobody helped"),
        ("nobody helped 😞", 2, False, "nobody helped"),
        ("nobody helped 😞", 2, True, "nobody helped 😞"),  # at the far end: the words' own face
        ("🙄 great job", 5, True, "🙄 great job"),  # irony beside a high score says something
        ("😊 awful", 1, True, "😊 awful"),  # a happy face beside a 1 may be a scale read backwards
        ("😊👍 Maria was great", 5, True, "Maria was great"),
        ("😞", 2, True, "😞"),  # a lone face is read by face_beside
    ],
)
def test_a_face_next_to_the_score_that_agrees_with_it_is_no_comment(
    comment: str, score: int, after: bool, left: str
) -> None:
    assert without_agreeing_face(comment, score, 3, after=after) == left
