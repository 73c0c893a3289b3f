"""The good-news digest (:class:`bot.digest.Digest`) for each chat platform, in English and Chinese.

Each comment is quoted with its score, the agents it credits and the team; a closing line says who
is thanked how often, and the link opens every happy comment of the period in the console.
"""

from __future__ import annotations

from typing import Any

from adapters.notify.slack import FIELD_CHARS, HEADER_CHARS, escape
from adapters.notify.text import cut, cut_bytes, is_web_link, no_tags
from adapters.notify.wecom_robot import MAX_BYTES
from bot.digest import Digest, Praise

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "daily": "🌟 Good news: the best comments of {first}",
        "weekly": "🌟 Good news: the best comments of {first} – {last}",
        "thanks": "Thanks to",
        "teams": "Teams",
        "named": "named",
        "shown": "{shown} of {considered} happy comments",
        "open": "All comments",
    },
    "zh-CN": {
        "daily": "🌟 好消息：{first} 的最佳评价",
        "weekly": "🌟 好消息：{first} – {last} 的最佳评价",
        "thanks": "感谢",
        "teams": "团队",
        "named": "被点名",
        "shown": "共 {considered} 条好评，精选 {shown} 条",
        "open": "查看全部评价",
    },
}
QUOTE_CHARS = 600
"""A comment is cut to this many characters in a chat message."""


def words(locale: str) -> dict[str, str]:
    return WORDS.get(locale) or WORDS["zh-CN" if locale.startswith("zh") else "en"]


def title(digest: Digest, locale: str) -> str:
    return words(locale)[digest.every].format(first=digest.first, last=digest.last)


def credit(praise: Praise, locale: str) -> str:
    """``CSAT 5 · amy, bob (named) · Customer Support``."""
    w = words(locale)
    people = [*praise.agents, *(f"{n} ({w['named']})" for n in praise.named)]
    parts = [praise.score, ", ".join(people), praise.team_name]
    return " · ".join(p for p in parts if p)


def totals(digest: Digest, locale: str) -> list[str]:
    """Who is thanked how often, the teams, and how many comments there were."""
    w = words(locale)
    lines = []
    if digest.agents:
        lines.append(f"{w['thanks']}: " + ", ".join(f"{n} ×{c}" for n, c in digest.agents))
    if digest.teams:
        lines.append(f"{w['teams']}: " + ", ".join(f"{n} ×{c}" for n, c in digest.teams))
    lines.append(w["shown"].format(shown=len(digest.praises), considered=digest.considered))
    return lines


def _quote(praise: Praise) -> str:
    return cut(" ".join(praise.text.split()), QUOTE_CHARS)


def plain_text(digest: Digest, locale: str) -> str:
    """Title, each comment with its credit, the totals and the link (Telegram)."""
    lines = [title(digest, locale), ""]
    for praise in digest.praises:
        lines += [f"“{_quote(praise)}”", f"— {credit(praise, locale)}", ""]
    lines += totals(digest, locale)
    return "\n".join([*lines, "", digest.link])


def slack(digest: Digest, locale: str) -> dict[str, Any]:
    head = title(digest, locale)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(head, HEADER_CHARS), "emoji": True}}
    ]
    for praise in digest.praises:
        text = f"> {escape(_quote(praise))}\n_{escape(credit(praise, locale))}_"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": cut(text, FIELD_CHARS)}})
    if is_web_link(digest.link):
        label = escape(words(locale)["open"])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"<{digest.link}|{label}>"}})
    context = escape(" · ".join(totals(digest, locale)))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": cut(context, FIELD_CHARS)}]})
    return {"text": head, "blocks": blocks}


def wecom(digest: Digest, locale: str) -> dict[str, Any]:
    lines = [f"### {title(digest, locale)}"]
    for praise in digest.praises:
        lines += [
            f"> {no_tags(_quote(praise))}",
            f'<font color="comment">{no_tags(credit(praise, locale))}</font>',
        ]
    lines += [no_tags(line) for line in totals(digest, locale)]
    link = f"[{words(locale)['open']}]({digest.link})" if is_web_link(digest.link) else digest.link
    body = cut_bytes("\n".join(lines), MAX_BYTES - len(link.encode()) - 1)
    return {"msgtype": "markdown", "markdown": {"content": f"{body}\n{link}"}}


def feishu_card(digest: Digest, locale: str) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [
        {
            "tag": "div",
            "text": {
                "tag": "lark_md",
                "content": f"“{no_tags(_quote(praise))}”\n*{no_tags(credit(praise, locale))}*",
            },
        }
        for praise in digest.praises
    ]
    if is_web_link(digest.link):
        button = {
            "tag": "button",
            "text": {"tag": "plain_text", "content": words(locale)["open"]},
            "type": "primary",
            "url": digest.link,
        }
        elements.append({"tag": "action", "actions": [button]})
    note = " · ".join(totals(digest, locale))
    elements.append({"tag": "note", "elements": [{"tag": "plain_text", "content": note}]})
    return {
        "config": {"wide_screen_mode": True},
        "header": {"title": {"tag": "plain_text", "content": title(digest, locale)}, "template": "green"},
        "elements": elements,
    }
