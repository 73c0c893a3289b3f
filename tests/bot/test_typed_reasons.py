"""Words typed at a choice question: a reason of the customer's own, or not."""

from __future__ import annotations

import pytest

from bot.classification import Classification, Sentiment
from bot.typed_reasons import asks_for_help, is_request, typed_reason

REASONS = [
    "it took 4 days",
    "  the product is broken  ",
    "物流太慢了",
    "产品质量有问题",
    "价格太贵",
    "they never called back",
    "the app keeps crashing",
    "this is the third time I write to you!!",
    "price",
    "包装破了",
    "質量不好",
    "ok, the courier lied about delivery",
    "waited 2 hours on the phone",
    "3 times I called",
]
NOT_REASONS = [
    "",
    "   ",
    "4",
    "?",
    "嗯",
    "嗯嗯",
    "ok",
    "ok thanks",
    "好的谢谢",
    "lol",
    "what",
    "what?",
    "huh",
    "what do you mean",
    "什么意思",
    "哪个",
    "why is nobody answering me??",
    "is anyone there?!!",
    "能退款吗",
    "I don't know",
    "no idea",
    "不知道",
    "随便",
    "hmm, not sure",
    "still no idea",
    "honestly I have no idea",
    "👍",
    "不行",
    "actually make it 4 stars",
    "改成4分",
    "8/10",
]


@pytest.mark.parametrize("text", REASONS)
def test_a_reason_in_own_words_is_kept_whole(text: str) -> None:
    assert typed_reason(text, None) == text.strip()


@pytest.mark.parametrize("text", NOT_REASONS)
def test_questions_filler_and_shrugs_are_not_reasons(text: str) -> None:
    assert typed_reason(text, None) == ""


@pytest.mark.parametrize(
    ("intent", "confidence", "sentiment", "asks"),
    [
        ("refund", 0.9, "neutral", True),  # "I want a refund"
        ("request_human", 0.5, "negative", True),  # "get me a manager, now"
        ("refund", 0.9, "negative", False),  # "I still have not got my money back": what went wrong
        ("delivery", 0.97, "negative", False),  # "物流太慢了，等了一个星期"
        ("refund", 0.49, "neutral", False),
        ("complaint", 0.99, "negative", False),
        ("other", 0.9, "neutral", False),
    ],
)
def test_a_calm_request_or_a_call_for_a_person_is_not_a_reason(
    intent: str, confidence: float, sentiment: Sentiment, asks: bool
) -> None:
    verdict = Classification(intent, confidence, sentiment, 0.9)
    assert asks_for_help(verdict) is asks
    assert typed_reason("they said it would come monday", verdict) == (
        "" if asks else "they said it would come monday"
    )


@pytest.mark.parametrize(
    ("intent", "confidence", "topic"), [("refund", 0.5, True), ("complaint", 0.9, False)]
)
def test_is_request_reads_the_topic_and_its_confidence(intent: str, confidence: float, topic: bool) -> None:
    assert is_request(Classification(intent, confidence, "negative", 0.9)) is topic
