"""Report figures computed from known surveys, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.classification import Classification
from bot.config import parse_config
from bot.settings import Settings
from storage.reports import (
    CSV_COLUMNS,
    NONE,
    ReportFilterError,
    build_report,
    iter_csv,
    positive_comments,
    ranked_reasons,
    recovery,
    survey_rows,
)

from ..conftest import Harness, MakeHarness

CONFIG_TEXT = (Path(__file__).resolve().parents[2] / "config.yaml").read_text(encoding="utf-8")


async def _survey(h: Harness, user: str, answers: list[str]) -> None:
    result = await h.say(user, "help")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    for text in answers:
        await h.say(user, text)
    assert resolved.survey_id


async def test_csat_nps_ces_response_rate_and_dsat(make_harness: MakeHarness) -> None:
    settings = Settings.from_config(parse_config(CONFIG_TEXT.replace("survey: csat", "survey: csat", 1)))
    h = make_harness(settings)
    await _survey(h, "a", ["5"])
    await _survey(h, "b", ["4"])
    await _survey(h, "c", ["2", "1", "skip"])
    await _survey(h, "d", [])  # no answer
    h.clock.advance(timedelta(days=1))
    nps = Settings.from_config(parse_config(CONFIG_TEXT.replace("  - survey: csat", "  - survey: nps")))
    h.current = nps
    await _survey(h, "e", ["10"])
    await _survey(h, "f", ["9"])
    await _survey(h, "g", ["3", "skip"])
    ces = Settings.from_config(parse_config(CONFIG_TEXT.replace("  - survey: csat", "  - survey: ces")))
    h.current = ces
    await _survey(h, "h", ["7"])
    await _survey(h, "i", ["2"])

    report = h.store.read_sync(
        lambda repo: build_report(
            repo.session, h.clock.now() - timedelta(days=7), h.clock.now() + timedelta(days=1)
        )
    )
    total = report.total
    assert (total.sent, total.responded) == (9, 8)
    assert total.response_rate == 8 / 9
    assert (total.csat_n, total.csat_satisfied, total.csat_percent) == (3, 2, 200 / 3)
    assert total.csat_mean == 11 / 3
    assert (total.nps_n, total.promoters, total.detractors) == (3, 2, 1)
    assert total.nps == 100 * (2 - 1) / 3
    assert (total.ces_n, total.ces_mean) == (2, 4.5)
    assert total.dsat == 3  # CSAT 2, NPS 3, CES 2
    assert list(report.by_channel) == ["webchat"]
    assert [(day, s.sent) for day, s in sorted(report.by_day.items())] == [
        ("2026-11-23", 4),
        ("2026-11-24", 5),
    ]

    listed = h.store.read_sync(
        lambda repo: build_report(
            repo.session,
            datetime(2026, 11, 23, tzinfo=UTC),
            datetime(2026, 11, 24, tzinfo=UTC),
            with_surveys=True,
        )
    )
    assert listed.total.sent == 4
    by_user = {s["customer"]["user"]: s for s in listed.surveys}
    assert by_user["c"]["escalated"] is True
    assert by_user["c"]["answers"] == [
        {"step": "rating", "kind": "csat", "score": 2},
        {"step": "reason", "kind": "choice", "option": "slow"},
    ]
    assert by_user["d"]["answers"] == []


# Survey times around local midnights: in New York the first two fall either side of midnight on
# the day daylight saving time ends (06:00 UTC), in Shanghai (UTC+8) and Kolkata (UTC+5:30) the
# last two fall either side of midnight there.
SENT = ("2026-11-01T03:30", "2026-11-01T04:30", "2026-11-02T04:30", "2026-11-02T16:10", "2026-11-02T18:40")
LOCAL_DAYS = {
    "UTC": {"2026-11-01": 2, "2026-11-02": 3},
    "America/New_York": {"2026-10-31": 1, "2026-11-01": 2, "2026-11-02": 2},
    "Asia/Shanghai": {"2026-11-01": 2, "2026-11-02": 1, "2026-11-03": 2},
    "Asia/Kolkata": {"2026-11-01": 2, "2026-11-02": 2, "2026-11-03": 1},
}


async def test_days_are_days_in_the_configured_time_zone(make_harness: MakeHarness) -> None:
    data = yaml.safe_load(CONFIG_TEXT)
    data["surveying"].pop("quiet_hours")
    settings = Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))
    h = make_harness(settings, datetime.fromisoformat(SENT[0]).replace(tzinfo=UTC))
    for i, at in enumerate(SENT):
        h.clock.advance(datetime.fromisoformat(at).replace(tzinfo=UTC) - h.clock.now())
        await _survey(h, f"u{i}", ["5"])
    sent = sorted(t for (t,) in h.rows("select sent_at from survey"))
    assert [str(t).replace(" ", "T")[:16] for t in sent] == list(SENT)  # naive UTC on both databases
    since, until = datetime(2026, 10, 25, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC)
    for zone, days in LOCAL_DAYS.items():
        tz = ZoneInfo(zone)
        report = read(h, lambda s, tz=tz: build_report(s, since, until, tz=tz))
        assert {day: scores.sent for day, scores in report.by_day.items()} == days, zone
        assert report.total.sent == 5 and report.as_dict()["timezone"] == zone
        for day, count in days.items():  # the drill-down into a day finds exactly the surveys it counts
            scope = {"filters": {"day": day}, "tz": tz}
            assert read(h, lambda s, scope=scope: survey_rows(s, since, until, **scope)).total == count


# ---------------------------------------------------------------------------------------------
# Dimensions, attribution, drill-down, reasons, good news, export and recovery, on one scenario.

SCENARIO_START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
SINCE, UNTIL = SCENARIO_START - timedelta(days=1), SCENARIO_START + timedelta(days=2)


class Keywords:
    """The classifier port, by keyword: intents for the conversation topic, sentiment for comments."""

    ready = True
    INTENTS: ClassVar[dict[str, str]] = {
        "parcel": "delivery",
        "refund": "refund",
        "password": "password_reset",
        "invoice": "billing",
    }

    def classify(self, texts: Any) -> list[Classification]:
        out = []
        for text in texts:
            low = text.lower()
            intent = next((i for word, i in self.INTENTS.items() if word in low), "other")
            sentiment = "positive" if "great" in low or "lovely" in low else "neutral"
            sentiment = "negative" if "awful" in low else sentiment
            out.append(Classification(intent, 0.95 if intent != "other" else 0.3, sentiment, 0.9))
        return out


def scenario_settings() -> Settings:
    """The shipped config with two staffed teams, and a comment box after a good CSAT rating."""
    data = yaml.safe_load(CONFIG_TEXT)
    data["teams"]["support"]["members"] = ["amy", "bob"]
    data["teams"]["billing"] = {"name": "Billing", "members": ["cai"]}
    steps = data["surveys"]["csat"]["steps"]
    steps["rating"]["branches"].append({"when": {"min": 4}, "next": "praise"})
    steps["praise"] = {
        "type": "text",
        "optional": True,
        "text": {"en": "Glad to hear! Anything we did well?", "zh-CN": "太好了！有什么做得好的？"},
        "next": "thanks",
    }
    return Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True)))


async def conversation(
    h: Harness,
    user: str,
    text: str,
    agents: list[str],
    by: str,
    how: str = "agent_resolved",
    locale: str = "en",
) -> str:
    """A customer writes, ``agents`` reply, ``by`` resolves, the survey goes out: returns its id."""
    result = await h.say(user, text, locale=locale)
    for agent in agents:
        await h.service.agent_reply(result.conversation_id, agent, f"{agent} here, on it")
    resolved = await h.service.resolve(result.conversation_id, by, how, send_now=True)
    await h.dispatcher.deliver_due()
    h.clock.advance(timedelta(minutes=1))
    return str(resolved.survey_id)


def ticket_of(h: Harness, survey_id: str) -> int:
    [(ticket_id,)] = h.rows("select id from ticket where survey_id = :s", s=survey_id)
    return int(ticket_id)


async def recover(h: Harness, user: str, survey_id: str, agent: str, rating: str) -> str:
    """``agent`` works the survey's DSAT ticket to resolved; the customer answers the re-survey."""
    ticket_id = ticket_of(h, survey_id)
    await h.service.ticket("assign", ticket_id, "lead", agent)
    await h.service.ticket("reply", ticket_id, agent, "Sorted now, sorry!")
    await h.service.ticket("resolve", ticket_id, agent)
    await h.tick(minutes=10)
    [(followup,)] = h.rows("select id from survey where ticket_id = :t", t=ticket_id)
    await h.say(user, rating)
    return str(followup)


