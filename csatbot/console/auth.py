"""Who is signed in, what they may see, CSRF tokens, and a brake on password guessing."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from csatbot.console.users import Account, Users

CSRF_FIELD = "csrf"


class SignInRequired(Exception):
    """No valid session: the page redirects to the sign-in form (and back afterwards)."""


def users_of(request: Request) -> Users:
    users: Users = request.app.state.users
    return users


async def current_user(request: Request) -> Account:
    """The signed-in account; a session whose user was removed or whose password changed is ended."""
    session = request.session
    username = session.get("user")
    if not isinstance(username, str):
        raise SignInRequired
    account = await asyncio.to_thread(users_of(request).get, username)
    if account is None or not secrets.compare_digest(account.stamp, str(session.get("stamp", ""))):
        session.pop("user", None)
        session.pop("stamp", None)
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
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    # Bytes, not str: compare_digest raises TypeError on non-ASCII text (a form can send any).
    if not (
        isinstance(sent, str)
        and isinstance(expected, str)
        and secrets.compare_digest(sent.encode("utf-8", "replace"), expected.encode())
    ):
        raise HTTPException(403, "error.csrf")
    if any(isinstance(value, str) and "\x00" in value for value in form.values()):
        raise HTTPException(400, "error.nul")  # PostgreSQL text cannot hold NUL: refuse, change nothing


def sign_in(request: Request, account: Account) -> None:
    """A fresh session for ``account`` (new CSRF token: nothing from before signing in carries over)."""
    lang = request.session.get("lang")
    request.session.clear()
    if lang is not None:
        request.session["lang"] = lang
    request.session.update(user=account.username, stamp=account.stamp)
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


class LoginThrottle:
    """At most ``limit`` failed sign-ins per user name, and ``4 * limit`` per client address, in
    ``window`` seconds; after that, sign-ins from there wait until the oldest failure ages out."""

    def __init__(self, limit: int = 5, window: float = 15 * 60) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def wait(self, username: str, client: str) -> float:
        """Seconds until another attempt is allowed (0: now)."""
        now = time.monotonic()
        waits = [0.0]
        for key, limit in ((f"user:{username.lower()}", self.limit), (f"ip:{client}", 4 * self.limit)):
            failures = self._recent(key, now)
            if len(failures) >= limit:
                waits.append(failures[0] + self.window - now)
        return max(waits)

    def failed(self, username: str, client: str) -> None:
        now = time.monotonic()
        if len(self._failures) > 10_000:  # many names tried: forget those with no recent failure
            self._failures = {k: v for k, v in self._failures.items() if self._recent(k, now)}
        for key in (f"user:{username.lower()}", f"ip:{client}"):
            self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"user:{username.lower()}", None)
