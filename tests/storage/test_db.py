"""Database URLs as they are shown: never with their password, and a bad one refused by name."""

from __future__ import annotations

import pytest

from bot.errors import StorageError
from storage.db import parse_url, shown_url

SHOWN = {
    "postgresql+psycopg://amy:hunter2@db:5432/csat": "postgresql+psycopg://amy:***@db:5432/csat",
    "postgresql://amy:p@ss:w@rd@db:abc/csat": "postgresql://amy:***@db:abc/csat",  # unparsable port
    "postgresql://:hunter2@db/csat": "postgresql://:***@db/csat",
    "postgresql://amy@db/csat": "postgresql://amy@db/csat",  # no password: nothing to hide
    "sqlite:///var/csatbot.db": "sqlite:///var/csatbot.db",
    "sqlite:////tmp/a:b@c.db": "sqlite:////tmp/a:b@c.db",  # a path, not a user
}


@pytest.mark.parametrize(("url", "shown"), SHOWN.items())
def test_a_shown_url_hides_its_password(url: str, shown: str) -> None:
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://amy:hunter2@db:abc/csat",  # a port that is no number (ValueError)
        "postgresql+psycopg://amy:hunter2@[::1/csat",
        "postgre sql://amy:hunter2@db/csat",  # no URL at all (ArgumentError)
        "nope",
    ],
)
def test_a_url_that_is_no_database_url_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(StorageError, match="is not a database URL") as refused:
        parse_url(url)
    assert "hunter2" not in str(refused.value)
    assert "postgresql://USER:PASSWORD@HOST:PORT/NAME" in str(refused.value)
