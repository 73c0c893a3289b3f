"""Notifications to support teams: config, which target hears what, the rows written in the ticket's
transaction, the SLA timer, and delivery through the outbox (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import parse_config
from bot.config.notifications import missing_secrets
from bot.delivery import Dispatcher
from bot.errors import ConfigError, DeliveryError
from bot.notifications import Notice, next_alert, subscribers
from bot.settings import Settings
from bot.tickets import escalate

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
TARGETS: dict[str, Any] = {
    "ops": {"kind": "slack", "url": "http://127.0.0.1:9/slack"},
    "hooks": {"kind": "webhook", "url": "http://127.0.0.1:9/hooks", "secret_env": "HOOKS_SECRET"},
    "billing_robot": {"kind": "wecom_robot", "url_env": "WECOM_URL", "teams": ["billing"]},
    "off": {"kind": "feishu", "url": "http://127.0.0.1:9/feishu", "enabled": False},
}


def config_data(targets: dict[str, Any] | None = None, **notifications: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(SHIPPED))
    data["teams"]["billing"] = {"name": "Billing", "sla": "2h"}
    data["notifications"] = {
        "public_url": "https://support.example.com",
        "targets": TARGETS if targets is None else targets,
        **notifications,
    }
    return data


def notify_settings(targets: dict[str, Any] | None = None, **notifications: Any) -> Settings:
    text = yaml.safe_dump(config_data(targets, **notifications), allow_unicode=True, sort_keys=False)
    return Settings.from_config(parse_config(text))


def problems_with(target: dict[str, Any] | None = None, **changes: Any) -> list[str]:
    data = config_data({"t": target} if target is not None else {})
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    with pytest.raises(ConfigError) as info:
        parse_config(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return info.value.problems


class RecordingNotifier:
    """A :class:`bot.delivery.Notifier` that records (target, event, ticket id) and can refuse."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, int]] = []
        self.fail_with: list[DeliveryError] = []
        self.full = False

    async def notify(self, target: str, body: dict[str, Any], delivery_id: int, wait: float) -> str | None:
        if self.full:
            return None
        if self.fail_with:
            raise self.fail_with.pop(0)
        notice = Notice.from_dict(body["notice"])
        self.sent.append((target, notice.event, notice.ticket_id))
        return ""


def notify_rows(h: Harness) -> list[tuple[str, str, str]]:
    """(target, event, status) of every notification row, oldest first."""
    rows = h.rows("select recipient, body, status from outbox where kind = 'notify' order by id")
    return [(_json(r)["target"], _json(b)["notice"]["event"], status) for r, b, status in rows]


def _json(value: Any) -> Any:
    """A JSON column as read with plain SQL (PostgreSQL decodes it, SQLite gives the text)."""
    return value if isinstance(value, dict) else json.loads(value)


def bodies(h: Harness, target: str) -> list[dict[str, Any]]:
    rows = h.rows("select recipient, body from outbox where kind = 'notify' order by id")
    return [_json(body) for recipient, body in rows if _json(recipient)["target"] == target]


async def opened(h: Harness, user: str = "ann", reason: str = "customer is furious") -> tuple[int, int]:
    """A customer writes and an agent escalates: (conversation id, ticket id)."""
    result = await h.say(user, "my parcel is late")
    ticket = await h.service.escalate(result.conversation_id, "amy", reason)
    return result.conversation_id, ticket.id


# ---- config ---------------------------------------------------------------------------------------------


