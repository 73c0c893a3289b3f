"""Who is calling the support API and the agent desk: nothing there answers without it.

A request is someone when it carries

- ``Authorization: Bearer <token>``: a token from ``csatbot tokens add`` (its name and role), or
  ``CSATBOT_API_TOKEN`` (acts as ``api``, admin); or
- the console's session cookie (a signed-in console user). A request that changes something must
  then also send the session's CSRF token in ``X-CSRF-Token`` (``GET /api/me`` gives it), so another
  site cannot make a signed-in browser act.

The principal's name is who acts: replies, resolutions and ticket work are recorded as that name, and
an agent's reports are their own. No request body names an agent.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from csatbot.console.auth import CSRF_FIELD, SESSION_FIELD
from csatbot.console.session_store import SessionStore
from csatbot.console.sessions import read_cookie
from csatbot.tokens import ApiTokens

TOKEN_ENV = "CSATBOT_API_TOKEN"
ENV_TOKEN_NAME = "api"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN = (
    "sign in to the console (/console/login) or send Authorization: Bearer <token> "
    "(a token from `csatbot tokens add NAME --role agent`, or CSATBOT_API_TOKEN)"
)

bearer = HTTPBearer(auto_error=False, description="a token from `csatbot tokens add`, or CSATBOT_API_TOKEN")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as."""

    name: str
    role: str
    via: Literal["token", "session"]
    csrf: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Access:
    """Finds the principal of a request (the app keeps one in ``app.state.access``)."""

    def __init__(
        self, tokens: ApiTokens, sessions: SessionStore, secret: str, environ: Mapping[str, str]
    ) -> None:
        self.tokens = tokens
        self.sessions = sessions
        self.secret = secret
        self.environ = environ

    async def by_token(self, token: str) -> Principal | None:
        configured = self.environ.get(TOKEN_ENV, "")
        if configured and hmac.compare_digest(token.encode(), configured.encode()):
            return Principal(ENV_TOKEN_NAME, "admin", "token")
        found = await asyncio.to_thread(self.tokens.find, token)
        return Principal(found.name, found.role, "token") if found is not None else None

    async def by_session(self, request: Request) -> Principal | None:
        """The signed-in console user of the request's cookie, if the session is still live."""
        session = read_cookie(request.cookies, self.secret)
        session_id = session.get(SESSION_FIELD)
        if not isinstance(session_id, str):
            return None
        account = await asyncio.to_thread(self.sessions.account, session_id)
        if account is None:
            return None
        csrf = session.get(CSRF_FIELD)
        return Principal(account.username, account.role, "session", csrf if isinstance(csrf, str) else "")


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Principal:
    """The caller, or 401 (403 for a cookie request that changes something without the CSRF token)."""
    access: Access = request.app.state.access
    if credentials is not None:
        principal = await access.by_token(credentials.credentials)
        if principal is None:
            raise _unauthorized("wrong or revoked bearer token")
        return principal
    if request.headers.get("authorization"):
        raise _unauthorized(f"the Authorization header must be 'Bearer <token>'; {SIGN_IN}")
    principal = await access.by_session(request)
    if principal is None:
        raise _unauthorized(SIGN_IN)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not (principal.csrf and hmac.compare_digest(sent.encode(), principal.csrf.encode())):
            raise HTTPException(403, f"a console session must send its CSRF token in {CSRF_HEADER}")
    return principal


async def current_admin(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_admin:
        raise HTTPException(403, f"{principal.name} is an agent; this needs the admin role")
    return principal


Who = Annotated[Principal, Depends(current_principal)]
Admin = Annotated[Principal, Depends(current_admin)]
