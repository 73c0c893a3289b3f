"""Fake WeChat and WeCom for the tests and for trying the channels locally.

:class:`FakeWeChatApi` answers like ``api.weixin.qq.com`` / ``qyapi.weixin.qq.com`` (access token,
customer-service and app messages, errcodes) and keeps what it accepted. :class:`WeChatSimulator`
and :class:`WeComSimulator` are :class:`adapters.testing.Simulator`\\ s: their users post the real
callback XML, signed (and encrypted in safe mode) exactly as WeChat does, to csatbot.
"""

from __future__ import annotations

import base64
import itertools
import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from starlette.responses import JSONResponse, Response

from adapters.testing import Button, FakeServer, Recorded, Shown
from adapters.wechat.crypto import Cipher, signature
from adapters.wechat.wire import parse_option_key
from bot.ports import Clock

Answer = dict[str, Any]


class FakeWeChatApi:
    """The platform API: tokens from the token endpoint, messages to the send endpoint.

    ``fail(answer, ...)`` queues answers (an errcode document, an HTTP status, or a whole response)
    for the next send calls; ``expire_tokens()`` makes the issued tokens answer 42001.
    """

    def __init__(self, *, enterprise: bool, app_id: str, secret: str) -> None:
        self.enterprise = enterprise
        self.token_path = "/cgi-bin/gettoken" if enterprise else "/cgi-bin/token"
        self.send_path = "/cgi-bin/message/send" if enterprise else "/cgi-bin/message/custom/send"
        self.credentials = (
            {"corpid": app_id, "corpsecret": secret} if enterprise else {"appid": app_id, "secret": secret}
        )
        self.tokens: list[str] = []
        self.expired: set[str] = set()
        self.delivered: list[Answer] = []
        self._failures: list[Answer | int | Response] = []
        self._lock = threading.Lock()

    def fail(self, *answers: Answer | int | Response) -> None:
        with self._lock:
            self._failures.extend(answers)

    def expire_tokens(self) -> None:
        with self._lock:
            self.expired.update(self.tokens)

    def __call__(self, request: Recorded) -> Response:
        with self._lock:
            if request.method == "GET" and request.path == self.token_path:
                return JSONResponse(self._token(request.query))
            if request.method == "POST" and request.path == self.send_path:
                answer = self._send(request)
                return answer if isinstance(answer, Response) else JSONResponse(answer)
        return JSONResponse({"errcode": 404, "errmsg": f"no such API {request.path}"}, status_code=404)

    def _token(self, query: dict[str, str]) -> Answer:
        if any(query.get(name) != value for name, value in self.credentials.items()):
            return {"errcode": 40001 if self.enterprise else 40125, "errmsg": "invalid credential or secret"}
        if not self.enterprise and query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        token = f"ACCESS-TOKEN-{len(self.tokens) + 1}"
        self.tokens.append(token)
        answer: Answer = {"access_token": token, "expires_in": 7200}
        return {"errcode": 0, "errmsg": "ok", **answer} if self.enterprise else answer

    def _send(self, request: Recorded) -> Answer | Response:
        token = request.query.get("access_token", "")
        if token in self.expired:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if not self.tokens or token != self.tokens[-1]:
            return {"errcode": 40014 if self.enterprise else 40001, "errmsg": "invalid access_token"}
        if self._failures:
            failure = self._failures.pop(0)
            if isinstance(failure, int):
                return Response("busy", status_code=failure, headers={"retry-after": "7"})
            return failure
        body = request.json()
        self.delivered.append(body)
        if self.enterprise:
            return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"msg-{len(self.delivered)}"}
        return {"errcode": 0, "errmsg": "ok"}

    def delivered_to(self, user: str) -> list[Answer]:
        with self._lock:
            return [body for body in self.delivered if body.get("touser") == user]


