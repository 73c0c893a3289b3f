"""FCR (answered and operational), the survey funnel with partial surveys, and key drivers, on
SQLite and PostgreSQL, from conversations run through the service."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import parse_config
from bot.settings import Settings
from storage.drivers import key_drivers
from storage.fcr import operational_fcr
from storage.funnel import survey_funnel
from storage.reports import build_report

from ..conftest import Harness, MakeHarness

CONFIG_TEXT = (Path(__file__).resolve().parents[2] / "config.yaml").read_text(encoding="utf-8")
FCR_FLOW = """
  fcr:
    title: {en: Resolved, zh-CN: 解决了吗}
    start: solved
    steps:
      solved:
        type: yes_no
        fcr: true
        text: {en: "Was your issue resolved in this conversation?", zh-CN: 问题一次就解决了吗？}
        next: rating
      rating: {type: csat, text: {en: "How satisfied?", zh-CN: 满意吗}, next: thanks}
      thanks: {type: end, text: {en: Thanks, zh-CN: 谢谢}}
"""


def fcr_settings() -> Settings:
    text = CONFIG_TEXT.replace("  - survey: csat", "  - survey: fcr", 1) + FCR_FLOW
    return Settings.from_config(parse_config(text))


async def surveyed(h: Harness, user: str, answers: list[str], first: str = "help") -> int:
    result = await h.say(user, first)
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    for text in answers:
        await h.say(user, text)
    assert resolved.survey_id
    return int(result.conversation_id)


async def test_fcr_answered_and_funnel_with_partial_surveys(make_harness: MakeHarness) -> None:
    h = make_harness(fcr_settings())
    await surveyed(h, "a", ["yes", "5"])
    await surveyed(h, "b", ["没解决", "2"])
    await surveyed(h, "c", ["是"])  # answered the first question only, then the survey expires
    await surveyed(h, "d", [])  # never answered
    await h.tick(days=2)
    since, until = h.clock.now() - timedelta(days=7), h.clock.now() + timedelta(days=1)

    def load(repo: Any) -> tuple[Any, Any]:
        return (
            build_report(repo.session, since, until, by=()).total,
            survey_funnel(repo.session, since, until),
        )

    total, funnel = h.store.read_sync(load)
    assert (total.fcr_n, total.fcr_yes, total.fcr_rate) == (3, 2, 2 / 3)
    assert (total.completed, total.partial) == (2, 1)
    stage = funnel.total
    assert (stage.sent, stage.answered, stage.completed, stage.partial, stage.unanswered) == (4, 3, 2, 1, 1)
    assert stage.readable == 4 and stage.opened == 0  # web chat reads are not reported yet
    figures = stage.as_dict()
    assert figures["abandonment_rate"] == round(1 / 3, 4) and figures["n"]["abandonment_rate"] == 3
    assert funnel.steps["fcr"] == {
        "solved": {"answered": 3, "stopped": 0},
        "rating": {"answered": 2, "stopped": 1},
    }
    assert funnel.drop_step("fcr") == "rating"


async def test_operational_fcr_counts_a_repeat_contact_within_the_window(make_harness: MakeHarness) -> None:
    h = make_harness(fcr_settings())
    await surveyed(h, "a", [])
    await surveyed(h, "b", [])
    first_done = h.clock.now()
    await h.tick(days=2)  # past conversations.reopen_within: a new conversation
    await surveyed(h, "a", [], first="it is broken again")
    await h.tick(days=10)
    await surveyed(h, "b", [], first="another question")  # after the 7-day window
    since, until = h.clock.now() - timedelta(days=30), h.clock.now() + timedelta(days=1)
    result = h.store.read_sync(lambda repo: operational_fcr(repo.session, since, until, timedelta(days=7)))
    assert (result.n, result.repeated) == (4, 1)
    assert result.as_dict()["rate"] == 0.75
    channel = h.store.read_sync(
        lambda repo: operational_fcr(repo.session, since, until, timedelta(days=7), {"channel": "telegram"})
    )
    assert channel.n == 0 and channel.rate is None

    def fcr_between(start: Any, end: Any) -> tuple[int, int]:
        found = h.store.read_sync(lambda repo: operational_fcr(repo.session, start, end, timedelta(days=7)))
        return found.n, found.repeated

    # A range holding only the first two resolutions: a's repeat contact, opened after the range
    # ends but within the window, still counts against it.
    assert fcr_between(since, first_done + timedelta(seconds=1)) == (2, 1)
    # A range starting after them: the earlier history is not read as anyone's repeat.
    assert fcr_between(first_done + timedelta(days=1), until) == (2, 0)


async def test_key_drivers_read_answered_surveys(make_harness: MakeHarness) -> None:
    h = make_harness(fcr_settings())
    for i in range(6):
        await surveyed(h, f"happy{i}", ["yes", "5"])
    for i in range(6):
        await surveyed(h, f"sad{i}", ["no", "1", "skip"])
    since, until = h.clock.now() - timedelta(days=7), h.clock.now() + timedelta(days=1)
    found = h.store.read_sync(lambda repo: key_drivers(repo.session, since, until, min_n=5))
    assert (found["n"], found["dsat"]) == (12, 6)
    top = found["fix_first"][0]
    assert (top["factor"], top["value"], top["n"], top["dsat"], top["rest_rate"]) == ("fcr", "no", 6, 6, 0.0)
