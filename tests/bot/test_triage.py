"""Triage rules: the classifier's verdict drives auto answers, escalations and routing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.classification import Classification, Sentiment
from bot.config import parse_config
from bot.config.schema import TriageRule
from bot.errors import ConfigError
from bot.prompts import AskRating
from bot.settings import Settings
from bot.triage import decide, describe, judge, mentioned

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]
RULES = [
    {
        "when": {"intents": ["password_reset"]},
        "action": "auto_answer",
        "reply": {"en": "Reset it at example.com/reset.", "zh-CN": "请访问 example.com/reset 重置密码。"},
    },
    {"when": {"intents": ["complaint", "request_human"], "sentiments": ["negative"]}, "action": "escalate",
     "priority": "high"},
    {"when": {"sentiments": ["negative"], "during_survey": True}, "action": "escalate", "priority": "high"},
    {"when": {"intents": ["billing", "refund"], "min_confidence": 0.5}, "action": "route", "team": "billing"},
]  # fmt: skip


def verdict(intent: str, confidence: float = 0.9, sentiment: Sentiment = "neutral") -> Classification:
    return Classification(intent, confidence, sentiment, 0.8, "test")


def rules() -> list[TriageRule]:
    return [TriageRule.model_validate(r) for r in RULES]


@pytest.mark.parametrize(
    ("given", "during", "expected"),
    [
        pytest.param(verdict("password_reset"), False, "auto_answer", id="faq"),
        pytest.param(verdict("password_reset", 0.6), False, None, id="faq-but-unsure"),
        pytest.param(verdict("complaint", sentiment="negative"), False, "escalate", id="angry-complaint"),
        pytest.param(verdict("complaint", sentiment="neutral"), False, None, id="calm-complaint"),
        pytest.param(verdict("delivery", sentiment="negative"), True, "escalate", id="angry-in-survey"),
        pytest.param(verdict("delivery", sentiment="negative"), False, None, id="angry-not-in-survey"),
        pytest.param(verdict("refund", 0.55), False, "route", id="route"),
        pytest.param(verdict("refund", 0.45), False, None, id="route-too-unsure"),
        pytest.param(verdict("other", 0.99), False, None, id="other"),
    ],
)
def test_decide_picks_the_first_matching_rule(
    given: Classification, during: bool, expected: str | None
) -> None:
    decision = decide(rules(), given, 0.7, during_survey=during)
    assert (decision.rule.action if decision else None) == expected


def test_a_decision_explains_itself() -> None:
    decision = decide(rules(), verdict("refund", 0.92, "negative"), 0.7, during_survey=False)
    assert decision is not None and decision.reason == "triage: refund (92%), negative (80%)"


NEEDS_HUMAN_RULES = [
    {"when": {"needs_human": True, "sentiments": ["negative"]}, "action": "escalate", "priority": "high"},
    {"when": {"intents": ["password_reset"], "sentiments": ["neutral", "positive"]}, "action": "auto_answer",
     "reply": {"en": "Reset it at example.com/reset.", "zh-CN": "请访问 example.com/reset 重置密码。"}},
    {"when": {"needs_human": True}, "action": "escalate", "priority": "normal"},
]  # fmt: skip


def judged(
    intent: str, confidence: float, sentiment: Sentiment, needs: float, floor: float | None = None
) -> Classification:
    return Classification(
        intent,
        confidence,
        sentiment,
        0.8,
        "test",
        needs_human=needs,
        needs_human_floor=0.4,
        answer_floor=floor,
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(judged("delivery", 0.9, "negative", 0.8), ("escalate", 1), id="upset-about-anything"),
        pytest.param(judged("delivery", 0.9, "negative", 0.3), None, id="mildly-negative-stays-with-agents"),
        pytest.param(
            judged("request_human", 0.9, "neutral", 0.7), ("escalate", 3), id="calm-request-for-a-person"
        ),
        pytest.param(
            judged("password_reset", 0.96, "neutral", 0.1, 0.95), ("auto_answer", 2), id="above-floor"
        ),
        pytest.param(judged("password_reset", 0.9, "neutral", 0.1, 0.95), None, id="under-the-answer-floor"),
        pytest.param(judged("password_reset", 0.99, "neutral", 0.1, 1.0), None, id="floor-1-never-answers"),
        pytest.param(judged("password_reset", 0.99, "negative", 0.9, 0.5), ("escalate", 1), id="upset-reset"),
        pytest.param(
            judged("password_reset", 0.9, "neutral", 0.1), ("auto_answer", 2), id="older-model-no-floor"
        ),
    ],
)
def test_needs_human_and_answer_floors_decide_together(
    given: Classification, expected: tuple[str, int] | None
) -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    decision = decide(rules_, given, 0.55, during_survey=False)
    assert ((decision.rule.action, decision.index) if decision else None) == expected


def test_the_summary_names_the_rule_and_the_reasons() -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    decision = decide(rules_, judged("complaint", 0.91, "negative", 0.95), 0.55, during_survey=False)
    assert decision is not None
    assert decision.summary == (
        "escalate (rule 1): triage: complaint (91%), negative (80%), needs a person (95%)"
    )


def test_a_withheld_answer_is_never_given_and_says_why() -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    denied = replace(
        judged("password_reset", 0.99, "neutral", 0.1, 0.5), withheld='"密码没问题" denies password_reset'
    )
    assert decide(rules_, denied, 0.55, during_survey=False) is None
    assert describe(denied) == (
        'triage: password_reset (99%), neutral (80%); no automatic answer: "密码没问题" denies password_reset'
    )
    upset = replace(denied, sentiment="negative", needs_human=0.9)  # other rules still apply
    decision = decide(rules_, upset, 0.55, during_survey=False)
    assert decision is not None and decision.rule.action == "escalate"


def test_an_unsure_intent_is_never_auto_answered_even_by_a_catch_all_rule() -> None:
    catch_all = TriageRule.model_validate({"when": {}, "action": "auto_answer", "reply": {"en": "Hi"}})
    assert decide([catch_all], verdict("other", 1.0), 0.5, during_survey=False) is None


MENTIONS = [
    pytest.param("I forgot the password of my router", ["router"], "router", id="a-word"),
    pytest.param("My ROUTER's admin page", ["router"], "router", id="any-case"),
    pytest.param("the ｒｏｕｔｅｒ password", ["router"], "router", id="full-width"),
    pytest.param("routers are hard", ["router"], None, id="whole-words-only"),
    pytest.param("is it unsafe to reset by sms", ["safe"], None, id="not-inside-another"),
    pytest.param("wifi密码是多少", ["wifi"], "wifi", id="a-latin-word-beside-chinese"),
    pytest.param("酒店的Wi-Fi密碼是多少", ["wi-fi"], "wi-fi", id="punctuation-inside"),
    pytest.param("手机锁屏密码忘了", ["锁屏"], "锁屏", id="chinese-anywhere"),
    pytest.param("门禁app进不去", ["门禁"], "门禁", id="chinese-beside-latin"),
    pytest.param("門禁密碼不對", ["门禁"], "门禁", id="traditional-as-simplified"),
    pytest.param("门禁密码不对", ["門禁"], "門禁", id="traditional-in-the-list"),
    pytest.param("forgot the code to unlock my phone", ["phone", "unlock my phone"], "unlock my phone",
                 id="the-longest-is-named"),
    pytest.param("I forgot my password", ["router", "锁屏"], None, id="none"),
    pytest.param("", ["router"], None, id="no-text"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words", "expected"), MENTIONS)
def test_mentioned_finds_whole_words_whatever_their_case_width_or_script(
    text: str, words: list[str], expected: str | None
) -> None:
    assert mentioned(words, text) == expected


def test_a_mention_sets_a_rule_aside_and_the_next_rule_applies_with_the_note_saying_why() -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    rules_[1] = rules_[1].model_copy(
        update={"when": rules_[1].when.model_copy(update={"unless_mentions": ["router", "路由器"]})}
    )
    calm = judged("password_reset", 0.99, "neutral", 0.1, 0.5)
    text = "I forgot the admin password of my router"
    judgement = judge(rules_, calm, 0.55, during_survey=False, text=text)
    assert judgement.decision is None
    assert judgement.note == (
        "no rule matched: triage: password_reset (99%), neutral (80%); "
        'rule 2 set aside: the message mentions "router"'
    )
    assert decide(rules_, calm, 0.55, during_survey=False, text="I forgot my password") is not None
    asking = replace(calm, needs_human=0.9)  # a later rule still applies, and says what was set aside
    escalated = judge(rules_, asking, 0.55, during_survey=False, text="路由器密码忘了，找个人帮我")
    assert escalated.decision is not None and escalated.decision.index == 3
    assert escalated.note == (
        "escalate (rule 3): triage: password_reset (99%), neutral (80%), needs a person (90%); "
        'rule 2 set aside: the message mentions "路由器"'
    )
    assert escalated.decision.reason.endswith('rule 2 set aside: the message mentions "路由器"')


@pytest.mark.parametrize("text", ["?", "？？", "???", "。。。", "...", " ? "])
def test_a_message_of_only_question_marks_or_dots_gets_no_rule(text: str) -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    read_as_upset = judged("other", 0.94, "negative", 0.7)
    judgement = judge(rules_, read_as_upset, 0.55, during_survey=False, text=text)
    assert judgement.decision is None
    assert judgement.note == (
        "no rule matched: triage: other (94%), negative (80%), needs a person (70%); "
        "the message is only punctuation"
    )


@pytest.mark.parametrize("text", ["??? where is my order", ":(", "😡", "?!", ""])
def test_punctuation_beside_words_emoticons_or_emoji_is_triaged_as_usual(text: str) -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    upset = judged("other", 0.94, "negative", 0.7)
    decision = decide(rules_, upset, 0.55, during_survey=False, text=text)
    assert decision is not None and decision.rule.action == "escalate"


def shipped_rules() -> list[TriageRule]:
    """The triage rules of the shipped config.yaml."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    return [TriageRule.model_validate(r) for r in data["triage"]]


