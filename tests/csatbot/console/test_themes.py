"""Comment themes in the JSON API (``/api/reports/themes``) and the console (zh/en), on SQLite and
PostgreSQL, with the small trained model: planted themes come back labelled, linked to their
conversations, flagged when they rest on few comments, and an agent sees their own surveys' only."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.ports import FrozenClock
from csatbot.runtime import Runtime

from ...conftest import served
from ...planted_comments import planted, words_of
from .conftest import Console, write_config
from .test_reports import rated


@pytest.fixture
async def themed(database_url: str, tmp_path: Path, model_dir: Path) -> AsyncIterator[Console]:
    """The console's app with config.yaml's ``nlu.model_dir`` at the small trained model, and 24
    surveys with planted comments (4 per theme and language): delivery ones satisfied (5), the
    others DSAT (1, "slow"); all resolved by bob."""
    path = write_config(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.setdefault("nlu", {})["model_dir"] = str(model_dir)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    runtime = Runtime(path, database_url, clock=clock, tick_seconds=0.05)
    async with served(runtime) as http:
        console = Console(runtime, http, clock)
        texts, truth = planted(4, 5)
        for i, (text, (theme, _)) in enumerate(zip(texts, truth, strict=True)):
            if theme == "delivery":
                await rated(console, f"c{i}", "5", comment=text)
            else:
                await rated(console, f"c{i}", "1", "slow", comment=text)
        yield console


async def test_the_api_reports_planted_themes_with_their_conversations(themed: Console) -> None:
    http = themed.http
    found = (await http.get("/api/reports/themes")).json()
    counts = (found["comments"], found["dsat_comments"], found["unassigned"])
    assert found["model"] == "ready" and counts == (24, 16, 0)
    assert found["min_n"] == 10 and found["generation"] == 1
    conversations = {c["id"]: c for c in (await http.get("/api/conversations", params={"limit": 100})).json()}
    seen = set()
    for theme in found["themes"]:
        texts = [e["text"] for e in theme["examples"]]
        named = {t for t in ("delivery", "rude", "refund") if words_of(t) & set(theme["label"])}
        assert len(named) == 1, theme["label"]
        seen |= named
        assert theme["few_answers"] is (theme["count"] < 10)
        # mostly one planted theme (see tests/storage/test_themes.py)
        assert theme["dsat"] == pytest.approx(
            0 if named == {"delivery"} else theme["count"], abs=0.25 * theme["count"]
        )
        for example in theme["examples"]:
            assert example["conversation_id"] in conversations
        assert texts and all(t.strip() for t in texts)
    assert seen == {"delivery", "rude", "refund"}
    mine = (await http.get("/api/reports/themes", headers=themed.agent("amy"))).json()
    assert (mine["comments"], mine["themes"]) == (0, [])  # amy served none of them
    bob = (await http.get("/api/reports/themes", headers=themed.agent("bob"))).json()
    assert bob["comments"] == 24
    bad = await http.get("/api/reports/themes", params={"since": "0999-01-01T00:00:00"})
    assert bad.status_code == 422
    assert (await http.get("/api/reports/themes", params={"channel": "telegram"})).json()["comments"] == 0


async def test_the_console_shows_themes_in_english_and_chinese(themed: Console) -> None:
    themed.add_user("root", "admin")
    await themed.sign_in("root")
    reports = (await themed.page("/reports")).text
    found = re.search(r'id="themes-link"><a href="([^"]+)"', reports)
    assert found is not None
    page = (await themed.http.get(html.unescape(found.group(1)))).text
    assert "Comment themes" in page and "24 comments in this range (16 from DSAT surveys)" in page
    rows = re.findall(r'<tr data-theme="\d+"><th scope="row">([^<]+)</th>', page)
    assert rows and all(" · " in r or r for r in rows)
    for theme in ("delivery", "rude", "refund"):
        assert any(words_of(theme) & set(html.unescape(r).split(" · ")) for r in rows), (theme, rows)
    assert "few answers" in page  # every theme rests on fewer than 10 comments here
    links = re.findall(r'href="/console/conversations/(\d+)"', page)
    assert links
    opened = await themed.http.get(f"/console/conversations/{links[0]}")
    assert opened.status_code == 200
    themed.http.headers["accept-language"] = "zh-CN"
    await themed.sign_in("root")
    zh = (await themed.page("/reports/themes")).text
    for text in ("评论主题", "占不满意的比例", "样本少"):
        assert text in zh, text
    assert (await themed.page("/reports/themes", since="yesterday")).status_code == 400


async def test_without_a_trained_model_comments_wait_and_nothing_fails(console: Console) -> None:
    await rated(console, "ann", "1", "slow", comment="the delivery was late")
    found = (await console.http.get("/api/reports/themes")).json()  # no model in var/models/triage
    assert (found["model"], found["themes"], found["comments"], found["unassigned"]) == ("missing", [], 0, 1)
    assert console.rows("SELECT count(*) FROM comment_theme")[0][0] == 0