@pytest.fixture
async def scenario(make_harness: MakeHarness) -> dict[str, Any]:
    h = make_harness(scenario_settings(), SCENARIO_START)
    h.service.classifier = Keywords()
    ids = {}
    ids["ann"] = await conversation(h, "ann", "my parcel is late", ["amy", "bob"], "amy")
    await h.say("ann", "5")
    await h.say("ann", "great help from amy")
    ids["ben"] = await conversation(h, "ben", "I want a refund", ["cai"], "cai")
    for text in ("2", "slow", "awful wait"):
        await h.say("ben", text)
    await h.say("cat", "I forgot my password")  # the bot answers; "yes" resolves it
    await h.say("cat", "yes")
    await h.tick(minutes=10)
    [(ids["cat"],)] = h.rows(
        "select s.id from survey s join identity i on i.id = s.identity_id where i.\"user\" = 'cat'"
    )
    await h.say("cat", "4")
    ids["dan"] = await conversation(h, "dan", "where is my parcel", ["amy"], "amy")
    for text in ("1", "unresolved", "skip"):
        await h.say("dan", text)
    ids["eve"] = await conversation(h, "eve", "你好", [], "idle", "idle", locale="zh-CN")  # never answers
    ids["fay"] = await conversation(h, "fay", "my invoice is wrong", [], "bob")
    for text in ("3", "slow", "the agent was lovely though"):
        await h.say("fay", text)
    ids["ben_followup"] = await recover(h, "ben", ids["ben"], "cai", "5")
    ids["dan_followup"] = await recover(h, "dan", ids["dan"], "bob", "2")
    return {"h": h, "ids": ids}


