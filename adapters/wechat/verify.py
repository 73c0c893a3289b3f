"""Authenticating WeChat and WeCom callbacks before anything is parsed or stored.

Plain mode (OA only) signs only ``token, timestamp, nonce``, not the body, so a captured signature
could carry any body: a signed (timestamp, nonce, signature) is accepted only within five minutes of
its timestamp, and again only with the very same body (WeChat's retry). Safe mode (OA ``safe_mode``,
WeCom always) signs the ``Encrypt`` text too, and the message is decrypted with the account's
EncodingAESKey.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from adapters.wechat.crypto import Cipher, signature_matches
from bot.errors import SignatureError, WireFormatError

REPLAY_WINDOW = timedelta(minutes=5)


class MissingSignature(SignatureError):
    """The request carries no signature at all (answered 401; a wrong one is 403)."""


class ReplayGuard:
    """Refuses stale timestamps, and a signed request used again within the window with another body.

    The same request again (the same signed query and the same body) is WeChat's own retry of a
    callback it saw no answer to in 5 s: taken again, so the retry is acknowledged (the inbox keeps one
    copy of the message); refusing it showed the customer "this account cannot serve you now" for a
    message that was stored. A captured signature carrying any other body stays refused.

    Thread-safe (the webhook verifies in a worker thread). Remembers at most ``keep`` requests, in
    this process: the channel also asks the database (:meth:`Verifier.carried`), so a captured query
    carries no other body on another worker or after a restart either.
    """

    def __init__(self, window: timedelta = REPLAY_WINDOW, keep: int = 200_000) -> None:
        self.window = window
        self._keep = keep
        self._seen: OrderedDict[tuple[str, ...], tuple[datetime, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def check_fresh(self, timestamp: str, now: datetime) -> None:
        """:class:`SignatureError` unless ``timestamp`` (Unix seconds) is within the window of ``now``."""
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            raise SignatureError(f"timestamp {timestamp[:20]!r} is not Unix seconds")
        skew = abs(now.timestamp() - int(timestamp))
        if skew > self.window.total_seconds():
            raise SignatureError(f"timestamp {timestamp} is {skew:.0f} s away from now (replay window)")

    def remember(self, key: tuple[str, ...], now: datetime, body: bytes = b"") -> None:
        """Record one verified request and the digest of its ``body``; :class:`SignatureError` if
        ``key`` was seen within the window with another body."""
        digest = hashlib.sha256(body).digest()
        with self._lock:
            while self._seen:
                oldest, (at, _) = next(iter(self._seen.items()))
                if now - at <= self.window and len(self._seen) < self._keep:
                    break
                del self._seen[oldest]
            seen = self._seen.get(key)
            if seen is not None and seen[1] != digest:
                raise SignatureError("this signed request was already received with another body (replay)")
            if seen is None:
                self._seen[key] = (now, digest)

    def forget(self, key: tuple[str, ...], body: bytes = b"") -> None:
        """Drop ``key`` if it was remembered with ``body``: another process took another body under
        it first, and this one must not refuse the retry of that one."""
        digest = hashlib.sha256(body).digest()
        with self._lock:
            if (seen := self._seen.get(key)) is not None and seen[1] == digest:
                del self._seen[key]


class Verifier:
    """Checks one account's callbacks: the GET URL check and the POSTed messages.

    ``cipher`` is ``None`` in plain mode. ``encrypted_echo``: the GET check carries an encrypted
    ``echostr`` signed as ``msg_signature`` (WeCom) instead of a plain one (OA, in either mode).
    """

    def __init__(
        self, token: str, cipher: Cipher | None, *, encrypted_echo: bool, guard: ReplayGuard | None = None
    ) -> None:
        self.token = token
        self.cipher = cipher
        self.encrypted_echo = encrypted_echo
        self.guard = guard or ReplayGuard()

    def echo(self, query: Mapping[str, str], now: datetime) -> str:
        """What to answer the GET URL check: the (decrypted) ``echostr``.

        A plain signature covers no ``echostr`` and is the very one a plain-mode POST carries: it is
        remembered as used for this echo, so the check's query (in a proxy's access log, say) cannot
        carry a message for the rest of the window. WeChat's retry of the check is answered again."""
        name = "msg_signature" if self.encrypted_echo else "signature"
        given, timestamp, nonce, echostr = _require(query, name, "timestamp", "nonce", "echostr")
        self.guard.check_fresh(timestamp, now)
        if self.encrypted_echo:
            _check(given, self.token, timestamp, nonce, echostr)
            return self._cipher().decrypt(echostr)
        _check(given, self.token, timestamp, nonce)
        self.guard.remember((timestamp, nonce, given.lower()), now, _echo_body(echostr))
        return echostr

    def open(self, query: Mapping[str, str], body: bytes, now: datetime) -> str:
        """The message XML of a POSTed callback, once its signature, freshness and (in safe mode)
        encryption are checked. Raises :class:`SignatureError` or :class:`WireFormatError`."""
        if self.cipher is None:
            given, timestamp, nonce = _require(query, "signature", "timestamp", "nonce")
            self.guard.check_fresh(timestamp, now)
            _check(given, self.token, timestamp, nonce)
            self.guard.remember(self._key(query), now, body)
            return _text(body)
        given, timestamp, nonce = _require(query, "msg_signature", "timestamp", "nonce")
        self.guard.check_fresh(timestamp, now)
        encrypted = _encrypted_part(_text(body))
        _check(given, self.token, timestamp, nonce, encrypted)
        self.guard.remember(self._key(query), now, body)
        return self.cipher.decrypt(encrypted)

    def carried(self, query: Mapping[str, str], body: bytes) -> tuple[str, str] | None:
        """In plain mode, whose signature covers no body: digests of the verified request and of the
        body it carries, for the database to refuse another body under the same signature in any
        process (:meth:`bot.inbox.Intake.first_body`); ``None`` in safe mode."""
        if self.cipher is not None:
            return None
        return _digest("\n".join(self._key(query))), hashlib.sha256(body).hexdigest()

    def echo_carried(self, query: Mapping[str, str]) -> tuple[str, str] | None:
        """:meth:`carried` for a URL check: its plain signature is the very one a POST carries."""
        if self.encrypted_echo:
            return None
        key = (query.get("timestamp", ""), query.get("nonce", ""), query.get("signature", "").lower())
        return _digest("\n".join(key)), hashlib.sha256(_echo_body(query.get("echostr", ""))).hexdigest()

    def refused(self, query: Mapping[str, str], body: bytes | None) -> None:
        """The database refused ``body`` (``None``: the URL check's ``echostr``) under this query:
        this process forgets it, so the retry of the body another process took is not refused."""
        key = (query.get("timestamp", ""), query.get("nonce", ""), query.get("signature", "").lower())
        self.guard.forget(key, _echo_body(query.get("echostr", "")) if body is None else body)

    def _key(self, query: Mapping[str, str]) -> tuple[str, ...]:
        """What the replay guard remembers of a callback: its timestamp, nonce and signature."""
        name = "signature" if self.cipher is None else "msg_signature"
        return (query.get("timestamp", ""), query.get("nonce", ""), query.get(name, "").lower())

    def _cipher(self) -> Cipher:
        if self.cipher is None:
            raise SignatureError("an encrypted echostr needs an EncodingAESKey")
        return self.cipher