def test_the_shipped_config_has_no_target_so_it_runs_without_accounts() -> None:
    config = parse_config((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert config.notifications.targets == {}
    assert config.notifications.sla.renotify_every == timedelta(hours=1)
    assert missing_secrets(config.notifications, {}) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param(
            {"kind": "slack"},
            "notifications.targets.t: a slack target needs exactly one of url or url_env (the webhook URL)",
            id="no-url",
        ),
        pytest.param(
            {"kind": "feishu", "url": "https://open.feishu.cn/x", "url_env": "FEISHU_URL"},
            "notifications.targets.t: a feishu target needs exactly one of url or url_env",
            id="url-twice",
        ),
        pytest.param(
            {"kind": "teams_chat", "url": "https://x.example.com"},
            "notifications.targets.t.kind: input should be 'telegram_group', 'slack', 'wecom_robot', "
            "'feishu' or 'webhook'",
            id="unknown-kind",
        ),
        pytest.param(
            {"kind": "slack", "url": "https://x.example.com", "events": ["ticket.exploded"]},
            "notifications.targets.t.events[0]: input should be 'ticket.opened', 'ticket.updated'",
            id="unknown-event",
        ),
        pytest.param(
            {"kind": "slack", "url": "https://x.example.com", "teams": ["sales"]},
            "notifications.targets.t.teams: unknown team 'sales' (known: support, billing)",
            id="unknown-team",
        ),
        pytest.param(
            {"kind": "slack", "url": "https://x.example.com", "secret_env": "SLACK_SECRET"},
            "secret_env does not apply to slack (only feishu and webhook sign requests)",
            id="secret-on-slack",
        ),
        pytest.param(
            {"kind": "webhook", "url": "https://x.example.com", "secret_env": "my-secret"},
            "notifications.targets.t.secret_env: string should match pattern '^[A-Z_][A-Z0-9_]*$'",
            id="bad-variable-name",
        ),
        pytest.param(
            {"kind": "webhook", "url": "https://x.example.com", "chat_id": -100},
            "chat_id and agents only apply to kind telegram_group",
            id="chat-id-on-webhook",
        ),
        pytest.param(
            {"kind": "telegram_group", "chat_id": -1001, "url": "https://x.example.com"},
            "url does not apply to a telegram_group target (it sends through the bot)",
            id="url-on-telegram",
        ),
        pytest.param(
            {"kind": "telegram_group"},
            "a telegram_group target needs chat_id (the group's id, e.g. -1001234567890)",
            id="no-chat-id",
        ),
        pytest.param(
            {"kind": "telegram_group", "chat_id": -1001, "agents": {"amy": "amy"}},
            "agents: amy is not a Telegram user id or @username",
            id="bad-agent-key",
        ),
        pytest.param(
            {"kind": "telegram_group", "chat_id": -1001},
            "notifications.targets.t.kind: it posts as the Telegram bot and its buttons answer on the "
            "bot's webhook: set channels.telegram.enabled: true (or enabled: false here)",
            id="telegram-channel-off",
        ),
        pytest.param(
            {"kind": "slack", "url": "https://x.example.com", "locale": "fr"},
            "notifications.targets.t.locale: unknown locale 'fr' (known: zh-CN, en)",
            id="unknown-locale",
        ),
        pytest.param(
            {"kind": "slack", "url": "https://x.example.com", "webhook_url": "https://y.example.com"},
            "notifications.targets.t.webhook_url: unknown key 'webhook_url' "
            "(expected one of: kind, enabled, teams, events",
            id="unknown-key",
        ),
    ],
)
def test_target_config_errors_name_the_key_and_what_to_write(target: dict[str, Any], expected: str) -> None:
    found = problems_with(target)
    assert any(expected in problem for problem in found), found


def test_renotify_period_and_duplicate_groups_are_refused() -> None:
    found = problems_with(notifications__sla={"renotify_every": "10s"})
    assert any(
        p.startswith("notifications.sla.renotify_every: renotify_every must be at least 1m") for p in found
    ), found
    data = config_data(
        {
            "a": {"kind": "telegram_group", "chat_id": -1001},
            "b": {"kind": "telegram_group", "chat_id": -1001},
        }
    )
    data["channels"]["telegram"] = {"enabled": True}
    with pytest.raises(ConfigError) as info:
        parse_config(yaml.safe_dump(data))
    assert any(
        "notifications.targets.b.chat_id: chat -1001 is already the target 'a'" in p
        for p in info.value.problems
    )


def test_an_enabled_target_without_its_secret_names_the_variable() -> None:
    config = notify_settings().config
    assert missing_secrets(config.notifications, {"HOOKS_SECRET": "s"}) == [
        "notifications.targets.billing_robot: enabled but the environment variable WECOM_URL is not set "
        "(set it, or set notifications.targets.billing_robot.enabled: false)"
    ]
    assert missing_secrets(config.notifications, {"HOOKS_SECRET": "s", "WECOM_URL": "https://q"}) == []


def test_telegram_agents_read_numeric_ids_and_usernames_case_insensitively() -> None:
    data = config_data({"g": {"kind": "telegram_group", "chat_id": -1001, "agents": {}}})
    data["channels"]["telegram"] = {"enabled": True}
    text = yaml.safe_dump(data).replace("agents: {}", "agents: {123456789: amy, '@Bob_S': bob}")
    target = parse_config(text).notifications.targets["g"]
    assert target.agent_for(123456789, None) == "amy"
    assert target.agent_for(5, "bob_s") == "bob"
    assert target.agent_for(5, "mallory") is None


# ---- which target hears what --------------------------------------------------------------------------


