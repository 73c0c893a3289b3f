"""Prompts to ``sendMessage`` calls (pure): inline keyboards within Telegram's limits.

- CSAT 1-5: one row of five star buttons; NPS 0-10: rows 0-5 / 6-10; CES 1-7: rows 1-4 / 5-7; the
  scale's anchor words get a keyboard row of their own under the scale ("1 · Not solved",
  "5 · Fully solved", which answer those ends), or go in the text when they do not fit a button.
- A choice: one button per row.
- Fallbacks, never silent truncation: labels too long for a button are listed by number in the
  text with numbered buttons; buttons whose callback data cannot fit 64 bytes (or too many
  options) become numbered text to answer by typing. Texts over 4096 characters are split into
  several messages, the keyboard on the last.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from adapters.kit import text as text_kit
from adapters.kit.text import utf16_len as utf16_len  # re-exported: Telegram counts this way
from adapters.telegram import callback
from adapters.telegram.botapi import Call, send_message
from bot.ports import Capabilities
from bot.prompts import AskChoice, AskRating, Option, Prompt, prompt_text

MAX_TEXT = 4096
"""Telegram's message limit, counted (like Telegram) in UTF-16 code units (:func:`utf16_len`)."""

CAPABILITIES = Capabilities(
    max_buttons=100,  # Telegram's keyboard limit
    max_buttons_per_row=8,
    # 64 bytes of callback data minus "a:<8-char survey id>:<step up to 32>:" = 20 for the option id.
    max_option_id_bytes=20,
    max_button_label=40,  # longer labels are cut off with "..." by the apps: list them in the text
    max_text=MAX_TEXT,
    can_edit=True,
)


Button = dict[str, str]
"""An ``InlineKeyboardButton``: ``{"text": ..., "callback_data": ...}``."""


def render(prompt: Prompt, chat_id: str, capabilities: Capabilities = CAPABILITIES) -> list[Call]:
    """The ``sendMessage`` calls that show ``prompt`` in ``chat_id`` (none for an empty text)."""
    text, markup = _draw(prompt, capabilities)
    parts = split_text(text, capabilities.max_text)
    return [
        send_message(chat_id, part, markup if last else None)
        for last, part in ((i == len(parts) - 1, part) for i, part in enumerate(parts))
    ]


def _draw(prompt: Prompt, caps: Capabilities) -> tuple[str, dict[str, Any] | None]:
    if not isinstance(prompt, AskRating | AskChoice):
        return prompt_text(prompt), None
    head = prompt.text
    ends = _anchor_row(prompt, caps) if isinstance(prompt, AskRating) else []
    if isinstance(prompt, AskRating) and not ends:
        scale = prompt.scale
        anchors = [
            f"{v} = {label}" for v, label in ((scale.low, scale.low_label), (scale.high, scale.high_label))
        ]
        if scale.low_label or scale.high_label:
            head = f"{head}\n{', '.join(anchors)}"
    options = prompt.options
    packed = [callback.pack(prompt.survey, prompt.step, o.id) for o in options]
    datas = [d for d in packed if d is not None]
    if len(datas) < len(packed) or not 0 < len(options) <= caps.max_buttons:
        return _numbered(head, options, prompt.hint, listed=isinstance(prompt, AskChoice)), None
    labels = [o.label for o in options]
    listed = any(len(label) > caps.max_button_label for label in labels)
    if listed:  # number the options in the text, put the numbers on the buttons
        head = _numbered(head, options, prompt.hint, listed=True)
        labels = [str(i) for i in range(1, len(options) + 1)]
    sizes = _rows(
        len(options), caps.max_buttons_per_row, one_per_row=isinstance(prompt, AskChoice) and not listed
    )
    buttons = [{"text": label, "callback_data": data} for label, data in zip(labels, datas, strict=True)]
    rows = _chunk(buttons, sizes)
    return head, {"inline_keyboard": [*rows, ends] if ends else rows}


def _anchor_row(prompt: AskRating, caps: Capabilities) -> list[Button]:
    """The scale's anchor words as a row of two buttons that answer its ends ([] when they do not fit)."""
    scale = prompt.scale
    if not (scale.low_label and scale.high_label):
        return []
    row = []
    for value, label in ((scale.low, scale.low_label), (scale.high, scale.high_label)):
        text = f"{value} · {label}"
        data = callback.pack(prompt.survey, prompt.step, str(value))
        if data is None or len(text) > caps.max_button_label:
            return []
        row.append({"text": text, "callback_data": data})
    return row


def _numbered(head: str, options: Sequence[Option], hint: str, *, listed: bool) -> str:
    lines = [head]
    if listed:
        lines += [f"{i}. {o.label}" for i, o in enumerate(options, 1)]
    if hint:
        lines.append(hint)
    return "\n".join(lines)


def _rows(count: int, per_row: int, *, one_per_row: bool) -> list[int]:
    """Row sizes: one button per row, one row up to 5, else even rows (11 -> 6+5, 7 -> 4+3)."""
    if one_per_row:
        return [1] * count
    if count <= 5:
        return [count]
    rows = max(2, math.ceil(count / per_row))
    return [count // rows + (1 if i < count % rows else 0) for i in range(rows)]


def _chunk(buttons: list[Button], sizes: list[int]) -> list[list[Button]]:
    rows, start = [], 0
    for size in sizes:
        rows.append(buttons[start : start + size])
        start += size
    return rows


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """``text`` in parts of at most ``limit`` (UTF-16) units, cut at a line break or space if any.

    Only the whitespace character at a cut is dropped; no other character is lost. An empty or
    all-blank text gives no parts (Telegram refuses empty messages).
    """
    return text_kit.split_text(text, limit, measure=utf16_len, keep_spaces=True)
