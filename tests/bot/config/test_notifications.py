"""``notifications:`` (``bot.config.notifications``): what each target kind needs, what it gets,
which agent a Telegram user is, and the variables an enabled target needs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config.notifications import (
    CHAT_EVENTS,
    EVENTS,
    NotificationsConfig,
    NotificationTarget,
    SlaNotifications,
    missing_secrets,
)

GROUP = {"kind": "telegram_group", "chat_id": -1001234567890}


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"kind": "telegram_group"}, "a telegram_group target needs chat_id"),
        ({**GROUP, "url": "https://example.com/hook"}, "url does not apply to a telegram_group target"),
        ({**GROUP, "agents": {"amy": "Amy"}}, "agents: amy is not a Telegram user id or @username"),
        # Telegram usernames ignore case: one user, two agents (before, the first key listed won).
        ({**GROUP, "agents": {"@AmyLee": "amy", "@AMYLEE": "eve"}}, "agents: @AmyLee and @AMYLEE are one"),
        # Its Resolve tap signed the customer's message agent:<name>: over message.author's 64
        # characters on PostgreSQL (a DataError on every retry of the tap's turn).
        ({**GROUP, "agents": {"5001": "a" * 59}}, "String should have at most 58 characters"),
        ({"kind": "slack"}, "a slack target needs exactly one of url or url_env"),
        ({"kind": "slack", "url": "https://hooks.example/1", "url_env": "SLACK_URL"}, "exactly one of url"),
        ({"kind": "slack", "url_env": "SLACK_URL", "chat_id": 5}, "chat_id and agents only apply"),
        ({"kind": "slack", "url_env": "SLACK_URL", "secret_env": "S"}, "secret_env does not apply to slack"),
        ({"kind": "webhook", "url_env": "lower_case"}, "String should match pattern"),
        ({**GROUP, "events": []}, "list at least one event"),
    ],
)
def test_a_target_that_cannot_work_is_refused(target: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NotificationTarget.model_validate(target)


@pytest.mark.parametrize(
    ("target", "event", "gets"),
    [
        (GROUP, "ticket.opened", True),
        (GROUP, "ticket.updated", False),  # chat targets hear the events people act on
        ({"kind": "webhook", "url_env": "HOOK"}, "ticket.updated", True),  # a webhook gets everything
        ({**GROUP, "events": ["ticket.updated"]}, "ticket.updated", True),
        ({**GROUP, "events": ["ticket.updated"]}, "ticket.opened", False),
    ],
)
def test_which_events_a_target_gets(target: dict[str, Any], event: str, gets: bool) -> None:
    assert NotificationTarget.model_validate(target).subscribed(event) is gets
    assert set(CHAT_EVENTS) < set(EVENTS)


def test_a_target_covers_its_teams_or_every_team() -> None:
    assert NotificationTarget.model_validate(GROUP).covers("billing")
    only = NotificationTarget.model_validate({**GROUP, "teams": ["support"]})
    assert only.covers("support") and not only.covers("billing")


def test_a_telegram_user_is_an_agent_by_id_or_username() -> None:
    target = NotificationTarget.model_validate({**GROUP, "agents": {123456789: "amy", "@BobSmith": "bob"}})
    assert target.agent_for(123456789, None) == "amy"  # YAML's numeric key read as text
    assert target.agent_for(5, "bobsmith") == "bob"  # usernames compare without case
    assert target.agent_for(5, "BOBSMITH") == target.agent_for(6, "BobSmith") == "bob"
    assert target.agent_for(5, "eve") is None
    assert target.agent_for(5, None) is None


def test_a_telegram_username_claims_only_what_the_config_maps_it_to() -> None:
    """An agent name is never read from Telegram: @amy (any case) is not the console user amy unless
    ``agents`` says so, and an id listed for amy is not taken over by a username listed for bob."""
    target = NotificationTarget.model_validate({**GROUP, "agents": {5001: "amy", "@bob_tg": "bob"}})
    assert target.agent_for(6, "amy") is None and target.agent_for(6, "AMY") is None
    assert target.agent_for(6, "@bob_tg") is None  # Telegram sends the name without its "@"
    assert target.agent_for(5001, "bob_tg") == "amy"  # the id is the user; a username can change hands


def test_an_enabled_target_names_each_unset_variable() -> None:
    config = NotificationsConfig.model_validate(
        {
            "targets": {
                "ops": {"kind": "webhook", "url_env": "OPS_URL", "secret_env": "OPS_SECRET"},
                "off": {"kind": "slack", "url_env": "OFF_URL", "enabled": False},
            }
        }
    )
    assert missing_secrets(config, {"OPS_URL": "https://ops.example/hook"}) == [
        "notifications.targets.ops: enabled but the environment variable OPS_SECRET is not set "
        "(set it, or set notifications.targets.ops.enabled: false)"
    ]
    assert missing_secrets(config, {"OPS_URL": "u", "OPS_SECRET": "s"}) == []
    assert [name for name, _ in config.enabled()] == ["ops"]


@pytest.mark.parametrize(
    ("public_url", "link"),
    [
        (None, "/console/tickets/7"),
        ("https://csat.example.com/", "https://csat.example.com/console/tickets/7"),
    ],
)
def test_a_ticket_link_is_under_the_public_url(public_url: str | None, link: str) -> None:
    assert NotificationsConfig.model_validate({"public_url": public_url}).link(7) == link


def test_a_breach_is_announced_again_at_most_every_minute() -> None:
    assert SlaNotifications().renotify_every == timedelta(hours=1)
    assert SlaNotifications.model_validate({"renotify_every": None}).renotify_every is None
    with pytest.raises(ValidationError, match="renotify_every must be at least 1m"):
        SlaNotifications.model_validate({"renotify_every": "30s"})
