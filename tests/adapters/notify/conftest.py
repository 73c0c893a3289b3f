"""A fixed notice, and the fake Slack / WeCom robot / Feishu bot / ticketing webhook on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.notify.fake import FakeNotifyPlatforms
from adapters.testing import FakeServer
from bot.notifications import Notice

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def notice() -> Notice:
    """Ticket 12 just opened: high priority, two reasons, CSAT 1, due in 4 hours."""
    return Notice(
        event="ticket.opened",
        ticket_id=12,
        team="support",
        team_name="Customer Support",
        status="open",
        priority="high",
        reasons=("CSAT 1 (at most 3)", "angry <customer> & co"),
        customer="Ann Lee",
        channel="whatsapp",
        link="https://support.example.com/console/tickets/12",
        at=AT,
        actor="bot",
        timezone="Asia/Shanghai",
        score=1,
        intent="complaint",
        sla_due_at=AT + timedelta(hours=4),
    )


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer("notify", FakeNotifyPlatforms()).start()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server: FakeServer) -> FakeNotifyPlatforms:
    """Fresh fake platforms (records and failures reset) on the session's server."""
    platforms = FakeNotifyPlatforms()
    fake_server.handler = platforms
    fake_server.requests.clear()
    return platforms
