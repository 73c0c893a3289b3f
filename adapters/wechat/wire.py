"""WeChat and WeCom callback XML to :class:`InboundMessage` (pure), and the option keys we send.

A tappable option (an OA ``msgmenu`` item id, a WeCom card button key) is ``<survey>:<step>:<value>``:
an 8-character survey id, a config step id and an option id (``[a-z0-9_]``) or score, so it
decodes without any lookup. A menu tap comes back as a text message whose ``bizmsgmenuid`` is that
id; a card tap as a ``template_card_event`` whose ``EventKey`` is the key.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any
from xml.parsers.expat import ExpatError

import wechatpy
import wechatpy.enterprise
from wechatpy import events, messages

from adapters.kit import options
from adapters.kit.text import shows_nothing
from bot.errors import WireFormatError
from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Reachability, Text, Unsupported

_BARE_KEY = re.compile(
    r"^(?P<survey>[A-Za-z0-9_-]{1,32}):(?P<step>[a-z][a-z0-9_]{0,31}):(?P<value>[A-Za-z0-9_-]{1,64})$"
)
"""The keys sent before the kit's codec: ``<survey>:<step>:<value>`` (menus still in chats)."""
_START_EVENTS = {"subscribe", "subscribe_scan", "scan"}


def option_key(survey: str, step: str, value: str) -> str | None:
    """The id of one tappable option (the kit's option reference), ``None`` if a part is empty."""
    return options.encode(survey, step, value, max_bytes=options.UNLIMITED)


def parse_option_key(key: str) -> tuple[str, str, str] | None:
    """``(survey, step, value)`` of an :func:`option_key` (or an older bare key), ``None`` for any
    other id."""
    if (ref := options.decode(key.strip())) is not None:
        return ref.survey, ref.step, ref.value
    match = _BARE_KEY.match(key.strip())
    return None if match is None else (match["survey"], match["step"], match["value"])


def parse_message(
    xml: str, *, channel: str, enterprise: bool, received_at: datetime
) -> InboundMessage | None:
    """The customer message in a callback's (decrypted) XML, or ``None`` for an event that is not one
    (link views, location reports...). ``unsubscribe`` (the customer unfollowed the Official Account,
    or left the WeCom app) is :class:`Reachability`; ``subscribe`` a ``/start``, which makes them
    reachable again. :class:`WireFormatError` if it is malformed."""
    msg = _parse(xml, enterprise)
    data: dict[str, Any] = msg._data
    for name in ("ToUserName", "FromUserName", "CreateTime", "MsgType"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise WireFormatError(f"<{name}> is missing or empty")
    if not data["CreateTime"].isascii() or not data["CreateTime"].isdigit():  # "²" is a digit to isdigit()
        raise WireFormatError(f"<CreateTime> {data['CreateTime'][:20]!r} is not Unix seconds")
    payload = _payload(msg, data)
    if payload is None:
        return None
    platform_id = _platform_id(data)
    account = data["ToUserName"]
    if enterprise and isinstance(data.get("AgentID"), str):
        account = f"{account}:{data['AgentID']}"
    return InboundMessage(
        channel=channel,
        account=account,
        user=data["FromUserName"],
        platform_id=platform_id,
        received_at=received_at,
        payload=payload,
        extra={"msg_type": data["MsgType"].lower()},
    )


def _platform_id(data: dict[str, Any]) -> str:
    """The dedupe key: ``MsgId``; for events (no MsgId) ``FromUserName:CreateTime`` as WeChat
    advises, plus the event and a digest of its key, so two taps in one second are not one."""
    msg_id = data.get("MsgId")
    if data["MsgType"].lower() != "event" and isinstance(msg_id, str) and msg_id.strip():
        return msg_id.strip()
    platform_id = f"{data['FromUserName']}:{data['CreateTime']}"
    event, key = data.get("Event"), data.get("EventKey")
    if isinstance(event, str) and event:
        platform_id += f":{event.lower()}"
    if isinstance(key, str) and key:
        platform_id += ":" + hashlib.sha256(key.encode()).hexdigest()[:12]
    return platform_id


def _parse(xml: str, enterprise: bool) -> Any:
    parse = wechatpy.enterprise.parse_message if enterprise else wechatpy.parse_message
    try:
        msg = parse(xml)
    except (ExpatError, ValueError) as exc:
        raise WireFormatError(f"the body is not XML: {exc}") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise WireFormatError(f"not a WeChat message: missing or malformed {exc}") from exc
    if msg is None or not isinstance(getattr(msg, "_data", None), dict):
        raise WireFormatError("empty message")
    return msg


def _payload(msg: Any, data: dict[str, Any]) -> Payload | None:
    if isinstance(msg, messages.TextMessage):
        content = data.get("Content")
        if not isinstance(content, str) or shows_nothing(content):
            raise WireFormatError("a text message without <Content>")
        menu_id = data.get("bizmsgmenuid")
        picked = parse_option_key(menu_id) if isinstance(menu_id, str) else None
        if picked is not None:
            return ChoicePicked(*picked, label=content)
        return Text(content)
    if isinstance(msg, messages.VoiceMessage) and isinstance(data.get("Recognition"), str):
        recognised = data["Recognition"].strip()  # speech-to-text, when the account has it on
        return Text(recognised) if recognised else Unsupported("voice")
    if data["MsgType"].lower() != "event":
        return Unsupported(data["MsgType"].lower())
    event = str(data.get("Event") or "").lower()
    if event == "unsubscribe":
        return Reachability(False, "unsubscribed")
    if event in _START_EVENTS:
        scene = getattr(msg, "scene_id", None) if isinstance(msg, events.BaseEvent) else None
        return Command("start", scene if isinstance(scene, str) else "")
    key = data.get("EventKey")
    if event == "template_card_event" and isinstance(key, str):
        picked = parse_option_key(key)
        return None if picked is None else ChoicePicked(*picked)
    if event == "click" and isinstance(key, str) and key:
        return Command("menu", key)
    return None
