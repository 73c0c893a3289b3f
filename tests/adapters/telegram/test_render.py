"""Prompts drawn as Telegram messages: the exact ``sendMessage`` fields, and the fallbacks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.telegram.render import CAPABILITIES, render, split_text, utf16_len
from bot.flow import rating_label
from bot.prompts import AskChoice, AskRating, AskText, End, Option, Prompt, Say, Scale, ScaleKind


def wire(prompt: Prompt) -> list[dict[str, Any]]:
    """The JSON body each call posts, decoded (every call is a ``sendMessage``)."""
    calls = render(prompt, "4242")
    assert {call.method for call in calls} <= {"sendMessage"}
    return [json.loads(json.dumps(call.params)) for call in calls]


def rating(kind: ScaleKind, low: int, high: int, low_label: str, high_label: str) -> AskRating:
    scale = Scale(kind, low, high, low_label, high_label)
    options = tuple(Option(str(v), rating_label(kind, v)) for v in scale.values)
    return AskRating("AbCdEfGh", "q1", "How was it?", scale, options, hint="Reply with a number.")


def keys(kind: str, *rows: range) -> list[list[dict[str, str]]]:
    label = (lambda v: "⭐" * v) if kind == "csat" else str
    return [[{"text": label(v), "callback_data": f"a:AbCdEfGh:q1:{v}"} for v in row] for row in rows]


def ends(low: tuple[int, str], high: tuple[int, str]) -> list[dict[str, str]]:
    """The keyboard row with the scale's anchor words, each answering its end of the scale."""
    return [{"text": f"{v} · {label}", "callback_data": f"a:AbCdEfGh:q1:{v}"} for v, label in (low, high)]


def test_csat_is_one_row_of_five_stars_and_a_row_with_the_scales_words() -> None:
    assert wire(rating("csat", 1, 5, "very dissatisfied", "very satisfied")) == [
        {
            "chat_id": "4242",
            "text": "How was it?",
            "reply_markup": {
                "inline_keyboard": [
                    *keys("csat", range(1, 6)),
                    ends((1, "very dissatisfied"), (5, "very satisfied")),
                ]
            },
        }
    ]


def test_nps_is_two_rows_0_to_5_and_6_to_10_and_the_anchor_row() -> None:
    [message] = wire(rating("nps", 0, 10, "not at all likely", "extremely likely"))
    assert message["text"] == "How was it?"
    assert message["reply_markup"] == {
        "inline_keyboard": [
            *keys("nps", range(6), range(6, 11)),
            ends((0, "not at all likely"), (10, "extremely likely")),
        ]
    }


def test_anchor_words_too_long_for_a_button_go_in_the_text() -> None:
    long = "not at all likely, not even if you paid me"
    [message] = wire(rating("nps", 0, 10, long, "extremely likely"))
    assert message["text"] == f"How was it?\n0 = {long}, 10 = extremely likely"
    assert message["reply_markup"] == {"inline_keyboard": keys("nps", range(6), range(6, 11))}


def test_ces_is_rows_1_to_4_and_5_to_7() -> None:
    [message] = wire(rating("ces", 1, 7, "very difficult", "very easy"))
    assert message["reply_markup"] == {
        "inline_keyboard": [
            *keys("ces", range(1, 5), range(5, 8)),
            ends((1, "very difficult"), (7, "very easy")),
        ]
    }


def test_a_scale_without_anchor_words_has_just_the_question() -> None:
    [message] = wire(rating("nps", 0, 10, "", ""))
    assert message["text"] == "How was it?"


REASONS = (
    Option("slow", "Slow response"),
    Option("unresolved", "Problem not solved"),
    Option("other", "Other"),
)


def test_a_choice_is_one_button_per_row() -> None:
    prompt = AskChoice("AbCdEfGh", "reason", "What went wrong?", REASONS, hint="Tap an option.")
    assert wire(prompt) == [
        {
            "chat_id": "4242",
            "text": "What went wrong?",
            "reply_markup": {
                "inline_keyboard": [
                    [{"text": "Slow response", "callback_data": "a:AbCdEfGh:reason:slow"}],
                    [{"text": "Problem not solved", "callback_data": "a:AbCdEfGh:reason:unresolved"}],
                    [{"text": "Other", "callback_data": "a:AbCdEfGh:reason:other"}],
                ]
            },
        }
    ]


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        (Say("Hello there"), "Hello there"),
        (AskText("s", "comment", "Anything else?\nReply skip to skip.", True, "skip"),
         "Anything else?\nReply skip to skip."),
        (End("s", "Thank you!"), "Thank you!"),
    ],
)  # fmt: skip
def test_plain_texts(prompt: Prompt, text: str) -> None:
    assert wire(prompt) == [{"chat_id": "4242", "text": text}]


