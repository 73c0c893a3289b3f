"""``csatbot flows``: which flows are in use and by what, and each step as a channel draws it (its
own renderer), with the fallbacks where it cannot show buttons; unknown names list the known ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.whatsapp.ids import decode_option
from csatbot.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
MINI = """
  mini:
    title: {en: Mini, zh-CN: 小调查}
    start: rating
    steps:
      rating:
        type: csat
        text: {en: "How did we do?", zh-CN: 服务怎么样？}
        branches: [{when: {max: 3}, next: why}]
        next: thanks
      why:
        type: choice
        text: {en: "What went wrong?", zh-CN: 哪里不好？}
        options:
          - {id: slow, label: {en: Slow, zh-CN: 太慢}}
          - {id: rude, label: {en: Rude, zh-CN: 态度差}}
        next: more
      more: {type: text, optional: true, text: {en: "Anything else?", zh-CN: 还有什么？}, next: thanks}
      thanks: {type: end, text: {en: Thanks!, zh-CN: 谢谢！}}
"""
TRIGGER = "  - {survey: mini, events: [agent_resolved], delay: 5m, channels: [telegram, webchat]}\n"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The shipped config.yaml plus a small flow that trigger 1 sends on Telegram and the web chat."""
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text(text.replace("triggers:\n", "triggers:\n" + TRIGGER, 1) + MINI, encoding="utf-8")
    return path


def flows(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["flows", *args])
    return result.exit_code, result.stdout, result.stderr


HEAD = """\
mini · 小调查 — {channel}, zh-CN
sent by: trigger 1: after agent_resolved, 5m later on telegram, webchat
{notes}note: unanswered after 4h: “温馨提醒：期待您的评价。”, then the open question again
note: closes after 1d (half answered: partial)

"""
TAIL = """\
3. more (text)
   | 还有什么？
   | 回复“跳过”可跳过此题。
{skip}   next: → thanks

4. thanks (end)
   | 谢谢！
"""
NOT_SENT_THERE = "note: trigger 1 does not send it on {channel} (only on telegram, webchat)\n"
NOTES = {
    "telegram": "",
    "whatsapp": NOT_SENT_THERE
    + "note: outside WhatsApp's 24-hour window no survey is sent (channels.whatsapp.template is not set)\n",
    "wechat": NOT_SENT_THERE
    + "note: sent only within 48 hours of the customer's last message (wechat's window)\n",
    "wecom": NOT_SENT_THERE,
    "webchat": "",
}
WHY_BUTTONS = """\
2. why (choice)
   | 哪里不好？
   | 请点选，或回复选项编号。
   [太慢] [态度差]
   next: → more

"""
"""The choice as one row of buttons with the typing hint in the text (WhatsApp reply buttons, WeCom card)."""
STEPS = {
    "telegram": """\
1. rating (csat)
   | 服务怎么样？
   [⭐] [⭐⭐] [⭐⭐⭐] [⭐⭐⭐⭐] [⭐⭐⭐⭐⭐]
   [1 · 非常不满意] [5 · 非常满意]
   next: ≤3 → why; → thanks

2. why (choice)
   | 哪里不好？
   [太慢]
   [态度差]
   next: → more

""",
    "whatsapp": """\
1. rating (csat)
   | 服务怎么样？
   | 请点选星级，或回复数字 1-5。
   [☰ 1–5] opens a list:
     - ⭐ — 非常不满意
     - ⭐⭐
     - ⭐⭐⭐
     - ⭐⭐⭐⭐
     - ⭐⭐⭐⭐⭐ — 非常满意
   note: a list instead of reply buttons: WhatsApp shows at most 3 buttons of 20 characters (5 options here)
   next: ≤3 → why; → thanks

"""
    + WHY_BUTTONS,
    "wechat": """\
1. rating (csat)
   | 服务怎么样？
   > ⭐ (非常不满意)
   > ⭐⭐
   > ⭐⭐⭐
   > ⭐⭐⭐⭐
   > ⭐⭐⭐⭐⭐ (非常满意)
   | 请点选星级，或回复数字 1-5。
   next: ≤3 → why; → thanks

2. why (choice)
   | 哪里不好？
   > 太慢
   > 态度差
   | 请点选，或回复选项编号。
   next: → more

""",
    "wecom": """\
1. rating (csat)
   | 服务怎么样？
   | 请点选星级，或回复数字 1-5。
   [⭐] [⭐⭐] [⭐⭐⭐] [⭐⭐⭐⭐] [⭐⭐⭐⭐⭐]
   | 1 = 非常不满意, 5 = 非常满意
   next: ≤3 → why; → thanks

"""
    + WHY_BUTTONS,
    "webchat": """\
1. rating (csat)
   | 服务怎么样？
   [⭐] [⭐⭐] [⭐⭐⭐] [⭐⭐⭐⭐] [⭐⭐⭐⭐⭐]
   | 1 = 非常不满意   5 = 非常满意
   | 请点选星级，或回复数字 1-5。
   next: ≤3 → why; → thanks

2. why (choice)
   | 哪里不好？
   [太慢] [态度差]
   | 请点选，或回复选项编号。
   next: → more

""",
}


def expected(channel: str) -> str:
    """The whole preview of the mini flow on ``channel``: the same header and text steps everywhere
    (the web chat adds its skip button), the questions as the channel draws them."""
    head = HEAD.format(channel=channel, notes=NOTES[channel].format(channel=channel))
    return head + STEPS[channel] + TAIL.format(skip="   [跳过此题]\n" if channel == "webchat" else "")


