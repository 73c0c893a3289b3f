"""A console sign-in also opens the agent desk and the support API, acting as that user; changes
made with the cookie need the session's CSRF token, and signing out ends API access at once."""

from __future__ import annotations

from ...conftest import customer_says
from .conftest import Console


async def signed_in_without_token(console: Console, name: str, role: str = "agent") -> None:
    console.http.headers.pop("Authorization", None)  # only the cookie from here on
    console.add_user(name, role)
    await console.sign_in(name)


async def test_the_old_agent_desk_is_the_consoles_conversations_behind_its_sign_in(console: Console) -> None:
    console.http.headers.pop("Authorization", None)
    console.add_user("amy")
    moved = await console.http.get("/agent")
    assert moved.status_code == 308 and moved.headers["location"] == "/console/conversations"
    assert (await console.http.get("/console/conversations")).headers["location"] == (
        "/console/login?next=%2Fconsole%2Fconversations"
    )
    signed = await console.sign_in("amy", next="/console/conversations")
    assert signed.status_code == 303 and signed.headers["location"] == "/console/conversations"
    desk = await console.http.get("/agent", follow_redirects=True)
    assert desk.status_code == 200 and "<title>Conversations · csatbot console</title>" in desk.text
    await console.post("/logout")
    assert (await console.http.get("/console/conversations")).status_code == 303


async def test_the_cookie_acts_as_the_signed_in_user_and_changes_need_the_csrf_header(
    console: Console,
) -> None:
    await signed_in_without_token(console, "amy")
    me = (await console.http.get("/api/me")).json()
    assert (me["name"], me["role"], me["via"]) == ("amy", "agent", "session") and len(me["csrf"]) >= 32
    await customer_says(console.http, "ann", text="hello?")
    url = f"/api/conversations/{console.rows('select id from conversation')[0][0]}"
    for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": "令牌".encode()}):
        refused = await console.http.post(f"{url}/reply", json={"text": "hi"}, headers=headers)
        assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    ok = await console.http.post(
        f"{url}/reply", json={"text": "hi Ann"}, headers={"X-CSRF-Token": me["csrf"]}
    )
    assert ok.status_code == 202
    transcript = (await console.http.get(url)).json()["transcript"]
    assert [(m["author"], m["text"]) for m in transcript] == [("customer", "hello?"), ("agent:amy", "hi Ann")]


async def test_signing_out_ends_api_access_and_a_replayed_cookie_is_refused(console: Console) -> None:
    await signed_in_without_token(console, "amy")
    copied = dict(console.http.cookies)
    assert (await console.http.get("/api/tickets")).status_code == 200
    await console.post("/logout")
    for name, value in copied.items():
        console.http.cookies.set(name, value)
    assert (await console.http.get("/api/tickets")).status_code == 401


async def test_an_agents_session_cannot_do_admin_things(console: Console) -> None:
    await signed_in_without_token(console, "amy")
    report = (await console.http.get("/api/reports", params={"agent": "bob"})).json()
    assert report["filters"] == {"agent": "amy"}
