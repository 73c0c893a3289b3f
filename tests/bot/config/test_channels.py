"""Per-channel settings (``bot.config.channels``): which channels are on, and which environment
variables an enabled channel needs before it may start."""

from __future__ import annotations

from typing import Any

import pytest

from bot.config.channels import ChannelsConfig, missing_secrets

EVERY_SECRET = {
    name: "set"
    for name in (
        "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "WECHAT_TOKEN", "WECHAT_APP_SECRET",
        "WECHAT_ENCODING_AES_KEY", "WECOM_TOKEN", "WECOM_SECRET", "WECOM_ENCODING_AES_KEY",
        "WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN",
    )
}  # fmt: skip


def channels(**sections: dict[str, Any]) -> ChannelsConfig:
    return ChannelsConfig.model_validate(sections)


def test_only_the_web_chat_is_on_by_default() -> None:
    assert ChannelsConfig.names() == ["webchat", "telegram", "wechat", "wecom", "whatsapp"]
    assert ChannelsConfig().enabled() == ["webchat"]
    assert missing_secrets(ChannelsConfig(), {}) == []  # the web chat needs no secret


@pytest.mark.parametrize(
    ("sections", "needed"),
    [
        ({"telegram": {"enabled": True}}, ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]),
        ({"telegram": {"enabled": True, "polling": True}}, ["TELEGRAM_BOT_TOKEN"]),  # Telegram never calls us
        ({"wechat": {"enabled": True}}, ["WECHAT_TOKEN", "WECHAT_APP_SECRET", "WECHAT_ENCODING_AES_KEY"]),
        ({"wechat": {"enabled": True, "safe_mode": False}}, ["WECHAT_TOKEN", "WECHAT_APP_SECRET"]),
        ({"wecom": {"enabled": True}}, ["WECOM_TOKEN", "WECOM_SECRET", "WECOM_ENCODING_AES_KEY"]),
        ({"whatsapp": {"enabled": True}}, ["WHATSAPP_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]),
        ({"whatsapp": {"enabled": False}, "webchat": {"enabled": False}}, []),
    ],
)
def test_an_enabled_channel_names_each_unset_variable(sections: dict[str, Any], needed: list[str]) -> None:
    config = channels(**sections)
    problems = missing_secrets(config, {})
    assert [p.split("environment variable ")[1].split(" ")[0] for p in problems] == needed
    assert missing_secrets(config, EVERY_SECRET) == []


def test_the_message_says_how_to_fix_it() -> None:
    [problem] = missing_secrets(channels(telegram={"enabled": True}), {"TELEGRAM_WEBHOOK_SECRET": "s"})
    assert problem == (
        "channels.telegram: enabled but the environment variable TELEGRAM_BOT_TOKEN is not set "
        "(set it, or set channels.telegram.enabled: false)"
    )


def test_an_empty_variable_counts_as_unset() -> None:
    assert missing_secrets(channels(wecom={"enabled": True}), {**EVERY_SECRET, "WECOM_SECRET": ""}) != []


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        channels(telegram={"enabled": True, "token": "in the file"})  # secrets come from the environment


@pytest.mark.parametrize("size", [64 * 2**20 + 1, 10**23])
def test_the_body_limit_cannot_be_raised_past_64_mib(size: int) -> None:
    """It caps what the web chat (no sign-in) and the webhooks hold in memory per request: 10**23 was
    taken, which is no cap at all."""
    with pytest.raises(ValueError, match=f"less than or equal to {64 * 2**20}"):
        ChannelsConfig.model_validate({"max_body_bytes": size})
    assert ChannelsConfig.model_validate({"max_body_bytes": 64 * 2**20}).max_body_bytes == 64 * 2**20
