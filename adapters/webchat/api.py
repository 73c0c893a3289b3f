"""Customer-side web chat API: start a session, send a message or a button choice, read the chat."""

from __future__ import annotations

import ipaddress
import logging
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from adapters.kit.addresses import rate_key
from adapters.kit.cookies import forced_secure
from adapters.kit.refusals import refusals
from adapters.kit.text import BLANK, BLANKS
from adapters.strict_json import StrictJSONRoute
from adapters.webchat.channel import ChatBusy, WebChatChannel
from adapters.webchat.limits import PerKeyLimit
from adapters.webchat.models import Accepted, ChatMessage, Messages, SessionIssued
from adapters.webchat.sessions import (
    ANONYMOUS,
    COOKIE,
    HEADER,
    IDENTITY_ENV,
    ChatSession,
    ChatSessions,
    check_identity,
)
from bot.config.channels import WebChatConfig
from bot.errors import ERASED_USER
from bot.locales import language_tag
from bot.messages import ChoicePicked, InboundMessage, Text
from bot.ports import Clock
from bot.service import ConversationService
from models import MAX_ROW_ID
from storage.opened import seen, unopened
from storage.store import SqlStore

log = logging.getLogger("csatbot.webchat")
STATIC = Path(__file__).parent / "static"
UserId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.@:-]+$")]
MAX_TEXT = 4096
"""Characters (code points: an emoji is one) in one message; the page counts the same way."""
MAX_LOCALE = 100
"""Longer than any language tag a browser sends (``zh-Hans-CN-u-nu-hanidec`` is 23), short enough to
refuse a flood."""
CUSTOMER_FIELDS = ("id", "direction", "author", "text", "at", "prompt", "recorded", "survey_id")
"""What the customer sees of a message: no conversation id, no triage labels."""


class Choice(BaseModel):
    """A tapped button: which survey question and which value."""

    model_config = ConfigDict(extra="forbid", strict=True)
    survey: str = Field(max_length=32)
    step: str = Field(max_length=32)
    value: str = Field(max_length=64)
    label: str = Field(default="", max_length=200)

    @field_validator("label")
    @classmethod
    def _shown_or_none(cls, label: str) -> str:
        # The label is stored as what the customer said: one that shows nothing was a blank message
        # (a text of it is refused); without a label the value stands for the tap.
        return "" if BLANK.fullmatch(label) else label


class CustomerMessage(BaseModel):
    """A message from the web chat page: ``text`` or ``choice``, exactly one. Who sends it is the
    session's customer (see :mod:`adapters.webchat.sessions`)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        # What _one_payload checks, for the schema: a string text or an object choice, not both.
        json_schema_extra={
            "oneOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["choice"], "properties": {"choice": {"type": "object"}}},
            ]
        },
    )
    text: str | None = Field(
        default=None, min_length=1, json_schema_extra={"pattern": f"[^{BLANKS}]", "maxLength": MAX_TEXT}
    )
    choice: Choice | None = None
    id: str | None = Field(default=None, max_length=64, description="client message id; resends are ignored")
    name: str = Field(default="", max_length=100)
    locale: str = Field(
        default="",
        max_length=MAX_LOCALE,
        description="the browser's language tag (BCP 47); kept as language, script and region",
    )

    @field_validator("text")
    @classmethod
    def _something_said(cls, text: str | None) -> str | None:
        # The page sends none: a blank message would open a conversation about nothing.
        if text is not None and BLANK.fullmatch(text):
            raise ValueError("text is only spaces: write something")
        if text is not None and len(text) > MAX_TEXT:  # a sentence the page can show as it is
            raise PydanticCustomError(
                "string_too_long",
                "the message is {length} characters long: at most {limit} fit in one; send it in parts",
                {"length": f"{len(text):,}", "limit": f"{MAX_TEXT:,}"},
            )
        return text

    @field_validator("locale")
    @classmethod
    def _language_only(cls, locale: str) -> str:
        # Whatever the browser is set to, the customer can write: a tag we can't read is no tag.
        return language_tag(locale)

    @model_validator(mode="after")
    def _one_payload(self) -> CustomerMessage:
        if (self.text is None) == (self.choice is None):
            raise ValueError("give exactly one of text and choice")
        return self


class SessionRequest(BaseModel):
    """Start or renew a chat session; ``user_id`` with ``user_hash`` for a customer the site knows."""

    model_config = ConfigDict(extra="forbid", strict=True)
    user_id: UserId | None = None
    user_hash: str | None = Field(default=None, max_length=128, description="hex HMAC-SHA256 of user_id")
    cookie: bool = Field(default=True, description="false: no cookie; the token comes back in the body")


class WebChatContext(Protocol):
    service: ConversationService
    store: SqlStore
    webchat: WebChatChannel
    clock: Clock
    environ: Mapping[str, str]


def ip_address_is_loopback(address: str) -> bool:
    """``True`` for 127.0.0.0/8 and ::1 (tests, a local proxy without forwarded addresses)."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


