"""Built-in bot texts in English and Simplified Chinese; ``texts:`` in config.yaml overrides them."""

from __future__ import annotations

from bot.config.schema import BotTexts

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "reprompt": {
        "en": "Sorry, I didn't catch that as an answer.",
        "zh-CN": "抱歉，没能识别您的回答。",
    },
    "reminder": {
        "en": "A quick reminder: we'd love your feedback.",
        "zh-CN": "温馨提醒：期待您的评价。",
    },
    "skip_word": {"en": "skip", "zh-CN": "跳过"},
    "hint_csat": {"en": "Tap a star or reply 1-5.", "zh-CN": "请点选星级，或回复数字 1-5。"},
    "hint_nps": {"en": "Reply with a number from 0 to 10.", "zh-CN": "请回复 0-10 之间的数字。"},
    "hint_ces": {"en": "Tap a number or reply 1-7.", "zh-CN": "请点选，或回复数字 1-7。"},
    "hint_choice": {"en": "Tap an option or reply with its number.", "zh-CN": "请点选，或回复选项编号。"},
    "hint_yes_no": {"en": 'Tap a button or reply "yes" or "no".', "zh-CN": "请点选，或回复“是”或“否”。"},
    "yes": {"en": "Yes", "zh-CN": "是"},
    "no": {"en": "No", "zh-CN": "否"},
    "hint_optional": {"en": 'Reply "skip" to skip.', "zh-CN": "回复“跳过”可跳过此题。"},
    "csat_low": {"en": "very dissatisfied", "zh-CN": "非常不满意"},
    "csat_high": {"en": "very satisfied", "zh-CN": "非常满意"},
    "nps_low": {"en": "not at all likely", "zh-CN": "完全不可能"},
    "nps_high": {"en": "extremely likely", "zh-CN": "非常可能"},
    "ces_low": {"en": "very difficult", "zh-CN": "非常困难"},
    "ces_high": {"en": "very easy", "zh-CN": "非常容易"},
    "welcome": {
        "en": "Hi! Tell us how we can help.",
        "zh-CN": "您好！请问有什么可以帮您？",
    },
    "handed_on": {
        "en": "I've passed your message on to our support team.",
        "zh-CN": "已将您的消息转给客服团队。",
    },
    "skip_required": {
        "en": "This question can't be skipped, sorry.",
        "zh-CN": "抱歉，这道题不能跳过。",
    },
    "confirm_question": {"en": "Did this solve it?", "zh-CN": "这解决您的问题了吗？"},
    "confirm_yes": {"en": "Yes, solved", "zh-CN": "解决了"},
    "confirm_no": {"en": "No, I need a person", "zh-CN": "没有，转人工"},
    "confirm_thanks": {"en": "Glad that helped!", "zh-CN": "很高兴能帮到您！"},
    "escalated": {
        "en": "I've passed this to {team}: a person will reply here.",
        "zh-CN": "已转交{team}，会有专人在这里回复您。",
    },
    "escalated_hours": {"en": "Our hours: {hours}.", "zh-CN": "服务时间：{hours}。"},
    "ticket_taken": {
        "en": "{agent} from {team} is on it.",
        "zh-CN": "{team}的{agent}正在为您处理。",
    },
}

PLACEHOLDERS: dict[str, frozenset[str]] = {
    "escalated": frozenset({"team"}),
    "escalated_hours": frozenset({"hours"}),
    "ticket_taken": frozenset({"agent", "team"}),
}
"""The ``{name}`` placeholders each text may use; the others take none."""


def resolve_texts(overrides: BotTexts) -> dict[str, dict[str, str]]:
    """The built-in texts with the config's overrides applied key by key (locales merged)."""
    resolved = {key: dict(value) for key, value in DEFAULT_TEXTS.items()}
    for key, value in overrides.model_dump(exclude_none=True).items():
        resolved[key].update(value)
    return resolved
