"""The reports page's funnel per channel: opened where the channel reports reads (the web chat page
fetching the question), "not reported" where it cannot (never 0)."""

from __future__ import annotations

import html
import re

from sqlalchemy import text

from ...conftest import chat_headers
from .conftest import Console


async def test_the_funnel_says_opened_per_channel_or_not_reported(console: Console) -> None:
    console.add_user("root", "admin")
    await console.surveyed("ann")
    _, other = await console.surveyed("ben")
    seen = await console.http.get("/api/webchat/messages", headers=await chat_headers(console.http, "ann"))
    assert seen.status_code == 200  # ann's page fetched (and shows) the question
    # ben's survey stands in for one sent on Telegram, which never reports reads.
    with console.runtime.database.writer.begin() as conn:
        conn.execute(text("update survey set channel = 'telegram' where id = :id"), {"id": other})
    await console.sign_in("root")
    page = html.unescape((await console.page("/reports")).text)
    funnel = page[page.index('id="funnel"') : page.index('id="drivers"')]
    assert "Sent 2 → opened 1 (of 1 on channels that report reads) → first answer 0" in funnel
    rows = dict(re.findall(r'<tr data-channel="(\w+)">(.*?)</tr>', funnel))
    assert re.sub(r"<[^>]+>", "|", rows["webchat"]).count("1 |(100%)") == 1
    assert '<small class="not-reported">not reported</small>' in rows["telegram"]
    assert rows["telegram"].startswith("<td>Telegram</td>")  # channels by name, not their ids
    assert rows["webchat"].startswith("<td>Web chat</td>")
    with console.runtime.database.writer.begin() as conn:
        conn.execute(text("update survey set channel = 'wecom' where id = :id"), {"id": other})
    console.http.headers["accept-language"] = "zh-CN"
    await console.http.get("/console/lang/zh-CN")
    page = html.unescape((await console.page("/reports")).text)
    assert '<small class="not-reported">渠道不提供</small>' in page
    rows = dict(re.findall(r'<tr data-channel="(\w+)">(.*?)</tr>', page))
    assert rows["wecom"].startswith("<td>企业微信</td>") and rows["webchat"].startswith("<td>网页聊天</td>")
