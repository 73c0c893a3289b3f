"""Signing in and out, session cookies, CSRF and roles."""

from __future__ import annotations

import asyncio
import os
import re
import stat
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from csatbot.console import users as users_module
from csatbot.console.sessions import KEY_FILE, secret_key

from .conftest import PASSWORD, Console

GENERIC = "Wrong user name or password."


def cookie_header(response: httpx.Response) -> str:
    [cookie] = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return cookie


async def test_pages_need_a_session_and_send_back_after_signing_in(console: Console) -> None:
    console.add_user("amy")
    response = await console.page("/tickets/7", x="1")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=%2Fconsole%2Ftickets%2F7%3Fx%3D1"
    signed = await console.sign_in("amy", next="/console/flows?x=1")
    assert signed.status_code == 303 and signed.headers["location"] == "/console/flows?x=1"
    # A sign-in never sends anyone off the console.
    for target in ("https://evil.example/", "//evil.example/console/", "/api/tickets"):
        response = await console.sign_in("amy", next=target)
        assert response.headers["location"] == "/console/", target


async def test_a_wrong_password_or_unknown_user_get_the_same_generic_answer(console: Console) -> None:
    console.add_user("amy")
    wrong = await console.sign_in("amy", "not the password")
    unknown = await console.sign_in("nobody", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert GENERIC in response.text
        assert "nobody" not in response.text.replace('value="nobody"', "")  # no "no such user"
    assert (await console.page("/")).status_code == 303  # still signed out
    assert console.rows("select last_login_at from console_user") == [(None,)]


async def test_signing_in_sets_a_hardened_cookie_and_records_the_time(console: Console) -> None:
    console.add_user("amy")
    response = await console.sign_in("amy")
    cookie = cookie_header(response).lower()
    assert cookie.startswith("csatbot_console=")
    for flag in ("httponly", "samesite=lax", "path=/;", "max-age=43200"):  # "/": the desk and API use it
        assert flag in cookie
    assert "secure" not in cookie  # plain http: a Secure cookie would never come back
    assert (await console.page("/")).status_code == 200
    assert console.rows("select last_login_at from console_user")[0][0] is not None
    page = await console.page("/")
    for header, value in {
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
    }.items():
        assert page.headers[header] == value
    assert "default-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("how", ["https", "env"])
async def test_the_cookie_is_secure_over_https_or_when_configured(
    console: Console, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    console.add_user("amy")
    if how == "env":
        from csatbot.console.app import console_app

        monkeypatch.setenv("CSATBOT_SECURE_COOKIES", "1")
        transport = httpx.ASGITransport(app=console_app(console.runtime), root_path="/console")
        base = "http://csatbot.test"
    else:
        transport = httpx.ASGITransport(app=console.http._transport.app)
        base = "https://csatbot.test"
    async with httpx.AsyncClient(transport=transport, base_url=base) as http:
        console.http = http
        assert "; secure" in cookie_header(await console.page("/login")).lower()
        if how == "https":  # (a client keeps Secure cookies to https)
            signed = await console.sign_in("amy")
            assert signed.status_code == 303 and "; secure" in cookie_header(signed).lower()
            assert (await console.page("/")).status_code == 200


async def test_form_posts_without_the_sessions_csrf_token_are_refused(console: Console) -> None:
    console.add_user("dan")
    ticket = await console.escalated("ann")
    before = console.rows("select status, assignee, updated_at from ticket")
    assert before[0][:2] == ("assigned", "amy")  # support's least loaded member
    await console.page("/login")
    no_token = await console.http.post("/console/login", data={"username": "dan", "password": "x" * 12})
    assert no_token.status_code == 403
    assert "CSRF check failed" in no_token.text
    await console.sign_in("dan")
    for form in ({}, {"csrf": "forged"}, {"csrf": ""}):
        response = await console.http.post(f"/console/tickets/{ticket}/claim", data=form)
        assert response.status_code == 403, form
        assert "Nothing was changed" in response.text
        response = await console.http.post(f"/console/tickets/{ticket}/note", data={"text": "hi", **form})
        assert response.status_code == 403
    assert console.rows("select status, assignee, updated_at from ticket") == before
    assert [r[0] for r in console.rows("select action from ticketevent")] == ["opened", "assigned"]
    # With the page's token the same claim goes through.
    assert (await console.post(f"/tickets/{ticket}/claim", holder="amy")).status_code == 303
    assert console.rows("select status, assignee from ticket") == [("assigned", "dan")]


async def test_agents_cannot_see_admin_pages(console: Console) -> None:
    console.add_user("amy", "agent")
    console.add_user("root", "admin")
    await console.sign_in("amy")
    forbidden = await console.page("/flows")
    assert forbidden.status_code == 403
    assert "Only admins may see this page." in forbidden.text
    assert 'href="/console/flows"' not in (await console.page("/")).text
    await console.sign_in("root")
    assert (await console.page("/flows")).status_code == 200


async def test_sign_out_ends_the_session_on_the_server(console: Console) -> None:
    """Before: the old cookie kept working for up to 12 hours after signing out."""
    console.add_user("amy")
    await console.sign_in("amy")
    assert (await console.http.post("/console/logout", data={})).status_code == 403
    assert (await console.page("/")).status_code == 200
    copied = dict(console.http.cookies)
    out = await console.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    assert "You are signed out." in (await console.page("/login")).text
    assert (await console.page("/")).status_code == 303
    assert console.rows("select count(*) from console_session") == [(0,)]
    console.http.cookies.clear()
    for name, value in copied.items():  # someone replays the cookie they copied before
        console.http.cookies.set(name, value)
    assert (await console.page("/")).status_code == 303


async def test_signing_in_again_ends_the_session_the_cookie_named_before(console: Console) -> None:
    """Before: signing in as someone else (or again) in the same browser left the first session live
    on the server for 12 hours; a copy of its cookie kept working and nobody could sign it out."""
    console.add_user("amy")
    console.add_user("dan")
    await console.sign_in("amy")
    copied = dict(console.http.cookies)
    await console.sign_in("dan")
    assert (await console.page("/")).status_code == 200
    assert console.rows("select username from console_session") == [("dan",)]
    console.http.cookies.clear()
    for name, value in copied.items():
        console.http.cookies.set(name, value)
    assert (await console.page("/")).status_code == 303
    assert (await console.http.get("/api/me", headers={"Authorization": ""})).status_code == 401


async def test_a_session_expires_after_12_hours_on_the_server_too(console: Console) -> None:
    console.add_user("amy")
    await console.sign_in("amy")
    console.clock.advance(timedelta(hours=12) - timedelta(seconds=1))
    assert (await console.page("/")).status_code == 200
    console.clock.advance(timedelta(seconds=1))
    assert (await console.page("/")).status_code == 303


async def test_a_password_change_or_removal_ends_open_sessions(console: Console) -> None:
    console.add_user("amy")
    console.add_user("bob")
    await console.sign_in("amy")
    assert console.rows("select username from console_session") == [("amy",)]
    console.users.set_password("amy", "a brand new password")
    assert console.rows("select count(*) from console_session") == [(0,)]
    assert (await console.page("/")).status_code == 303
    assert (await console.sign_in("amy", "a brand new password")).status_code == 303
    assert (await console.page("/")).status_code == 200
    console.users.remove("amy")
    assert (await console.page("/")).status_code == 303


async def test_failures_make_that_name_from_that_address_wait_longer_each_time(console: Console) -> None:
    """The rule (csatbot.console.throttle): 5 free failures per name + address, then 1, 2, 4... up to 15
    minutes between attempts; a right password is refused only while waiting, never for longer."""
    console.add_user("amy")
    for _ in range(5):
        assert (await console.sign_in("amy", "guess guess")).status_code == 401
    locked = await console.sign_in("amy")  # even the right password waits now
    assert locked.status_code == 429
    assert "Too many failed sign-ins. Try again in 1 min." in locked.text
    assert (await console.page("/")).status_code == 303
    console.clock.advance(timedelta(minutes=1))
    assert (await console.sign_in("amy", "guess again")).status_code == 401  # the 6th failure
    assert "Try again in 2 min." in (await console.sign_in("amy")).text
    console.clock.advance(timedelta(minutes=2))
    assert (await console.sign_in("amy")).status_code == 303  # right: signed in, and the count is cleared
    for _ in range(5):
        assert (await console.sign_in("amy", "guess guess")).status_code == 401


async def test_waits_grow_to_15_minutes_and_failures_are_forgotten_after_an_hour(console: Console) -> None:
    console.add_user("amy")
    waits: list[int] = []
    while len(waits) < 7:
        response = await console.sign_in("amy", "guess guess")
        if response.status_code == 429:
            waits.append(int(re.search(r"Try again in (\d+) min", response.text).group(1)))  # type: ignore[union-attr]
            console.clock.advance(timedelta(minutes=waits[-1]))
    assert waits == [1, 2, 4, 8, 15, 15, 15]
    console.clock.advance(timedelta(hours=1))
    assert (await console.sign_in("amy")).status_code == 303


async def test_guesses_from_one_ipv6_network_count_as_from_one_address(console: Console) -> None:
    """An IPv6 host holds a /64: a new address for each guess got 5 free failures each, so the
    throttle never slowed password guessing. A /64 is one address; another /64 is another one."""
    console.add_user("amy")
    app = console.http._transport.app  # type: ignore[attr-defined]

    async def sign_in_from(address: str, password: str) -> int:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://csatbot.test") as http:
            console.http = http
            return (await console.sign_in("amy", password)).status_code

    guesses = [await sign_in_from(f"2001:db8:7:1::{i:x}", "guess guess") for i in range(1, 8)]
    assert guesses == [401] * 5 + [429] * 2
    assert await sign_in_from("2001:db8:7:1::99", PASSWORD) == 429  # the right one waits too
    assert await sign_in_from("2001:db8:7:2::1", PASSWORD) == 303  # amy, from her own network


async def test_someone_elses_guesses_from_another_address_do_not_lock_the_user_out(console: Console) -> None:
    console.add_user("amy")
    for _ in range(8):
        await console.sign_in("amy", "guess guess")
    assert (await console.sign_in("amy")).status_code == 429
    home = httpx.ASGITransport(app=console.http._transport.app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=home, base_url="http://csatbot.test") as http:
        console.http = http
        assert (await console.sign_in("amy")).status_code == 303
        assert (await console.page("/")).status_code == 200


async def test_one_address_guessing_many_names_is_slowed_too(console: Console) -> None:
    for i in range(20):
        assert (await console.sign_in(f"user{i}", "guess guess")).status_code == 401
    response = await console.sign_in("user99", "guess guess")
    assert response.status_code == 429 and "Try again in 1 min." in response.text


async def test_a_refused_attempt_writes_nothing_whatever_name_it_tries(console: Console) -> None:
    """Before: each refused attempt under a new name left its row (kept for a day), so one address
    grew ``login_throttle`` by a row per request while every attempt was refused."""
    for i in range(20):
        assert (await console.sign_in(f"user{i}", "guess guess")).status_code == 401
    before = console.rows("select key, failures, last_failure_at from login_throttle order by key")
    for i in range(20, 60):
        assert (await console.sign_in(f"user{i}", "guess guess")).status_code == 429
    assert console.rows("select key, failures, last_failure_at from login_throttle order by key") == before
    assert len(before) == 21  # 20 names from this address, and the address


async def test_forty_parallel_guesses_get_five_password_checks(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: all forty were checked (the count was read before and written after the slow check)."""
    console.add_user("amy")
    checked: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(password))
            return super().verify(hash, password)

    monkeypatch.setattr(users_module, "hasher", Counting(time_cost=1, memory_cost=1024, parallelism=1))
    await console.page("/login")
    form = {"username": "amy", "password": "guess guess", "csrf": console.token}
    answers = await asyncio.gather(*(console.http.post("/console/login", data=form) for _ in range(40)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [401] * 5 + [429] * 35
    assert len(checked) == 5


def test_the_signing_key_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'csatbot.db'}"
    assert secret_key(url, {"CSATBOT_SECRET_KEY": "from-env"}) == "from-env"
    assert not (tmp_path / "db" / KEY_FILE).exists()
    first = secret_key(url, {})
    path = tmp_path / "db" / KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 60 and secret_key(url, {}) == first  # made once, then reused


HOSTILE_NEXT = [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example", "https:/evil.example",
    "/console/..//evil.example", "/console/../\\evil.example", "/console\\..\\..\\evil.example",
    "%2F%2Fevil.example", "/%2F/evil.example", "/console/%2F%2Fevil.example", "/%5Cevil.example",
    " //evil.example", "\t//evil.example", "/\t/evil.example", "/console/\t/../\t/evil.example",
    "/console/\r\nLocation: https://evil.example", "javascript:alert(1)", "/console@evil.example",
    "/console.evil.example/", "//console/", "/agent/../..//evil.example", "ｈｔｔｐｓ://evil.example",
]  # fmt: skip


@pytest.mark.parametrize("where", ["login", "lang"])
async def test_no_next_leads_a_browser_off_the_site(console: Console, where: str) -> None:
    """Hunt 16: every hostile ``next`` (schemes, ``//`` and ``\\`` in any spelling, encoded, with the
    tabs and newlines a browser drops, dot segments) leaves the browser on this site: the Location is
    read as a browser does (WHATWG: tabs and newlines removed, ``\\`` as ``/``) against our origin."""
    console.add_user("amy")
    origin = httpx.URL("http://csatbot.test/console/login")
    for target in HOSTILE_NEXT:
        if where == "login":
            response = await console.sign_in("amy", next=target)
        else:
            response = await console.http.get("/console/lang/en", params={"next": target})
        assert response.status_code == 303, target
        location = re.sub(r"[\t\n\r]", "", response.headers["location"]).replace("\\", "/")
        assert location.startswith("/") and not location.startswith("//"), (target, location)
        assert origin.join(location).host == "csatbot.test", (target, location)