SHIPPED_ANSWERS = [
    pytest.param("I forgot my password, can you help?", "neutral", "auto_answer", id="ours"),
    pytest.param("我忘記密碼了，要怎麼重設？", "neutral", "auto_answer", id="ours-traditional"),
    pytest.param("the new password reset flow was so easy, thanks!", "positive", None, id="praise"),
    pytest.param("I forgot my Apple ID password, can you reset it?", "neutral", None, id="apple-id"),
    pytest.param("微信密碼忘了，你們能幫我找回嗎", "neutral", None, id="wechat"),
    pytest.param("how do I factory reset the TV box", "neutral", None, id="factory-reset"),
    pytest.param("怎么把通知设置重置成默认", "neutral", None, id="reset-to-default"),
    pytest.param("not getting the OTP sms for login", "neutral", None, id="login-code"),
    pytest.param("收唔到登入嘅驗證碼，試咗好多次", "neutral", None, id="login-code-cantonese"),
    pytest.param("找回密码的验证码发到我以前的号码了", "neutral", "auto_answer", id="reset-code"),
    pytest.param("the verification code to reset my pasword never comes", "neutral", "auto_answer",
                 id="reset-code-typo"),
    pytest.param("我的微信登不上了，你们的app是微信登录的", "neutral", None, id="wechat-login"),
    pytest.param("想修改一下支付密码", "neutral", None, id="payment-password"),
    pytest.param("Can you reset my trial?", "neutral", None, id="trial"),
    pytest.param("考试页面崩了，能重置一次考试机会吗", "neutral", None, id="exam"),
    pytest.param("I need to reset the MFA for one of my users", "neutral", None, id="mfa"),
    pytest.param("the reset link never arrived, can you send it again", "neutral", "auto_answer",
                 id="reset-link"),
    pytest.param("how do I reset another user's password as admin?", "neutral", None, id="admin"),
    pytest.param("my login credentials stopped working, how do I reset them?", "neutral", "auto_answer",
                 id="credentials"),
    pytest.param("forgot my login details for the app", "neutral", "auto_answer", id="login-details"),
    pytest.param("what are the wifi credentials in the lobby?", "neutral", None, id="wifi-credentials"),
    pytest.param("can I use Face ID so I don't have to type the password?", "neutral", None, id="face-id"),
    pytest.param("想开通指纹登录，老是输密码太麻烦", "neutral", None, id="fingerprint"),
    pytest.param("it says the pass word is wrong can you reset it", "neutral", "auto_answer", id="voice"),
    pytest.param("那个蜜码忘记了怎么重新设置", "neutral", "auto_answer", id="homophone"),
    pytest.param("I can't log into my account my pass code isn't working", "neutral", "auto_answer",
                 id="voice-pass-code"),
    pytest.param("forgot my phone pass code how do I unlock it", "neutral", None, id="voice-phone"),
    pytest.param("Forgot my transaction password of net banking", "neutral", None, id="transaction"),
    pytest.param("one of my employees forgot her password, can I reset it?", "neutral", None,
                 id="employee"),
    pytest.param("forgot my password, the account is paid by my employer", "neutral", "auto_answer",
                 id="employer"),
    pytest.param("同事忘了登录密码，我能替她重置吗", "neutral", None, id="colleague"),
    pytest.param("printer asks for a password to connect", "neutral", None, id="printer"),
    pytest.param("我想問下個密碼鎖點重設", "neutral", None, id="combination-lock"),
    pytest.param("智能门锁密码怎么改", "neutral", None, id="door-lock"),
    pytest.param("PDF发票打开要密码，密码是什么？", "neutral", None, id="pdf"),
    pytest.param("部機個密碼唔記得咗，可唔可以幫我解鎖", "neutral", None, id="device-cantonese"),
    pytest.param("forgot my password and it's not on my old laptop either", "neutral", "auto_answer",
                 id="laptop-named"),
    pytest.param("my account was hacked and the password changed", "neutral", "escalate", id="hacked"),
    pytest.param("我的帳號被盜了，密碼被改掉", "neutral", "escalate", id="stolen"),
    pytest.param("someone else changed my password, I can't get in", "neutral", "escalate",
                 id="taken-over"),
    pytest.param("is my account safe? I forgot my password", "neutral", "auto_answer", id="safe"),
    pytest.param("I reset my password fine, now where's my order", "neutral", None, id="done-already"),
    pytest.param("密码重置好了，现在想问下我的订单到哪了", "neutral", None, id="done-already-zh"),
    pytest.param("my wife's password for the shop stopped working, can you reset it", "neutral", None,
                 id="wife"),
    pytest.param("I'm asking for my dad, he can't remember the password for his account", "neutral", None,
                 id="his-account"),
    pytest.param("我妈的账号密码忘了，我能替她找回吗", "neutral", None, id="mother-zh"),
    pytest.param("幫佢重設密碼得唔得，佢唔識用", "neutral", None, id="for-them-cantonese"),
    pytest.param("my daughter changed my password as a joke, how do I reset it", "neutral", "auto_answer",
                 id="own-account-relative-changed"),
    pytest.param("老公把我的密码改了，我登不上了", "neutral", "auto_answer", id="own-account-husband-zh"),
    pytest.param("the VPN password from work expired, how do I renew it?", "neutral", None, id="vpn"),
    pytest.param("学校的统一认证密码忘了怎么办", "neutral", None, id="school-sso"),
    pytest.param("forgot my password for the school shop, need to order uniforms", "neutral", "auto_answer",
                 id="school-shop-own-account"),
    pytest.param("买了块手表想查物流，密码忘了登不上", "neutral", "auto_answer", id="watch-bought"),
    pytest.param("do you keep passwords hashed or in plain text?", "neutral", None, id="storage"),
    pytest.param("为什么密码必须有大写字母？为什么一定要这么复杂", "neutral", None, id="policy-zh"),
    pytest.param("how do you store my password, is it safe?", "neutral", None, id="storage-how"),
    pytest.param("are passwords stored securely on your side?", "neutral", None, id="storage-secure"),
    pytest.param("用户的密码存储在哪里，安全吗", "neutral", None, id="storage-zh"),
    pytest.param("I stored my password in the browser and it stopped working, how do I reset it?", "neutral",
                 "auto_answer", id="stored-in-browser"),
    pytest.param("浏览器里保存的密码不对了，怎么重置", "neutral", "auto_answer", id="saved-in-browser-zh"),
    pytest.param("was my password in the data breach last week?", "neutral", None, id="breach"),
    pytest.param("a guy on the phone claiming to be you wants my password", "neutral", None, id="caller"),
    pytest.param("短信说密码要过期了让我点链接更新，可疑吗", "neutral", None, id="phishing-zh"),
    pytest.param("有人打电话说是银行的，要我的登录密码", "neutral", None, id="caller-zh"),
    pytest.param("would you ever ask for my password over the phone?", "neutral", None, id="ever-ask"),
    pytest.param("do you ask for passwords in emails?", "neutral", None, id="do-you-ask"),
    pytest.param("客服会找我要密码吗", "neutral", None, id="ask-me-zh"),
    pytest.param("登录页面总是找我要密码，可我忘了", "neutral", "auto_answer", id="page-asks-zh"),
    pytest.param("the app keeps asking for my password and I forgot it", "neutral", "auto_answer",
                 id="app-asks"),
    pytest.param("app一直问我要密码，可是我忘了", "neutral", "auto_answer", id="app-asks-zh"),
    pytest.param("how do I change the passcode on my smartwatch", "neutral", None, id="smartwatch"),
    pytest.param("机顶盒的密码是多少", "neutral", None, id="set-top-box"),
    pytest.param("my ex knows my password, what should I do", "neutral", "escalate", id="ex-knows"),
    pytest.param("别人知道我的密码了，怎么办", "neutral", "escalate", id="someone-knows-zh"),
    pytest.param("my son set up my account and I forgot the password", "neutral", "auto_answer",
                 id="own-account-son-set-up"),
    pytest.param("need a new passwrd for my account", "neutral", "auto_answer", id="typed-passwrd"),
    pytest.param("after I reset my password my wishlist was gone, can you restore it?", "neutral", None,
                 id="after-reset-story"),
    pytest.param("改完密码以后购物车空了，怎么回事", "neutral", None, id="after-reset-story-zh"),
    pytest.param("I reset my password after the alert, now I forgot the new one", "neutral", "auto_answer",
                 id="after-the-alert"),
    pytest.param("is the one-time passcode you text me the same as my PIN?", "neutral", None,
                 id="otp-passcode"),
    pytest.param("动态密码收不到", "neutral", None, id="otp-zh"),
    pytest.param("the one-time code to reset my password expired, can I get another?", "neutral",
                 "auto_answer", id="one-time-reset-code"),
    pytest.param("前台给的无线密码连不上", "neutral", None, id="hotel-wireless-zh"),
    pytest.param("what are the password rules? it keeps rejecting my new one", "neutral", "auto_answer",
                 id="password-rules"),
    pytest.param("ATM取钱密码输错三次，卡被吞了", "neutral", None, id="atm-zh"),
    pytest.param("the ATM kept my card after I typed the wrong password", "neutral", None, id="atm"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "sentiment", "expected"), SHIPPED_ANSWERS)
