"""The web chat's message body: its schema says what the endpoint accepts (text or choice, one)."""

from __future__ import annotations

from typing import Any

import jsonschema_rs  # schemathesis' validator (it comes with it)
import pytest
from pydantic import ValidationError

from adapters.webchat.api import CustomerMessage

CHOICE = {"survey": "s1", "step": "q1", "value": "5"}


def _schema_allows(body: dict[str, Any]) -> bool:
    return bool(jsonschema_rs.validator_for(CustomerMessage.model_json_schema()).is_valid(body))


def _model_accepts(body: dict[str, Any]) -> bool:
    try:
        CustomerMessage.model_validate(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("body", "accepted"),
    [
        ({"text": "hello"}, True),
        ({"choice": CHOICE}, True),
        ({"text": "hello", "choice": None}, True),
        ({"text": None, "choice": CHOICE}, True),
        ({}, False),
        ({"name": "Ann"}, False),
        ({"text": None}, False),
        ({"text": None, "choice": None}, False),
        ({"text": "hello", "choice": CHOICE}, False),
        ({"text": " hi "}, True),
        ({"text": "👍"}, True),
        ({"text": "   "}, False),
        ({"text": "\u3000\r\n"}, False),
        ({"text": "\u200b\ufeff"}, False),
        ({"text": "\x1c"}, False),
    ],
)
def test_the_schema_and_the_model_agree_on_exactly_one_of_text_and_choice(
    body: dict[str, Any], accepted: bool
) -> None:
    assert (_schema_allows(body), _model_accepts(body)) == (accepted, accepted)
