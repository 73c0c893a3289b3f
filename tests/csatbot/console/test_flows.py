"""Admins see the running survey flows, and whether config.yaml on disk is valid."""

from __future__ import annotations

import html
import re
from typing import Any

import yaml


async def test_admins_see_each_step_with_texts_options_and_branches(console: Any) -> None:
    console.add_user("root", "admin")
    await console.sign_in("root")
    page = (await console.page("/flows")).text
    assert re.search(r'<p class="flash ok" id="validation">.*config.yaml is valid', page)
    csat = page[page.index('id="flow-csat"') : page.index('id="flow-nps"')]
    assert "Customer satisfaction" in csat and "<code>rating</code>" in csat
    row = re.search(r'<tr data-step="rating">(.*?)</tr>', csat, re.S)
    assert row is not None
    cells = row.group(1)
    assert "How satisfied are you with the help you received?" in cells and "您对本次服务满意吗？" in cells
    assert "≤3 → <code>reason</code>" in cells and "<td><code>comment</code></td>" in cells
    assert "<code>slow</code> Slow response" in csat
    assert "csat — Sent after: agent_resolved, idle, bot_resolved, 0s later" in html.unescape(page)


async def test_a_broken_file_on_disk_is_reported_while_the_last_good_config_runs(console: Any) -> None:
    console.add_user("root", "admin")
    path = console.runtime.config_path
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["surveys"]["csat"]["steps"]["rating"]["next"] = "q9"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    await console.sign_in("root")
    page = html.unescape((await console.page("/flows")).text)
    assert "has 1 problem(s). The server keeps running the last good configuration" in page
    assert "surveys.csat.steps.rating.next: unknown step 'q9' (known: praise, reason, comment, thanks)" in (
        page
    )
    assert "<code>thanks</code>" in page  # the running flow, unchanged
    console.http.headers["accept-language"] = "zh-CN"
    await console.http.get("/console/lang/zh-CN")
    assert "服务器继续使用上一次有效的配置" in (await console.page("/flows")).text


async def test_every_page_says_so_while_config_yaml_on_disk_is_broken(console: Any) -> None:
    console.add_user("amy")
    console.add_user("root", "admin")
    path = console.runtime.config_path
    good = path.read_text(encoding="utf-8")
    await console.sign_in("amy")
    assert 'id="config-banner"' not in (await console.page("/")).text
    path.write_text(good.replace("min_answers: 10", "min_answers: lots"), encoding="utf-8")
    assert not console.runtime.reload_if_changed()
    for where in ("/", "/conversations", "/reports"):
        page = (await console.page(where)).text
        assert f"{path} on disk is broken (1 problem(s)): the server keeps running" in page, where
    assert 'href="/console/flows">See the problems' not in page  # agents cannot open the flows page
    await console.sign_in("root")
    assert 'href="/console/flows">See the problems' in (await console.page("/")).text
    path.write_text(good, encoding="utf-8")
    assert console.runtime.reload_if_changed()
    assert 'id="config-banner"' not in (await console.page("/")).text