def test_subscribers_by_team_and_event_with_defaults_per_kind() -> None:
    config = notify_settings().config

    def names(team: str, event: str) -> list[str]:
        return [name for name, _target in subscribers(config, team, event)]

    assert names("support", "ticket.opened") == ["ops", "hooks"]
    assert names("support", "ticket.updated") == ["hooks"]  # chat targets skip updates by default
    assert names("billing", "ticket.opened") == ["ops", "hooks", "billing_robot"]
    assert names("billing", "ticket.closed") == ["hooks"]
    assert names("support", "sla.breached") == ["ops", "hooks"]  # "off" is disabled


def test_a_notice_survives_the_outbox_and_breaches_are_renotified_without_drift() -> None:
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    notice = Notice(
        "sla.breached", 7, "support", "Support", "assigned", "high", ("CSAT 1",), "Ann", "telegram",
        "https://x/console/tickets/7", at, "sla", "Asia/Shanghai", "amy", 1, "complaint",
        at - timedelta(hours=2), timedelta(minutes=90),
    )  # fmt: skip
    assert Notice.from_dict(json.loads(json.dumps(notice.to_dict()))) == notice
    due = at
    every = timedelta(hours=1)
    assert next_alert(due, due, every) == due + every
    assert next_alert(due, due + timedelta(minutes=59), every) == due + every
    assert next_alert(due, due + timedelta(hours=3, minutes=5), every) == due + timedelta(hours=4)
    assert next_alert(due, due + timedelta(hours=3), None) is None


# ---- rows written with the ticket -----------------------------------------------------------------------


async def test_an_escalation_queues_one_notification_per_target_with_the_ticket(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings())
    conversation_id, ticket_id = await opened(h)
    assert notify_rows(h) == [("ops", "ticket.opened", "pending"), ("hooks", "ticket.opened", "pending")]
    [notice] = [b["notice"] for b in bodies(h, "ops")]
    assert notice["ticket_id"] == ticket_id
    assert (notice["team"], notice["team_name"], notice["priority"]) == (
        "support",
        "Customer Support",
        "normal",
    )
    assert notice["reasons"] == ["customer is furious"]
    assert (notice["customer"], notice["channel"], notice["actor"]) == ("ann", "webchat", "amy")
    assert notice["link"] == f"https://support.example.com/console/tickets/{ticket_id}"
    assert notice["sla_due_at"] == (h.clock.now() + timedelta(hours=4)).isoformat()
    [body] = bodies(h, "hooks")
    document = body["document"]
    assert document["event"] == "ticket.opened" and document["actor"] == "amy"
    assert document["ticket"]["id"] == ticket_id and document["ticket"]["conversation_id"] == conversation_id
    assert document["ticket"]["link"] == notice["link"]
    assert document["ticket"]["customer"] == {"name": "ann", "channel": "webchat"}
    assert [m["text"] for m in document["ticket"]["transcript"]] == ["my parcel is late"]


async def test_nothing_is_queued_when_the_ticket_change_rolls_back(make_harness: MakeHarness) -> None:
    h = make_harness(notify_settings())
    result = await h.say("ann", "hello")

    def work(repo: Any) -> None:
        escalate(repo, h.current, repo.get_conversation(result.conversation_id), ["angry"], h.clock.now())
        raise RuntimeError("the transaction fails after the escalation")

    with pytest.raises(RuntimeError):
        await h.store.run(work)
    assert h.rows("select count(*) from ticket") == [(0,)]
    assert notify_rows(h) == []


async def test_claim_resolve_close_are_announced_and_a_second_claim_changes_nothing(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings())
    h.dispatcher.notifier = notifier = RecordingNotifier()
    _, ticket_id = await opened(h)
    await h.service.ticket("claim", ticket_id, "bob")
    await h.service.ticket("claim", ticket_id, "bob")  # a double tap
    await h.service.ticket("resolve", ticket_id, "bob")
    await h.service.ticket("close", ticket_id, "lead")
    await h.dispatcher.deliver_due()

    def heard(target: str) -> list[str]:
        return [event for name, event, tid in notifier.sent if name == target and tid == ticket_id]

    assert heard("ops") == ["ticket.opened", "ticket.assigned", "ticket.resolved"]
    assert heard("hooks") == ["ticket.opened", "ticket.assigned", "ticket.resolved", "ticket.closed"]
    assert h.rows("select actor, action from ticketevent where ticket_id = :t order by id", t=ticket_id) == [
        ("amy", "opened"),
        ("bob", "claimed"),
        ("bob", "resolved"),
        ("lead", "closed"),
    ]
    [document] = [b["document"] for b in bodies(h, "hooks")[1:2]]
    assert (document["ticket"]["status"], document["ticket"]["assignee"], document["actor"]) == (
        "assigned",
        "bob",
        "bob",
    )


