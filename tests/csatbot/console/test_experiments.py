"""Experiments on the reports page and in the JSON API: variants side by side with their n, p against
the control and the verdict (here: too few answers to name a winner), in English and Chinese."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.ports import FrozenClock
from csatbot.runtime import Runtime

from ...conftest import served
from .conftest import Console, write_config
from .test_reports import rated


async def test_the_reports_compare_the_variants_and_say_when_answers_are_too_few(
    database_url: str, tmp_path: Path
) -> None:
    path = write_config(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    variants = {"asked": {"split": 50}, "later": {"split": 50, "delay": "0s"}}
    data["triggers"][0]["experiment"] = {"name": "timing", "variants": variants}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    runtime = Runtime(path, database_url, clock=clock, tick_seconds=0.05)
    async with served(runtime) as http:
        console = Console(runtime, http, clock)
        for user in ("ann", "ben", "cat", "dan", "eve", "fay"):
            await rated(console, user, "5")
        stored = dict(console.rows("SELECT customer_id, variant FROM survey"))
        assert set(stored.values()) <= {"asked", "later"} and len(stored) == 6
        found: list[dict[str, Any]] = (await http.get("/api/reports/experiments")).json()
        [timing] = found
        assert (timing["experiment"], timing["control"]) == ("timing", "asked")
        sent = {v["variant"]: v["sent"] for v in timing["variants"]}
        assert sent == {v: list(stored.values()).count(v) for v in ("asked", "later")}
        assert timing["verdicts"]["response_rate"]["status"] == "too_few"
        console.add_user("root", "admin")
        await console.sign_in("root")
        page = html.unescape((await console.page("/reports")).text)
        section = page[
            page.index('id="experiments"') : page.index("</section>", page.index('id="experiments"'))
        ]
        assert (
            '<tr data-variant="asked"><th scope="row">asked <small>(control)</small></th><td>50%</td>'
            in section
        )
        assert "Response rate: too few answers to tell (every variant needs at least 10)" in section
        console.http.headers["accept-language"] = "zh-CN"
        zh = html.unescape((await console.page("/reports")).text)
        assert "实验" in zh and "回复率: 回答太少，无法判断（每个版本至少需要 10 份）" in zh