@pytest.mark.parametrize("prompt", [End("s", ""), Say(""), Say("  \n ")])
def test_nothing_to_say_sends_nothing(prompt: Prompt) -> None:
    assert render(prompt, "4242") == []


def test_labels_too_long_for_a_button_are_listed_in_the_text_with_numbered_buttons() -> None:
    long = "The agent never answered my second question about the refund" + "!" * 10
    options = (Option("slow", "Slow response"), Option("refund", long))
    assert len(long) > CAPABILITIES.max_button_label
    [message] = wire(AskChoice("AbCdEfGh", "reason", "What went wrong?", options, hint="Tap or reply 1-2."))
    assert message["text"] == f"What went wrong?\n1. Slow response\n2. {long}\nTap or reply 1-2."
    assert message["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "1", "callback_data": "a:AbCdEfGh:reason:slow"},
                {"text": "2", "callback_data": "a:AbCdEfGh:reason:refund"},
            ]
        ]
    }


def test_buttons_whose_data_cannot_fit_64_bytes_become_numbered_text() -> None:
    step, option = "s" * 32, "o" * 32  # valid config identifiers, too long together for callback data
    prompt = AskChoice(
        "AbCdEfGh", step, "Pick one", (Option(option, "This"), Option("b", "That")), hint="Reply 1-2."
    )
    assert wire(prompt) == [{"chat_id": "4242", "text": "Pick one\n1. This\n2. That\nReply 1-2."}]


def test_a_rating_that_cannot_be_buttons_keeps_its_anchors_and_hint() -> None:
    prompt = rating("nps", 0, 10, "not at all likely", "extremely likely")
    prompt = AskRating(
        prompt.survey, "q" * 32 + "x" * 0, prompt.text, prompt.scale, prompt.options, prompt.hint
    )
    long_step = AskRating("AbCdEfGh", "s" * 60, prompt.text, prompt.scale, prompt.options, prompt.hint)
    assert wire(long_step) == [
        {
            "chat_id": "4242",
            "text": "How was it?\n0 = not at all likely, 10 = extremely likely\nReply with a number.",
        }
    ]


def test_too_many_options_become_numbered_text() -> None:
    options = tuple(Option(f"o{i}", f"Option {i}") for i in range(CAPABILITIES.max_buttons + 1))
    [message] = wire(AskChoice("AbCdEfGh", "many", "Pick", options, hint="Reply with a number."))
    assert "reply_markup" not in message
    assert message["text"].splitlines()[1] == "1. Option 0"
    assert message["text"].splitlines()[-2:] == [
        f"{len(options)}. Option {len(options) - 1}",
        "Reply with a number.",
    ]


def test_a_long_question_is_split_and_the_keyboard_goes_on_the_last_part() -> None:
    paragraph = ("word " * 199 + "end.\n") * 9  # about 9000 characters
    prompt = AskChoice("AbCdEfGh", "reason", paragraph + "What went wrong?", REASONS)
    messages = wire(prompt)
    assert len(messages) == 3
    assert all(utf16_len(m["text"]) <= 4096 for m in messages)
    assert ["reply_markup" in m for m in messages] == [False, False, True]
    assert "\n".join(m["text"] for m in messages) == paragraph + "What went wrong?"


@pytest.mark.parametrize(
    ("text", "limit", "parts"),
    [
        ("short", 10, ["short"]),
        ("aaaa bbbb cccc", 10, ["aaaa bbbb", "cccc"]),
        ("aaaa\nbbbb cccc", 10, ["aaaa bbbb", "cccc"])
        if False
        else ("aa bb\ncc dd ee", 10, ["aa bb", "cc dd ee"]),
        ("abcdefghijklmno", 10, ["abcdefghij", "klmno"]),  # no space: cut the word, lose nothing
        ("ab cdefghijklmno", 10, ["ab cdefghi", "jklmno"]),  # a break only early on: cut instead
        ("😀" * 6, 10, ["😀" * 5, "😀"]),  # emoji count twice, as in Telegram
        ("", 10, []),
    ],
)
def test_split_text(text: str, limit: int, parts: list[str]) -> None:
    assert split_text(text, limit) == parts
    assert all(utf16_len(p) <= limit for p in parts)
