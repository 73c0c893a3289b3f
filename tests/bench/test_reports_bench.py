"""The report benchmark's generator and queries, for real on a small database: the fast reports
give the same figures as the slow reference query over the answers, and every bench query runs."""

from __future__ import annotations

import importlib.util
import json
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from models import Conversation, Survey, Ticket
from storage import open_database
from storage.reports import Scores, build_report, iter_csv, recovery, survey_rows

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"csatbot_bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load("reports")


@pytest.fixture
def generated(database_url: str, bench: ModuleType) -> dict[str, Any]:
    counts = bench.generate(database_url, 2000, days=60, progress=False)
    return {"url": database_url, "counts": counts, "range": (bench.END - timedelta(days=30), bench.END)}


def test_generator_fills_every_report_table_realistically(generated: dict[str, Any]) -> None:
    counts = generated["counts"]
    assert counts["conversation"] == 2000 and counts["survey"] > 2000  # the follow-ups on top
    assert counts["answer"] > 500 and counts["ticket"] > 50
    database = open_database(generated["url"])
    try:
        with Session(database.reader) as session:
            report = build_report(session, *generated["range"])
    finally:
        database.dispose()
    total = report.total
    assert 800 < total.sent < 1400  # half the range, busier at the end of the year
    assert (
        0.25 < total.response_rate < 0.5 and 40 < total.csat_percent < 90 and 0 < total.dsat < total.responded
    )
    assert set(report.by["channel"]) == {"webchat", "whatsapp", "telegram", "wechat", "wecom"}
    assert {"bot", "(none)"} & set(report.by["agent"]) == {"bot"} and len(report.by["agent"]) > 20
    assert set(report.by["locale"]) == {"en", "zh-CN"} and len(report.by["intent"]) == 9


def test_fast_reports_equal_the_reference_over_answers(generated: dict[str, Any], bench: ModuleType) -> None:
    since, until = generated["range"]
    database = open_database(generated["url"])
    try:
        with Session(database.reader) as session:
            fast = build_report(session, since, until)
            slow = bench.reference_report(session, since, until)
            assert fast.total == slow.total and fast.total.sent > 0
            assert fast.by["channel"] == slow.by["channel"] and fast.by["locale"] == slow.by["locale"]
            assert fast.by_day == slow.by_day
            # Each agent's figures are those of the surveys their conversations credit them with.
            expected: dict[str, Scores] = {}
            rows = session.exec(
                select(Survey, Conversation)
                .join(Conversation, col(Conversation.id) == col(Survey.conversation_id))
                .where(col(Survey.kind) == "main", col(Survey.sent_at) >= since, col(Survey.sent_at) < until)
            ).all()
            for survey, conversation in rows:
                agents = (
                    json.loads(conversation.agents)
                    if isinstance(conversation.agents, str)
                    else conversation.agents
                )
                for agent in [*agents, *(["bot"] if conversation.resolution == "bot_resolved" else [])]:
                    expected.setdefault(agent, Scores()).add(_scores(survey))
            assert fast.by["agent"] == expected
            # The drill-down finds exactly the surveys each figure counts.
            for channel, scores in fast.by["channel"].items():
                for metric in ("sent", "responded", "csat_satisfied", "detractors", "dsat"):
                    page = survey_rows(
                        session, since, until, filters={"channel": channel}, metric=metric, limit=1
                    )
                    assert page.total == getattr(scores, metric), (channel, metric)
            # Recovery: DSAT tickets of main surveys in range, and their answered re-surveys.
            tickets = session.exec(
                select(Ticket, Survey)
                .join(Survey, col(Survey.id) == col(Ticket.survey_id))
                .where(col(Survey.sent_at) >= since, col(Survey.sent_at) < until)
            ).all()
            followups = {
                s.ticket_id: s for s in session.exec(select(Survey).where(col(Survey.kind) == "followup"))
            }
            answered = [
                followups[t.id] for t, _ in tickets if t.id in followups and followups[t.id].csat is not None
            ]
            recovered = recovery(session, since, until).total
            assert (recovered.dsat_tickets, recovered.responded) == (len(tickets), len(answered)) and answered
            assert recovered.recovered == sum(1 for s in answered if (s.csat or 0) >= 4)
            lines = "".join(iter_csv(session, since, until, batch=300)).splitlines()
            assert len(lines) == fast.total.sent + 1
    finally:
        database.dispose()


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "Asia/Kolkata"])
def test_days_in_a_time_zone_equal_each_survey_s_local_date(generated: dict[str, Any], zone: str) -> None:
    until = generated["range"][1]
    since = until - timedelta(days=365)  # all generated days (October and November: New York's clocks
    # go back on 1 November)
    tz = ZoneInfo(zone)
    database = open_database(generated["url"])
    try:
        with Session(database.reader) as session:
            report = build_report(session, since, until, by=(), tz=tz)
            surveys = session.exec(
                select(Survey).where(
                    col(Survey.kind) == "main", col(Survey.sent_at) >= since, col(Survey.sent_at) < until
                )
            ).all()
    finally:
        database.dispose()
    expected: dict[str, Scores] = {}
    for survey in surveys:
        assert survey.sent_at is not None
        expected.setdefault(f"{survey.sent_at.astimezone(tz):%Y-%m-%d}", Scores()).add(_scores(survey))
    assert report.by_day == expected and len(expected) > 50


def test_every_bench_query_runs(generated: dict[str, Any], bench: ModuleType) -> None:
    timings = bench.measure(generated["url"], *generated["range"], repeat=1)
    assert "reference: answer join (before)" in timings and "CSV export, 30 days" in timings
    assert {"good-news digest (ranked, credited)", "experiments (per variant)"} <= set(timings)
    insights = {"survey funnel (flow, channel, step)", "key drivers of DSAT (ranked)", "operational FCR"}
    assert insights <= set(timings)
    assert len(timings) == 22 and all(ms >= 0 for ms in timings.values())


def _scores(survey: Survey) -> Scores:
    csat, nps, ces = survey.csat, survey.nps, survey.ces
    return Scores(
        sent=1,
        responded=int(survey.responded),
        csat_n=int(csat is not None),
        csat_satisfied=int(csat is not None and csat >= 4),
        csat_sum=csat or 0,
        nps_n=int(nps is not None),
        promoters=int(nps is not None and nps >= 9),
        detractors=int(nps is not None and nps <= 6),
        ces_n=int(ces is not None),
        ces_sum=ces or 0,
        dsat=int(survey.escalated),
        fcr_n=int(survey.fcr is not None),
        fcr_yes=int(bool(survey.fcr)),
        completed=int(survey.status == "completed"),
        partial=int(survey.status == "partial"),
    )
