"""A fake WhatsApp for tests and local try-outs: the Graph API on 127.0.0.1 and users who write.

:class:`FakeGraphApi` answers ``POST /v23.0/{phone-number-id}/messages`` like Meta does: it checks
the bearer token and WhatsApp's limits (3 reply buttons of 20 characters, 10 list rows of 24...)
and answers with a ``wamid`` or a Graph error. :class:`WhatsAppSimulator` posts the real webhook
JSON, signed with ``X-Hub-Signature-256``, to csatbot and decodes what users were shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.responses import JSONResponse, Response

from adapters.testing import Button, FakeServer, Recorded, Shown
from adapters.whatsapp.ids import decode_option
from adapters.whatsapp.render import width
from adapters.whatsapp.signature import HEADER, sign

API_VERSION = "v23.0"
PHONE_NUMBER_ID = "1122334455667"
DISPLAY_PHONE_NUMBER = "15550783881"
WABA_ID = "1234567890987654321"
ENVIRON = {
    "WHATSAPP_TOKEN": "test-graph-token",
    "WHATSAPP_APP_SECRET": "test-app-secret",
    "WHATSAPP_VERIFY_TOKEN": "test-verify-token",
}
TEMPLATE = {"name": "csat_invite_v1", "language": "en_US"}
# The approved templates the fake knows: (name, language) -> (body text, quick-reply button texts).
TEMPLATES: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("csat_invite_v1", "en_US"): ("Thanks for contacting us! Would you rate our support?", ("Rate us",)),
}


def graph_error_response(
    status: int, code: int, message: str, *, details: str = "", retry_after: float | None = None
) -> Response:
    """A Graph API error answer, as Meta sends it."""
    error: dict[str, Any] = {"message": f"(#{code}) {message}", "type": "OAuthException", "code": code}
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    error["fbtrace_id"] = "AfakeTraceId"
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
    return JSONResponse({"error": error}, status_code=status, headers=headers)


@dataclass(frozen=True)
class Accepted:
    """A message the fake Graph API accepted."""

    wamid: str
    body: dict[str, Any]


class FakeGraphApi:
    """The Graph API's messages endpoint. Queue answers in ``failures`` to make the next calls fail."""

    def __init__(self, token: str, phone_number_id: str = PHONE_NUMBER_ID) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.accepted: list[Accepted] = []
        self.failures: list[Response] = []
        self.delays: list[float] = []
        """The next calls are accepted, then answered this many seconds late (one per call)."""
        self.failure_rate = 0.0
        """Answer this share of calls (at random) with a Graph 500, accepting nothing."""
        self.on_accept: Callable[[Accepted], None] | None = None
        """Called for each accepted message (the simulator posts its ``sent`` status webhook)."""
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._random = random.Random(7)

    def __call__(self, request: Recorded) -> Response | Awaitable[Response]:
        with self._lock:
            if self.failures:
                return self.failures.pop(0)
            if self.failure_rate and self._random.random() < self.failure_rate:
                return graph_error_response(500, 131000, "Something went wrong")
        answer = self._accept(request)
        with self._lock:
            delay = self.delays.pop(0) if self.delays else 0.0
        if delay:
            return _late(answer, delay)
        return answer

    def _accept(self, request: Recorded) -> Response:
        if request.method != "POST" or request.path != f"/{API_VERSION}/{self.phone_number_id}/messages":
            return graph_error_response(400, 100, f"Unsupported {request.method} request {request.path}")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return graph_error_response(401, 190, "Invalid OAuth access token - Cannot parse access token")
        try:
            body = request.json()
        except ValueError:
            return graph_error_response(400, 100, "Invalid parameter", details="body is not JSON")
        problem = message_problem(body)
        if problem is not None:
            code, details = problem
            return graph_error_response(400, code, "Parameter value is not valid", details=details)
        with self._lock:
            wamid = f"wamid.FAKE{next(self._ids):06d}{uuid.uuid4().hex[:8].upper()}"
            accepted = Accepted(wamid, body)
            self.accepted.append(accepted)
        if self.on_accept is not None:
            self.on_accept(accepted)
        # A phone number in "to" comes back as wa_id; a business-scoped user id in "recipient" as user_id.
        contact = {"input": body["to"], "wa_id": body["to"]} if body.get("to") else {}
        contact = contact or {"input": body["recipient"], "user_id": body["recipient"]}
        sent: dict[str, str] = {"id": wamid}
        if body["type"] == "template":
            sent["message_status"] = "accepted"
        return JSONResponse({"messaging_product": "whatsapp", "contacts": [contact], "messages": [sent]})