def shown(body: Answer) -> Shown:
    """A sent message as the user sees it: its text and its tappable items, decoded."""
    parts: tuple[str | None, ...]
    if body.get("msgtype") == "msgmenu":
        menu = body["msgmenu"]
        parts = (menu.get("head_content"), menu.get("tail_content"))
    elif body.get("msgtype") == "template_card":
        card = body["template_card"]
        title = card.get("main_title", {})
        parts = (title.get("title"), title.get("desc"), card.get("sub_title_text"))
    else:
        parts = (body.get("text", {}).get("content"),)
    buttons = []
    for label, key in _menu_items(body) + _card_buttons(body):
        picked = parse_option_key(key)
        if picked is not None:
            buttons.append(Button(label, picked[1], picked[2]))
    return Shown("\n".join(p for p in parts if p), tuple(buttons), body)


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml(**fields: str | int) -> str:
    """A callback document: strings as CDATA, numbers as they are (the field order is kept)."""
    inner = "".join(
        f"<{name}>{value if isinstance(value, int | Raw) else cdata(value)}</{name}>"
        for name, value in fields.items()
    )
    return f"<xml>{inner}</xml>"


def _aes_key(seed: str) -> str:
    return base64.b64encode(seed.encode().ljust(32, b".")[:32]).decode()[:-1]


class _Simulator:
    """What the OA and WeCom simulators share: the fake API server, clock, ids and decoding."""

    channel: str
    path: str
    account: str

    def __init__(self, api: FakeWeChatApi, clock: Clock | None) -> None:
        self.api = api
        self.server = FakeServer(self.channel, api)
        self.clock = clock
        self._msg_ids = itertools.count(7_100_000_000_000_000_001)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def timestamp(self) -> str:
        return str(int(self.clock.now().timestamp() if self.clock else time.time()))

    def shown(self, user: str) -> list[Shown]:
        return [shown(body) for body in self.api.delivered_to(user)]

    def text(self, user: str, content: str, **extra: str | int) -> str:
        """The callback XML of a text message from ``user``."""
        return xml(
            **self._head(user, "text"), Content=content, MsgId=next(self._msg_ids), **self._agent(), **extra
        )

    def _head(self, user: str, kind: str) -> dict[str, str | int]:
        return {
            "ToUserName": self.account,
            "FromUserName": user,
            "CreateTime": int(self.timestamp()),
            "MsgType": kind,
        }

    def _agent(self) -> dict[str, str | int]:
        return {}

    def signed(self, document: str) -> tuple[dict[str, str], bytes]:
        """The query string and body WeChat would POST for ``document`` (signed now)."""
        raise NotImplementedError

    async def post(self, app: httpx.AsyncClient, document: str) -> httpx.Response:
        """POST ``document`` to csatbot as the platform would."""
        query, body = self.signed(document)
        return await app.post(self.path, params=query, content=body, headers={"content-type": "text/xml"})

    async def say(self, app: httpx.AsyncClient, user: str, text: str) -> httpx.Response:
        return await self.post(app, self.text(user, text))

    def _sent_with(
        self, user: str, button: Button, find: Callable[[Answer], list[tuple[str, str]]]
    ) -> tuple[str, Answer]:
        for body in reversed(self.api.delivered_to(user)):
            for label, key in find(body):
                picked = parse_option_key(key)
                if picked is not None and picked[1:] == (button.step, button.value) and label == button.label:
                    return key, body
        raise LookupError(f"{user} was never shown {button}")