def test_the_shipped_rules_answer_only_a_calm_question_about_our_own_password(
    text: str, sentiment: Sentiment, expected: str | None
) -> None:
    shipped = shipped_rules()
    sure = judged("password_reset", 0.99, sentiment, 0.05, 0.5)
    decision = decide(shipped, sure, 0.5, during_survey=False, text=text)
    assert (decision.rule.action if decision else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("If the refund is not back by Monday I will file a chargeback.", "escalate"),
        ("已经等了六周，再不退款我就去消协", "escalate"),
        ("I've written to the ombudsman about the roaming charges", "escalate"),
        ("When will my refund arrive? It has been a week.", None),
        ("Please close my account. I'm done.", "escalate"),
        ("this is the third time I'm asking where my refund is", "escalate"),
        ("退款申请提交好几次了，到底什么时候到", "escalate"),
        ("我没有要投诉的意思，就是问一下退款什么时候到", None),  # the word only in a denial
        ("not trying to report you or anything, just where's my refund?", None),
        ("I bought a second phone case, can I get a refund on the first?", None),
        ("My patience is wearing thin. Where is my refund?", "escalate"),
        ("我的耐心是有限的，退款到底什么时候到", "escalate"),
        ("Refund me and don't contact me again.", "escalate"),
        ("thanks for your patience with me, when will my refund arrive?", None),
        ("客服很耐心，请问退款什么时候到", None),
        ("can you send the refund to my business account?", None),
        ("I don't want store credit, I want my money back", "escalate"),
        ("不要积分，把钱退给我", "escalate"),
        ("can I get my money back if I return it unopened?", None),
        ("it's been a week and the parcel is still not here", "escalate"),
        ("唉，退款还是没到", "escalate"),
        ("我的快递还没到，请问什么时候到？", None),
        ("外卖等太久了，我要取消订单", "escalate"),
        ("typing my passcode every time I open the app is annoying", "escalate"),
        ("餐送到的时候都凉了，能退一部分吗", "escalate"),
        ("说好的24小时发货，现在都第五天了", "escalate"),
        ("退款到底什么时候到账？", "escalate"),
        ("汤洒了一半，申请退款", None),
        ("饭菜送到还是热的，没有凉，退款的事不急", None),
        ("Refund STILL not received after 30 days. Where is my money??", "escalate"),
        ("这个问题我已经说了第四遍了，什么时候退款", "escalate"),
        ("外卖太慢了，取消吧，钱退我", "escalate"),
        ("stop apologizing and refund me", "escalate"),
        ("You have until 5pm to refund me or I'm contacting Citizens Advice.", "escalate"),
        ("再不退款我就去银保监会投诉", "escalate"),
        ("when will the refund be received?", None),
        ("退款速度太快了，谢谢", None),
        ("我已经退订了怎么还在扣费，请处理一下", "escalate"),
        ("会员取消十天了，还在扣我的钱", "escalate"),
        ("同一笔订单好像扣了两次，麻烦查一下", None),
        ("订单显示还在扣款中，要等多久", None),
    ],
)
@pytest.mark.parametrize("sentiment", ["neutral", "negative"])
def test_the_shipped_rules_send_a_calm_threat_of_a_chargeback_or_regulator_to_a_person(
    text: str, expected: str | None, sentiment: Sentiment
) -> None:
    shipped = shipped_rules()
    calm = judged("refund", 0.95, sentiment, 0.1, 0.5)
    decision = decide(shipped, calm, 0.5, during_survey=False, text=text)
    assert (decision.rule.action if decision else None) == expected


