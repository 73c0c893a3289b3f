"""Stored values as people read them: what triage wrote on a message and the audit trail's details,
in the page's language, intents by name and times in the configured zone."""

from __future__ import annotations

import pytest

from bot.config.loader import load_config
from csatbot.console.wording import event_detail, triage_text, unreachable_text

from ...conftest import ROOT

CONFIG = load_config(ROOT / "config.yaml")
ESCALATED = "escalate (rule 1): triage: complaint (92%), negative (88%), needs a person (95%)"
NOTHING = "no rule matched: triage: delivery (71%), neutral (64%)"


@pytest.mark.parametrize(
    ("lang", "written", "shown"),
    [
        ("en", ESCALATED, "escalated (rule 1): Complaint (92%), negative (88%), needs a person (95%)"),
        ("zh-CN", ESCALATED, "转人工（规则 1）：投诉 (92%)，负面 (88%)，需要人工（95%）"),
        ("zh-CN", NOTHING, "没有匹配的规则：配送 (71%)，中性 (64%)"),
        ("zh-CN", "something else the bot wrote", "something else the bot wrote"),
    ],
)
def test_why_triage_acted_reads_in_the_page_language(lang: str, written: str, shown: str) -> None:
    assert triage_text(CONFIG, lang, written) == shown


@pytest.mark.parametrize(
    ("lang", "action", "detail", "shown"),
    [
        ("zh-CN", "opened", "CSAT 2 (at most 3); negative comment", "满意度 2 分（不高于 3 分）; 负面评论"),
        ("en", "resurvey", "survey Ab12 due 2026-11-30 23:50 UTC", "survey Ab12 due 2026-12-01 07:50 +08:00"),
        ("zh-CN", "sla_breached", "overdue by 2h; 1 target(s) told", "已逾期 2h；已通知 1 个目标"),
        ("en", "note", "called her at 09:00 UTC", "called her at 09:00 UTC"),  # people's words stay
    ],
)
def test_audit_details_read_in_the_page_language_with_times_in_the_zone(
    lang: str, action: str, detail: str, shown: str
) -> None:
    assert event_detail(lang, "Asia/Shanghai", action, detail) == shown


@pytest.mark.parametrize(
    ("lang", "stored", "shown"),
    [
        ("en", "customer blocked the bot", "the customer blocked the bot"),
        ("zh-CN", "customer blocked the bot", "客户已屏蔽机器人"),
        ("zh-CN", "customer unsubscribed", "客户已取消关注"),
        ("zh-CN", "customer erased", "客户资料已删除"),
        ("zh-CN", "customer cannot be reached", "无法联系到客户"),
        ("zh-CN", "a reason a newer version wrote", "a reason a newer version wrote"),
    ],
)
def test_why_a_customer_cannot_be_reached_reads_in_the_page_language(
    lang: str, stored: str, shown: str
) -> None:
    assert unreachable_text(lang, stored) == shown
