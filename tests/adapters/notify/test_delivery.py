"""End to end through the outbox (SQLite and PostgreSQL): an unhappy customer's ticket reaches Slack,
the WeCom robot, the Feishu bot and the ticketing system; failures are retried, nothing doubled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from starlette.responses import JSONResponse

from adapters.notify.fake import FakeNotifyPlatforms
from adapters.notify.sender import Notifications
from adapters.testing import FakeServer
from bot.config import parse_config
from bot.settings import Settings

from ...conftest import Harness, MakeHarness

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
async def h(
    make_harness: MakeHarness, fake_server: FakeServer, fake: FakeNotifyPlatforms
) -> AsyncIterator[Harness]:
    """The harness (service, outbox, frozen clock) with every fake platform as a target."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["notifications"] = {
        "public_url": "https://support.example.com",
        "targets": fake.targets(fake_server.url),
    }
    harness = make_harness(Settings.from_config(parse_config(yaml.safe_dump(data, allow_unicode=True))))
    async with httpx.AsyncClient() as http:
        sender = Notifications(lambda: harness.current, http, fake.environ)
        harness.dispatcher.notifier = sender
        yield harness
        sender.close()


async def unhappy(h: Harness, user: str = "ann") -> int:
    """Chat, resolve, rate 1: the ticket's id."""
    result = await h.say(user, "my parcel is late")
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    assert resolved.survey_id is not None
    await h.tap(user, resolved.survey_id, "rating", "1")
    [(ticket_id,)] = h.rows("select id from ticket where conversation_id = :c", c=result.conversation_id)
    return int(ticket_id)


async def test_a_dsat_ticket_reaches_every_platform_once(h: Harness, fake: FakeNotifyPlatforms) -> None:
    ticket_id = await unhappy(h)  # h.tap delivers the outbox
    [slack] = fake.accepted["slack"]
    assert slack["blocks"][0]["text"]["text"] == f"🔵 New ticket #{ticket_id}"
    assert f"<https://support.example.com/console/tickets/{ticket_id}|Open ticket #{ticket_id}>" in str(slack)
    [wecom] = fake.accepted["wecom_robot"]
    assert '> Reasons: <font color="comment">CSAT 1 (at most 3)</font>' in wecom["markdown"]["content"]
    [card] = fake.accepted["feishu"]
    assert card["card"]["header"]["title"]["content"] == f"🔵 New ticket #{ticket_id}"
    [document] = fake.accepted["webhook"]
    assert document["event"] == "ticket.opened"
    assert document["ticket"]["id"] == ticket_id
    assert document["ticket"]["reasons"] == ["CSAT 1 (at most 3)"]
    assert document["ticket"]["score"] == 1
    assert [a["score"] for a in document["ticket"]["answers"]] == [1]
    assert h.rows("select status, count(*) from outbox where kind = 'notify' group by status") == [
        ("sent", 4)
    ]


async def test_a_failed_post_is_retried_later_and_delivered_once(
    h: Harness, fake: FakeNotifyPlatforms
) -> None:
    fake.fail("webhook", JSONResponse({"error": "maintenance"}, 503))
    fake.fail("slack", JSONResponse({}, 429, headers={"Retry-After": "20"}))
    await unhappy(h)
    assert fake.accepted["webhook"] == [] and fake.accepted["slack"] == []
    assert len(fake.accepted["feishu"]) == len(fake.accepted["wecom_robot"]) == 1
    rows = h.rows("select channel, status, attempts from outbox where kind = 'notify' and status != 'sent'")
    assert sorted(rows) == [("slack", "pending", 1), ("webhook", "pending", 1)]
    h.clock.advance(timedelta(seconds=5))
    await h.dispatcher.deliver_due()
    assert len(fake.accepted["webhook"]) == 1 and fake.accepted["slack"] == []  # Slack said: in 20 s
    h.clock.advance(timedelta(seconds=16))
    await h.dispatcher.deliver_due()
    await h.dispatcher.deliver_due()
    assert {platform: len(taken) for platform, taken in fake.accepted.items()} == dict.fromkeys(
        fake.accepted, 1
    )
    assert len(fake.attempts["webhook"]) == 2 and len(fake.attempts["slack"]) == 2
    first, second = fake.attempts["webhook"]
    assert first.body == second.body  # the same document, with the same delivery id to dedupe on
    assert first.headers["x-csatbot-delivery"] == second.headers["x-csatbot-delivery"]
