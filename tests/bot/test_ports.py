"""The small types of the core's ports (``bot.ports``): the recipient the outbox stores (one JSON
form, read back the same), the clocks, and the meter that counts nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery import addressee
from bot.outbound import recipient_of
from bot.ports import (
    Addressee,
    Clock,
    FrozenClock,
    Meter,
    NoMeter,
    NotifyTarget,
    OffsetClock,
    Recipient,
    SystemClock,
    WebhookAddress,
)
from bot.records import Identity, OutboxItem

AT = datetime(2026, 12, 5, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "recipient",
    [
        Recipient("whatsapp", "1055", "15550001", locale="zh-CN", last_inbound_at=AT),
        Recipient("telegram", "", "42", thread="7"),
        Recipient("webchat", "", "anon-1"),
    ],
)
def test_a_recipient_reads_back_as_it_was_stored(recipient: Recipient) -> None:
    assert Recipient.from_json(recipient.as_json()) == recipient


def test_the_reference_names_the_outbox_row_and_is_not_stored() -> None:
    stored = Recipient("whatsapp", "1055", "15550001", reference="outbox:9").as_json()
    assert "reference" not in stored
    assert Recipient.from_json(stored, "outbox:12").reference == "outbox:12"


def test_an_identity_becomes_a_recipient_in_its_language_unless_one_is_asked() -> None:
    ann = Identity(1, 1, "whatsapp", "1055", "15550001", locale="en", last_inbound_at=AT)
    assert Recipient.from_json(recipient_of(ann).as_json()) == Recipient(
        "whatsapp", "1055", "15550001", locale="en", last_inbound_at=AT
    )
    assert Recipient.from_json(recipient_of(ann, "zh-CN").as_json()).locale == "zh-CN"


def test_rows_stored_before_the_thread_key_still_read() -> None:
    old = {"channel": "wechat", "account": "gh_1", "user": "o-1", "locale": "", "last_inbound_at": None}
    assert Recipient.from_json(old) == Recipient("wechat", "gh_1", "o-1")


def test_a_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(AT)
    assert clock.now() == clock.now() == AT
    clock.advance(timedelta(minutes=90))
    assert clock.now() == AT + timedelta(minutes=90)


def test_the_offset_clock_is_the_real_time_moved_forward() -> None:
    clock = OffsetClock()
    before = datetime.now(UTC)
    clock.advance(timedelta(days=2))
    now = clock.now()
    assert before + timedelta(days=2) <= now <= datetime.now(UTC) + timedelta(days=2)
    assert now.tzinfo is not None


def test_the_system_clock_tells_the_time_in_utc() -> None:
    clocks: list[Clock] = [SystemClock(), OffsetClock(), FrozenClock(AT)]
    for clock in clocks:
        assert clock.now().utcoffset() == timedelta(0)


def test_the_default_meter_takes_counts_and_timings_and_keeps_nothing() -> None:
    meter: Meter = NoMeter()  # it is a Meter: the service's default when none is given
    meter.count("sent", channel="webchat")
    meter.observe("turn", 0.25, channel="webchat")


@pytest.mark.parametrize(
    ("kind", "to"),
    [
        ("message", Recipient("telegram", "b", "42", thread="7", locale="zh-CN", last_inbound_at=AT)),
        ("webhook", WebhookAddress("https://tickets.example.com/hook")),
        ("notify", NotifyTarget("oncall")),
    ],
)
def test_every_addressee_reads_back_from_the_outbox_row_as_it_was_queued(kind: str, to: Addressee) -> None:
    item = OutboxItem(id=9, kind=kind, channel="telegram", recipient=to.as_json(), body={}, attempts=0)
    assert addressee(item) == to
