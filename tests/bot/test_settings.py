"""The config as the service uses it (``bot.settings``): flows and texts resolved once, texts in the
customer's language else the default, and the messaging window's arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import WindowClosedError
from bot.settings import MessagingWindow, Settings

from ..support.config import settings_of, shipped

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_settings_resolve_every_flow_and_text_of_the_config(settings: Settings) -> None:
    assert set(settings.flows) == set(settings.config.surveys)
    assert settings.windows == {}
    assert settings.texts and all(
        settings.config.default_locale in entry for entry in settings.texts.values()
    )


def test_a_text_in_the_customers_language_else_in_the_default() -> None:
    data = shipped()
    data["texts"] = {"handed_on": {"en": "Passed on.", "zh-CN": "已转交。"}}
    settings = settings_of(data)
    assert settings.text("handed_on", "zh-CN") == "已转交。"
    assert settings.text("handed_on", "en") == "Passed on."
    assert settings.text("handed_on", "fr") == settings.text("handed_on", settings.config.default_locale)


def test_the_windows_given_are_kept(settings: Settings) -> None:
    window = MessagingWindow(timedelta(hours=24), reopenable=True)
    assert Settings.from_config(settings.config, {"whatsapp": window}).windows == {"whatsapp": window}


@pytest.mark.parametrize(
    ("last", "now", "open_"),
    [
        (None, AT, False),  # never wrote: never open
        (AT, AT, True),
        (AT, AT + timedelta(hours=23, minutes=59), True),
        (AT, AT + timedelta(hours=24), False),  # closes on the hour
        (AT, AT + timedelta(days=3), False),
    ],
)
def test_a_window_is_open_for_its_length_after_the_last_message(
    last: datetime | None, now: datetime, open_: bool
) -> None:
    window = MessagingWindow(timedelta(hours=24))
    refusal = window.refusal("whatsapp", last, now)
    assert (refusal is None) is open_
    if refusal is not None:
        assert isinstance(refusal, WindowClosedError) and refusal.closed_at == window.closes_at(last)


@pytest.mark.parametrize(
    ("length", "margin"),
    [(timedelta(hours=24), timedelta(hours=2)), (timedelta(hours=48), timedelta(hours=2)),
     (timedelta(hours=12), timedelta(hours=1)), (timedelta(minutes=60), timedelta(minutes=5))],
)  # fmt: skip
def test_the_margin_is_a_twelfth_of_the_window_up_to_two_hours(length: timedelta, margin: timedelta) -> None:
    assert MessagingWindow(length).margin() == margin
