"""WeChat's message signatures and AES message encryption ("safe mode"), for OA and WeCom alike.

Signatures are SHA-1 over the sorted parts (token, timestamp, nonce and, in safe mode, the
``Encrypt`` text) and are compared in constant time (wechatpy compares with ``!=``). The AES part
(AES-256-CBC, PKCS#7 to 32 bytes, 16 random bytes + length + XML + AppID/CorpID) is wechatpy's
``PrpCrypto``; it is pure CPU work, called off the event loop by the webhook.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from wechatpy.crypto import PrpCrypto as OfficialPrpCrypto
from wechatpy.enterprise.crypto import PrpCrypto as EnterprisePrpCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidAppIdException

from bot.errors import SignatureError


def signature(*parts: str) -> str:
    """``sha1("".join(sorted(parts)))`` as hex: WeChat's ``signature`` and ``msg_signature``. A lone
    surrogate (no character, so in nothing WeChat signs) is hashed as its bytes, not raised on."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8", "surrogatepass")).hexdigest()


def signature_matches(given: str, *parts: str) -> bool:
    """Whether ``given`` is the signature of ``parts`` (constant-time comparison)."""
    return hmac.compare_digest(given.lower().encode("utf-8", "surrogatepass"), signature(*parts).encode())


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of a 43-character EncodingAESKey; ``ValueError`` if it is not one."""
    if len(encoding_aes_key) != 43:
        raise ValueError("an EncodingAESKey has 43 characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError("an EncodingAESKey is base64 (A-Z, a-z, 0-9, +, /)") from exc
    if len(key) != 32:
        raise ValueError("an EncodingAESKey decodes to 32 bytes")
    return key


class Cipher:
    """Encrypts and decrypts message XML for one account (``receive_id``: the AppID or CorpID)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str, *, enterprise: bool) -> None:
        self.token = token
        self.receive_id = receive_id
        key = aes_key(encoding_aes_key)
        self._prp = EnterprisePrpCrypto(key) if enterprise else OfficialPrpCrypto(key)

    def decrypt(self, encrypted: str) -> str:
        """The plaintext of an ``Encrypt`` value; :class:`SignatureError` if it was not encrypted for
        this account (wrong key, other AppID/CorpID) or is not ciphertext at all."""
        try:
            text: str = self._prp.decrypt(encrypted, self.receive_id)
        except (ValueError, TypeError, IndexError, UnicodeDecodeError, struct.error, binascii.Error) as exc:
            raise SignatureError("the message cannot be decrypted with this EncodingAESKey") from exc
        except (InvalidAppIdException, InvalidCorpIdException) as exc:
            raise SignatureError(f"the message is not encrypted for {self.receive_id}") from exc
        return text

    def encrypt(self, plaintext: str) -> str:
        """``plaintext`` encrypted for this account (base64), as in an ``Encrypt`` element."""
        encrypted: bytes = self._prp.encrypt(plaintext, self.receive_id)
        return encrypted.decode()

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        """The ``msg_signature`` of an encrypted message."""
        return signature(self.token, timestamp, nonce, encrypted)
