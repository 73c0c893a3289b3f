"""The reports page: figures with their n, charts, breakdowns, drill-down, reasons, good news, CSV."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ...conftest import conversation_of, customer_says
from .conftest import Console


async def rated(console: Console, user: str, stars: str, reason: str | None = None, comment: str = "") -> str:
    """A web chat conversation resolved by ``bob``, surveyed at once and answered: the survey id."""
    await customer_says(console.http, user, text="where is my order?")
    conversation = await conversation_of(console.http, user)
    bob = console.agent("bob")
    await console.http.post(
        f"/api/conversations/{conversation}/reply", json={"text": "On its way."}, headers=bob
    )
    resolved = await console.http.post(
        f"/api/conversations/{conversation}/resolve", json={"send_survey_now": True}, headers=bob
    )
    survey: str = resolved.json()["survey_id"]
    await console.survey_sent(conversation)
    for step, value in (("rating", stars), ("reason", reason)):
        if value is not None:
            choice = {"survey": survey, "step": step, "value": value}
            await customer_says(console.http, user, choice=choice)
    if comment:
        await customer_says(console.http, user, text=comment)
    return survey


def link(page: str, element_id: str) -> str:
    """The first drill-down link inside the element with ``element_id``."""
    start = page.index(f'id="{element_id}"')
    found = re.search(r'<a class="drill" href="([^"]+)">', page[start:])
    assert found is not None
    return html.unescape(found.group(1))


async def test_figures_rest_on_their_surveys_and_every_number_opens_them(console: Console) -> None:
    console.add_user("root", "admin")
    low = await rated(console, "ann", "2", "slow", "nobody called back")
    high = await rated(console, "ben", "5", comment="Great help, thank you!")
    await console.sign_in("root")
    page = (await console.page("/reports")).text
    figures = page[page.index('id="figures"') : page.index("</section>")]
    assert ">50%</a></b><span>CSAT %</span><small>n=<a" in figures
    assert re.search(
        r'id="fig-dsat"><b><a [^>]*>50%</a></b><span>DSAT rate</span><small><a [^>]*>1</a> / n=2', page
    )

    csat = link(page, "fig-csat")
    assert parse_qs(urlsplit(csat).query)["metric"] == ["csat_satisfied"]
    behind = (await console.http.get(csat)).text
    assert re.findall(r'<tr data-survey="([^"]+)"', behind) == [high]
    assert "1 surveys: satisfied (CSAT 4-5)" in behind
    [(conversation,)] = console.rows(f"select conversation_id from survey where id = '{high}'")
    row = behind[behind.index(f'<tr data-survey="{high}"') :]
    assert re.match(  # every response opens its conversation
        rf'<tr data-survey="{high}">\s*<td data-label="Sent"><a class="conversation" '
        rf'href="/console/conversations/{conversation}"',
        row,
    ), row[:300]
    dsat = (await console.http.get(link(page, "fig-dsat"))).text
    assert re.findall(r'<tr data-survey="([^"]+)"', dsat) == [low] and "/console/tickets/" in dsat

    # Breakdowns by channel, team, agent, intent, locale and day, each number linked with its filter.
    for dimension in ("channel", "team", "agent", "intent", "locale", "day"):
        assert f'id="by-{dimension}"' in page
    agent_row = link(page, "by-agent")
    assert parse_qs(urlsplit(agent_row).query)["agent"] == ["bob"]
    assert len(re.findall(r'<tr data-survey="', (await console.http.get(agent_row)).text)) == 2

    reasons = page[page.index('id="reasons"') :]
    assert "Slow response — <b>1</b> <small>/ n=1 (100%)" in reasons
    good = page[page.index('id="good-news"') :]
    assert "Great help, thank you!" in good and "nobody called back" not in good
    [(ben,)] = console.rows(f"select customer_id from survey where id = '{high}'")
    assert re.search(rf'</blockquote><small><a href="/console/customers/{ben}">ben</a> · ', good)
    all_good = (await console.page("/reports/good-news")).text
    assert "Great help, thank you!" in all_good and "nobody called back" not in all_good
    # The best comments of the range, credited as the digest sends them (the shipped digest: weekly).
    best = all_good[
        all_good.index('id="digest"') : all_good.index("</section>", all_good.index('id="digest"'))
    ]
    assert "The digest goes out every Monday at 09:00 (Asia/Shanghai) to: no chat target" in best
    assert "“Great help, thank you!”</blockquote><small>CSAT 5 · bob · Customer Support" in best
    assert "Thanks to: <strong>bob</strong> ×1 · Teams: Customer Support ×1" in best
    assert "1 of 1 happy comments" in best and "nobody called back" not in best
    console.http.headers["accept-language"] = "zh-CN"
    zh = (await console.page("/reports/good-news")).text
    assert "每周一 09:00（Asia/Shanghai）发送好评摘要至" in zh and "感谢: <strong>bob</strong> ×1" in zh
    del console.http.headers["accept-language"]
    assert page.count("<svg") == 1 and "<script" not in page  # no NPS or CES asked: no empty charts
    assert not re.search(r'(?:src|href)="https?://', page)  # nothing loads from the internet

    export = await console.http.get(link(page, "fig-csat").replace("/reports/surveys", "/reports/export.csv"))
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert sorted((r["id"], r["csat"], r["escalated"]) for r in rows) == sorted(
        [(low, "2", "true"), (high, "5", "false")]
    )
    sent = dict(console.rows("SELECT id, sent_at FROM survey"))
    for row in rows:  # in the configured zone (Asia/Shanghai), as the console shows it
        assert row["sent_at"].endswith("+08:00")
        assert datetime.fromisoformat(row["sent_at"]) == _utc(sent[row["id"]])


async def test_agents_see_their_own_surveys_only(console: Console) -> None:
    console.add_user("bob")
    console.add_user("dan")
    await rated(console, "ann", "4")
    await console.sign_in("dan")
    page = (await console.page("/reports", agent="bob")).text
    assert "surveys credited to you" in page and 'id="by-agent"' not in page
    assert re.search(r'id="fig-response"><b><a [^>]*>–</a>', page)  # nothing of dan's
    drill = await console.page("/reports/surveys", metric="sent", agent="bob")
    assert "<tr data-survey=" not in drill.text
    await console.sign_in("bob")
    page = (await console.page("/reports")).text
    assert re.search(r'id="fig-response"><b><a [^>]*>100%</a>', page)


async def test_reports_in_chinese_and_bad_input(console: Console) -> None:
    console.add_user("root", "admin")
    await rated(console, "ann", "3", "attitude")
    console.http.headers["accept-language"] = "zh-CN"
    await console.sign_in("root")
    page = (await console.page("/reports")).text
    for text in ("报表", "满意度 %", "净推荐值", "按渠道", "服务态度不好", "导出 CSV"):
        assert text in page, text
    bad = await console.page("/reports", since="yesterday")
    assert bad.status_code == 400 and "since: &#39;yesterday&#39; is not a date" in bad.text
    assert (await console.page("/reports/surveys", metric="bogus")).status_code == 400


async def test_days_are_the_configured_time_zone_s_days(console: Console) -> None:
    console.clock.at = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # already the 24th in Shanghai
    console.add_user("root", "admin")
    survey = await rated(console, "ann", "5")
    await console.sign_in("root")
    page = (await console.page("/reports")).text
    assert "2026-10-26 – 2026-11-24 (Asia/Shanghai)" in page  # the default range ends today, there
    on_24th = (await console.page("/reports/surveys", metric="sent", day="2026-11-24")).text
    assert re.findall(r'<tr data-survey="([^"]+)"', on_24th) == [survey]
    on_23rd = (await console.page("/reports/surveys", metric="sent", day="2026-11-23")).text
    assert "<tr data-survey=" not in on_23rd


async def test_admins_see_the_automatic_answers_by_intent_and_agents_do_not(console: Console) -> None:
    from bot.classification import Classification

    class Password:
        ready = True

        def classify(self, texts: Any) -> list[Classification]:
            return [Classification("password_reset", 0.98, "neutral", 0.9) for _ in texts]

    console.runtime.service.classifier = Password()
    for user, said in (("amy", "no"), ("bo", "yes"), ("cy", "没用")):
        assert (await customer_says(console.http, user, text="forgot my password")).status_code == 202
        assert (await customer_says(console.http, user, text=said)).status_code == 202
    console.add_user("root", "admin")
    console.add_user("dan")
    await console.sign_in("root")
    page = html.unescape((await console.page("/reports")).text)
    table = page[page.index('id="auto-answers"') :]
    table = table[: table.index("</section>")]
    assert "Automatic answers" in table
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table[table.index("<tbody>") :])
    assert cells[:7] == ["Password reset", "3", "1", "2", "0", "0", "0"]  # the intent's name
    assert "33% <small>n=3</small>" in table and "67% <small>n=3</small>" in table
    await console.http.get("/console/lang/zh-CN")
    page = html.unescape((await console.page("/reports")).text)
    by_intent = page[page.index('id="by-intent"') :]
    assert re.search(r"<td>重置密码</td>|<th[^>]*>重置密码", by_intent[: by_intent.index("</table>")])
    await console.http.get("/console/lang/en")
    await console.sign_in("dan")
    assert 'id="auto-answers"' not in (await console.page("/reports")).text


def _utc(value: Any) -> datetime:
    """A stored (naive UTC) time as read back raw from either database."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.replace(tzinfo=UTC)