def read(h: Harness, work: Any) -> Any:
    return h.store.read_sync(lambda repo: work(repo.session))


async def test_dimensions_and_fair_attribution_with_n_everywhere(scenario: dict[str, Any]) -> None:
    h, ids = scenario["h"], scenario["ids"]
    report = read(h, lambda s: build_report(s, SINCE, UNTIL))
    total = report.total
    # Six main surveys; the two follow-ups (5 and 2) are not in CSAT: they are recovery figures.
    assert (total.sent, total.responded, total.csat_n, total.csat_satisfied) == (6, 5, 5, 2)
    assert (total.csat_percent, total.dsat, total.dsat_rate) == (40.0, 3, 3 / 5)
    sent = {dim: {k: v.sent for k, v in values.items()} for dim, values in report.by.items()}
    # Ann had amy and bob: she counts for each. Fay's conversation was only resolved by bob; the
    # bot resolved cat's; eve's went idle. Bob worked dan's DSAT ticket later: dan stays amy's alone.
    assert sent["agent"] == {"amy": 2, "bob": 2, "cai": 1, "bot": 1, NONE: 1}
    assert sent["team"] == {"support": 3, "billing": 1, NONE: 2}
    assert sent["intent"] == {"delivery": 2, "refund": 1, "password_reset": 1, "billing": 1, "other": 1}
    assert sent["locale"] == {"en": 5, "zh-CN": 1}
    assert sent["channel"] == {"webchat": 6} and report.by_channel["webchat"].sent == 6
    amy = report.by["agent"]["amy"]
    assert (amy.csat_n, amy.csat_satisfied, amy.dsat) == (2, 1, 1)
    data = report.as_dict(min_answers=2)
    assert data["by"]["agent"]["cai"]["n"] == {
        "response_rate": 1,
        "csat_percent": 1,
        "csat_mean": 1,
        "nps": 0,
        "ces_mean": 0,
        "dsat_rate": 1,
        "fcr_rate": 0,
    }
    assert (
        data["by"]["agent"]["cai"]["few_answers"] is True
        and data["by"]["agent"]["amy"]["few_answers"] is False
    )
    assert data["total"]["dsat_rate"] == 0.6 and data["by_day"]["2026-11-23"]["sent"] == 6
    credited = {sid: json.loads(agents) if isinstance(agents, str) else agents
                for sid, agents in h.rows("select id, agents from survey")}  # fmt: skip
    assert (credited[ids["ann"]], credited[ids["cat"]], credited[ids["eve"]]) == (["amy", "bob"], ["bot"], [])
    # A follow-up is credited to whoever worked the ticket, on the ticket's team.
    assert credited[ids["dan_followup"]] == ["bob"] and credited[ids["dan"]] == ["amy"]
    assert h.rows("select team from survey where id = :s", s=ids["ben_followup"]) == [("support",)]
    only = read(h, lambda s: build_report(s, SINCE, UNTIL, by=["agent"], filters={"team": "support"}))
    assert list(only.by) == ["agent"] and only.total.sent == 3
    assert {k: v.sent for k, v in only.by["agent"].items()} == {"amy": 2, "bob": 2}


