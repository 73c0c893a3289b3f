"""Time every report query over 30 days of a large survey database, on SQLite and PostgreSQL.

    python bench/reports.py --generate 1000000 \\
        --db var/bench/reports.db --db postgresql://postgres@127.0.0.1:5432/csatbot_bench --drop
    python bench/reports.py --db var/bench/reports.db          # an already generated database

``--generate N`` first fills each database with ``bench/reports_data.py`` (N main surveys over a
year). Each query runs ``--repeat`` times (after one warm-up run); the table shows the median in
milliseconds, one column per database. ``reference`` is the same aggregate computed the way
reports did before the scores were copied onto the survey row: grouped per survey over a join
with every answer. ``--drop`` drops the PostgreSQL bench database at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import drop_database, prepare  # noqa: E402
from bench.reports_data import END, generate  # noqa: E402

Query = Callable[[Any, datetime, datetime, dict[str, str]], Any]


def reference_report(session: Any, since: datetime, until: datetime) -> Any:
    """The slow way: one row per survey from its answers (a join and a GROUP BY survey), then the
    aggregate by channel, locale and day. Figures must equal :func:`storage.reports.build_report`'s."""
    from sqlalchemy import Integer, case, func
    from sqlalchemy import cast as sql_cast
    from sqlmodel import col, select

    from models import Answer, Survey
    from storage.reports import Report, Scores

    def score(kind: str) -> Any:
        return func.max(case((col(Answer.kind) == kind, col(Answer.score)), else_=None))

    per_survey = (
        select(
            col(Survey.channel).label("channel"),
            col(Survey.locale).label("locale"),
            func.date(Survey.sent_at).label("day"),
            sql_cast(col(Survey.escalated), Integer).label("escalated"),
            score("csat").label("csat"),
            score("nps").label("nps"),
            score("ces").label("ces"),
            func.max(
                case((col(Answer.kind) == "fcr", case((col(Answer.option) == "yes", 1), else_=0)), else_=None)
            ).label("fcr"),
            col(Survey.status).label("status"),
            func.count(col(Answer.id)).label("answers"),
        )
        .select_from(Survey)
        .outerjoin(Answer, col(Answer.survey_id) == col(Survey.id))
        .where(col(Survey.kind) == "main", col(Survey.sent_at) >= since, col(Survey.sent_at) < until)
        .group_by(col(Survey.id), col(Survey.status))
        .subquery()
    )
    s = per_survey.c
    aggregates = [
        func.count().label("sent"),
        func.sum(case((s.answers > 0, 1), else_=0)).label("responded"),
        func.count(s.csat).label("csat_n"),
        func.sum(case((s.csat >= 4, 1), else_=0)).label("csat_satisfied"),
        func.coalesce(func.sum(s.csat), 0).label("csat_sum"),
        func.count(s.nps).label("nps_n"),
        func.sum(case((s.nps >= 9, 1), else_=0)).label("promoters"),
        func.sum(case((s.nps <= 6, 1), else_=0)).label("detractors"),
        func.count(s.ces).label("ces_n"),
        func.coalesce(func.sum(s.ces), 0).label("ces_sum"),
        func.sum(s.escalated).label("dsat"),
        func.count(s.fcr).label("fcr_n"),
        func.sum(case((s.fcr == 1, 1), else_=0)).label("fcr_yes"),
        func.sum(case((s.status == "completed", 1), else_=0)).label("completed"),
        func.sum(case((s.status == "partial", 1), else_=0)).label("partial"),
    ]
    report = Report(since, until, by={"channel": {}, "locale": {}})
    query = select(s.channel, s.locale, s.day, *aggregates).group_by(s.channel, s.locale, s.day)
    for row in session.execute(query).mappings():
        scores = Scores(**{k: int(row[k] or 0) for k in Scores.__dataclass_fields__})
        report.total.add(scores)
        report.by["channel"].setdefault(row["channel"], Scores()).add(scores)
        report.by["locale"].setdefault(row["locale"], Scores()).add(scores)
        report.by_day.setdefault(str(row["day"]), Scores()).add(scores)
    return report


