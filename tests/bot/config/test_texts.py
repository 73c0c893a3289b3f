"""The bot's built-in texts and the config's overrides (``texts:`` in config.yaml)."""

from __future__ import annotations

import string

from bot.config.schema import BotTexts
from bot.config.texts import DEFAULT_TEXTS, PLACEHOLDERS, resolve_texts


def test_every_text_the_config_may_override_has_a_default_in_both_languages() -> None:
    assert set(DEFAULT_TEXTS) == set(BotTexts.model_fields)
    assert all(set(texts) == {"en", "zh-CN"} for texts in DEFAULT_TEXTS.values())


def test_defaults_use_only_their_placeholders() -> None:
    for key, texts in DEFAULT_TEXTS.items():
        for text in texts.values():
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert used == PLACEHOLDERS.get(key, frozenset()), (key, text)


def test_an_override_replaces_one_locale_of_one_text() -> None:
    resolved = resolve_texts(BotTexts.model_validate({"welcome": {"en": "Hello from Shop!"}}))
    assert resolved["welcome"] == {"en": "Hello from Shop!", "zh-CN": DEFAULT_TEXTS["welcome"]["zh-CN"]}
    assert resolved["reminder"] == DEFAULT_TEXTS["reminder"]
    assert DEFAULT_TEXTS["welcome"]["en"] == "Hi! Tell us how we can help."  # the defaults stay


def test_an_override_may_add_a_locale() -> None:
    resolved = resolve_texts(BotTexts.model_validate({"yes": {"ja": "はい"}}))
    assert resolved["yes"] == {"en": "Yes", "zh-CN": "是", "ja": "はい"}