@pytest.mark.parametrize(
    ("text", "sentiment", "expected"),
    [
        ("can I talk to someone about a payment plan?", "neutral", "escalate"),
        ("I'd like this escalated to a supervisor, please.", "neutral", "escalate"),
        ("明天上午9点到11点能给我回个电话吗", "neutral", "escalate"),
        ("请把这个问题升级给你们主管", "neutral", "escalate"),
        ("no need to escalate, just tell me when the payment plan starts", "neutral", None),
        ("the supervisor at the branch was lovely, thanks", "positive", None),
        ("can I set up a payment plan?", "neutral", None),
        ("这事有点复杂，得跟人讲", "neutral", "escalate"),
        ("卖家这边想找对接的小二聊一下", "neutral", "escalate"),
        ("有没有人工客服电话？", "neutral", "escalate"),
        ("真人客服打给我吧", "neutral", "escalate"),
        ("你们客服电话是多少", "neutral", "escalate"),
        ("could you put me through to someone on your team please?", "neutral", "escalate"),
        ("分期付款的利息是怎么算的", "neutral", None),
    ],
)
def test_the_shipped_rules_send_a_customer_who_asks_for_a_person_in_words_to_one(
    text: str, sentiment: Sentiment, expected: str | None
) -> None:
    calm = judged("billing", 0.9, sentiment, 0.1, 0.5)
    decision = decide(shipped_rules(), calm, 0.5, during_survey=False, text=text)
    assert (decision.rule.action if decision else None) == expected


