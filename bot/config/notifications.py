"""``notifications:`` in config.yaml: who hears about tickets, and the SLA re-notify policy.

Each named target is a chat group or a webhook: a Telegram group through the bot (with Claim and
Resolve buttons), a Slack incoming webhook, a WeCom group robot, a Feishu custom bot, or a plain
JSON webhook signed with HMAC-SHA256 for ticketing systems. Secrets never live here: a target names
the environment variables that hold its webhook URL (``url_env``) or signing secret
(``secret_env``), and an enabled target whose variables are unset refuses to start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from bot.config.durations import Duration
from bot.config.secrets import WEBHOOK_URL

TargetKind = Literal["telegram_group", "slack", "wecom_robot", "feishu", "webhook"]
EventName = Literal[
    "ticket.opened", "ticket.updated", "ticket.assigned", "ticket.resolved", "ticket.closed", "sla.breached"
]
EVENTS: tuple[str, ...] = get_args(EventName)
CHAT_EVENTS: tuple[str, ...] = ("ticket.opened", "ticket.assigned", "ticket.resolved", "sla.breached")
"""What a chat target gets when it lists no ``events`` (a webhook target gets every event)."""
URL_KINDS: frozenset[str] = frozenset({"slack", "wecom_robot", "feishu", "webhook"})
SIGNED_KINDS: frozenset[str] = frozenset({"feishu", "webhook"})

EnvName = Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=128)]
TargetName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
_TELEGRAM_USER = re.compile(r"^(\d{1,20}|@[A-Za-z0-9_]{4,32})$")


AGENT_CHARS = 64 - len("agent:")
"""The longest agent name (as for console users): a Resolve tap sends the customer the resolved
message signed ``agent:<name>`` in ``message.author`` (64 characters), which PostgreSQL refuses longer."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotificationTarget(_Strict):
    """One place that hears about tickets: a chat group or a webhook."""

    kind: TargetKind
    enabled: bool = True
    teams: list[str] | None = None
    """Only tickets of these teams (default: every team)."""
    events: list[EventName] | None = None
    """Only these events (default: opened, assigned, resolved and sla.breached for chat targets;
    every event for a webhook)."""
    locale: str | None = None
    """The language of the messages (default: ``default_locale``)."""
    url: Annotated[HttpUrl | None, WEBHOOK_URL] = None
    url_env: EnvName | None = None
    """The environment variable holding the URL, for URLs that are themselves secrets (Slack, WeCom)."""
    secret_env: EnvName | None = None
    """Feishu: the signing secret; webhook: the HMAC secret of ``X-Csatbot-Signature``."""
    chat_id: int | None = None
    """telegram_group: the group's chat id (negative, e.g. -1001234567890)."""
    agents: dict[str, Annotated[str, Field(min_length=1, max_length=AGENT_CHARS)]] = {}
    """telegram_group: who may tap Claim and Resolve: Telegram user id or @username -> agent name."""

    @field_validator("agents", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        # YAML reads `123456789: amy` with a number for a key.
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value

    @field_validator("events")
    @classmethod
    def _events(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("list at least one event, or leave events out for the default")
        return value

    @model_validator(mode="after")
    def _fits_kind(self) -> NotificationTarget:
        kind = self.kind
        if kind == "telegram_group":
            if self.chat_id is None:
                raise ValueError(
                    "a telegram_group target needs chat_id (the group's id, e.g. -1001234567890)"
                )
            for name in ("url", "url_env", "secret_env"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"{name} does not apply to a telegram_group target (it sends through the bot)"
                    )
            bad = [key for key in self.agents if not _TELEGRAM_USER.match(key)]
            if bad:
                raise ValueError(
                    f"agents: {', '.join(bad)} is not a Telegram user id or @username (e.g. 123456789, @amy)"
                )
            _one_key_per_username(self.agents)
            return self
        if (self.url is None) == (self.url_env is None):
            raise ValueError(f"a {kind} target needs exactly one of url or url_env (the webhook URL)")
        if self.chat_id is not None or self.agents:
            raise ValueError("chat_id and agents only apply to kind telegram_group")
        if self.secret_env is not None and kind not in SIGNED_KINDS:
            raise ValueError(f"secret_env does not apply to {kind} (only feishu and webhook sign requests)")
        return self

    def subscribed(self, event: str) -> bool:
        """Whether this target gets ``event``."""
        default = EVENTS if self.kind == "webhook" else CHAT_EVENTS
        return event in (self.events if self.events is not None else default)

    def covers(self, team: str) -> bool:
        return self.teams is None or team in self.teams

    def required_secrets(self) -> tuple[str, ...]:
        """The environment variables this target needs."""
        return tuple(v for v in (self.url_env, self.secret_env) if v is not None)

    def agent_for(self, user_id: int, username: str | None) -> str | None:
        """The agent a Telegram user is, by id or @username; ``None`` for anyone else."""
        found = self.agents.get(str(user_id))
        if found is None and username:
            wanted = f"@{username}".lower()
            found = next((agent for key, agent in self.agents.items() if key.lower() == wanted), None)
        return found


def _one_key_per_username(agents: dict[str, str]) -> None:
    """Telegram usernames ignore case: ``@Amy`` and ``@AMY`` are one user, so listing both would
    leave which agent they are to the order of the keys."""
    seen: dict[str, str] = {}
    for key in agents:
        earlier = seen.setdefault(key.lower(), key)
        if earlier != key:
            raise ValueError(
                f"agents: {earlier} and {key} are one Telegram user (usernames ignore case): keep one"
            )


class SlaNotifications(_Strict):
    """How an open ticket past its SLA is re-announced (event ``sla.breached``)."""

    renotify_every: Duration | None = Field(default=timedelta(hours=1), json_schema_extra={"default": "1h"})
    """Announce the breach again this often until the ticket is resolved or closed (null: once)."""

    @field_validator("renotify_every")
    @classmethod
    def _not_too_often(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < timedelta(minutes=1):
            raise ValueError("renotify_every must be at least 1m (or null to announce a breach once)")
        return value


class NotificationsConfig(_Strict):
    """Targets that hear about tickets, and the SLA re-notify policy."""

    public_url: HttpUrl | None = None
    """Where agents reach csatbot: links go to ``<public_url>/console/tickets/<id>``."""
    sla: SlaNotifications = SlaNotifications()
    targets: dict[TargetName, NotificationTarget] = {}

    def enabled(self) -> Iterator[tuple[str, NotificationTarget]]:
        return ((name, target) for name, target in self.targets.items() if target.enabled)

    def link(self, ticket_id: int) -> str:
        """The ticket's console page (a path when ``public_url`` is not set)."""
        base = str(self.public_url).rstrip("/") if self.public_url is not None else ""
        return f"{base}/console/tickets/{ticket_id}"


def missing_secrets(notifications: NotificationsConfig, environ: Mapping[str, str]) -> list[str]:
    """One message per enabled target variable that is unset, naming the variable."""
    return [
        f"notifications.targets.{name}: enabled but the environment variable {variable} is not set "
        f"(set it, or set notifications.targets.{name}.enabled: false)"
        for name, target in notifications.enabled()
        for variable in target.required_secrets()
        if not environ.get(variable)
    ]