def _echo_body(echostr: str) -> bytes:
    """What the replay guard keeps as the body of a URL check."""
    return b"echostr:" + echostr.encode("utf-8", "replace")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _require(query: Mapping[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not query.get(name)]
    if missing:
        raise MissingSignature(f"query parameter(s) missing: {', '.join(missing)}")
    return [query[name] for name in names]


def _check(given: str, *parts: str) -> None:
    if not signature_matches(given, *parts):
        raise SignatureError("signature mismatch (wrong token, or the request was altered)")


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WireFormatError("the body is not UTF-8") from exc


def _encrypted_part(xml: str) -> str:
    """The ``Encrypt`` element of a safe-mode envelope (``<xml>`` with ``Encrypt`` among its
    children). It is read before the signature can be checked (the signature covers it), so by
    anyone: the read stops at the first DTD, past :data:`MAX_ENVELOPE_DEPTH` levels or
    :data:`MAX_ENVELOPE_ELEMENTS` elements (a megabyte of nested tags cost half a second of CPU)."""
    envelope = _Envelope()
    try:
        envelope.read(xml)
    except ExpatError as exc:
        raise WireFormatError(f"the body is not XML: {exc}") from exc
    if envelope.root != "xml" or len(envelope.encrypted) != 1 or not envelope.encrypted[0].strip():
        raise WireFormatError("safe mode: the body has no <Encrypt> element")
    return envelope.encrypted[0].strip()


MAX_ENVELOPE_DEPTH = 16
MAX_ENVELOPE_ELEMENTS = 512
"""What a safe-mode envelope may hold: WeChat's has ``<xml>`` and a few children (compatibility mode
adds the plain message's fields; a picture event nests five deep)."""


class _Envelope:
    """A bounded, DTD-free read of a safe-mode envelope: its root's name and the text of each
    ``Encrypt`` child of the root."""

    def __init__(self) -> None:
        self.root = ""
        self.encrypted: list[str] = []
        self._depth = 0
        self._elements = 0
        self._inside: list[str] | None = None

    def read(self, xml: str) -> None:
        parser = expat.ParserCreate("utf-8")  # the text is decoded already, whatever it declares
        parser.StartDoctypeDeclHandler = self._doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.Parse(xml.encode("utf-8"), True)

    def _doctype(self, *_: object) -> None:
        raise WireFormatError("safe mode: the body has a DTD (WeChat never sends one)")

    def _start(self, name: str, _attributes: object) -> None:
        self._depth += 1
        self._elements += 1
        if self._depth > MAX_ENVELOPE_DEPTH or self._elements > MAX_ENVELOPE_ELEMENTS:
            raise WireFormatError(
                f"safe mode: the body nests over {MAX_ENVELOPE_DEPTH} levels or holds over "
                f"{MAX_ENVELOPE_ELEMENTS} elements; WeChat sends <xml> with <Encrypt> and a few fields"
            )
        if self._depth == 1:
            self.root = name
        elif self._depth == 2 and name == "Encrypt":
            self._inside = []

    def _end(self, name: str) -> None:
        if self._depth == 2 and self._inside is not None:
            self.encrypted.append("".join(self._inside))
            self._inside = None
        self._depth -= 1

    def _text(self, data: str) -> None:
        if self._inside is not None:
            self._inside.append(data)