def test_a_happy_customer_who_counts_their_orders_is_not_sent_to_a_person() -> None:
    shipped = shipped_rules()
    happy = judged("greeting_thanks", 0.95, "positive", 0.02, 0.5)
    judgement = judge(shipped, happy, 0.5, during_survey=False, text="third time ordering here, love it!")
    assert judgement.decision is None
    assert "set aside" not in judgement.note  # a rule of words alone notes nothing when none is named


def test_a_word_named_only_where_the_customer_denies_it_is_noted_so() -> None:
    rules_ = [TriageRule.model_validate({"when": {"mentions": ["complaint", "投诉"]}, "action": "escalate"})]
    calm = judged("delivery", 0.9, "neutral", 0.1, 0.5)
    judgement = judge(rules_, calm, 0.5, during_survey=False, text="这不是投诉的事，就是问问什么时候发货")
    assert judgement.decision is None
    assert judgement.note.endswith("rule 1 set aside: the message names its words only where it denies them")
    assert decide(rules_, calm, 0.5, during_survey=False, text="我要投诉，三天没发货") is not None


def test_a_rule_with_mentions_applies_only_to_a_message_that_names_one_of_them() -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    rules_[1] = rules_[1].model_copy(
        update={"when": rules_[1].when.model_copy(update={"mentions": ["password", "密码"]})}
    )
    calm = judged("password_reset", 0.99, "neutral", 0.1, 0.5)
    judgement = judge(rules_, calm, 0.55, during_survey=False, text="the OTP never arrives")
    assert judgement.decision is None
    assert judgement.note.endswith("rule 2 set aside: the message mentions none of its words")
    named = decide(rules_, calm, 0.55, during_survey=False, text="重置密碼的驗證碼收不到")
    assert named is not None and named.rule.action == "auto_answer"
    upper = decide(rules_, calm, 0.55, during_survey=False, text="forgot my PASSWORD")
    assert upper is not None and upper.rule.action == "auto_answer"