async def _late(answer: Response, delay: float) -> Response:
    await asyncio.sleep(delay)
    return answer


def message_problem(body: Any) -> tuple[int, str] | None:
    """Why the Graph API would refuse ``body`` (error code, details), or ``None``."""
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        return 100, "messaging_product must be whatsapp"
    if not body.get("to") and not body.get("recipient"):
        return 100, "to (a phone number) or recipient (a business-scoped user id) is required"
    opaque = body.get("biz_opaque_callback_data")
    if opaque is not None and (not isinstance(opaque, str) or len(opaque.encode()) > 512):
        return 131009, "biz_opaque_callback_data must be a string of at most 512 bytes"
    kind = body.get("type")
    content = body.get(kind) if isinstance(kind, str) else None
    if not isinstance(content, dict):
        return 131008, f"the {kind} object is required"
    if kind == "text":
        return _bounded("text.body", content.get("body"), 4096)
    if kind == "template":
        key = (content.get("name"), (content.get("language") or {}).get("code"))
        return None if key in TEMPLATES else (132001, f"template {key[0]} does not exist in {key[1]}")
    if kind == "interactive":
        return _interactive_problem(content)
    return 131051, f"unsupported message type {kind}"


def _bounded(what: str, value: Any, limit: int) -> tuple[int, str] | None:
    if not isinstance(value, str) or not 1 <= width(value) <= limit:
        return 131009, f"{what} must be 1 to {limit} characters"
    return None


def _interactive_problem(content: dict[str, Any]) -> tuple[int, str] | None:
    body = _bounded("interactive.body.text", (content.get("body") or {}).get("text"), 1024)
    action = content.get("action") or {}
    if body is not None:
        return body
    if content.get("type") == "button":
        buttons = [b.get("reply", {}) for b in action.get("buttons", [])]
        if not 1 <= len(buttons) <= 3:
            return 131009, "buttons: 1 to 3 are allowed"
        if len({b.get("title") for b in buttons}) < len(buttons) or len({b.get("id") for b in buttons}) < len(
            buttons
        ):
            return 131009, "button titles and ids must be unique"
        return _first(
            [_bounded("button title", b.get("title"), 20) for b in buttons]
            + [_bounded("button id", b.get("id"), 256) for b in buttons]
        )
    if content.get("type") == "list":
        rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
        if not 1 <= len(rows) <= 10:
            return 131009, "list: 1 to 10 rows in total are allowed"
        if len({r.get("id") for r in rows}) < len(rows):
            return 131009, "row ids must be unique"
        described = [r for r in rows if "description" in r]
        return _first(
            [_bounded("list button", action.get("button"), 20)]
            + [_bounded("row title", r.get("title"), 24) for r in rows]
            + [_bounded("row id", r.get("id"), 200) for r in rows]
            + [_bounded("row description", r.get("description"), 72) for r in described]
        )
    return 131009, f"unsupported interactive type {content.get('type')}"


def _first(problems: Iterable[tuple[int, str] | None]) -> tuple[int, str] | None:
    return next((p for p in problems if p is not None), None)


@dataclass(frozen=True)
class _Tappable:
    kind: str  # "button", "list" or "template"
    data: str  # the id or payload that comes back
    title: str
    wamid: str  # the message it was shown in


