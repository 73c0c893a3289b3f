"""WhatsApp webhook payloads: the documented shapes, parsed into channel-neutral messages (pure).

One POST may hold several entries, changes, messages and statuses; :func:`parse_webhook` returns
them all or raises :class:`WireFormatError` for the whole body, so nothing is stored from a payload
that is not well formed. Unknown fields are ignored (Meta adds some now and then); unknown message
types become :class:`Unsupported`. A caption is the customer's text; reactions and system notices
(a customer's new number) are not messages and are left out, as is a text that shows nothing (only
NUL, spaces or zero-width characters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from adapters import strict_json
from adapters.kit.text import shows_nothing
from adapters.whatsapp.ids import START, decode_option
from bot.errors import WireFormatError
from bot.messages import ChoicePicked, InboundMessage, Payload, Resume, Text, Unsupported
from bot.storable import storable

CHANNEL = "whatsapp"
NOT_MESSAGES = frozenset({"reaction", "request_welcome", "system"})
"""Message types that are no customer message: a reaction (or its removal) to a message, a chat
opened for the first time (welcome-message sequences) and a notice that the customer changed
number. Acknowledged and left out, never stored as text."""


KNOWN_TYPES = frozenset(
    {
        "audio", "button", "contacts", "document", "image", "interactive", "location", "order",
        "reaction", "request_welcome", "sticker", "system", "text", "unknown", "unsupported", "video",
    }
)  # fmt: skip
"""The message types Meta documents; another is stored as ``[type]`` and logged once (see
:func:`new_type`)."""


def new_type(message: InboundMessage) -> str | None:
    """The type of ``message`` when it is none Meta documents (one added since), else ``None``."""
    payload = message.payload
    if isinstance(payload, Unsupported) and payload.kind not in KNOWN_TYPES and "." not in payload.kind:
        return payload.kind
    return None


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _WithIds(_Model):
    """A model whose ids and times are read as text even when written as JSON numbers ("from":
    9725..., a relay's doing): a field csatbot only reads as text must not refuse a whole batch,
    which is redelivered, then lost. What a customer wrote stays a string or a 400."""

    model_config = ConfigDict(coerce_numbers_to_str=True)


class _Reply(_Model):
    id: str
    title: str = ""
    description: str = ""


class _Interactive(_Model):
    type: str
    button_reply: _Reply | None = None
    list_reply: _Reply | None = None

    @model_validator(mode="after")
    def _reply_present(self) -> _Interactive:
        if self.type in ("button_reply", "list_reply") and getattr(self, self.type) is None:
            raise ValueError(f"interactive {self.type} without its {self.type} object")
        return self


class _Text(_Model):
    body: str


class _TemplateButton(_Model):
    payload: str = ""
    text: str = ""


class _Context(_Model):
    id: str = ""


class _Message(_WithIds):
    sender: str = Field(default="", alias="from", max_length=64)
    """The customer's phone number; withheld for one who took a username (then only a BSUID)."""
    from_user_id: str = Field(default="", max_length=160)
    """The customer's business-scoped user id (``US.13491208655302741918``), in newer payloads."""
    id: str = Field(min_length=1, max_length=256)
    timestamp: str = ""
    type: str
    text: _Text | None = None
    interactive: _Interactive | None = None
    button: _TemplateButton | None = None
    image: object = None
    video: object = None
    document: object = None
    """Media objects, read only for their caption (any other shape is no caption, never a 400)."""
    context: _Context | None = None

    @model_validator(mode="after")
    def _content_present(self) -> _Message:
        if not self.user:
            raise ValueError("a message without from or from_user_id (who sent it?)")
        if self.type in ("text", "interactive", "button") and getattr(self, self.type) is None:
            raise ValueError(f"a {self.type} message without its {self.type} object")
        return self

    @property
    def user(self) -> str:
        """Who sent it: the phone number, else the business-scoped user id (see :func:`is_bsuid`)."""
        return self.sender or self.from_user_id


class _Profile(_Model):
    name: str = ""


class _Contact(_WithIds):
    wa_id: str = ""
    user_id: str = ""
    profile: _Profile = _Profile()


class _Metadata(_WithIds):
    phone_number_id: str = Field(min_length=1)
    display_phone_number: str = ""


class _Error(_Model):
    code: int
    title: str = ""
    message: str = ""


class _Status(_WithIds):
    id: str = Field(min_length=1)
    status: str
    recipient_id: str = ""
    recipient_user_id: str = ""
    """The customer's business-scoped user id, in newer payloads (alone for one without a number)."""
    timestamp: str = ""
    errors: list[_Error] = []
    biz_opaque_callback_data: str = ""


class _Value(_Model):
    messaging_product: Literal["whatsapp"]
    metadata: _Metadata
    contacts: list[_Contact] = []
    messages: list[_Message] = []
    statuses: list[_Status] = []
    errors: list[_Error] = []


class _Change(_Model):
    field: str
    value: object


class _Entry(_Model):
    id: str = ""
    changes: list[_Change]


class _Webhook(_Model):
    object: Literal["whatsapp_business_account"]
    entry: list[_Entry]


@dataclass(frozen=True, slots=True)
class Failure:
    """An error WhatsApp reported: a code and its title."""

    code: int
    title: str


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """What became of a message we sent (``sent``, ``delivered``, ``read``, ``failed``...)."""

    account: str
    wamid: str
    status: str
    recipient: str
    errors: tuple[Failure, ...] = ()
    reference: str = ""
    """``biz_opaque_callback_data`` we attached when sending (``outbox:<id>``), if any."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """Everything one webhook POST carries."""

    messages: tuple[InboundMessage, ...] = ()
    statuses: tuple[StatusUpdate, ...] = ()
    errors: tuple[Failure, ...] = ()


def parse_webhook(raw: bytes, received_at: datetime) -> Delivery:
    """Parse a (verified) webhook body; raises :class:`WireFormatError` if any part is malformed."""
    try:
        # Python's parser, strictly (no NaN, bounded depth) but keeping a lone surrogate or a NUL in
        # text: the service cleans those before storing, and refusing would make Meta redeliver.
        hook = _Webhook.model_validate(strict_json.loads(raw, strict_text=False))
        values = [
            _Value.model_validate(change.value)
            for entry in hook.entry
            for change in entry.changes
            if change.field == "messages"  # other subscriptions (template status, account) are not ours
        ]
    except strict_json.JSONRejected as exc:
        raise WireFormatError(f"not a WhatsApp webhook payload: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise WireFormatError(f"not a WhatsApp webhook payload: {where}: {first['msg']}") from exc
    messages: list[InboundMessage] = []
    statuses: list[StatusUpdate] = []
    errors: list[Failure] = []
    for value in values:
        account = value.metadata.phone_number_id
        names = {c.wa_id or c.user_id: c.profile.name for c in value.contacts}
        fallback = value.contacts[0].profile.name if len(value.contacts) == 1 else ""
        for m in value.messages:
            if _is_message(m):
                messages.append(_inbound(account, m, names.get(m.user, fallback), received_at))
        for s in value.statuses:
            # A status's texts are matched and stored (an outbox row's error) like a customer's words
            # (:mod:`bot.storable`): a NUL or a lone surrogate failed the status's turn on every retry.
            wamid, status, recipient, reference = (
                storable(text)
                for text in (
                    s.id,
                    s.status,
                    s.recipient_id or s.recipient_user_id,
                    s.biz_opaque_callback_data,
                )
            )
            failures = tuple(_failure(e) for e in s.errors)
            statuses.append(StatusUpdate(account, wamid, status, recipient, failures, reference))
        errors.extend(_failure(e) for e in value.errors)
    return Delivery(tuple(messages), tuple(statuses), tuple(errors))


def _is_message(m: _Message) -> bool:
    """Whether ``m`` is a customer's message: not a reaction or a notice, nor a text of only NUL,
    spaces or zero-width characters (a message about nothing)."""
    if m.type in NOT_MESSAGES:
        return False
    return not (m.type == "text" and m.text is not None and shows_nothing(m.text.body))


def _failure(error: _Error) -> Failure:
    return Failure(error.code, storable(error.title or error.message))


def _inbound(account: str, m: _Message, name: str, received_at: datetime) -> InboundMessage:
    extra = {"timestamp": m.timestamp} if m.timestamp else {}
    if m.context is not None and m.context.id:
        extra["reply_to"] = m.context.id
    return InboundMessage(
        channel=CHANNEL,
        account=account,
        user=m.user,
        platform_id=m.id,
        received_at=received_at,
        payload=_payload(m),
        display_name=name,
        extra=extra,
    )


def _payload(m: _Message) -> Payload:
    if m.text is not None and m.type == "text":
        return Text(m.text.body)
    if m.interactive is not None and m.type == "interactive":
        kind = m.interactive.type
        reply = {"button_reply": m.interactive.button_reply, "list_reply": m.interactive.list_reply}.get(kind)
        if reply is None:
            return Unsupported(f"interactive.{kind}")
        return _tapped(reply.id, reply.title)
    if m.button is not None and m.type == "button":
        return _tapped(m.button.payload, m.button.text)
    media = {"image": m.image, "video": m.video, "document": m.document}.get(m.type)
    caption = media.get("caption") if isinstance(media, dict) else None
    if isinstance(caption, str) and not shows_nothing(caption):
        return Text(caption, attached=m.type)  # a photo "of the broken box" says what the customer wrote
    return Unsupported(m.type)


def _tapped(data: str, label: str) -> Payload:
    """A tap on one of our buttons, rows or template quick replies; a foreign id reads as its text."""
    ref = decode_option(data)
    if ref is None:
        return Text(label or data)
    if ref.value == START:  # the template's "rate now" button: show the open question
        return Resume(ref.survey)
    return ChoicePicked(ref.survey, ref.step, ref.value, label)