def test_wilson_interval_matches_the_textbook_values() -> None:
    from storage.reports import wilson

    assert wilson(0, 0) is None
    low, high = wilson(8, 10) or (0.0, 0.0)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    low, high = wilson(0, 5) or (1.0, 1.0)
    assert low == 0.0 and round(high, 3) == 0.434


def test_a_change_is_shown_only_when_both_periods_have_enough_answers() -> None:
    from csatbot.console.reports import compare
    from storage.reports import Scores

    now = Scores(sent=12, responded=12, csat_n=12, csat_satisfied=9)
    enough = Scores(sent=10, responded=10, csat_n=10, csat_satisfied=5)
    few = Scores(sent=3, responded=3, csat_n=3, csat_satisfied=3)
    assert compare(now, enough, 10)["csat_percent"].delta == 25.0
    assert compare(now, few, 10)["csat_percent"].delta is None
    assert compare(now, few, 10)["csat_percent"].previous_n == 3
    assert compare(now, Scores(), 10)["nps"].delta is None


async def test_reports_show_fcr_the_funnel_and_drivers_with_n(console: Console) -> None:
    console.add_user("root", "admin")
    await rated(console, "ann", "2")  # stops at the reason question
    await rated(console, "ben", "5")
    await console.sign_in("root")
    page = (await console.page("/reports")).text
    assert re.search(r'id="fig-fcr"><b><a [^>]*>–</a></b><span>FCR \(customers say\)</span><small>n=<a', page)
    assert re.search(
        r'id="fig-fcr-operational"><b>100%</b><span>FCR \(no repeat contact\)</span><small>n=2<', page
    )
    funnel = page[page.index('id="funnel"') : page.index('id="drivers"')]
    assert "Sent 2 → opened 0 (of 2 on channels that report reads) → first answer 2 → completed 0" in funnel
    assert "No factor stands out with enough answers (2 answered surveys)." in page
    console.add_user("mei", "admin")