PAGE_HEADERS = {
    # Only our own script, styles and API: a message can never bring in code. Framing stays allowed
    # (a site may show the chat in an iframe).
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
"""Sent with the chat page and its assets."""


def webchat_router(ctx: WebChatContext, secret: str, config: WebChatConfig | None = None) -> APIRouter:
    """Routes for the page (``/``) and its API (``/api/webchat``); ``secret`` signs sessions and
    ``config`` sets how fast a customer may write and an address may start sessions."""
    router = APIRouter(route_class=StrictJSONRoute)
    signed_in = refusals(400, 401, 413, 422, 429, 503)  # the routes behind a chat session
    sessions = ChatSessions(secret)
    config = config or WebChatConfig()
    writes = PerKeyLimit(config.messages_per_minute, burst=20) if config.messages_per_minute else None
    starts = PerKeyLimit(config.sessions_per_minute, burst=30) if config.sessions_per_minute else None
    per_address = config.address_messages_per_minute
    address_writes = PerKeyLimit(per_address, burst=100) if per_address else None

    def within_address(limit: PerKeyLimit | None, request: Request, what: str) -> None:
        """:func:`within` for the request's address (loopback is not limited, see :func:`_address_key`)."""
        if key := _address_key(request):
            within(limit, key, what)

    def within(limit: PerKeyLimit | None, key: str, what: str) -> None:
        if limit is not None and not limit.take(key):
            raise HTTPException(
                429,
                f"{what}: at most {limit.per_minute} a minute; retry in {limit.retry_after} s",
                headers={"Retry-After": str(limit.retry_after)},
            )

    def customer(request: Request) -> ChatSession:
        """The session's customer (cookie, or the header for apps), or 401."""
        found = sessions.read(request.cookies.get(COOKIE) or request.headers.get(HEADER))
        if found is None:
            raise HTTPException(401, "no chat session (or it expired): POST /api/webchat/session first")
        return found

    # A default, not an Annotated alias: this dependency is local to the router (string annotations
    # are resolved in the module's globals).
    session_of = Depends(customer)

    @router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    @router.api_route("/static/webchat/{name}", methods=["GET", "HEAD"], include_in_schema=False)
    async def asset(name: str) -> FileResponse:
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not _is_file(path):
            raise HTTPException(404)
        return FileResponse(path, headers=PAGE_HEADERS)

    @router.post(
        "/api/webchat/session",
        response_model=SessionIssued,
        tags=["web chat"],
        responses=refusals(400, 403, 413, 422, 429, 503),
    )
    async def start_session(request: Request, response: Response, body: SessionRequest) -> SessionIssued:
        """Start (or renew) the customer's chat session. Without ``user_id`` the customer is anonymous
        (the same one again while the session lasts); with it, ``user_hash`` must be the site's
        HMAC-SHA256 of ``user_id`` under ``CSATBOT_WEBCHAT_IDENTITY_SECRET``."""
        within_address(starts, request, "too many chat sessions from this address")
        if body.user_id is not None:
            secret = ctx.environ.get(IDENTITY_ENV, "")
            if not secret:
                raise HTTPException(400, f"signed identities are off: set {IDENTITY_ENV} on the server")
            if body.user_id.startswith((ANONYMOUS, ERASED_USER)):  # an anonymous chat's, an erased one's
                raise HTTPException(422, f"user_id may not start with {ANONYMOUS!r} or {ERASED_USER!r}")
            if not check_identity(secret, body.user_id, body.user_hash or ""):
                raise HTTPException(403, "user_hash is not the HMAC-SHA256 of user_id (site secret)")
            session = ChatSession(body.user_id, verified=True)
        else:
            current = sessions.read(request.cookies.get(COOKIE) or request.headers.get(HEADER))
            session = current if current is not None and not current.verified else sessions.anonymous()
        token = sessions.issue(session)
        expires_at = sessions.expires_at(ctx.clock.now())
        if not body.cookie:
            return SessionIssued(verified=session.verified, expires_at=expires_at, token=token)
        secure = request.url.scheme == "https" or forced_secure(ctx.environ)
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(sessions.ttl.total_seconds()),
            path="/api/webchat",
            httponly=True,
            samesite="lax",
            secure=secure,
        )
        return SessionIssued(verified=session.verified, expires_at=expires_at)

    @router.post(
        "/api/webchat/messages",
        response_model=Accepted,
        status_code=202,
        tags=["web chat"],
        responses=signed_in,
    )
    async def post_message(
        request: Request, body: CustomerMessage, who: ChatSession = session_of
    ) -> Accepted:
        """Send a customer message (typed text or a tapped choice) into the chat."""
        within(writes, who.user, "too many messages")
        within_address(address_writes, request, "too many messages from this address")
        payload = (
            Text(body.text)
            if body.text is not None
            else ChoicePicked(body.choice.survey, body.choice.step, body.choice.value, body.choice.label)  # type: ignore[union-attr]
        )
        message = InboundMessage(
            channel="webchat",
            account="",
            user=who.user,
            # A client's ids are its own: another customer's "c-1" must not make this one a duplicate.
            platform_id=f"{who.user}/{body.id}" if body.id else uuid.uuid4().hex,
            received_at=ctx.clock.now(),
            payload=payload,
            display_name=body.name,
            locale=body.locale,
        )
        result = await ctx.service.handle(message)
        if not result.duplicate:
            ctx.webchat.notify(who.user)  # the customer's own message shows in their other long polls
        return Accepted(duplicate=result.duplicate, survey_id=result.survey_id, stale=result.stale)

    @router.get(
        "/api/webchat/messages",
        response_model=Messages,
        response_model_exclude_unset=True,
        tags=["web chat"],
        responses=signed_in,
    )
    async def get_messages(
        request: Request,
        after: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
        wait: Annotated[float, Query(ge=0, le=30, description="long-poll seconds when nothing is new")] = 0,
        who: ChatSession = session_of,
    ) -> Messages:
        """The chat's messages after id ``after``, oldest first (customer, bot and agent)."""
        if wait <= 0:
            found = await _read(ctx, who.user, after)
        else:
            try:
                # Listen before reading: a message sent while we read still wakes this poll.
                with ctx.webchat.listening(who.user, _address_key(request)) as event:
                    found = await _read(ctx, who.user, after)
                    if not found:
                        if not await ctx.webchat.wait(event, wait, lambda: _hung_up(request)):
                            return Messages(messages=[], last_id=after)  # nobody to answer
                        found = await _read(ctx, who.user, after)
            except ChatBusy as exc:
                raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
        await _seen(ctx, found)
        return Messages(
            messages=[ChatMessage.model_validate(m) for m in found],
            last_id=found[-1]["id"] if found else after,
        )

    return router