def queries(busiest_agent: str, last_day: str) -> dict[str, Query]:
    """The report queries, by the name the table shows."""
    from bot.config import load_config
    from storage import reports as r
    from storage.digest import digest_for, range_period
    from storage.drivers import key_drivers
    from storage.experiments import experiment_report
    from storage.fcr import operational_fcr
    from storage.funnel import survey_funnel

    def by(*dimensions: str) -> Query:
        return lambda s, a, b, f: r.build_report(s, a, b, by=dimensions, filters=f)

    def export(s: Any, a: datetime, b: datetime, f: dict[str, str]) -> int:
        return sum(len(chunk) for chunk in r.iter_csv(s, a, b, filters=f))

    shanghai = ZoneInfo("Asia/Shanghai")
    shipped = load_config(ROOT / "config.yaml")

    def good_news(s: Any, a: datetime, b: datetime, f: dict[str, str]) -> Any:
        period = range_period(a, b, a.date(), (b - timedelta(days=1)).date())
        return digest_for(s, shipped, period, f)

    return {
        "total and by day": by(),
        "total and by day, Asia/Shanghai days": lambda s, a, b, f: r.build_report(
            s, a, b, by=(), tz=shanghai
        ),
        **{f"by {d}": by(d) for d in r.DIMENSIONS},
        "all dimensions (console)": lambda s, a, b, f: r.build_report(s, a, b, filters=f, tz=shanghai),
        f"filtered: agent={busiest_agent}": lambda s, a, b, f: r.build_report(
            s, a, b, filters={"agent": busiest_agent}
        ),
        "drill-down page (agent, dsat)": lambda s, a, b, f: r.survey_rows(
            s, a, b, filters={"agent": busiest_agent}, metric="dsat"
        ),
        "drill-down page (one day)": lambda s, a, b, f: r.survey_rows(s, a, b, filters={"day": last_day}),
        "ranked reasons": lambda s, a, b, f: r.ranked_reasons(s, a, b, f),
        "positive comments": lambda s, a, b, f: r.positive_comments(s, a, b, f),
        "recovery": lambda s, a, b, f: r.recovery(s, a, b, f),
        "good-news digest (ranked, credited)": good_news,
        "experiments (per variant)": lambda s, a, b, f: experiment_report(s, shipped, a, b, f),
        "survey funnel (flow, channel, step)": lambda s, a, b, f: survey_funnel(s, a, b, f, tz=shanghai),
        "key drivers of DSAT (ranked)": lambda s, a, b, f: key_drivers(s, a, b, f, tz=shanghai),
        "operational FCR": lambda s, a, b, f: operational_fcr(s, a, b, shipped.reports.repeat_within, f),
        "channel, locale, day (as reference)": by("channel", "locale"),
        "reference: answer join (before)": lambda s, a, b, f: reference_report(s, a, b),
        "CSV export, 30 days": export,
    }


def measure(url: str, since: datetime, until: datetime, repeat: int) -> dict[str, float]:
    """Median milliseconds of each query on ``url``."""
    from collections import Counter

    from sqlmodel import Session, col, select

    from models import Survey
    from storage import open_database

    database = open_database(url)
    try:
        with Session(database.reader) as session:
            recent = session.exec(
                select(Survey.agents)
                .where(col(Survey.kind) == "main")
                .order_by(col(Survey.sent_at).desc())
                .limit(5000)
            ).all()
        busiest = Counter(a for agents in recent for a in agents if a != "bot").most_common(1)[0][0]
        last_day = f"{until - timedelta(days=1):%Y-%m-%d}"
        results: dict[str, float] = {}
        for name, query in queries(busiest, last_day).items():
            times = []
            for _ in range(repeat + 1):
                with Session(database.reader) as session:
                    began = time.perf_counter()
                    query(session, since, until, {})
                    times.append(1000 * (time.perf_counter() - began))
            results[name] = statistics.median(times[1:])
        return results
    finally:
        database.dispose()


def table(results: dict[str, dict[str, float]], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Table(title=title)
    out.add_column("query")
    for label in results:
        out.add_column(f"{label} ms", justify="right")
    names = list(next(iter(results.values())))
    for name in names:
        out.add_row(name, *(f"{results[label][name]:,.0f}" for label in results))
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)
    console.print(out)


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", action="append", help="SQLite file or postgresql:// URL (repeatable)")
    parser.add_argument("--generate", type=int, metavar="N", help="first fill each database with N surveys")
    parser.add_argument("--days", type=int, default=30, help="the report range, ending with the data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL bench databases at the end")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(list(argv) if argv is not None else None)
    urls = [u if "://" in u else f"sqlite:///{u}" for u in args.db or ["var/bench/reports.db"]]
    results: dict[str, dict[str, float]] = {}
    setup: dict[str, float] = {}
    try:
        for url in urls:
            label = "PostgreSQL" if url.startswith("postgres") else "SQLite"
            if args.generate:
                url = prepare(url)
                began = time.perf_counter()
                generate(url, args.generate)
                setup[label] = time.perf_counter() - began
                print(f"{label}: {args.generate:,} surveys generated in {setup[label]:.0f} s")
            results[label] = measure(url, END - timedelta(days=args.days), END, args.repeat)
    finally:
        if args.drop:
            for url in urls:
                if url.startswith("postgres"):
                    drop_database(url.replace("postgresql+psycopg://", "postgresql://"))
    table(results, f"report queries over {args.days} days (median of {args.repeat})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"generate_s": setup, "ms": results}, indent=2))


if __name__ == "__main__":
    main()