async def test_an_update_is_announced_only_when_reasons_or_answers_change(make_harness: MakeHarness) -> None:
    h = make_harness(notify_settings())
    conversation_id, _ticket_id = await opened(h)
    await h.service.escalate(conversation_id, "amy", "customer is furious")  # the same reason again
    assert [r[:2] for r in notify_rows(h)] == [("ops", "ticket.opened"), ("hooks", "ticket.opened")]
    await h.service.escalate(conversation_id, "bob", "called back, still angry")
    assert [r[:2] for r in notify_rows(h)][2:] == [("hooks", "ticket.updated")]


async def test_the_team_webhook_url_of_old_still_gets_every_event_unsigned(make_harness: MakeHarness) -> None:
    data = config_data({})
    data["teams"]["support"]["webhook_url"] = "http://127.0.0.1:9/legacy"
    h = make_harness(Settings.from_config(parse_config(yaml.safe_dump(data))))
    _, ticket_id = await opened(h)
    await h.service.ticket("claim", ticket_id, "bob")
    await h.dispatcher.deliver_due()
    assert sorted((url, doc["event"], doc["ticket"]["assignee"] or "") for url, doc in h.posted) == [
        ("http://127.0.0.1:9/legacy", "ticket.assigned", "bob"),
        ("http://127.0.0.1:9/legacy", "ticket.opened", ""),
    ]


# ---- SLA ----------------------------------------------------------------------------------------------


async def test_an_sla_breach_is_announced_then_again_every_period_until_resolved(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings(sla={"renotify_every": "1h"}))
    h.dispatcher.notifier = notifier = RecordingNotifier()
    _, ticket_id = await opened(h)  # SLA 4h

    def breaches() -> list[tuple[str, str, int]]:
        return sorted(s for s in notifier.sent if s[1] == "sla.breached")

    await h.tick(hours=3, minutes=59)
    assert breaches() == []
    done = await h.tick(minutes=1)
    assert f"ticket {ticket_id} overdue by 0s; 2 target(s) told" in done
    assert breaches() == [("hooks", "sla.breached", ticket_id), ("ops", "sla.breached", ticket_id)]
    [notice] = [b["notice"] for b in bodies(h, "ops") if b["notice"]["event"] == "sla.breached"]
    assert notice["overdue"] == 0 and notice["actor"] == "sla"
    await h.tick(minutes=59)
    assert len(breaches()) == 2
    done = await h.tick(minutes=1)
    assert f"ticket {ticket_id} overdue by 1h; 2 target(s) told" in done
    assert len(breaches()) == 4
    await h.service.ticket("resolve", ticket_id, "bob")
    await h.tick(hours=3)
    assert len(breaches()) == 4
    assert h.rows("select status from timer where kind = 'sla'") == [("cancelled",)]
    assert h.rows(
        "select detail from ticketevent where action = 'sla_breached' and ticket_id = :t order by id",
        t=ticket_id,
    ) == [("overdue by 0s; 2 target(s) told",), ("overdue by 1h; 2 target(s) told",)]


async def test_a_breach_is_announced_once_without_renotify_and_late_after_downtime(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings(sla={"renotify_every": None}))
    h.dispatcher.notifier = notifier = RecordingNotifier()
    _, ticket_id = await opened(h)
    await h.tick(hours=6)  # the process was down when the SLA passed: one alert, late, with the lag
    await h.tick(hours=6)
    assert sorted(s for s in notifier.sent if s[1] == "sla.breached") == [
        ("hooks", "sla.breached", ticket_id),
        ("ops", "sla.breached", ticket_id),
    ]
    assert h.rows("select detail from ticketevent where action = 'sla_breached'") == [
        ("overdue by 2h; 2 target(s) told",)
    ]


async def test_no_sla_timer_when_nobody_hears_of_breaches(make_harness: MakeHarness) -> None:
    h = make_harness(
        notify_settings(
            {"ops": {"kind": "slack", "url": "http://127.0.0.1:9/s", "events": ["ticket.opened"]}}
        )
    )
    await opened(h)
    assert h.rows("select count(*) from timer where kind = 'sla'") == [(0,)]


# ---- delivery ----------------------------------------------------------------------------------------------


