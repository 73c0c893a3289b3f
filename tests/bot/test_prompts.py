"""Outbound prompts: their storage form and their plain-text fallback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.prompts import (
    AskChoice,
    AskRating,
    AskText,
    End,
    Option,
    Prompt,
    Say,
    Scale,
    prompt_from_dict,
    prompt_text,
    prompt_to_dict,
)

SCALE = Scale("csat", 1, 3, "bad", "good")
RATING = AskRating(
    "s1",
    "rating",
    "How was it?",
    SCALE,
    (Option("1", "⭐"), Option("2", "⭐⭐"), Option("3", "⭐⭐⭐")),
    "Tap a star.",
)
CHOICE = AskChoice(
    "s1", "reason", "What went wrong?", (Option("slow", "Slow"), Option("rude", "粗鲁")), "Reply 1-2."
)
TEXT = AskText("s1", "comment", "Anything else?", optional=True, skip_word="跳过")

PROMPTS = [
    pytest.param(Say("Hello 👋"), id="say"),
    pytest.param(RATING, id="ask-rating"),
    pytest.param(CHOICE, id="ask-choice"),
    pytest.param(AskChoice("s1", "q", "Pick", (Option("a", "A"),)), id="ask-choice-without-hint"),
    pytest.param(TEXT, id="ask-text"),
    pytest.param(End("s1", "谢谢！"), id="end"),
    pytest.param(End("s1"), id="end-silent"),
]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_prompt_round_trips_through_json(prompt: Prompt) -> None:
    stored = json.dumps(prompt_to_dict(prompt), ensure_ascii=False)
    assert prompt_from_dict(json.loads(stored)) == prompt


def test_prompt_dict_names_its_type_and_fields() -> None:
    assert prompt_to_dict(CHOICE) == {
        "type": "AskChoice",
        "survey": "s1",
        "step": "reason",
        "text": "What went wrong?",
        "options": ({"id": "slow", "label": "Slow"}, {"id": "rude", "label": "粗鲁"}),
        "hint": "Reply 1-2.",
    }
    assert prompt_to_dict(RATING)["scale"] == {
        "kind": "csat",
        "low": 1,
        "high": 3,
        "low_label": "bad",
        "high_label": "good",
    }


def test_prompt_from_dict_does_not_change_its_argument() -> None:
    data = prompt_to_dict(RATING)
    before = json.dumps(data)
    prompt_from_dict(data)
    assert json.dumps(data) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"type": "Shout", "text": "hi"}, "unknown prompt type 'Shout'", id="unknown-type"),
        pytest.param({"text": "hi"}, "unknown prompt type None", id="missing-type"),
        pytest.param(
            {"type": "Prompt", "text": "hi"}, "unknown prompt type 'Prompt'", id="not-a-prompt-class"
        ),
    ],
)
def test_prompt_from_dict_rejects_unknown_types(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        prompt_from_dict(data)


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        pytest.param(Say("Hello"), "Hello", id="say"),
        pytest.param(End("s1", "Thanks!"), "Thanks!", id="end"),
        pytest.param(End("s1"), "", id="end-silent"),
        pytest.param(RATING, "How was it?\n[1] ⭐\n[2] ⭐⭐\n[3] ⭐⭐⭐\nTap a star.", id="ask-rating"),
        # numbered as the hint says ("reply with its number"); the ids showed before, and a typed "slow"
        # is no number
        pytest.param(CHOICE, "What went wrong?\n[1] Slow\n[2] 粗鲁\nReply 1-2.", id="ask-choice"),
        pytest.param(
            AskChoice("s1", "q", "Pick", (Option("a", "A"),)), "Pick\n[1] A", id="ask-choice-without-hint"
        ),
        pytest.param(
            AskChoice("s1", "q", "Solved?", (Option("yes", "Yes"), Option("no", "No"))),
            "Solved?\n[yes] Yes\n[no] No",
            id="yes-no-keeps-its-words",
        ),
        pytest.param(TEXT, "Anything else?", id="ask-text"),
    ],
)
def test_prompt_text(prompt: Prompt, text: str) -> None:
    assert prompt_text(prompt) == text


def test_scale_values_include_both_ends() -> None:
    assert list(Scale("nps", 0, 10).values) == list(range(11))
    assert list(SCALE.values) == [1, 2, 3]
