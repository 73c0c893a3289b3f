"""Who is signed in, what they may see, and CSRF tokens."""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from adapters.strict_json import unstorable
from csatbot.console.session_store import SessionStore
from csatbot.console.users import Account, Users

CSRF_FIELD = "csrf"
SESSION_FIELD = "sid"


class SignInRequired(Exception):
    """No valid session: the page redirects to the sign-in form (and back afterwards)."""


def users_of(request: Request) -> Users:
    users: Users = request.app.state.users
    return users


def sessions_of(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.sessions
    return store


async def current_user(request: Request) -> Account:
    """The signed-in account. The cookie only names a server-side session: one that was signed out,
    expired, or ended by a password change or the user's removal signs nobody in."""
    session_id = request.session.get(SESSION_FIELD)
    if not isinstance(session_id, str):
        raise SignInRequired
    account = await asyncio.to_thread(sessions_of(request).account, session_id)
    if account is None:
        request.session.pop(SESSION_FIELD, None)
        raise SignInRequired
    request.state.user = account
    return account


async def current_admin(request: Request, user: Annotated[Account, Depends(current_user)]) -> Account:
    if not user.is_admin:
        raise HTTPException(403, "error.admin_only")
    return user


Agent = Annotated[Account, Depends(current_user)]
Admin = Annotated[Account, Depends(current_admin)]


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use); every console form sends it back."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def check_csrf(request: Request) -> None:
    """Reject a form POST whose token is missing or not this session's (403, nothing done)."""
    try:
        form = await request.form()
    except ValueError as exc:  # a multipart charset whose codec fails its own way (punycode, undefined)
        raise HTTPException(400, "error.form") from exc
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    # Bytes, not str: compare_digest raises TypeError on non-ASCII text (a form can send any).
    if not (
        isinstance(sent, str)
        and isinstance(expected, str)
        and secrets.compare_digest(sent.encode("utf-8", "replace"), expected.encode())
    ):
        raise HTTPException(403, "error.csrf")
    texts = [text for item in form.multi_items() for text in item if isinstance(text, str)]
    if any("\x00" in text for text in texts):
        raise HTTPException(400, "error.nul")  # PostgreSQL text cannot hold NUL: refuse, change nothing
    # A multipart form is decoded in the charset its sender names: unicode_escape or utf-7 make lone
    # surrogates, which no database driver writes and no page can show.
    if any(unstorable(text) for text in texts):
        raise HTTPException(400, "error.surrogate")


async def sign_in(request: Request, account: Account) -> None:
    """A fresh session for ``account`` (new CSRF token: nothing from before signing in carries over).
    A session the cookie named before (signing in again, or as someone else) ends on the server:
    the browser forgets its cookie, so nobody could sign it out any more."""
    store = sessions_of(request)
    previous = request.session.get(SESSION_FIELD)
    session_id = await asyncio.to_thread(store.open, account.username)
    if isinstance(previous, str):
        await asyncio.to_thread(store.end, previous)
    lang = request.session.get("lang")
    request.session.clear()
    if lang is not None:
        request.session["lang"] = lang
    request.session[SESSION_FIELD] = session_id
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


async def sign_out(request: Request) -> None:
    """End the server-side session (the cookie is worthless from now on) and clear the cookie."""
    session_id = request.session.get(SESSION_FIELD)
    if isinstance(session_id, str):
        await asyncio.to_thread(sessions_of(request).end, session_id)
    lang = request.session.get("lang")
    request.session.clear()
    if lang is not None:
        request.session["lang"] = lang
