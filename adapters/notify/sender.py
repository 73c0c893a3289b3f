"""The :class:`bot.delivery.Notifier`: one stored notice, rendered for its target and sent, paced.

The outbox row names the target, not its URL, so a corrected URL in config.yaml (or in the
environment, after a restart) applies to the retries of notifications already queued.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

import httpx

from adapters.base import AdapterContext, ChannelAdapter
from adapters.notify import digest, feishu, slack, webhook, wecom_robot
from adapters.notify.limits import Pacer
from adapters.notify.posting import ErrorCheck, RedactUrls, post
from bot.config.notifications import NotificationTarget, missing_secrets
from bot.digest import Digest
from bot.errors import DeliveryError, SecretMissingError
from bot.notifications import Notice
from bot.settings import Settings

if TYPE_CHECKING:  # aiogram is imported only when channels.telegram is enabled
    from adapters.telegram import TelegramChannel


class Notifications:
    """Sends notifications to the targets in ``notifications.targets``.

    ``telegram`` is the Telegram adapter, which posts to groups as the bot; ``pacer`` holds the
    targets' rate limits; ``clock`` gives Unix seconds for signatures (the real time: receivers
    check it against theirs).
    """

    def __init__(
        self,
        settings: Callable[[], Settings],
        http: httpx.AsyncClient,
        environ: Mapping[str, str],
        *,
        telegram: TelegramChannel | None = None,
        pacer: Pacer | None = None,
        clock: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        self.settings = settings
        self.http = http
        self.environ = environ
        self.telegram = telegram
        self.pacer = pacer or Pacer()
        self.clock = clock
        self.timeout = timeout
        self._redact = RedactUrls()
        self._redact.install()

    async def notify(self, target: str, body: dict[str, Any], delivery_id: int, wait: float) -> str | None:
        config = self.settings().config
        spec = config.notifications.targets.get(target)
        if spec is None or not spec.enabled:
            raise DeliveryError(
                f"notification target {target!r} is no longer in config.yaml, or disabled", permanent=True
            )
        locale = spec.locale or config.default_locale
        if "digest" in body:
            return await self._digest(target, spec, body["digest"], locale, wait)
        try:
            notice = Notice.from_dict(body["notice"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DeliveryError(f"{target}: outbox body is not a notice: {exc!r}", permanent=True) from exc
        if spec.kind == "telegram_group":
            return await self._to_group(target, spec, notice, locale, wait)
        url = self._url(target, spec)
        if not await self.pacer.take(url, spec.kind, wait):
            return None
        headers: dict[str, str] = {}
        check: ErrorCheck
        match spec.kind:
            case "slack":
                content, check = webhook.encode(slack.render(notice, locale)), slack.delivery_error
            case "wecom_robot":
                content, check = (
                    webhook.encode(wecom_robot.render(notice, locale)),
                    wecom_robot.delivery_error,
                )
            case "feishu":
                secret = self._secret(target, spec)
                payload = feishu.render(notice, locale, secret=secret, timestamp=int(self.clock()))
                content, check = webhook.encode(payload), feishu.delivery_error
            case _:
                document = body.get("document")
                if not isinstance(document, dict):
                    raise DeliveryError(f"{target}: outbox body has no ticket document", permanent=True)
                content, check = webhook.encode(document), webhook.delivery_error
                secret = self._secret(target, spec)
                headers = webhook.headers(notice.event, delivery_id, int(self.clock()), content, secret)
        self._redact.add(url, target)
        await post(self.http, target, url, content, check, headers=headers, timeout=self.timeout)
        return ""

    async def _to_group(
        self, target: str, spec: NotificationTarget, notice: Notice | Digest, locale: str, wait: float
    ) -> str | None:
        if self.telegram is None or spec.chat_id is None:
            raise DeliveryError(f"{target}: telegram_group needs channels.telegram enabled", permanent=True)
        chat = str(spec.chat_id)
        if not await self.pacer.take(f"telegram:{chat}", spec.kind, wait):
            return None
        from adapters.telegram import group  # the adapter exists: its modules are loaded already
        from adapters.telegram.botapi import message_id

        if isinstance(notice, Digest):
            call = group.group_message(spec.chat_id, digest.plain_text(notice, locale))
        else:
            call = group.render_notice(notice, spec.chat_id, locale)
        return str(message_id(await self.telegram.call(call)))

    async def _digest(
        self, target: str, spec: NotificationTarget, data: Any, locale: str, wait: float
    ) -> str | None:
        """Post the good-news digest (:mod:`adapters.notify.digest`) to a chat target."""
        try:
            found = Digest.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DeliveryError(f"{target}: outbox body is not a digest: {exc!r}", permanent=True) from exc
        if spec.kind == "telegram_group":
            return await self._to_group(target, spec, found, locale, wait)
        url = self._url(target, spec)
        if not await self.pacer.take(url, spec.kind, wait):
            return None
        check: ErrorCheck
        match spec.kind:
            case "slack":
                payload, check = digest.slack(found, locale), slack.delivery_error
            case "wecom_robot":
                payload, check = digest.wecom(found, locale), wecom_robot.delivery_error
            case "feishu":
                message = {"msg_type": "interactive", "card": digest.feishu_card(found, locale)}
                secret = self._secret(target, spec)
                payload = feishu.signed(message, secret, int(self.clock()))
                check = feishu.delivery_error
            case _:
                raise DeliveryError(f"{target}: a {spec.kind} target gets no digest", permanent=True)
        self._redact.add(url, target)
        await post(self.http, target, url, webhook.encode(payload), check, timeout=self.timeout)
        return ""

    def _url(self, target: str, spec: NotificationTarget) -> str:
        if spec.url is not None:
            return str(spec.url)
        url = self.environ.get(spec.url_env or "", "")
        if not url.startswith(("https://", "http://")):
            raise DeliveryError(f"{target}: {spec.url_env} does not hold an http(s) URL", permanent=True)
        return url

    def _secret(self, target: str, spec: NotificationTarget) -> str | None:
        if spec.secret_env is None:
            return None
        secret = self.environ.get(spec.secret_env)
        if not secret:
            raise DeliveryError(
                f"{target}: the environment variable {spec.secret_env} is not set", permanent=True
            )
        return secret

    def close(self) -> None:
        """Stop redacting this sender's URLs in the logs (the app is stopping)."""
        self._redact.remove()


def build_notifier(ctx: AdapterContext, telegram: ChannelAdapter | None = None) -> Notifications:
    """The notifier for ``notifications:``; refuse to start when a target's variable is unset or bad."""
    notifications = ctx.settings().config.notifications
    problems = missing_secrets(notifications, ctx.environ)
    for name, target in notifications.enabled():
        value = ctx.environ.get(target.url_env or "")
        if value and not value.startswith(("https://", "http://")):
            problems.append(
                f"notifications.targets.{name}: the environment variable {target.url_env} must hold the "
                "webhook's http(s) URL"
            )
    if problems:
        raise SecretMissingError(problems)
    return Notifications(
        ctx.settings,
        ctx.http,
        ctx.environ,
        telegram=telegram if _is_telegram(telegram) else None,
    )


def _is_telegram(adapter: ChannelAdapter | None) -> TypeGuard[TelegramChannel]:
    """Whether ``adapter`` is the Telegram adapter, without importing aiogram when it is not built."""
    if adapter is None or "adapters.telegram" not in sys.modules:
        return False
    from adapters.telegram import TelegramChannel

    return isinstance(adapter, TelegramChannel)