def test_a_rule_that_would_not_apply_anyway_is_not_named_as_set_aside() -> None:
    rules_ = [TriageRule.model_validate(r) for r in NEEDS_HUMAN_RULES]
    rules_[1] = rules_[1].model_copy(
        update={"when": rules_[1].when.model_copy(update={"unless_mentions": ["router"]})}
    )
    billing = judged("billing", 0.99, "neutral", 0.1, 0.5)
    assert judge(rules_, billing, 0.55, during_survey=False, text="router bill").note == (
        "no rule matched: triage: billing (99%), neutral (80%)"
    )


def triage_settings(extra_rules: Sequence[dict[str, Any]] = RULES) -> Settings:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["teams"]["billing"] = {"name": "Billing", "sla": "8h"}
    data["triage"] = list(extra_rules)
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


BAD_RULES = {
    "typo-intent": (
        {"when": {"intents": ["pasword_reset"]}, "action": "escalate"},
        "unknown intent 'pasword_reset'",
    ),
    "no-reply": ({"when": {}, "action": "auto_answer"}, "auto_answer needs a reply per locale"),
    "reply-missing-locale": (
        {"when": {}, "action": "auto_answer", "reply": {"en": "Hi"}},
        "missing the 'zh-CN' text",
    ),
    "unknown-team": ({"when": {}, "action": "route", "team": "sales"}, "unknown team 'sales'"),
    "blank-word": (
        {"when": {"unless_mentions": ["router", "  "]}, "action": "escalate"},
        "when.unless_mentions[1]: string should have at least 1 character, got '  '",
    ),
    "empty-mentions": (
        {"when": {"mentions": []}, "action": "escalate"},
        "when.mentions: list should have at least 1 item",
    ),
    "reply-on-escalate": (
        {"when": {}, "action": "escalate", "reply": {"en": "x", "zh-CN": "x"}},
        "only auto_answer sends a reply",
    ),
}


