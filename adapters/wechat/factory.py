"""Building the two channels from ``config.yaml`` and the environment.

Official Account (``channels.wechat``): ``WECHAT_TOKEN`` (the callback token), ``WECHAT_APP_SECRET``
and, in safe mode, ``WECHAT_ENCODING_AES_KEY``. WeCom (``channels.wecom``): ``WECOM_TOKEN``,
``WECOM_SECRET`` (the app's Secret) and ``WECOM_ENCODING_AES_KEY`` (WeCom always encrypts).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from pydantic import HttpUrl

from adapters.base import AdapterContext
from adapters.http import RateLimits
from adapters.wechat import render
from adapters.wechat.api import TokenSource, WeChatApi
from adapters.wechat.channel import Platform, WeChatChannel
from adapters.wechat.crypto import Cipher
from adapters.wechat.verify import Verifier
from bot.config.channels import WeChatConfig, WeComConfig
from bot.errors import ConfigError
from bot.ports import Capabilities

OA_BASE = "https://api.weixin.qq.com"
WECOM_BASE = "https://qyapi.weixin.qq.com"
WINDOW = timedelta(hours=48)
_KEY_PREFIX = len("12345678:") + 32 + 1  # "<survey>:<step up to 32>:" before the option id

OFFICIAL_CAPABILITIES = Capabilities(
    max_buttons=render.MENU_ITEMS,  # a msgmenu shows its items one per line
    max_buttons_per_row=1,
    max_option_id_bytes=render.MENU_ID_BYTES - _KEY_PREFIX,
    max_button_label=render.MENU_ITEM_BYTES // 3,
    max_list_rows=render.MENU_ITEMS,
    max_list_label=render.MENU_ITEM_BYTES // 3,
    max_text=render.TEXT_BYTES,
    can_edit=False,
    window=WINDOW,
)
WECOM_CAPABILITIES = Capabilities(
    max_buttons=render.CARD_BUTTONS,
    max_buttons_per_row=render.CARD_BUTTONS,
    max_option_id_bytes=render.CARD_KEY_BYTES - _KEY_PREFIX,
    max_button_label=render.CARD_BUTTON_CHARS,
    max_list_rows=0,
    max_text=render.TEXT_BYTES,
    can_edit=False,
    window=None,  # a self-built app may write to its members at any time
)


def build_official_account(config: WeChatConfig, ctx: AdapterContext) -> WeChatChannel:
    """The ``wechat`` channel: one Official Account, plain or safe mode."""
    env = ctx.environ
    if not config.app_id:
        raise ConfigError(["channels.wechat.app_id: required (the Official Account's AppID, wx...)"])
    cipher = None
    if config.safe_mode:  # the registry has checked that the variable is set (required_secrets)
        key = config.aes_key_env
        cipher = _cipher(env[config.token_env], env[key], key, config.app_id, enterprise=False)
    token = TokenSource(
        "/cgi-bin/token",
        {"grant_type": "client_credential", "appid": config.app_id, "secret": env[config.app_secret_env]},
    )
    platform = Platform(
        name="wechat",
        enterprise=False,
        send_path="/cgi-bin/message/custom/send",
        ack="success",
        capabilities=OFFICIAL_CAPABILITIES,
        limits=RateLimits(overall_per_second=100, per_chat=None),
        render=lambda to, prompt: render.official_bodies(to.user, prompt),
    )
    return _assemble(
        platform, ctx, config.path, env[config.token_env], cipher, token, _base(config.api_base, OA_BASE)
    )


def build_wecom(config: WeComConfig, ctx: AdapterContext) -> WeChatChannel:
    """The ``wecom`` channel: one WeCom self-built app (always encrypted)."""
    env = ctx.environ
    problems = []
    if not config.corp_id:
        problems.append("channels.wecom.corp_id: required (the CorpID, ww... or wx...)")
    if config.agent_id <= 0:
        problems.append("channels.wecom.agent_id: required (the app's AgentId, a positive number)")
    if problems:
        raise ConfigError(problems)
    key = config.aes_key_env
    cipher = _cipher(env[config.token_env], env[key], key, config.corp_id, enterprise=True)
    token = TokenSource("/cgi-bin/gettoken", {"corpid": config.corp_id, "corpsecret": env[config.secret_env]})
    agent_id = config.agent_id
    platform = Platform(
        name="wecom",
        enterprise=True,
        send_path="/cgi-bin/message/send",
        ack="",
        capabilities=WECOM_CAPABILITIES,
        # WeCom drops (silently) more than 30 messages a minute to one member.
        limits=RateLimits(overall_per_second=100, per_chat=(30, 60)),
        render=lambda to, prompt: render.wecom_bodies(to.user, agent_id, prompt, _task_id),
    )
    return _assemble(
        platform, ctx, config.path, env[config.token_env], cipher, token, _base(config.api_base, WECOM_BASE)
    )


def _assemble(
    platform: Platform,
    ctx: AdapterContext,
    path: str,
    callback_token: str,
    cipher: Cipher | None,
    token: TokenSource,
    base: str,
) -> WeChatChannel:
    # Only WeCom encrypts the echostr of its URL check; an OA signs it plainly even in safe mode.
    verifier = Verifier(callback_token, cipher, encrypted_echo=platform.enterprise)
    api = WeChatApi(platform.name, ctx.http, base, token)
    return WeChatChannel(platform, ctx, path=path, verifier=verifier, api=api)


def _cipher(token: str, key: str, key_name: str, receive_id: str, *, enterprise: bool) -> Cipher:
    try:
        return Cipher(token, key, receive_id, enterprise=enterprise)
    except ValueError as exc:
        raise ConfigError([f"{key_name}: not an EncodingAESKey: {exc}"], source="environment") from exc


def _base(api_base: HttpUrl | None, default: str) -> str:
    """The API root without a trailing slash or ``/cgi-bin`` (both are accepted in config)."""
    base = str(api_base or default).rstrip("/")
    return base.removesuffix("/cgi-bin")


def _task_id() -> str:
    """A new WeCom card task id (unique per app; letters, digits, ``_-@``)."""
    return f"csatbot-{secrets.token_hex(8)}"