class WhatsAppSimulator:
    """WhatsApp users talking to csatbot through the fake Graph API (:class:`adapters.testing.Simulator`).

    ``user`` names that are not phone numbers get a stable fake ``wa_id`` (see :meth:`wa_id`).
    """

    channel = "whatsapp"

    def __init__(self, *, template: bool = True, path: str = "/webhooks/whatsapp") -> None:
        self.environ = dict(ENVIRON)
        self.api = FakeGraphApi(self.environ["WHATSAPP_TOKEN"])
        self.server: FakeServer = FakeServer("whatsapp", self.api)
        self.path = path
        self.template = template
        self._numbers: dict[str, str] = {}

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def reset(self) -> None:
        """Forget every request and message so far, and queued failures (to reuse a started fake)."""
        self.server.requests.clear()
        self.api.accepted.clear()
        self.api.failures.clear()
        self.api.delays.clear()
        self.api.failure_rate = 0.0
        self.api.on_accept = None
        self.api.token = self.environ["WHATSAPP_TOKEN"]

    def channel_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "enabled": True,
            "path": self.path,
            "phone_number_id": PHONE_NUMBER_ID,
            "api_base": f"{self.server.url}/{API_VERSION}/",
        }
        if self.template:
            config["template"] = dict(TEMPLATE)
        return config

    def confirm_to(self, *csatbot_urls: str, after: float = 0.2) -> None:
        """Post a signed ``sent`` status webhook to csatbot ``after`` seconds for every message the
        fake accepts, echoing its ``biz_opaque_callback_data``, as Meta does; a refused webhook is
        delivered again (up to 20 rounds a second apart, each trying every URL in turn)."""

        def post(accepted: Accepted) -> None:
            body = accepted.body
            payload = self.status(
                str(body.get("to", "")),
                accepted.wamid,
                "sent",
                reference=str(body.get("biz_opaque_callback_data", "")),
            )
            raw = json.dumps(payload, separators=(",", ":")).encode()
            headers = {
                "content-type": "application/json",
                HEADER: sign(raw, self.environ["WHATSAPP_APP_SECRET"]),
            }
            time.sleep(after)
            for _ in range(20):
                for url in csatbot_urls:
                    with contextlib.suppress(httpx.HTTPError):
                        if httpx.post(url + self.path, content=raw, headers=headers, timeout=10).is_success:
                            return
                time.sleep(1.0)

        self.api.on_accept = lambda accepted: threading.Thread(
            target=post, args=(accepted,), daemon=True
        ).start()

    def wa_id(self, user: str) -> str:
        """The WhatsApp id (phone number) of ``user``: itself if all digits, else a made-up one."""
        if user.isdigit():
            return user
        return self._numbers.setdefault(user, f"4479{len(self._numbers) + 1:08d}")

    async def say(self, app: httpx.AsyncClient, user: str, text: str) -> httpx.Response:
        return await self.post(app, self.message(user, {"type": "text", "text": {"body": text}}))

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        tappable = self._find(user, button)
        context = {"context": {"from": DISPLAY_PHONE_NUMBER, "id": tappable.wamid}}
        reply = {"id": tappable.data, "title": tappable.title}
        content: dict[str, Any]
        if tappable.kind == "template":
            content = {"type": "button", "button": {"payload": tappable.data, "text": tappable.title}}
        elif tappable.kind == "button":
            content = {"type": "interactive", "interactive": {"type": "button_reply", "button_reply": reply}}
        else:
            content = {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": reply}}
        return await self.post(app, self.message(user, {**context, **content}))

    def shown(self, user: str) -> list[Shown]:
        return [_shown(a.body) for a in self.sent_to(user)]

    def sent_to(self, user: str) -> list[Accepted]:
        """The messages the fake Graph API accepted for ``user``, oldest first: its phone number in
        ``to``, or ``user`` itself (a business-scoped user id) in ``recipient``."""
        return [a for a in self.api.accepted if self._addressed_to(user, a.body)]

    def _addressed_to(self, user: str, body: dict[str, Any]) -> bool:
        if "recipient" in body:
            return bool(body["recipient"] == user)
        return bool(body.get("to") == self.wa_id(user))

    # Webhook payloads, in the shapes Meta documents.

    def message(
        self, user: str, content: dict[str, Any], *, wamid: str | None = None, name: str | None = None
    ) -> dict[str, Any]:
        """The webhook for one message from ``user`` (``content`` holds ``type`` and its object)."""
        wa_id = self.wa_id(user)
        message = {
            "from": wa_id,
            "id": wamid or f"wamid.SIM{uuid.uuid4().hex.upper()}",
            "timestamp": str(int(time.time())),
            **content,
        }
        contact = {"profile": {"name": user if name is None else name}, "wa_id": wa_id}
        return self.envelope({"contacts": [contact], "messages": [message]})

    def status(
        self,
        user: str,
        wamid: str,
        status: str,
        errors: list[dict[str, Any]] | None = None,
        *,
        reference: str = "",
    ) -> dict[str, Any]:
        """The webhook for a status update of message ``wamid`` sent to ``user`` (``reference``:
        the ``biz_opaque_callback_data`` the message was sent with, echoed back)."""
        update: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": self.wa_id(user),
        }
        if errors:
            update["errors"] = errors
        if reference:
            update["biz_opaque_callback_data"] = reference
        return self.envelope({"statuses": [update]})

    @staticmethod
    def envelope(value: dict[str, Any]) -> dict[str, Any]:
        """The webhook envelope around one ``value`` (metadata of the fake number added)."""
        metadata = {"display_phone_number": DISPLAY_PHONE_NUMBER, "phone_number_id": PHONE_NUMBER_ID}
        change = {
            "field": "messages",
            "value": {"messaging_product": "whatsapp", "metadata": metadata, **value},
        }
        return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [change]}]}

    async def post(
        self, app: httpx.AsyncClient, payload: dict[str, Any] | bytes, *, signature: str | None = ""
    ) -> httpx.Response:
        """POST ``payload`` to csatbot's webhook, signed with the app secret unless ``signature``
        is given (``None``: no header). Dicts are serialised like Meta does (ASCII, compact)."""
        raw = payload if isinstance(payload, bytes) else json.dumps(payload, separators=(",", ":")).encode()
        headers = {"content-type": "application/json"}
        if signature == "":
            signature = sign(raw, self.environ["WHATSAPP_APP_SECRET"])
        if signature is not None:
            headers[HEADER] = signature
        return await app.post(self.path, content=raw, headers=headers)

    def _find(self, user: str, button: Button) -> _Tappable:
        for accepted in reversed(self.sent_to(user)):
            for tappable in _tappables(accepted):
                ref = decode_option(tappable.data)
                if ref is not None and (ref.step, ref.value, tappable.title) == (
                    button.step,
                    button.value,
                    button.label,
                ):
                    return tappable
        raise AssertionError(f"{user} was never shown {button}")