async def test_drill_down_returns_exactly_the_surveys_each_figure_counts(scenario: dict[str, Any]) -> None:
    h, ids = scenario["h"], scenario["ids"]
    report = read(h, lambda s: build_report(s, SINCE, UNTIL))
    metrics = ("sent", "responded", "csat_n", "csat_satisfied", "nps_n", "promoters", "detractors", "dsat")
    checked = 0
    for dimension, values in report.by.items():
        for value, scores in values.items():
            for metric in metrics:
                scope = {"filters": {dimension: value}, "metric": metric}
                page = read(h, lambda s, scope=scope: survey_rows(s, SINCE, UNTIL, **scope))
                assert page.total == len(page.rows) == getattr(scores, metric), (dimension, value, metric)
                checked += 1
    assert checked > 100
    day = read(h, lambda s: survey_rows(s, SINCE, UNTIL, filters={"day": "2026-11-23"}))
    assert day.total == report.by_day["2026-11-23"].sent
    assert read(h, lambda s: survey_rows(s, SINCE, UNTIL, filters={"day": "2026-11-24"})).total == 0
    amy_dsat = read(h, lambda s: survey_rows(s, SINCE, UNTIL, filters={"agent": "amy"}, metric="dsat"))
    [row] = amy_dsat.rows
    assert (row["id"], row["agents"], row["team"], row["csat"]) == (ids["dan"], ["amy"], "support", 1)
    assert row["customer"]["user"] == "dan" and row["ticket"]["status"] == "resolved"
    page = read(h, lambda s: survey_rows(s, SINCE, UNTIL, limit=2, offset=1))
    newest = read(h, lambda s: survey_rows(s, SINCE, UNTIL))
    assert page.total == 6 and [r["id"] for r in page.rows] == [r["id"] for r in newest.rows[1:3]]
    for bad in ({"filters": {"mood": "x"}}, {"metric": "happiness"}, {"filters": {"day": "23/11"}}):
        with pytest.raises(ReportFilterError):
            read(h, lambda s, bad=bad: survey_rows(s, SINCE, UNTIL, **bad))


async def test_an_agent_filter_matches_the_name_exactly_case_included(scenario: dict[str, Any]) -> None:
    """An agent's reports are filtered by their name: on SQLite LIKE ignores ASCII case, so agent
    ``AMY`` (another account than ``amy``) read amy's surveys, and ``BOT`` the bot's."""
    h = scenario["h"]
    for name in ("AMY", "Amy", "BOT", "am"):
        only = {"agent": name}
        assert read(h, lambda s, only=only: survey_rows(s, SINCE, UNTIL, filters=only)).total == 0, name
        assert read(h, lambda s, only=only: build_report(s, SINCE, UNTIL, filters=only)).total.sent == 0
    assert read(h, lambda s: survey_rows(s, SINCE, UNTIL, filters={"agent": "amy"})).total == 2