@pytest.mark.parametrize(
    ("lang", "kind", "delta", "shown"),
    [
        ("en", "pct", 6.0, "+6 pts vs the previous 30 days"),
        ("zh-CN", "pct", 6.0, "较之前 30 天 +6 个百分点"),
        ("zh-CN", "rate", -0.05, "较之前 30 天 -5 个百分点"),
        ("zh-CN", "nps", -3.0, "较之前 30 天 -3"),
        ("zh-CN", "mean", -0.04, "较之前 30 天 -0.04"),
    ],
)
def test_a_change_reads_in_the_page_language_points_included(
    lang: str, kind: str, delta: float, shown: str
) -> None:
    from csatbot.console.i18n import translate
    from csatbot.console.render import templates

    macro = templates.env.from_string(
        '{% import "_figures.html" as f with context %}{{ f.change(c, 30, kind) }}'
    )
    change = SimpleNamespace(delta=delta, previous_n=40)
    text = macro.render(t=lambda key, **values: translate(lang, key, **values), c=change, kind=kind)
    assert re.sub(r"<[^>]+>", "", text) == shown


def test_the_leaderboard_ranks_by_the_surer_csat_when_sorted_by_its_interval() -> None:
    from csatbot.console.reports import leaderboard
    from storage.reports import Scores

    agents = {
        "lucky": Scores(csat_n=1, csat_satisfied=1),  # 100%, [21-100]
        "steady": Scores(csat_n=50, csat_satisfied=45),  # 90%, [79-96]
        "new": Scores(),  # no answers yet
    }
    assert [a for a, _ in leaderboard(agents, "csat")] == ["lucky", "steady", "new"]
    assert [a for a, _ in leaderboard(agents, "ci")] == ["steady", "lucky", "new"]


