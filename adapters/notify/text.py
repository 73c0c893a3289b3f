"""The words of a notification in English and Simplified Chinese, shared by every renderer.

A renderer takes :func:`title` and :func:`facts` (label, value pairs) and lays them out in its
platform's format; :func:`plain_text` is the layout for platforms without one (Telegram).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.durations import format_duration
from bot.notifications import Notice

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "ticket.opened": "New ticket #{id}",
        "ticket.updated": "Ticket #{id} updated",
        "ticket.assigned": "Ticket #{id} assigned to {assignee}",
        "ticket.resolved": "Ticket #{id} resolved by {actor}",
        "ticket.closed": "Ticket #{id} closed by {actor}",
        "sla.breached": "Ticket #{id} is overdue by {overdue}",
        "team": "Team",
        "priority": "Priority",
        "customer": "Customer",
        "score": "Score",
        "reasons": "Reasons",
        "assignee": "Assignee",
        "sla_due": "SLA due",
        "unassigned": "nobody yet",
        "open_ticket": "Open ticket #{id}",
        "low": "low",
        "normal": "normal",
        "high": "high",
        "urgent": "urgent",
        "claim": "Claim",
        "resolve": "Resolve",
        "claimed_by": "Claimed by {agent}",
        "resolved_by": "Resolved by {agent}",
        "is_status": "Ticket #{id} is {status}",
        "not_agent": "You are not a known agent: ask an admin to add you to this group's agents.",
        "not_here": "This chat does not take ticket actions.",
        "other_team": "Ticket #{id} belongs to another team.",
        "gone": "Ticket #{id} no longer exists.",
    },
    "zh-CN": {
        "ticket.opened": "新工单 #{id}",
        "ticket.updated": "工单 #{id} 有更新",
        "ticket.assigned": "工单 #{id} 已分配给 {assignee}",
        "ticket.resolved": "工单 #{id} 已由 {actor} 解决",
        "ticket.closed": "工单 #{id} 已由 {actor} 关闭",
        "sla.breached": "工单 #{id} 已超时 {overdue}",
        "team": "团队",
        "priority": "优先级",
        "customer": "客户",
        "score": "评分",
        "reasons": "原因",
        "assignee": "处理人",
        "sla_due": "SLA 截止",
        "unassigned": "暂无",
        "open_ticket": "查看工单 #{id}",
        "low": "低",
        "normal": "普通",
        "high": "高",
        "urgent": "紧急",
        "claim": "认领",
        "resolve": "解决",
        "claimed_by": "已由 {agent} 认领",
        "resolved_by": "已由 {agent} 解决",
        "is_status": "工单 #{id} 状态：{status}",
        "not_agent": "您不是已登记的客服：请管理员把您加入本群的 agents。",
        "not_here": "本群不处理工单操作。",
        "other_team": "工单 #{id} 属于其他团队。",
        "gone": "工单 #{id} 不存在。",
    },
}
MARKS = {"urgent": "🔴", "high": "🟠", "normal": "🔵", "low": "⚪"}
ALERT_MARK = "⏰"


def words(locale: str) -> dict[str, str]:
    """The words in ``locale`` (English for a locale without a translation)."""
    return WORDS.get(locale) or WORDS["zh-CN" if locale.startswith("zh") else "en"]


def title(notice: Notice, locale: str) -> str:
    """One line: what happened, with the priority's mark (``🟠 New ticket #12``)."""
    overdue = format_duration(notice.overdue) if notice.overdue is not None else ""
    text = words(locale)[notice.event].format(
        id=notice.ticket_id, assignee=notice.assignee or "-", actor=notice.actor, overdue=overdue
    )
    mark = ALERT_MARK if notice.event == "sla.breached" else MARKS.get(notice.priority, "")
    return f"{mark} {text}".strip()


def local_time(at: datetime, timezone: str) -> str:
    """``2026-11-23 14:00 (Asia/Shanghai)``: the config's time zone, as support teams read it."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone, timezone = ZoneInfo("UTC"), "UTC"
    return f"{at.astimezone(zone):%Y-%m-%d %H:%M} ({timezone})"


def facts(notice: Notice, locale: str, limit: int = 500) -> list[tuple[str, str]]:
    """(label, value) pairs worth showing, each value on one line and at most ``limit`` characters."""
    w = words(locale)
    found = [
        (w["team"], notice.team_name),
        (w["priority"], w.get(notice.priority, notice.priority)),
        (w["customer"], f"{notice.customer} ({notice.channel})"),
    ]
    if notice.score is not None:
        found.append((w["score"], str(notice.score)))
    if notice.reasons:
        found.append((w["reasons"], "; ".join(notice.reasons)))
    found.append((w["assignee"], notice.assignee or w["unassigned"]))
    if notice.sla_due_at is not None:
        found.append((w["sla_due"], local_time(notice.sla_due_at, notice.timezone)))
    return [(label, _one_line(value, limit)) for label, value in found]


def link_label(notice: Notice, locale: str) -> str:
    return words(locale)["open_ticket"].format(id=notice.ticket_id)


def is_web_link(link: str) -> bool:
    """Whether the link is absolute (``notifications.public_url`` is set), so platforms can open it."""
    return link.startswith(("https://", "http://"))


def plain_text(notice: Notice, locale: str) -> str:
    """Title, one ``label: value`` line per fact, and the link."""
    lines = [title(notice, locale), ""]
    lines += [f"{label}: {value}" for label, value in facts(notice, locale)]
    lines += ["", notice.link]
    return "\n".join(lines)


def cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, marked with "…" where it was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def cut_bytes(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes (never splitting a character), marked with "…"."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: max(limit - 3, 0)].decode(errors="ignore") + "…"


def no_tags(value: str) -> str:
    """``value`` safe inside markdown that knows tags (WeCom ``<font>``, Feishu ``<at>``) and links:
    a customer named ``[Verify your login](https://...)`` must not show the team a link that hides
    where it goes."""
    return value.translate(_NO_MARKUP)


_NO_MARKUP = str.maketrans({"<": "‹", ">": "›", "[": "［", "]": "］"})


def _one_line(value: str, limit: int) -> str:
    return cut(" ".join(value.split()), limit)