async def test_ranked_reasons_and_good_news(scenario: dict[str, Any]) -> None:
    h, ids = scenario["h"], scenario["ids"]
    reasons = read(h, lambda s: ranked_reasons(s, SINCE, UNTIL))
    assert [(r["option"], r["count"], r["n"]) for r in reasons] == [("slow", 2, 3), ("unresolved", 1, 3)]
    assert reasons[0]["label"]["en"] == "Slow response" and reasons[0]["share"] == round(2 / 3, 4)
    assert [r["option"] for r in read(h, lambda s: ranked_reasons(s, SINCE, UNTIL, {"agent": "amy"}))] == [
        "unresolved"
    ]
    good = read(h, lambda s: positive_comments(s, SINCE, UNTIL))
    # Ben's "awful wait" is negative and dan's follow-up is not a main survey: neither is good news.
    assert [(c["survey_id"], c["text"]) for c in good] == [
        (ids["fay"], "the agent was lovely though"),
        (ids["ann"], "great help from amy"),
    ]
    assert good[1]["agents"] == ["amy", "bob"] and good[1]["customer"]["user"] == "ann"
    assert good[1]["channel"] == "webchat" and good[1]["csat"] == 5
    assert read(h, lambda s: positive_comments(s, SINCE, UNTIL, {"agent": "cai"})) == []


async def test_csv_export_one_row_per_survey(scenario: dict[str, Any]) -> None:
    h, ids = scenario["h"], scenario["ids"]
    text = "".join(read(h, lambda s: list(iter_csv(s, SINCE, UNTIL, batch=4))))  # two batches
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == 6 and set(by_id) == {ids[u] for u in ("ann", "ben", "cat", "dan", "eve", "fay")}
    assert [r["sent_at"] for r in rows] == sorted(r["sent_at"] for r in rows)
    ann, ben, dan, eve = (by_id[ids[u]] for u in ("ann", "ben", "dan", "eve"))
    assert (ann["agents"], ann["team"], ann["intent"], ann["csat"], ann["comment"]) == (
        "amy;bob",
        "support",
        "delivery",
        "5",
        "great help from amy",
    )
    assert (ben["escalated"], ben["recovered"], ben["comment"]) == ("true", "true", "awful wait")
    assert (dan["recovered"], ann["recovered"], ann["escalated"]) == ("false", "", "false")
    assert (eve["locale"], eve["csat"], eve["agents"], eve["status"]) == ("zh-CN", "", "", "active")


async def test_recovery_counts_dsat_tickets_resurveyed_and_satisfied(scenario: dict[str, Any]) -> None:
    h, ids = scenario["h"], scenario["ids"]
    report = read(h, lambda s: recovery(s, SINCE, UNTIL))
    total = report.total
    # Three DSAT surveys (ben, dan, fay); two tickets resolved and re-surveyed; ben came back happy.
    # Dan's unhappy follow-up opened a ticket of its own: not a DSAT ticket of a main survey.
    assert (total.dsat_tickets, total.resolved, total.resurveyed, total.responded, total.recovered) == (
        3,
        2,
        2,
        2,
        1,
    )
    assert total.recovery_rate == 0.5
    assert report.by_assignee["cai"].recovered == 1 and report.by_assignee["bob"].recovered == 0
    assert report.as_dict(min_answers=10)["total"]["few_answers"] is True
    assert h.rows("select count(*) from ticket where survey_id = :s", s=ids["dan_followup"]) == [(1,)]
    just_ben = read(h, lambda s: recovery(s, SINCE, UNTIL, {"team": "billing"}))
    assert (just_ben.total.dsat_tickets, just_ben.total.recovered) == (1, 1)
