"""Automatic answers ask "Did this solve it?": yes or silence resolves, no hands over at once, and
every outcome happens exactly once however the answer arrives."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.classification import Classification, Sentiment
from bot.config import parse_config
from bot.errors import ConfigError
from bot.prompts import AskChoice, AskRating
from bot.settings import Settings

from ..conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[2]
REPLY = {"en": "Reset it at example.com/reset.", "zh-CN": "请访问 example.com/reset 重置密码。"}
RULES: list[dict[str, Any]] = [
    {"when": {"intents": ["password_reset"]}, "action": "auto_answer", "reply": REPLY,
     "confirm_within": "20m"},
    {"when": {"intents": ["complaint"], "sentiments": ["negative"]}, "action": "escalate",
     "priority": "high"},
    {"when": {"intents": ["refund"]}, "action": "route", "team": "billing"},
]  # fmt: skip
QUESTION_EN = "Reset it at example.com/reset.\n\nDid this solve it?"


def settings_with(rules: Sequence[dict[str, Any]] = RULES) -> Settings:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["teams"]["billing"] = {"name": "Billing", "sla": "8h", "hours": {"en": "9-18", "zh-CN": "9点到18点"}}
    data["triage"] = list(rules)
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


def verdict(intent: str, sentiment: Sentiment = "neutral") -> Classification:
    return Classification(intent, 0.95, sentiment, 0.8, "test")


class Keywords:
    """Labels from keywords, at the ``Classifier`` port."""

    ready = True

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        out = []
        for text in texts:
            low = text.lower()
            if "password" in low or "密码" in low or "link" in low:
                out.append(verdict("password_reset", "negative" if "still" in low else "neutral"))
            elif "for nothing" in low or "wasted" in low:
                out.append(verdict("complaint", "negative"))
            elif "thank" in low or "谢谢" in low:
                out.append(verdict("greeting_thanks", "positive"))
            elif "refund" in low:
                out.append(verdict("refund"))
            elif "useless" in low:
                out.append(verdict("complaint", "negative"))
            else:
                out.append(verdict("other"))
        return out


@pytest.fixture
def h(make_harness: MakeHarness) -> Any:
    harness = make_harness(settings_with())
    harness.service.classifier = Keywords()
    return harness


async def asked(h: Harness, user: str = "ann", text: str = "I forgot my password") -> tuple[int, AskChoice]:
    result = await h.say(user, text)
    question = h.channel.sent[-1][1]
    assert isinstance(question, AskChoice)
    return int(result.conversation_id), question


def outcome(h: Harness) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in h.rows("select intent, status, how from autoanswer order by sent_at")]


def conversation(h: Harness, conversation_id: int) -> tuple[Any, ...]:
    rows = h.rows("select status, resolution, waiting_on from conversation where id = :c", c=conversation_id)
    return tuple(rows[0])


async def test_the_answer_comes_with_native_yes_and_no_buttons(h: Harness) -> None:
    conversation_id, question = await asked(h)
    assert question.text == QUESTION_EN
    labels = [(o.id, o.label) for o in question.options]
    assert labels == [("yes", "Yes, solved"), ("no", "No, I need a person")]
    assert question.step == "helped" and question.survey == "s000001"
    assert conversation(h, conversation_id) == ("open", None, "customer")
    assert outcome(h) == [("password_reset", "pending", None)]
    assert h.rows("select kind, subject from timer where status = 'pending' order by kind") == [
        ("confirm", "s000001")
    ]


async def test_yes_resolves_as_the_bots_and_surveys(h: Harness) -> None:
    conversation_id, question = await asked(h)
    result = await h.tap("ann", question.survey, question.step, "yes")
    assert result.answered
    assert h.channel.texts("ann")[-1] == "Glad that helped!"
    assert conversation(h, conversation_id) == ("resolved", "bot_resolved", "customer")
    assert outcome(h) == [("password_reset", "yes", "tap")]
    assert h.rows("select count(*) from ticket") == [(0,)]
    done = await h.tick(minutes=10)
    assert done == ["sent survey s000002"] and isinstance(h.channel.sent[-1][1], AskRating)
    assert h.rows("select agents from survey")[0][0] in ('["bot"]', ["bot"])


async def test_no_hands_it_to_a_person_at_once_with_the_transcript(h: Harness) -> None:
    conversation_id, question = await asked(h)
    await h.tap("ann", question.survey, question.step, "no")
    assert conversation(h, conversation_id) == ("open", None, "support")
    [(reasons, transcript, status)] = h.rows("select reasons, transcript, status from ticket")
    reasons = json.loads(reasons) if isinstance(reasons, str) else reasons
    transcript = json.loads(transcript) if isinstance(transcript, str) else transcript
    assert reasons == ["the automatic answer (password_reset) did not help"] and status == "open"
    assert [(m["author"], m["text"]) for m in transcript][:3] == [
        ("customer", "I forgot my password"),
        ("bot", QUESTION_EN + "\n[yes] Yes, solved\n[no] No, I need a person"),
        ("customer", "No, I need a person"),
    ]
    assert h.channel.texts("ann")[-1] == "I've passed this to Customer Support: a person will reply here."
    assert outcome(h) == [("password_reset", "no", "tap")]
    assert await h.tick(hours=3) == []  # no silence timer left, never idle-resolved
    assert conversation(h, conversation_id)[0] == "open"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("yes", "yes"),
        ("Yes, it worked, thanks!", "yes"),
        ("是的，谢谢", "yes"),
        ("1", "yes"),
        ("no", "no"),
        ("not really", "no"),
        ("没用", "no"),
        ("转人工", "no"),
        ("I need to talk to a person", "no"),
        ("No, I need a person", "no"),
    ],
)
async def test_typed_answers_are_understood(h: Harness, typed: str, said: str) -> None:
    conversation_id, _ = await asked(h)
    result = await h.say("ann", typed)
    assert result.answered and result.conversation_id == conversation_id
    assert outcome(h) == [("password_reset", said, "typed")]
    assert (h.rows("select count(*) from ticket")[0][0] == 1) is (said == "no")
    recorded = h.rows("select payload from message where direction = 'in' order by id desc limit 1")[0][0]
    recorded = json.loads(recorded) if isinstance(recorded, str) else recorded
    assert recorded == {"survey": "s000001", "step": "helped", "value": said}


async def test_silence_counts_as_solved_after_confirm_within(h: Harness) -> None:
    conversation_id, _ = await asked(h)
    assert await h.tick(minutes=19) == []
    assert await h.tick(minutes=1) == [
        "automatic answer s000001: no reply, resolved by the bot; survey s000002 due in 10 min"
    ]
    assert conversation(h, conversation_id)[:2] == ("resolved", "bot_resolved")
    assert outcome(h) == [("password_reset", "silent", "timer")]


async def test_a_thank_you_is_a_yes(h: Harness) -> None:
    conversation_id, _ = await asked(h)
    await h.say("ann", "You guys are awesome, thank you")
    assert outcome(h) == [("password_reset", "yes", "implied")]
    assert conversation(h, conversation_id)[:2] == ("resolved", "bot_resolved")


@pytest.mark.parametrize(
    ("typed", "settled"),
    [
        # No yes (its words take it back): a complaint, which the escalation rule hands to a person.
        ("thanks for nothing, the parcel is lost AGAIN", ("moved_on", "implied")),
        ("Yes. Wasted an hour of my life on this", ("no", "typed")),  # a yes that triage reads as upset
    ],
)
async def test_an_upset_yes_is_not_solved_and_reaches_a_person(
    h: Harness, typed: str, settled: tuple[str, str]
) -> None:
    conversation_id, _ = await asked(h)
    await h.say("ann", typed)
    assert outcome(h) == [("password_reset", *settled)]
    assert h.rows("select count(*) from ticket") == [(1,)]
    assert conversation(h, conversation_id)[0] == "open"  # never closed on a guess


async def test_the_same_problem_again_is_a_no(h: Harness) -> None:
    conversation_id, _ = await asked(h)
    await h.say("ann", "the reset link still never arrives")
    assert outcome(h) == [("password_reset", "no", "implied")]
    assert h.rows("select count(*) from ticket") == [(1,)]
    assert conversation(h, conversation_id) == ("open", None, "support")
    assert len([p for _, p in h.channel.sent if isinstance(p, AskChoice)]) == 1  # not answered twice


async def test_a_new_request_another_rule_handles_moves_on(h: Harness) -> None:
    await asked(h)
    await h.say("ann", "and where is my refund?")
    assert outcome(h) == [("password_reset", "moved_on", "implied")]
    assert h.rows("select team from ticket") == [("billing",)]
    assert h.channel.texts("ann")[-1] == (
        "I've passed this to Billing: a person will reply here. Our hours: 9-18."
    )


async def test_a_late_no_after_silence_still_reaches_a_person(h: Harness) -> None:
    conversation_id, question = await asked(h)
    await h.tick(minutes=20)
    assert conversation(h, conversation_id)[0] == "resolved"
    result = await h.tap("ann", question.survey, question.step, "no")
    assert result.answered
    assert outcome(h) == [("password_reset", "no", "tap")]
    assert conversation(h, conversation_id) == ("open", None, "support")
    assert h.rows("select conversation_id from ticket") == [(conversation_id,)]
    assert await h.tick(minutes=30) == []  # the survey the silence planned waits for a new resolve
    assert h.rows("select count(*) from survey where sent_at is null") == [(1,)]


async def test_retries_double_taps_and_a_racing_timer_settle_it_once(h: Harness) -> None:
    conversation_id, question = await asked(h)
    first = await h.tap("ann", question.survey, question.step, "yes", platform_id="cb-1")
    again = await h.tap("ann", question.survey, question.step, "yes", platform_id="cb-1")
    other = await h.tap("ann", question.survey, question.step, "no", platform_id="cb-2")
    assert first.answered and again.duplicate and not other.answered
    assert not first.stale and other.stale  # the page of a late tap shows what is current
    assert await h.tick(minutes=30) == ["sent survey s000002"]  # the confirm timer was cancelled
    assert outcome(h) == [("password_reset", "yes", "tap")]
    assert h.rows("select count(*) from survey") == [(1,)]
    assert h.rows("select count(*) from ticket") == [(0,)]
    assert h.channel.texts("ann").count("Glad that helped!") == 1
    assert conversation(h, conversation_id)[0] == "resolved"


async def test_another_customers_tap_on_the_answer_changes_nothing(h: Harness) -> None:
    """A tap names the answer by its id, which a client can forge (the web chat's ``choice``): only
    the chat it was sent to may settle it. Before, mallory's forged "no" was written into ann's
    conversation and handed it to a person."""
    conversation_id, question = await asked(h, "ann")
    for value in ("no", "yes"):
        forged = await h.tap("mallory", question.survey, question.step, value)
        assert not forged.answered
    assert outcome(h) == [("password_reset", "pending", None)]
    assert conversation(h, conversation_id) == ("open", None, "customer")
    assert h.rows("select count(*) from ticket") == [(0,)]
    assert h.rows("select count(*) from message where conversation_id = :c and author = 'customer'",
                  c=conversation_id) == [(1,)]  # fmt: skip
    assert h.channel.texts("mallory") == []
    assert (await h.tap("ann", question.survey, question.step, "yes")).answered  # ann's own still counts
    assert outcome(h) == [("password_reset", "yes", "tap")]


async def test_concurrent_taps_and_the_timer_settle_it_exactly_once(h: Harness) -> None:
    _, question = await asked(h, "bea")
    h.clock.advance(timedelta(minutes=20))
    results = await asyncio.gather(
        *(h.tap("bea", question.survey, question.step, v) for v in ("yes", "yes", "no", "yes")),
        h.service.fire_due_timers(),
    )
    [(status,)] = h.rows("select status from autoanswer")
    assert status in ("yes", "no", "silent")
    # When the timer went first, the "no" is a late no: the survey it planned stays, never sent.
    assert h.rows(
        "select count(*) from survey s join timer t on t.subject = s.id"
        " where t.kind = 'send' and t.status = 'pending'"
    ) == [(1 if status != "no" else 0,)]
    assert h.rows("select count(*) from survey where sent_at is not null") == [(0,)]
    assert h.rows("select count(*) from ticket") == [(1 if status == "no" else 0,)]
    assert sum(1 for r in results[:4] if getattr(r, "answered", False)) <= 1


async def test_an_answer_during_a_survey_asks_too_and_keeps_the_survey(h: Harness) -> None:
    result = await h.say("cy", "hello")
    await h.service.agent_reply(result.conversation_id, "bob", "Hi!")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    await h.say("cy", "how do I reset my password?")
    assert [p.step for _, p in h.channel.sent if isinstance(p, AskChoice)] == ["helped"]
    assert isinstance(h.channel.sent[-1][1], AskRating)  # the survey asks its question again
    await h.say("cy", "1")  # a rating while the survey asks for one, not "1. Yes, solved"
    assert h.rows("select score from answer") == [(1,)]
    assert outcome(h) == [("password_reset", "pending", None)]
    await h.say("cy", "yes")
    assert outcome(h) == [("password_reset", "yes", "typed")]
    assert h.rows("select status from survey where id = :s", s=resolved.survey_id) == [("active",)]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"confirm_within": "10s"}, "triage[0].confirm_within: 10s is outside 1m-7d"),
        ({"confirm_within": "8d"}, "triage[0].confirm_within: 8d is outside 1m-7d"),
        (
            {"action": "escalate", "reply": None, "confirm_within": "5m"},
            "triage[0].confirm_within: only auto_answer asks the customer to confirm "
            "(this rule does escalate)",
        ),
    ],
)
def test_confirm_within_is_validated(rule: dict[str, Any], problem: str) -> None:
    base = dict(RULES[0]) | rule
    base = {k: v for k, v in base.items() if v is not None}
    with pytest.raises(ConfigError) as caught:
        settings_with([base])
    assert len(caught.value.problems) == 1 and caught.value.problems[0].startswith(problem)


async def test_the_question_is_asked_in_the_customers_language(h: Harness) -> None:
    await h.say("li", "我忘记密码了", locale="zh-CN")
    question = h.channel.sent[-1][1]
    assert isinstance(question, AskChoice)
    assert question.text == "请访问 example.com/reset 重置密码。\n\n这解决您的问题了吗？"
    assert [o.label for o in question.options] == ["解决了", "没有，转人工"]


async def test_once_an_agent_wrote_silence_and_a_late_yes_leave_the_conversation_to_the_agent(
    h: Harness,
) -> None:
    conversation_id, question = await asked(h)
    await h.service.agent_reply(conversation_id, "bob", "Bob here, let me check your account")
    assert outcome(h) == [("password_reset", "moved_on", "implied")]  # a person took it over
    assert not any(d.startswith("automatic answer") for d in await h.tick(minutes=20))
    assert conversation(h, conversation_id) == ("open", None, "customer")
    late = await h.tap("ann", question.survey, question.step, "yes")
    assert not late.answered and conversation(h, conversation_id)[0] == "open"
    assert "Glad that helped!" not in h.channel.texts("ann")
    assert h.rows("select count(*) from survey") == [(0,)]


async def test_a_yes_after_an_agent_escalated_leaves_the_ticket_and_conversation_open(h: Harness) -> None:
    conversation_id, question = await asked(h)
    await h.service.escalate(conversation_id, "bob", "needs an account check")
    late = await h.tap("ann", question.survey, question.step, "yes")
    assert not late.answered and outcome(h) == [("password_reset", "moved_on", "implied")]
    assert conversation(h, conversation_id)[0] == "open"
    assert h.rows("select status from ticket") == [("open",)]
    assert await h.tick(minutes=30) == [] and h.rows("select count(*) from survey") == [(0,)]
