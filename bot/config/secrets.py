"""The mark of a config field whose value may be a secret, set in the schema itself
(``url: Annotated[HttpUrl | None, WEBHOOK_URL]``): a problem with such a value never quotes it, since
the message reaches the log (a reload that failed) and ``csatbot config check``."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic.fields import FieldInfo


@dataclass(frozen=True, slots=True)
class SecretValued:
    """Marks a field whose value may be a secret; ``why`` is said in place of the value."""

    why: str


WEBHOOK_URL = SecretValued("a webhook URL may be a secret")
"""A Slack or WeCom robot URL: the key is in the URL itself."""
URL_WITH_PASSWORD = SecretValued("a URL may carry a password")
"""An API base, perhaps a proxy's: ``https://user:password@host/``."""


def secret_valued(field: FieldInfo) -> SecretValued | None:
    """The field's mark, ``None`` for a field whose value may be quoted."""
    return next((mark for mark in field.metadata if isinstance(mark, SecretValued)), None)