async def test_a_target_at_its_rate_limit_is_put_back_without_an_attempt_and_keeps_order(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings({"ops": TARGETS["ops"]}))
    h.dispatcher.notifier = notifier = RecordingNotifier()
    notifier.full = True
    _, ticket_id = await opened(h)
    await h.service.ticket("claim", ticket_id, "bob")
    await h.dispatcher.deliver_due()
    assert h.rows("select status, attempts from outbox where kind = 'notify' order by id") == [
        ("pending", 0),
        ("pending", 0),
    ]
    notifier.full = False
    await h.dispatcher.deliver_due()
    assert notifier.sent == [("ops", "ticket.opened", ticket_id), ("ops", "ticket.assigned", ticket_id)]


async def test_platform_errors_are_retried_after_retry_after_and_permanent_ones_give_up(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings({"ops": TARGETS["ops"]}))
    h.dispatcher.notifier = notifier = RecordingNotifier()
    notifier.fail_with = [DeliveryError("slack: HTTP 429: rate_limited", retry_after=30)]
    _, ticket_id = await opened(h)
    await h.service.ticket("claim", ticket_id, "bob")
    await h.dispatcher.deliver_due()
    assert notifier.sent == []  # the assignment waits behind the opening
    [(status, attempts, due)] = h.rows(
        "select status, attempts, next_attempt_at from outbox where kind = 'notify' order by id limit 1"
    )
    assert (status, attempts) == ("pending", 1)
    assert str(due)[:19] == (h.clock.now() + timedelta(seconds=30)).strftime("%Y-%m-%d %H:%M:%S")
    h.clock.advance(timedelta(seconds=29))
    await h.dispatcher.deliver_due()
    assert notifier.sent == []
    h.clock.advance(timedelta(seconds=2))
    await h.dispatcher.deliver_due()
    assert [s[1] for s in notifier.sent] == ["ticket.opened", "ticket.assigned"]
    notifier.fail_with = [DeliveryError("slack: HTTP 404: channel_not_found", permanent=True)]
    await h.service.ticket("resolve", ticket_id, "bob")
    await h.dispatcher.deliver_due()
    assert h.rows("select status, last_error from outbox where kind = 'notify' order by id desc limit 1") == [
        ("dead", "slack: HTTP 404: channel_not_found")
    ]


async def test_notifications_get_more_tries_than_chat_messages_before_giving_up(
    make_harness: MakeHarness,
) -> None:
    h = make_harness(notify_settings({"ops": TARGETS["ops"]}))
    h.dispatcher.notifier = notifier = RecordingNotifier()
    notifier.fail_with = [DeliveryError("slack: HTTP 500: rollup_error")] * 11
    await opened(h)
    for _ in range(11):
        await h.dispatcher.deliver_due()
        h.clock.advance(timedelta(minutes=15))
    await h.dispatcher.deliver_due()
    assert h.rows("select status, attempts from outbox where kind = 'notify'") == [("sent", 12)]


async def test_after_a_restart_pending_notifications_go_out_once(make_harness: MakeHarness) -> None:
    h = make_harness(notify_settings({"ops": TARGETS["ops"]}))
    _, ticket_id = await opened(h)  # queued; the process stops before delivering it
    later = RecordingNotifier()
    restarted = Dispatcher(h.store, {}, h, h.clock, notifier=later)
    # A worker claimed the row and died before sending: the lease keeps it from the others ...
    await h.store.run(lambda repo: repo.claim_outbox(h.clock.now(), 10, h.clock.now() + timedelta(minutes=2)))
    await restarted.deliver_due()
    assert later.sent == []
    # ... until it runs out; then it is sent, once.
    h.clock.advance(timedelta(minutes=2, seconds=1))
    await restarted.deliver_due()
    await restarted.deliver_due()
    assert later.sent == [("ops", "ticket.opened", ticket_id)]


def test_the_commented_examples_in_config_yaml_and_the_readme_are_valid() -> None:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("  # targets:")
    block = []
    for line in lines[start:]:
        if not line.startswith("  #"):
            break
        block.append("  " + line[4:])
    text = text.replace("  targets: {}\n", "\n".join(block) + "\n").replace(
        "  telegram: {enabled: false}", "  telegram: {enabled: true}"
    )
    targets = parse_config(text).notifications.targets
    assert sorted(targets) == [
        "feishu_support",
        "slack_support",
        "support_group",
        "ticketing",
        "wecom_support",
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\nnotifications:\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load("notifications:\n" + example)
    shipped = json.loads(json.dumps(SHIPPED))
    shipped["channels"]["telegram"] = {"enabled": True}
    shipped["notifications"] = data["notifications"]
    assert len(parse_config(yaml.safe_dump(shipped)).notifications.targets) == 5