class WeChatSimulator(_Simulator):
    """An Official Account's followers (plain or safe mode) and the fake ``api.weixin.qq.com``."""

    channel = "wechat"
    path = "/webhooks/wechat"
    account = "gh_csatbotfake01"
    app_id = "wx0c5a7b07fa4e0001"
    token = "fake-wechat-callback-token"
    secret = "fake-wechat-app-secret"
    aes_key = _aes_key("csatbot fake wechat account key")

    def __init__(self, *, safe_mode: bool = True, clock: Clock | None = None) -> None:
        super().__init__(FakeWeChatApi(enterprise=False, app_id=self.app_id, secret=self.secret), clock)
        self.safe_mode = safe_mode
        self.cipher = Cipher(self.token, self.aes_key, self.app_id, enterprise=False)
        self.environ = {
            "WECHAT_TOKEN": self.token,
            "WECHAT_APP_SECRET": self.secret,
            "WECHAT_ENCODING_AES_KEY": self.aes_key,
        }

    def channel_config(self) -> dict[str, Any]:
        return {
            "enabled": True,
            "path": self.path,
            "app_id": self.app_id,
            "safe_mode": self.safe_mode,
            "api_base": self.server.url,
        }

    def signed(self, document: str) -> tuple[dict[str, str], bytes]:
        timestamp, nonce = self.timestamp(), _nonce()
        params = {
            "signature": signature(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        sender = _SENDER.search(document)
        if sender is not None:
            params["openid"] = sender[1]  # WeChat names the sender in the query string too
        body = document
        if self.safe_mode:
            encrypted = self.cipher.encrypt(document)
            body = xml(ToUserName=self.account, Encrypt=encrypted)
            params |= {"encrypt_type": "aes", "msg_signature": self.cipher.sign(timestamp, nonce, encrypted)}
        return params, body.encode()

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        """A tap on a ``msgmenu`` item: a text message with the item's text and ``bizmsgmenuid``."""
        key, _ = self._sent_with(user, button, _menu_items)
        return await self.post(app, self.text(user, button.label, bizmsgmenuid=Raw(key)))

    async def check_url(self, app: httpx.AsyncClient, echostr: str, **query: str) -> httpx.Response:
        """The GET WeChat makes when the callback URL is saved."""
        timestamp, nonce = self.timestamp(), _nonce()
        params = {
            "signature": signature(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        return await app.get(self.path, params=params | {"echostr": echostr} | query)


class WeComSimulator(_Simulator):
    """A WeCom app's members (always encrypted) and the fake ``qyapi.weixin.qq.com``."""

    channel = "wecom"
    path = "/webhooks/wecom"
    account = "ww0c5a7b07fa4e0002"
    agent_id = 1000002
    token = "fake-wecom-callback-token"
    secret = "fake-wecom-app-secret"
    aes_key = _aes_key("csatbot fake wecom app key")

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(FakeWeChatApi(enterprise=True, app_id=self.account, secret=self.secret), clock)
        self.cipher = Cipher(self.token, self.aes_key, self.account, enterprise=True)
        self.environ = {
            "WECOM_TOKEN": self.token,
            "WECOM_SECRET": self.secret,
            "WECOM_ENCODING_AES_KEY": self.aes_key,
        }

    def channel_config(self) -> dict[str, Any]:
        return {
            "enabled": True,
            "path": self.path,
            "corp_id": self.account,
            "agent_id": self.agent_id,
            "api_base": self.server.url,
        }

    def _agent(self) -> dict[str, str | int]:
        return {"AgentID": self.agent_id}

    def signed(self, document: str) -> tuple[dict[str, str], bytes]:
        timestamp, nonce = self.timestamp(), _nonce()
        encrypted = self.cipher.encrypt(document)
        body = xml(ToUserName=self.account, Encrypt=encrypted, AgentID=Raw(str(self.agent_id)))
        params = {
            "msg_signature": self.cipher.sign(timestamp, nonce, encrypted),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        return params, body.encode()

    async def tap(self, app: httpx.AsyncClient, user: str, button: Button) -> httpx.Response:
        """A tap on a template card button: a ``template_card_event`` with the button's key."""
        key, body = self._sent_with(user, button, _card_buttons)
        event = xml(
            **self._head(user, "event"),
            Event="template_card_event",
            EventKey=key,
            TaskId=body["template_card"]["task_id"],
            CardType=body["template_card"]["card_type"],
            ResponseCode=secrets.token_urlsafe(24),
            AgentID=self.agent_id,
        )
        return await self.post(app, event)

    async def check_url(self, app: httpx.AsyncClient, echostr: str, **query: str) -> httpx.Response:
        """The GET WeCom makes when the callback URL is saved (``echostr`` is sent encrypted)."""
        timestamp, nonce = self.timestamp(), _nonce()
        encrypted = self.cipher.encrypt(echostr)
        params = {
            "msg_signature": signature(self.token, timestamp, nonce, encrypted),
            "timestamp": timestamp,
            "nonce": nonce,
            "echostr": encrypted,
        }
        return await app.get(self.path, params=params | query)


class Raw(str):
    """An XML field written as it is, not as CDATA (numbers-like ids such as ``bizmsgmenuid``)."""


def _menu_items(body: Answer) -> list[tuple[str, str]]:
    menu = body.get("msgmenu") or {}
    return [(item["content"], item["id"]) for item in menu.get("list", [])]


def _card_buttons(body: Answer) -> list[tuple[str, str]]:
    card = body.get("template_card") or {}
    return [(button["text"], button["key"]) for button in card.get("button_list", [])]


_SENDER = re.compile(r"<FromUserName><!\[CDATA\[(.*?)\]\]></FromUserName>")


def _nonce() -> str:
    return str(secrets.randbelow(9 * 10**9) + 10**9)