@pytest.mark.parametrize(("rule", "problem"), BAD_RULES.values(), ids=BAD_RULES.keys())
def test_bad_triage_rules_are_config_errors(rule: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        triage_settings([rule])
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("triage[0].") and problem in caught.value.problems[0]


class KeywordClassifier:
    """A stand-in for the trained model at the ``Classifier`` port: labels come from keywords."""

    ready = True

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        out = []
        for text in texts:
            low = text.lower()
            if "password" in low:
                out.append(verdict("password_reset", 0.95))
            elif "manager" in low:
                out.append(verdict("request_human", 0.9, "negative"))
            elif "refund" in low:
                out.append(verdict("refund", 0.8))
            elif "useless" in low:
                out.append(verdict("complaint", 0.6, "negative"))
            else:
                out.append(verdict("other", 0.3))
        return out


@pytest.fixture
def h(make_harness: MakeHarness) -> Any:
    harness = make_harness(triage_settings())
    harness.service.classifier = KeywordClassifier()
    return harness


def as_list(column: Any) -> list[str]:
    """A JSON column: SQLite hands back its text, PostgreSQL the decoded list."""
    return json.loads(column) if isinstance(column, str) else list(column)


def labels(h: Harness) -> list[tuple[Any, ...]]:
    rows = h.rows("select text, intent, sentiment from message where direction = 'in' order by id")
    return [tuple(r) for r in rows]


ANSWER_EN = "Reset it at example.com/reset.\n\nDid this solve it?"
ANSWER_ZH = "请访问 example.com/reset 重置密码。\n\n这解决您的问题了吗？"


async def test_a_password_reset_is_answered_then_silence_resolves_it_as_the_bots_and_surveys(
    h: Harness,
) -> None:
    result = await h.say("ann", "I forgot my password")
    assert h.channel.texts("ann") == [ANSWER_EN]
    assert h.rows("select status, waiting_on from conversation where id = :c", c=result.conversation_id) == [
        ("open", "customer")
    ]
    assert labels(h) == [("I forgot my password", "password_reset", "neutral")]
    assert await h.tick(minutes=29) == []
    assert await h.tick(minutes=1) == [
        "automatic answer s000001: no reply, resolved by the bot; survey s000002 due in 10 min"
    ]
    assert h.rows(
        "select status, resolution, resolved_by from conversation where id = :c", c=result.conversation_id
    ) == [("resolved", "bot_resolved", "bot")]
    done = await h.tick(minutes=10)
    assert len(done) == 1 and done[0].startswith("sent survey")
    assert isinstance(h.channel.sent[-1][1], AskRating)


async def test_without_a_platform_language_the_answer_and_survey_follow_the_customers_writing(
    h: Harness,
) -> None:
    # WeChat and WhatsApp send no language: the customer's own words decide.
    await h.say("wei", "password 忘记了怎么办", locale="")
    assert h.channel.texts("wei") == [ANSWER_ZH]
    await h.say("wei", "好的，解决了", locale="")
    await h.tick(minutes=10)
    assert h.rows("select locale from survey") == [("zh-CN",)]
    question = h.channel.sent[-1][1]
    assert isinstance(question, AskRating) and any("\u4e00" <= ch <= "\u9fff" for ch in question.text)
    await h.say("wei", "5", locale="")  # a rating says nothing about the language
    assert h.rows("""select locale from identity where "user" = 'wei'""") == [("zh",)]
    await h.say("wei", "please help me reset my password", locale="")
    assert h.channel.texts("wei")[-1] == ANSWER_EN


async def test_the_customers_writing_wins_over_the_platforms_language(h: Harness) -> None:
    # An English-language Telegram app, a question in Chinese: the answer is in Chinese.
    await h.say("lin", "password 忘记了", locale="en-US")
    assert h.channel.texts("lin") == [ANSWER_ZH]
    await h.say("lin", "5", locale="zh-TW")  # words without a language: the platform's counts
    assert h.rows("""select locale from identity where "user" = 'lin'""") == [("zh-TW",)]


async def test_asking_for_a_manager_angrily_opens_a_high_priority_ticket_with_the_labels(h: Harness) -> None:
    result = await h.say("ben", "get me a manager now")
    [(team, priority, reasons, intent, sentiment)] = h.rows(
        "select team, priority, reasons, intent, sentiment from ticket"
    )
    assert (team, priority, intent, sentiment) == ("support", "high", "request_human", "negative")
    assert as_list(reasons) == ["triage: request_human (90%), negative (80%)"]
    assert h.rows("select status from conversation where id = :c", c=result.conversation_id) == [("open",)]
    assert h.channel.texts("ben") == ["I've passed this to Customer Support: a person will reply here."]


async def test_each_customer_message_records_why_triage_acted_or_not(h: Harness) -> None:
    await h.say("ben", "get me a manager now")
    await h.say("ben", "hello there")
    rows = h.rows("select text, triage from message where direction = 'in' order by id")
    assert rows == [
        ("get me a manager now", "escalate (rule 2): triage: request_human (90%), negative (80%)"),
        ("hello there", "no rule matched: triage: other (30%), neutral (80%)"),
    ]


async def test_a_refund_question_is_routed_to_the_billing_team(h: Harness) -> None:
    await h.say("cat", "where is my refund")
    assert h.rows("select team, priority, status from ticket") == [("billing", "normal", "open")]


async def test_an_unclassified_message_goes_to_a_human_without_any_automatic_action(h: Harness) -> None:
    result = await h.say("dan", "hello there")
    assert h.channel.texts("dan") == []
    assert h.rows("select count(*) from ticket") == [(0,)]
    assert h.rows("select status from conversation where id = :c", c=result.conversation_id) == [("open",)]


async def test_a_new_request_typed_during_a_survey_is_classified_and_acted_on(h: Harness) -> None:
    await h.say("eve", "hello there")
    [(conversation_id,)] = h.rows("select id from conversation")
    resolved = await h.service.resolve(conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    await h.say("eve", "this app is useless")  # not an answer: handed on, and angry during a survey
    [(team, priority, reasons, ticket_conversation)] = h.rows(
        "select team, priority, reasons, conversation_id from ticket"
    )
    assert (team, priority) == ("support", "high")
    assert as_list(reasons) == ["triage: complaint (60%), negative (80%)"]
    assert ticket_conversation != conversation_id  # the new request lives in its own conversation
    assert labels(h)[-1] == ("this app is useless", "complaint", "negative")
    assert h.rows("select status from survey where id = :s", s=resolved.survey_id) == [("active",)]


async def test_without_a_ready_model_nothing_is_triaged(h: Harness) -> None:
    h.service.classifier.ready = False
    await h.say("fay", "I forgot my password")
    assert h.channel.texts("fay") == []
    assert labels(h) == [("I forgot my password", None, None)]


async def test_messages_that_came_before_the_model_are_triaged_once_it_is_ready(h: Harness) -> None:
    h.service.classifier.ready = False
    first = await h.say("gil", "I forgot my password")
    await h.say("hal", "get me a manager now")
    assert h.rows("select subject, status from timer where kind = 'triage' order by id") == [
        ("1", "pending"),
        ("2", "pending"),
    ]
    h.service.classifier.ready = True
    assert await h.service.triage_backlog() == 2
    await h.dispatcher.deliver_due()
    assert labels(h) == [
        ("I forgot my password", "password_reset", "neutral"),
        ("get me a manager now", "request_human", "negative"),
    ]
    assert h.channel.texts("gil") == [ANSWER_EN]
    waiting = "select intent, status from autoanswer where conversation_id = :c"
    assert h.rows(waiting, c=first.conversation_id) == [("password_reset", "pending")]
    assert h.rows("select priority, intent from ticket") == [("high", "request_human")]
    # Taken once: a second pass (another worker, a restart) finds nothing and doubles nothing.
    assert await h.service.triage_backlog() == 0
    assert h.rows("select count(*) from ticket") == [(1,)]
    assert h.channel.texts("gil") == [ANSWER_EN]


async def test_a_late_verdict_only_labels_what_people_already_handled(h: Harness) -> None:
    h.service.classifier.ready = False
    done = await h.say("ivy", "I forgot my password")
    await h.service.resolve(done.conversation_id, "bob")
    answered = await h.say("jo", "my password does not work")
    await h.service.agent_reply(answered.conversation_id, "bob", "Let me check.")
    h.service.classifier.ready = True
    assert await h.service.triage_backlog() == 2
    await h.dispatcher.deliver_due()
    assert [label[1] for label in labels(h)] == ["password_reset", "password_reset"]
    assert h.channel.texts("ivy") == []  # resolved before the model was ready
    assert h.channel.texts("jo") == ["Let me check."]  # an agent wrote: no automatic answer on top
    assert h.rows("select resolution from conversation where id = :c", c=done.conversation_id) == [
        ("agent_resolved",)
    ]


async def test_a_queued_message_older_than_queue_for_stays_untriaged(h: Harness) -> None:
    h.service.classifier.ready = False
    await h.say("kim", "I forgot my password")
    done = await h.tick(hours=1, seconds=1)  # nlu.queue_for defaults to 1h
    assert "message 1 left untriaged: the model was not ready in time" in done
    h.service.classifier.ready = True
    assert await h.service.triage_backlog() == 0
    assert labels(h) == [("I forgot my password", None, None)]
    assert h.channel.texts("kim") == []


async def test_queueing_can_be_switched_off(make_harness: MakeHarness) -> None:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["triage"] = RULES[:1]
    data["nlu"] = {**data.get("nlu", {}), "queue_for": None}
    harness = make_harness(Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True))))
    classifier = KeywordClassifier()
    classifier.ready = False
    harness.service.classifier = classifier
    await harness.say("lee", "I forgot my password")
    assert harness.rows("select count(*) from timer where kind = 'triage'") == [(0,)]