@pytest.mark.parametrize(
    ("today", "first", "last", "current"),
    [
        (date(2026, 12, 7), date(2026, 12, 1), date(2026, 12, 7), "7d"),  # also this month: one is current
        (date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30), "30d"),  # also this month
        (date(2026, 12, 20), date(2026, 12, 1), date(2026, 12, 20), "this_month"),
        (date(2026, 12, 20), date(2026, 11, 1), date(2026, 11, 30), "last_month"),
        (date(2026, 12, 20), date(2026, 12, 2), date(2026, 12, 20), None),  # a range of one's own
    ],
)
def test_one_quick_range_at_most_is_the_current_one(
    today: date, first: date, last: date, current: str | None
) -> None:
    from csatbot.console.reports import current_preset, presets

    quick = presets(today)
    assert current_preset(quick, first, last) == current
    assert sum((a, b) == (first, last) for _, a, b in quick) >= (current is not None)


async def connections_while_a_reader_stalls(
    console: Console, path: str, headers: dict[str, str]
) -> list[int]:
    """Database connections checked out, sampled while a client that asked for ``path`` reads
    nothing after the first chunk holding a survey row (a slow or stalled browser)."""
    runtime = console.runtime
    stalled, release = asyncio.Event(), asyncio.Event()

    async def receive() -> dict[str, Any]:
        await release.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and b"webchat" in message.get("body", b""):
            stalled.set()
            await release.wait()  # the socket's buffer is full: the server waits for the client

    raw = [(k.lower().encode(), v.encode()) for k, v in (headers | {"host": "csatbot.test"}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 5000),
        "server": ("csatbot.test", 80),
    }
    served = asyncio.create_task(console.http._transport.app(scope, receive, send))  # type: ignore[attr-defined]
    await asyncio.wait_for(stalled.wait(), 10)
    samples = []
    for _ in range(20):
        samples.append(runtime.database.reader.pool.checkedout())  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)
    release.set()
    await asyncio.wait_for(served, 10)
    return samples


@pytest.mark.parametrize("path", ["/console/reports/export.csv", "/api/reports/export.csv"])
async def test_an_export_holds_no_database_connection_while_its_reader_stalls(
    console: Console, path: str
) -> None:
    """The console's export read every batch in one transaction left open while it streamed: a
    browser that stopped reading held a database connection (and on SQLite a read snapshot) as long
    as it liked, and 20 such downloads held every connection of the pool, stopping the server for
    everyone. Each batch is now read in its own short transaction, as the API's export always was."""
    console.add_user("amy", "admin")
    await console.sign_in("amy")
    await console.surveyed("ann")
    cookie = "; ".join(f"{name}={value}" for name, value in console.http.cookies.items())
    auth = {"cookie": cookie} if path.startswith("/console") else dict(console.http.headers)
    samples = await connections_while_a_reader_stalls(console, path, auth)
    assert min(samples) == 0, samples
