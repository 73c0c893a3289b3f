"""Rendering a notice for each platform (pure), exactly as the platforms document their JSON."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json

import pytest

from adapters.notify import feishu, slack, webhook, wecom_robot
from adapters.telegram import group
from bot.errors import SignatureError
from bot.notifications import Notice

LINK = "https://support.example.com/console/tickets/12"


def test_slack_gets_fallback_text_and_block_kit_with_mrkdwn_escaped(notice: Notice) -> None:
    assert slack.render(notice, "en") == {
        "text": f"🟠 New ticket #12 {LINK}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "🟠 New ticket #12", "emoji": True}},
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*Team*\nCustomer Support"},
                    {"type": "mrkdwn", "text": "*Priority*\nhigh"},
                    {"type": "mrkdwn", "text": "*Customer*\nAnn Lee (whatsapp)"},
                    {"type": "mrkdwn", "text": "*Score*\n1"},
                    {
                        "type": "mrkdwn",
                        "text": "*Reasons*\nCSAT 1 (at most 3); angry &lt;customer&gt; &amp; co",
                    },
                    {"type": "mrkdwn", "text": "*Assignee*\nnobody yet"},
                    {"type": "mrkdwn", "text": "*SLA due*\n2026-11-23 14:00 (Asia/Shanghai)"},
                ],
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": f"<{LINK}|Open ticket #12>"}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "ticket.opened · 2026-11-23 10:00 (Asia/Shanghai)"}],
            },
        ],
    }


def test_slack_without_public_url_shows_the_path_and_no_link_block(notice: Notice) -> None:
    relative = dataclasses.replace(notice, link="/console/tickets/12", event="sla.breached")
    rendered = slack.render(dataclasses.replace(relative, overdue=None), "en")
    assert rendered["text"].endswith(" /console/tickets/12")
    assert [block["type"] for block in rendered["blocks"]] == ["header", "section", "context"]


def test_wecom_robot_gets_markdown_in_the_team_language(notice: Notice) -> None:
    assert wecom_robot.render(notice, "zh-CN") == {
        "msgtype": "markdown",
        "markdown": {
            "content": "### 🟠 新工单 #12\n"
            '> 团队: <font color="comment">Customer Support</font>\n'
            '> 优先级: <font color="comment">高</font>\n'
            '> 客户: <font color="comment">Ann Lee (whatsapp)</font>\n'
            '> 评分: <font color="comment">1</font>\n'
            '> 原因: <font color="comment">CSAT 1 (at most 3); angry ‹customer› & co</font>\n'
            '> 处理人: <font color="comment">暂无</font>\n'
            '> SLA 截止: <font color="comment">2026-11-23 14:00 (Asia/Shanghai)</font>\n'
            f"[查看工单 #12]({LINK})"
        },
    }


def test_wecom_robot_content_is_cut_to_4096_bytes_and_keeps_the_link(notice: Notice) -> None:
    huge = dataclasses.replace(
        notice, reasons=tuple(f"原因{i} " * 40 for i in range(40)), team_name="客服" * 400
    )
    content = wecom_robot.render(huge, "zh-CN")["markdown"]["content"]
    assert len(content.encode()) <= wecom_robot.MAX_BYTES
    assert content.endswith(f"[查看工单 #12]({LINK})")
    assert "…" in content


def test_a_customers_words_never_become_a_link_or_a_mention_in_markdown(notice: Notice) -> None:
    """The customer's name and the reasons are theirs to write: in WeCom's and Feishu's markdown
    ``[text](url)`` showed the team a link hiding where it goes."""
    bait = "[Verify your login](https://evil.example/x) <@all> <at id=all></at>"
    tricked = dataclasses.replace(notice, customer=bait, reasons=(bait,))
    wecom = wecom_robot.render(tricked, "en")["markdown"]["content"]
    lark = json.dumps(feishu.render(tricked, "en", secret="s", timestamp=1)["card"], ensure_ascii=False)
    for content in (wecom, lark):
        assert "［Verify your login］(https://evil.example/x) ‹@all› ‹at id=all›‹/at›" in content
        assert "](https://evil" not in content and "<@all>" not in content


def test_feishu_card_is_signed_as_feishu_documents(notice: Notice) -> None:
    message = feishu.render(notice, "en", secret="fake-secret", timestamp=1_700_000_000)
    key = b"1700000000\nfake-secret"
    expected_sign = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert (message["timestamp"], message["sign"]) == ("1700000000", expected_sign)
    assert message["msg_type"] == "interactive"
    card = message["card"]
    assert card["header"] == {
        "title": {"tag": "plain_text", "content": "🟠 New ticket #12"},
        "template": "orange",
    }
    [fields, actions, note] = card["elements"]
    assert fields["fields"][4] == {
        "is_short": True,
        "text": {"tag": "lark_md", "content": "**Reasons**\nCSAT 1 (at most 3); angry ‹customer› & co"},
    }
    assert actions == {
        "tag": "action",
        "actions": [
            {
                "tag": "button",
                "text": {"tag": "plain_text", "content": "Open ticket #12"},
                "type": "primary",
                "url": LINK,
            }
        ],
    }
    assert note["elements"][0]["content"] == "ticket.opened · 2026-11-23 10:00 (Asia/Shanghai)"
    assert "sign" not in feishu.render(notice, "en")  # a bot without signature verification


def test_sla_breach_title_says_how_late(notice: Notice) -> None:
    from datetime import timedelta

    late = dataclasses.replace(notice, event="sla.breached", overdue=timedelta(hours=1, minutes=30))
    assert slack.render(late, "en")["blocks"][0]["text"]["text"] == "⏰ Ticket #12 is overdue by 1h30m"
    assert feishu.render(late, "zh-CN")["card"]["header"]["title"]["content"] == "⏰ 工单 #12 已超时 1h30m"
    assert feishu.render(late, "en")["card"]["header"]["template"] == "red"


def test_the_signed_webhook_signature_verifies_and_every_tampering_fails() -> None:
    body = webhook.encode({"event": "ticket.opened", "ticket": {"id": 12, "reasons": ["慢"]}})
    assert body == '{"event":"ticket.opened","ticket":{"id":12,"reasons":["慢"]}}'.encode()
    headers = webhook.headers("ticket.opened", 41, 1_700_000_000, body, "s3cret")
    mac = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert headers == {
        "X-Csatbot-Event": "ticket.opened",
        "X-Csatbot-Delivery": "41",
        "X-Csatbot-Timestamp": "1700000000",
        "X-Csatbot-Signature": f"sha256={mac}",
    }
    given = headers["X-Csatbot-Signature"]
    webhook.verify_signature("s3cret", "1700000000", given, body, now=1_700_000_100)
    cases = {
        "missing": ("s3cret", "1700000000", None, body, 1_700_000_000),
        "wrong secret": ("other", "1700000000", given, body, 1_700_000_000),
        "tampered body": ("s3cret", "1700000000", given, body.replace(b"12", b"13"), 1_700_000_000),
        "replayed": ("s3cret", "1700000000", given, body, 1_700_000_301),
        "moved timestamp": ("s3cret", "1700000001", given, body, 1_700_000_000),
        "superscript digits": ("s3cret", "¹⁷⁰⁰⁰⁰⁰⁰⁰⁰", given, body, 1_700_000_000),  # int() raised
    }
    for name, (secret, stamp, signature, payload, now) in cases.items():
        with pytest.raises(SignatureError):
            webhook.verify_signature(secret, stamp, signature, payload, now=now)
            pytest.fail(f"{name} verified")
    assert "X-Csatbot-Signature" not in webhook.headers("ticket.opened", 41, 1, body, None)
    assert json.loads(body)["ticket"]["reasons"] == ["慢"]


def test_telegram_group_message_has_claim_and_resolve_only_while_open(notice: Notice) -> None:
    call = group.render_notice(notice, -1001, "zh-CN")
    assert (call.method, call.params["chat_id"]) == ("sendMessage", -1001)
    assert call.params["text"].splitlines()[0] == "🟠 新工单 #12"
    assert call.params["text"].endswith(LINK)
    keys = [
        (b["text"], b["callback_data"]) for row in call.params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert keys == [("认领", "t:c:12"), ("解决", "t:r:12")]
    done = group.render_notice(
        dataclasses.replace(notice, event="ticket.resolved", status="resolved"), -1001, "en"
    )
    assert "reply_markup" not in done.params
