"""Signing in and out, session cookies, CSRF and roles."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from csatbot.console.sessions import KEY_FILE, secret_key

GENERIC = "Wrong user name or password."


def cookie_header(response: httpx.Response) -> str:
    [cookie] = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return cookie


async def test_pages_need_a_session_and_send_back_after_signing_in(console: Any) -> None:
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


async def test_a_wrong_password_or_unknown_user_get_the_same_generic_answer(console: Any) -> None:
    console.add_user("amy")
    wrong = await console.sign_in("amy", "not the password")
    unknown = await console.sign_in("nobody", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert GENERIC in response.text
        assert "nobody" not in response.text.replace('value="nobody"', "")  # no "no such user"
    assert (await console.page("/")).status_code == 303  # still signed out
    assert console.rows("select last_login_at from console_user") == [(None,)]


async def test_signing_in_sets_a_hardened_cookie_and_records_the_time(console: Any) -> None:
    console.add_user("amy")
    response = await console.sign_in("amy")
    cookie = cookie_header(response).lower()
    assert cookie.startswith("csatbot_console=")
    for flag in ("httponly", "samesite=lax", "path=/console", "max-age=43200"):
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
    console: Any, how: str, monkeypatch: pytest.MonkeyPatch
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


async def test_form_posts_without_the_sessions_csrf_token_are_refused(console: Any) -> None:
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
    assert (await console.post(f"/tickets/{ticket}/claim")).status_code == 303
    assert console.rows("select status, assignee from ticket") == [("assigned", "dan")]


async def test_agents_cannot_see_admin_pages(console: Any) -> None:
    console.add_user("amy", "agent")
    console.add_user("root", "admin")
    await console.sign_in("amy")
    forbidden = await console.page("/flows")
    assert forbidden.status_code == 403
    assert "Only admins may see this page." in forbidden.text
    assert 'href="/console/flows"' not in (await console.page("/")).text
    await console.sign_in("root")
    assert (await console.page("/flows")).status_code == 200


async def test_sign_out_ends_the_session(console: Any) -> None:
    console.add_user("amy")
    await console.sign_in("amy")
    assert (await console.http.post("/console/logout", data={})).status_code == 403
    assert (await console.page("/")).status_code == 200
    out = await console.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    assert "You are signed out." in (await console.page("/login")).text
    assert (await console.page("/")).status_code == 303


async def test_a_password_change_or_removal_ends_open_sessions(console: Any) -> None:
    console.add_user("amy")
    await console.sign_in("amy")
    console.users.set_password("amy", "a brand new password")
    assert (await console.page("/")).status_code == 303
    assert (await console.sign_in("amy", "a brand new password")).status_code == 303
    assert (await console.page("/")).status_code == 200
    console.users.remove("amy")
    assert (await console.page("/")).status_code == 303


async def test_repeated_failures_lock_the_name_for_a_while(console: Any) -> None:
    console.add_user("amy")
    for _ in range(5):
        assert (await console.sign_in("amy", "guess guess")).status_code == 401
    locked = await console.sign_in("amy")  # even the right password waits now
    assert locked.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 min." in locked.text
    assert (await console.page("/")).status_code == 303


def test_the_signing_key_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'csatbot.db'}"
    assert secret_key(url, {"CSATBOT_SECRET_KEY": "from-env"}) == "from-env"
    assert not (tmp_path / "db" / KEY_FILE).exists()
    first = secret_key(url, {})
    path = tmp_path / "db" / KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 60 and secret_key(url, {}) == first  # made once, then reused
