"""Building the channels: secrets from the environment, config checks, the API base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import HttpUrl

from adapters.wechat import WeChatChannel
from adapters.wechat.factory import OA_BASE, WECOM_BASE, _base
from bot.errors import ConfigError, SecretMissingError

KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OA_ENV = {"WECHAT_TOKEN": "t", "WECHAT_APP_SECRET": "s", "WECHAT_ENCODING_AES_KEY": KEY}
OA_SECTION = {"enabled": True, "app_id": "wx2c2769f8efd9abc2"}
WECOM_ENV = {"WECOM_TOKEN": "t", "WECOM_SECRET": "s", "WECOM_ENCODING_AES_KEY": KEY}
WECOM_SECTION = {"enabled": True, "corp_id": "ww1", "agent_id": 1000002}

Make = Callable[..., Any]


def test_both_channels_build_with_their_secrets(make_runtime: Make) -> None:
    oa = make_runtime("wechat", OA_SECTION, OA_ENV).adapters["wechat"]
    assert isinstance(oa, WeChatChannel) and oa.capabilities.window is not None
    assert oa.api.base == OA_BASE  # the real host by default; tests always point api_base at a fake
    wecom = make_runtime("wecom", WECOM_SECTION, WECOM_ENV).adapters["wecom"]
    assert isinstance(wecom, WeChatChannel) and wecom.capabilities.window is None
    assert wecom.api.base == WECOM_BASE
    plain = make_runtime(
        "wechat", OA_SECTION | {"safe_mode": False}, OA_ENV | {"WECHAT_ENCODING_AES_KEY": ""}
    )
    assert plain.adapters["wechat"].verifier.cipher is None  # plain mode needs no AES key


@pytest.mark.parametrize(
    ("channel", "section", "environ", "error", "words"),
    [
        (
            "wechat",
            OA_SECTION,
            OA_ENV | {"WECHAT_ENCODING_AES_KEY": ""},
            SecretMissingError,
            "WECHAT_ENCODING_AES_KEY",
        ),
        ("wechat", OA_SECTION, OA_ENV | {"WECHAT_APP_SECRET": ""}, SecretMissingError, "WECHAT_APP_SECRET"),
        ("wecom", WECOM_SECTION, WECOM_ENV | {"WECOM_TOKEN": ""}, SecretMissingError, "WECOM_TOKEN"),
        ("wechat", OA_SECTION, OA_ENV | {"WECHAT_ENCODING_AES_KEY": "short"}, ConfigError, "43 characters"),
        ("wecom", WECOM_SECTION, WECOM_ENV | {"WECOM_ENCODING_AES_KEY": "%" * 43}, ConfigError, "base64"),
        ("wechat", {"enabled": True}, OA_ENV, ConfigError, "channels.wechat.app_id: required"),
        ("wecom", {"enabled": True}, WECOM_ENV, ConfigError, "channels.wecom.corp_id: required"),
        ("wecom", {"enabled": True, "corp_id": "ww1"}, WECOM_ENV, ConfigError, "channels.wecom.agent_id"),
    ],
)
def test_an_enabled_channel_refuses_to_start_without_what_it_needs(
    make_runtime: Make,
    channel: str,
    section: dict[str, Any],
    environ: dict[str, str],
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=words):
        make_runtime(channel, section, environ)


@pytest.mark.parametrize(
    "configured", ["http://127.0.0.1:8082", "http://127.0.0.1:8082/", "http://127.0.0.1:8082/cgi-bin/"]
)
def test_the_api_base_may_be_given_with_or_without_cgi_bin(configured: str) -> None:
    assert _base(HttpUrl(configured), OA_BASE) == "http://127.0.0.1:8082"
    assert _base(None, WECOM_BASE) == "https://qyapi.weixin.qq.com"
