"""Per-channel settings in ``config.yaml``. Secrets never live here: they come from the environment.

Each channel lists the environment variables it needs in ``secrets``, declared here only (adapters
import the names from here); an enabled channel whose variables are unset refuses to start
(:func:`missing_secrets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from bot.config.secrets import URL_WITH_PASSWORD


class _Channel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    secrets: ClassVar[tuple[str, ...]] = ()

    enabled: bool = False

    def required_secrets(self) -> tuple[str, ...]:
        """The environment variables this channel needs, as configured."""
        return self.secrets


class WebChatConfig(_Channel):
    """The built-in web chat (page at ``/``, JSON API under ``/api/webchat``)."""

    enabled: bool = True
    title: str = "csatbot"
    messages_per_minute: int | None = Field(default=60, ge=1)
    """Messages one customer may send a minute after a first 20 (a 429 beyond); ``null``: no limit."""
    sessions_per_minute: int | None = Field(default=30, ge=1)
    """Chat sessions one client address may start a minute after a first 30 (loopback is not
    limited: behind a proxy set ``FORWARDED_ALLOW_IPS`` so addresses are the clients'); ``null``: no
    limit."""
    address_messages_per_minute: int | None = Field(default=300, ge=1)
    """Messages all the customers of one client address may send a minute after a first 100 (loopback
    is not limited): each new session brings its own ``messages_per_minute``, so without this one
    address wrote faster the longer it went on; ``null``: no limit."""


class TelegramConfig(_Channel):
    """Telegram bot through aiogram: webhook at ``path`` or long polling for development."""

    token_env: ClassVar[str] = "TELEGRAM_BOT_TOKEN"
    secret_env: ClassVar[str] = "TELEGRAM_WEBHOOK_SECRET"
    secrets: ClassVar[tuple[str, ...]] = (token_env, secret_env)
    path: str = "/webhooks/telegram"
    api_base: Annotated[HttpUrl | None, URL_WITH_PASSWORD] = None
    bot_username: str = ""
    polling: bool = False
    """Long polling instead of the webhook (development; also ``csatbot serve --telegram-polling``)."""

    def required_secrets(self) -> tuple[str, ...]:
        # Polling needs no webhook secret: Telegram never calls us.
        return (self.token_env,) if self.polling else self.secrets


class WeChatConfig(_Channel):
    """WeChat Official Account: plain or safe (AES) mode."""

    token_env: ClassVar[str] = "WECHAT_TOKEN"
    app_secret_env: ClassVar[str] = "WECHAT_APP_SECRET"
    aes_key_env: ClassVar[str] = "WECHAT_ENCODING_AES_KEY"
    secrets: ClassVar[tuple[str, ...]] = (token_env, app_secret_env)
    path: str = "/webhooks/wechat"
    app_id: str = ""
    safe_mode: bool = True
    api_base: Annotated[HttpUrl | None, URL_WITH_PASSWORD] = None

    def required_secrets(self) -> tuple[str, ...]:
        return (*self.secrets, self.aes_key_env) if self.safe_mode else self.secrets


class WeComConfig(_Channel):
    """WeCom (企业微信) self-built application callbacks."""

    token_env: ClassVar[str] = "WECOM_TOKEN"
    secret_env: ClassVar[str] = "WECOM_SECRET"
    aes_key_env: ClassVar[str] = "WECOM_ENCODING_AES_KEY"
    secrets: ClassVar[tuple[str, ...]] = (token_env, secret_env, aes_key_env)
    path: str = "/webhooks/wecom"
    corp_id: str = ""
    agent_id: int = 0
    api_base: Annotated[HttpUrl | None, URL_WITH_PASSWORD] = None


class WhatsAppTemplate(BaseModel):
    """The approved template that opens a survey outside the 24-hour window."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    language: str = "en_US"


class WhatsAppConfig(_Channel):
    """WhatsApp Cloud API webhooks and the ``/{phone-number-id}/messages`` endpoint."""

    token_env: ClassVar[str] = "WHATSAPP_TOKEN"
    app_secret_env: ClassVar[str] = "WHATSAPP_APP_SECRET"
    verify_token_env: ClassVar[str] = "WHATSAPP_VERIFY_TOKEN"
    secrets: ClassVar[tuple[str, ...]] = (token_env, app_secret_env, verify_token_env)
    path: str = "/webhooks/whatsapp"
    phone_number_id: str = ""
    api_base: Annotated[HttpUrl, URL_WITH_PASSWORD] = HttpUrl("https://graph.facebook.com/v23.0/")
    template: WhatsAppTemplate | None = None


class ChannelsConfig(BaseModel):
    """Which channels are on."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    webchat: WebChatConfig = WebChatConfig()
    telegram: TelegramConfig = TelegramConfig()
    wechat: WeChatConfig = WeChatConfig()
    wecom: WeComConfig = WeComConfig()
    whatsapp: WhatsAppConfig = WhatsAppConfig()
    max_body_bytes: int = Field(default=1_000_000, ge=1024, le=64 * 2**20)
    """The largest request body taken (413 beyond); at most 64 MiB, held in memory per request."""

    @classmethod
    def names(cls) -> list[str]:
        """The channel names, in config order."""
        return [
            name
            for name, field in cls.model_fields.items()
            if isinstance(field.annotation, type) and issubclass(field.annotation, _Channel)
        ]

    def enabled(self) -> list[str]:
        """The names of the channels switched on."""
        return [name for name in self.names() if getattr(self, name).enabled]


def missing_secrets(channels: ChannelsConfig, environ: Mapping[str, str]) -> list[str]:
    """One message per enabled channel variable that is unset, naming the variable."""
    problems = []
    for name in channels.enabled():
        spec = getattr(channels, name)
        for variable in spec.required_secrets():
            if not environ.get(variable):
                problems.append(
                    f"channels.{name}: enabled but the environment variable {variable} is not set "
                    f"(set it, or set channels.{name}.enabled: false)"
                )
    return problems