def _tappables(accepted: Accepted) -> list[_Tappable]:
    body, wamid = accepted.body, accepted.wamid
    if body["type"] == "template":
        template = body["template"]
        texts = TEMPLATES[(template["name"], template["language"]["code"])][1]
        return [
            _Tappable("template", p["payload"], texts[int(c["index"])], wamid)
            for c in template.get("components", [])
            if c["type"] == "button"
            for p in c["parameters"]
        ]
    if body["type"] != "interactive":
        return []
    interactive = body["interactive"]
    if interactive["type"] == "button":
        return [
            _Tappable("button", b["reply"]["id"], b["reply"]["title"], wamid)
            for b in interactive["action"]["buttons"]
        ]
    rows = [r for s in interactive["action"]["sections"] for r in s["rows"]]
    return [_Tappable("list", r["id"], r["title"], wamid) for r in rows]


def _shown(body: dict[str, Any]) -> Shown:
    kind = body["type"]
    if kind == "text":
        text = body["text"]["body"]
    elif kind == "interactive":
        text = body["interactive"]["body"]["text"]
    else:
        template = body["template"]
        text = TEMPLATES[(template["name"], template["language"]["code"])][0]
    buttons = []
    for tappable in _tappables(Accepted("", body)):
        ref = decode_option(tappable.data)
        if ref is not None:
            buttons.append(Button(tappable.title, ref.step, ref.value))
    return Shown(text, tuple(buttons), body)
