"""Secrets from the environment only: missing or malformed ones stop the start, naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.telegram.channel import read_secrets
from adapters.telegram.fake import SECRET, TOKEN, TelegramSimulator
from bot.errors import ConfigError, SecretMissingError
from csatbot.runtime import Runtime

from .conftest import App, ConfigWriter


def test_good_secrets() -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    assert read_secrets(env) == (TOKEN, SECRET)
    assert read_secrets({"TELEGRAM_BOT_TOKEN": TOKEN}, polling=True) == (TOKEN, None)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token", "TELEGRAM_WEBHOOK_SECRET": SECRET}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "abc:def", "TELEGRAM_WEBHOOK_SECRET": SECRET}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": "has spaces"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": "x" * 257}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN}, "TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_bad_secrets_are_refused_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as refused:
        read_secrets(env)
    assert named in str(refused.value)
    assert all(value not in str(refused.value) for value in env.values() if len(value) > 8)  # never echoed


def test_an_enabled_telegram_without_secrets_refuses_to_start(
    tmp_path: Path, sim: TelegramSimulator, write_config: ConfigWriter
) -> None:
    config = write_config(tmp_path, {"telegram": sim.channel_config()})
    with pytest.raises(SecretMissingError) as refused:
        Runtime(config, f"sqlite:///{tmp_path / 'x.db'}", environ={})
    assert "TELEGRAM_BOT_TOKEN" in str(refused.value)
    assert "TELEGRAM_WEBHOOK_SECRET" in str(refused.value)


async def test_set_webhook_registers_the_url_with_the_secret_and_the_handled_updates(app: App) -> None:
    await app.adapter.set_webhook("https://support.example.com/webhooks/telegram")
    assert app.sim.api.called("setWebhook") == [
        {
            "url": "https://support.example.com/webhooks/telegram",
            "secret_token": SECRET,
            "allowed_updates": ["message", "callback_query", "my_chat_member"],
        }
    ]


def test_capabilities(app: App) -> None:
    caps = app.adapter.capabilities
    assert (caps.max_buttons_per_row, caps.can_edit, caps.window, caps.max_text) == (8, True, None, 4096)