def _address_key(request: Request) -> str:
    """Whose limits (sessions, messages, long polls) a request counts toward: its address's rate key
    (an IPv6 /64 is one), or ``""`` for loopback (a proxy that forwards no address would otherwise
    put everyone under one)."""
    address = request.client.host if request.client is not None else ""
    return "" if not address or ip_address_is_loopback(address) else rate_key(address)


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; ``False`` for a name the file system refuses (over 255 bytes:
    ``OSError`` was a 500)."""
    try:
        return path.is_file()
    except OSError:
        return False


async def _hung_up(request: Request) -> None:
    """Return once the client has gone (for a GET, every message before that is its empty body)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _seen(ctx: WebChatContext, found: list[dict[str, Any]]) -> None:
    """The page fetched these messages to show them: the surveys they ask count as opened (checked
    in a read first, so a page that fetches them again writes nothing)."""
    asked = {m["survey_id"] for m in found if m["direction"] == "out" and m.get("survey_id")}
    if not asked:
        return
    try:
        fresh = await ctx.store.read(lambda repo: unopened(repo.session, asked))
        if fresh:
            await ctx.store.run(seen(fresh, ctx.clock.now()))
    except Exception:  # the customer still gets their messages; the next fetch marks them
        log.warning("web chat: could not record surveys %s as opened", sorted(asked), exc_info=True)


async def _read(ctx: WebChatContext, user: str, after: int) -> list[dict[str, Any]]:
    def work(repo: Any) -> list[dict[str, Any]]:
        identity = repo.find_identity("webchat", "", user)
        found = [] if identity is None else repo.messages_for(identity.id, after)
        names: dict[str, str] = {}
        shown = [{k: m[k] for k in CUSTOMER_FIELDS if k in m} for m in found]
        for m in shown:
            m["author"] = _shown_author(str(m["author"]), names, repo.agent_name)
        return shown

    return await ctx.store.read(work)


def _shown_author(author: str, names: dict[str, str], agent_name: Callable[[str], str]) -> str:
    """An agent's reply is signed with the name the console shows for them (their display name when
    they have one, as in the "ticket taken" notice), never bare the console's sign-in name."""
    if not author.startswith("agent:"):
        return author
    username = author.removeprefix("agent:")
    if username not in names:
        names[username] = agent_name(username)
    return f"agent:{names[username]}"
