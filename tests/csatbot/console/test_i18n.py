"""Chinese and English: a complete catalogue, the browser's language, the switch, the user's locale."""

from __future__ import annotations

import string

import pytest

from csatbot.console.i18n import CATALOGUE, EN, ZH, from_accept_language, pick_language, translate

from .conftest import Console


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages_with_the_same_fields() -> None:
    assert set(CATALOGUE) == {"en", "zh-CN"}
    assert set(EN) == set(ZH)
    for key in EN:
        assert EN[key].strip() and ZH[key].strip(), key
        assert fields(EN[key]) == fields(ZH[key]), key
    untranslated = [k for k in EN if EN[k] == ZH[k]]
    assert untranslated == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR, zh-TW;q=0.5, en;q=0.4", "zh-CN"),
        ("en;q=0.2, zh-Hans-CN;q=0.9", "zh-CN"),
        ("zh;q=0, en", "en"),
        ("fr, de", None),
        ("", None),
        ("en;q=bad, zh", "zh-CN"),
    ],
)
def test_accept_language_by_quality(header: str, expected: str | None) -> None:
    assert from_accept_language(header) == expected


def test_the_switch_beats_the_users_locale_which_beats_the_browser() -> None:
    assert pick_language({"lang": "en"}, "zh-CN", "zh-CN") == "en"
    assert pick_language({}, "zh-CN", "en-US") == "zh-CN"
    assert pick_language({"lang": "klingon"}, "", "zh-CN,zh") == "zh-CN"
    assert pick_language({}, None, None) == "en"
    assert translate("zh-CN", "queue.count", n=3) == "共 3 个工单"


async def test_pages_follow_the_browser_and_the_switch(console: Console) -> None:
    console.add_user("amy")
    console.http.headers["accept-language"] = "zh-CN,zh;q=0.9,en;q=0.5"
    login = await console.page("/login")
    assert '<html lang="zh-CN">' in login.text and "用户名" in login.text and "密码" in login.text
    wrong = await console.sign_in("amy", "wrong password!")
    assert "用户名或密码错误。" in wrong.text
    await console.escalated("ann", "CSAT 1 (at most 3)")
    await console.sign_in("amy")
    queue = (await console.page("/")).text
    for text in ("工单队列", "共 1 个工单", "已分配", "普通", "SLA 截止", "退出登录", "amy（客服）"):
        assert text in queue, text
    assert "Ticket queue" not in queue

    switched = await console.http.get("/console/lang/en", params={"next": "/console/?status=all"})
    assert switched.status_code == 303 and switched.headers["location"] == "/console/?status=all"
    queue = (await console.page("/", status="all")).text
    assert '<html lang="en">' in queue and "Ticket queue" in queue and "工单队列" not in queue
    await console.http.get("/console/lang/zh-CN")
    assert "工单队列" in (await console.page("/")).text


async def test_a_users_own_locale_applies_until_they_switch(console: Console) -> None:
    console.add_user("li", locale="zh-CN")
    console.http.headers["accept-language"] = "en-US"
    await console.sign_in("li")
    page = (await console.page("/")).text
    assert "工单队列" in page and 'href="/console/lang/en?next=/console/"' in page
