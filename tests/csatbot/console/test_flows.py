"""Admins see the running survey flows, and whether config.yaml on disk is valid."""

from __future__ import annotations

import html
import re

import yaml

from .conftest import Console


async def test_admins_see_each_step_with_texts_options_and_branches(console: Console) -> None:
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


async def test_a_broken_file_on_disk_is_reported_while_the_last_good_config_runs(console: Console) -> None:
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


async def test_every_page_says_so_while_config_yaml_on_disk_is_broken(console: Console) -> None:
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


async def test_each_flow_says_what_sends_it_and_links_its_previews(console: Console) -> None:
    console.add_user("root", "admin")
    await console.sign_in("root")
    page = html.unescape((await console.page("/flows")).text)
    card = {sid: page[page.index(f'id="flow-{sid}"') :] for sid in ("csat", "nps", "resolved_check")}
    assert (
        'class="in-use">Sent by: trigger 1: after agent_resolved, idle, bot_resolved, 0s later<'
        in card["csat"]
    )
    assert 'class="not-in-use">Sent by: nothing: not in use (no trigger sends it)<' in card["nps"]
    assert (
        "Sent by: re-survey, 10m after a DSAT ticket is resolved (tickets.resurvey)" in card["resolved_check"]
    )
    for channel in ("telegram", "whatsapp", "wechat", "wecom", "webchat"):
        assert f'href="/console/flows/csat/preview?channel={channel}&locale=en"' in card["csat"]
    console.http.headers["accept-language"] = "zh-CN"
    await console.http.get("/console/lang/zh-CN")
    page = html.unescape((await console.page("/flows")).text)
    assert "发送方式: 触发规则 1：agent_resolved, idle, bot_resolved 后 0s 发送" in page
    assert 'href="/console/flows/csat/preview?channel=telegram&locale=zh-CN"' in page


async def test_the_preview_shows_each_step_as_the_channel_draws_it(console: Console) -> None:
    console.add_user("root", "admin")
    await console.sign_in("root")
    response = await console.page("/flows/csat/preview", channel="whatsapp", locale="en")
    assert response.status_code == 200
    page = html.unescape(response.text)
    rating = page[page.index('id="step-rating"') : page.index('id="step-reason"')]
    assert (
        '<p class="text">How satisfied are you with the help you received?\nTap a star or reply 1-5.</p>'
        in rating
    )
    assert '<span class="tap">☰ 1–5</span>' in rating
    rows = re.findall(r"<li>(.*?)</li>", rating.split('class="plain list-rows">')[1].split("</ul>")[0])
    assert rows == ["⭐ — very dissatisfied", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐ — very satisfied"]
    assert (
        "a list instead of reply buttons: WhatsApp shows at most 3 buttons of 20 characters (5 options here)"
        in rating
    )
    assert '"type": "list"' in rating  # the Graph API body itself
    assert "outside WhatsApp's 24-hour window no survey is sent" in page
    # Telegram, in Chinese: an inline keyboard with the scale's ends on a row of their own.
    console.http.headers["accept-language"] = "zh-CN"
    await console.http.get("/console/lang/zh-CN")
    page = html.unescape((await console.page("/flows/csat/preview", channel="telegram", locale="zh-CN")).text)
    rating = page[page.index('id="step-rating"') : page.index('id="step-reason"')]
    assert re.findall(r'<span class="tap">(.*?)</span>', rating) == [
        "⭐",
        "⭐⭐",
        "⭐⭐⭐",
        "⭐⭐⭐⭐",
        "⭐⭐⭐⭐⭐",
        "1 · 非常不满意",
        "5 · 非常满意",
    ]
    nps = html.unescape((await console.page("/flows/nps/preview", channel="wecom", locale="zh-CN")).text)
    assert "无按钮：11 个选项，超过 wecom 最多可显示的 6 个；客户需输入回答" in nps


async def test_unknown_names_are_refused_with_the_known_ones(console: Console) -> None:
    console.add_user("root", "admin")
    console.add_user("amy")
    await console.sign_in("amy")
    assert (await console.page("/flows/csat/preview")).status_code == 403
    await console.sign_in("root")
    missing = await console.page("/flows/nope/preview")
    assert missing.status_code == 404
    assert "Unknown flow 'nope' (known: csat, nps, ces, resolved_check)." in html.unescape(missing.text)
    bad = await console.page("/flows/csat/preview", channel="sms")
    assert bad.status_code == 400
    assert "Unknown channel 'sms' (known: telegram, whatsapp, wechat, wecom, webchat)." in html.unescape(
        bad.text
    )
    bad = await console.page("/flows/csat/preview", channel="webchat", locale="fr")
    assert bad.status_code == 400 and "Unknown language 'fr' (known: zh-CN, en)." in html.unescape(bad.text)


async def test_config_texts_are_shown_as_text_not_markup(console: Console) -> None:
    hostile = '<img src=x onerror=alert(1)>"><svg onload=alert(2)></textarea>{{7*7}}'
    path = console.runtime.config_path
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = data["surveys"]["csat"]["steps"]
    steps["rating"]["text"]["en"] = f"Rate us {hostile}"
    steps["reason"]["options"][0]["label"]["en"] = f"Slow {hostile}"
    data["teams"]["support"]["name"] = f"Support {hostile}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert console.runtime.reload_if_changed()
    console.add_user("root", "admin")
    await console.sign_in("root")
    for where, shown in (
        ("/flows", "Rate us"),
        ("/flows/csat/preview?channel=webchat&locale=en", "Slow"),
        ("/", "Support"),  # the team filter
    ):
        page = (await console.page(where)).text
        assert "<img" not in page and "<svg onload" not in page and "</textarea>" not in page, where
        assert f"{shown} {hostile}" in html.unescape(page), where