async def test_an_angry_message_typed_during_a_survey_keeps_its_context_while_it_waits(h: Harness) -> None:
    await h.say("max", "hello there")
    [(conversation_id,)] = h.rows("select id from conversation")
    await h.service.resolve(conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    h.service.classifier.ready = False
    await h.say("max", "this app is useless")
    [(subject,)] = h.rows("select subject from timer where kind = 'triage'")
    assert subject.endswith("/survey")
    h.service.classifier.ready = True
    assert await h.service.triage_backlog() == 1
    assert h.rows("select priority, intent from ticket") == [("high", "complaint")]  # the during-survey rule


SET_ASIDE = [
    {**RULES[0], "when": {**RULES[0]["when"], "unless_mentions": ["router", "wifi", "门禁"]}},
    *RULES[1:],
]


async def test_a_message_that_mentions_a_set_aside_word_gets_no_automatic_answer_now_or_late(
    make_harness: MakeHarness,
) -> None:
    harness = make_harness(triage_settings(SET_ASIDE))
    harness.service.classifier = KeywordClassifier()
    await harness.say("ned", "forgot my wifi password")
    await harness.say("ned", "I forgot my password")
    harness.service.classifier.ready = False
    await harness.say("ola", "門禁password不对")  # triaged later, once the model is ready
    harness.service.classifier.ready = True
    assert await harness.service.triage_backlog() == 1
    await harness.dispatcher.deliver_due()
    assert harness.channel.texts("ned") == [ANSWER_EN]  # the second message only
    assert harness.channel.texts("ola") == []
    labelled = "no rule matched: triage: password_reset (95%), neutral (80%); rule 1 set aside: the message"
    assert harness.rows("select text, triage from message where direction = 'in' order by id") == [
        ("forgot my wifi password", f'{labelled} mentions "wifi"'),
        ("I forgot my password", "auto_answer (rule 1): triage: password_reset (95%), neutral (80%)"),
        ("門禁password不对", f'{labelled} mentions "门禁"'),
    ]
