"""The one exception tree (``bot.errors``): every error raised on purpose is a ``CsatbotError``, and
each carries what its handler needs (problems, window times, retry hints) in its message too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import (
    AdapterError,
    ConfigError,
    ConflictError,
    CsatbotError,
    DeliveryError,
    NotFoundError,
    SecretMissingError,
    SignatureError,
    StorageError,
    WindowClosedError,
    WireFormatError,
)


@pytest.mark.parametrize(
    ("error", "parents"),
    [
        (ConfigError, (CsatbotError,)),
        (SecretMissingError, (ConfigError, CsatbotError)),
        (StorageError, (CsatbotError,)),
        (NotFoundError, (CsatbotError,)),
        (ConflictError, (CsatbotError,)),
        (WindowClosedError, (ConflictError, CsatbotError)),
        (AdapterError, (CsatbotError,)),
        (SignatureError, (AdapterError, CsatbotError)),
        (WireFormatError, (AdapterError, CsatbotError)),
        (DeliveryError, (AdapterError, CsatbotError)),
    ],
)
def test_every_error_sits_under_the_root(
    error: type[Exception], parents: tuple[type[Exception], ...]
) -> None:
    assert all(issubclass(error, parent) for parent in parents)
    assert not issubclass(CsatbotError, error) or error is CsatbotError


def test_a_config_error_lists_every_problem_one_a_line() -> None:
    error = ConfigError(["surveys: required key is missing", "locales: empty"], source="site.yaml")
    assert error.problems == ["surveys: required key is missing", "locales: empty"]
    assert str(error) == "site.yaml: 2 problem(s)\n  surveys: required key is missing\n  locales: empty"


def test_a_missing_secret_is_a_config_problem_of_the_environment() -> None:
    error = SecretMissingError(["channels.telegram: TELEGRAM_BOT_TOKEN is not set"])
    assert error.source == "environment"
    assert str(error).startswith("environment: 1 problem(s)\n  channels.telegram")


def test_a_closed_window_says_when_it_closed() -> None:
    last = datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    error = WindowClosedError("whatsapp", timedelta(hours=24), last, last + timedelta(hours=24))
    assert (error.channel, error.closed_at) == ("whatsapp", last + timedelta(hours=24))
    assert "within its 24-hour window" in str(error)
    assert "last wrote at 2026-11-23 08:15 UTC, so it closed at 2026-11-24 08:15 UTC" in str(error)


def test_a_window_never_opened_says_the_customer_never_wrote() -> None:
    error = WindowClosedError("wechat", timedelta(hours=48), None, None)
    assert "48-hour window" in str(error) and "never written on wechat" in str(error)


def test_a_delivery_error_carries_its_retry_hints() -> None:
    plain = DeliveryError("502 from the platform")
    assert (plain.retry_after, plain.permanent, plain.maybe_sent) == (None, False, False)
    hinted = DeliveryError("429", retry_after=3.5, permanent=True, maybe_sent=True)
    assert (hinted.retry_after, hinted.permanent, hinted.maybe_sent, str(hinted)) == (3.5, True, True, "429")