@pytest.mark.parametrize("channel", list(STEPS))
def test_preview_prints_each_step_as_the_channel_draws_it(config: Path, channel: str) -> None:
    code, out, err = flows("preview", "mini", "--channel", channel, "--locale", "zh-CN", "-c", str(config))
    assert (code, err) == (0, "")
    assert out == expected(channel)


def test_channels_without_buttons_for_a_question_say_how_it_is_answered_instead(config: Path) -> None:
    for channel, most in (("whatsapp", 10), ("wechat", 10), ("wecom", 6)):
        code, out, _ = flows("preview", "nps", "--channel", channel, "-c", str(config))
        assert code == 0
        score = out[out.index("1. score (nps)") : out.index("2. why")]
        assert score == (
            "1. score (nps)\n"
            "   | How likely are you to recommend us to a friend or colleague?\n"
            "   | 0 = not at all likely, 10 = extremely likely\n"
            "   | Reply with a number from 0 to 10.\n"
            f"   note: no buttons: 11 options, more than the {most} {channel} can show; the customer "
            "types the answer\n"
            "   next: ≤6 → why; → thanks\n\n"
        ), channel
    code, out, _ = flows("preview", "nps", "--channel", "telegram", "-c", str(config))
    assert "   [0] [1] [2] [3] [4] [5]\n   [6] [7] [8] [9] [10]\n" in out and "no buttons" not in out


def test_labels_too_long_for_buttons_are_numbered(config: Path) -> None:
    long = "The agent did not understand what I was asking about at all"
    text = config.read_text(encoding="utf-8").replace(
        "{en: Slow, zh-CN: 太慢}", f"{{en: {long}, zh-CN: 太慢}}"
    )
    config.write_text(text, encoding="utf-8")
    code, out, _ = flows("preview", "mini", "--channel", "telegram", "-c", str(config))
    assert code == 0
    why = out[out.index("2. why") : out.index("3. more")]
    assert f"   | 1. {long}\n   | 2. Rude\n" in why and "   [1] [2]\n" in why
    assert (
        "note: labels too long for the buttons: listed by number in the text, numbers on the buttons" in why
    )


def test_json_carries_the_platform_bodies(config: Path) -> None:
    code, out, _ = flows("preview", "mini", "--channel", "whatsapp", "--json", "-c", str(config))
    assert code == 0
    found = json.loads(out)
    rating = found["steps"][0]["messages"][0]
    assert rating["kind"] == "list" and rating["body"]["interactive"]["type"] == "list"
    rows = rating["body"]["interactive"]["action"]["sections"][0]["rows"]
    refs = [decode_option(row["id"]) for row in rows]
    assert [(r.step, r.value) for r in refs if r] == [("rating", str(v)) for v in range(1, 6)]
    why = found["steps"][1]["messages"][0]["body"]["interactive"]
    assert why["type"] == "button" and [b["reply"]["title"] for b in why["action"]["buttons"]] == [
        "Slow",
        "Rude",
    ]
    assert found["uses"] == [
        {
            "kind": "trigger",
            "index": 1,
            "events": ["agent_resolved"],
            "delay": "5m",
            "channels": ["telegram", "webchat"],
        }
    ]


def test_list_says_which_flows_are_in_use_and_by_what(config: Path) -> None:
    code, out, _ = flows("list", "-c", str(config))
    assert code == 0
    assert out.splitlines() == [
        "csat             5 steps  trigger 2: after agent_resolved, idle, bot_resolved, 10m later",
        "nps              3 steps  nothing: not in use (no trigger sends it)",
        "ces              2 steps  nothing: not in use (no trigger sends it)",
        "resolved_check   3 steps  re-survey, 10m after a DSAT ticket is resolved (tickets.resurvey)",
        "mini             4 steps  trigger 1: after agent_resolved, 5m later on telegram, webchat",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nope", "--channel", "telegram"],
            "error: unknown flow 'nope' (known: csat, nps, ces, resolved_check, mini)",
        ),
        (
            ["mini", "--channel", "sms"],
            "error: unknown channel 'sms' (known: telegram, whatsapp, wechat, wecom, webchat)",
        ),
        (
            ["mini", "--channel", "telegram", "--locale", "fr"],
            "error: unknown locale 'fr' (known: zh-CN, en)",
        ),
    ],
)
def test_unknown_names_list_the_known_ones(config: Path, args: list[str], message: str) -> None:
    code, out, err = flows("preview", *args, "-c", str(config))
    assert (code, out, err.strip()) == (2, "", message)


def test_a_broken_config_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("surveys: 3\n", encoding="utf-8")
    code, out, err = flows("preview", "csat", "--channel", "telegram", "-c", str(path))
    assert code == 1 and out == "" and "surveys" in err


def test_whatsapp_names_the_template_that_opens_a_survey_outside_the_window(config: Path) -> None:
    text = config.read_text(encoding="utf-8").replace(
        "  whatsapp: {enabled: false}",
        "  whatsapp: {enabled: false, template: {name: csat_invite, language: zh_CN}}",
    )
    config.write_text(text, encoding="utf-8")
    code, out, _ = flows("preview", "csat", "--channel", "whatsapp", "-c", str(config))
    assert code == 0
    assert (
        "note: outside WhatsApp's 24-hour window the first question goes as the approved template "
        "'csat_invite' (zh_CN); its button shows the question\n" in out
    )
