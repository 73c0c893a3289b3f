"""When surveys were opened: a platform's read receipt for a survey message, the web chat page's
sighting, first one wins; the funnel counts them only on channels that report reads and says "not
reported" (never 0) for the others. On SQLite and PostgreSQL, surveys sent through the service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.delivery import Dispatcher
from bot.messages import InboundMessage, Text
from models import Survey
from storage.funnel import survey_funnel
from storage.opened import mark_opened, read_on_platform, read_receipt, seen, unopened

from ..conftest import Harness, RecordingChannel


async def surveyed(h: Harness, user: str, channel: str = "webchat") -> str:
    """``user`` writes on ``channel``, an agent resolves it, the survey goes out: its id."""
    message = InboundMessage(channel, "", user, f"{channel}-{user}", h.clock.now(), Text("help"))
    result = await h.service.handle(message)
    resolved = await h.service.resolve(result.conversation_id, "bob", send_now=True)
    await h.dispatcher.deliver_due()
    assert resolved.survey_id
    return str(resolved.survey_id)


def opened_at(h: Harness, survey_id: str) -> Any:
    return h.store.read_sync(lambda repo: repo.session.get(Survey, survey_id).opened_at)


def sent_as(h: Harness, survey_id: str) -> tuple[int, str]:
    """The outbox row and platform id the survey's question went out as."""
    [(row, platform_id)] = h.rows(
        "select o.id, o.platform_id from outbox o join message m on m.id = o.message_id "
        "where m.survey_id = :id",
        id=survey_id,
    )
    return row, platform_id


async def test_a_read_receipt_for_a_survey_message_opens_the_survey_once(harness: Harness) -> None:
    h = harness
    first, second = await surveyed(h, "ann"), await surveyed(h, "ben")
    row, platform_id = sent_as(h, first)
    assert platform_id and opened_at(h, first) is None
    read_at = h.clock.now() + timedelta(minutes=3)
    assert await h.store.run(read_receipt("webchat", platform_id, None, read_at)) == 1
    assert opened_at(h, first) is not None and opened_at(h, second) is None
    # Read again later (WhatsApp repeats statuses): the first sighting stays.
    later = read_at + timedelta(hours=1)
    assert await h.store.run(read_receipt("webchat", platform_id, None, later)) == 0
    assert opened_at(h, first) == read_at
    # Matched by the echoed outbox id when the platform id is not known here.
    other_row, _ = sent_as(h, second)
    assert await h.store.run(read_receipt("webchat", "wamid.unknown", other_row, later)) == 1
    assert opened_at(h, second) is not None
    # Another channel's message with the same platform id, or a message no survey sent: nothing.
    assert await h.store.run(read_receipt("whatsapp", platform_id, None, later)) == 0
    assert h.store.run_sync(lambda repo: read_on_platform(repo.session, "webchat", "nope", None, later)) == 0
    assert row != other_row


async def test_a_sighting_marks_only_unopened_surveys(harness: Harness) -> None:
    h = harness
    first, second = await surveyed(h, "ann"), await surveyed(h, "ben")
    assert sorted(
        h.store.read_sync(lambda repo: unopened(repo.session, {first, second, "missing"}))
    ) == sorted([first, second])
    assert await h.store.run(seen({first}, h.clock.now())) == 1
    assert h.store.read_sync(lambda repo: unopened(repo.session, {first, second})) == [second]
    assert h.store.run_sync(lambda repo: mark_opened(repo.session, {first, second}, h.clock.now())) == 1
    assert h.store.run_sync(lambda repo: mark_opened(repo.session, set(), h.clock.now())) == 0


async def test_the_funnel_counts_opens_where_reported_and_says_not_reported_elsewhere(
    harness: Harness,
) -> None:
    h = harness
    telegram = RecordingChannel("telegram")
    h.dispatcher = Dispatcher(h.store, {"webchat": h.channel, "telegram": telegram}, h, h.clock)
    web = [await surveyed(h, f"w{i}") for i in range(3)]
    tg = [await surveyed(h, f"t{i}", "telegram") for i in range(2)]
    assert len(telegram.sent) == 2
    await h.store.run(seen({web[0], web[1]}, h.clock.now()))
    since, until = h.clock.now() - timedelta(days=1), h.clock.now() + timedelta(days=1)
    funnel = h.store.read_sync(lambda repo: survey_funnel(repo.session, since, until))
    figures = funnel.as_dict()
    total, by_channel = figures["total"], figures["by_channel"]
    assert (total["sent"], total["readable"], total["opened"], total["open_rate"]) == (
        5,
        3,
        2,
        round(2 / 3, 4),
    )
    assert total["opened_reported"] is True and total["n"]["open_rate"] == 3
    assert (by_channel["webchat"]["opened"], by_channel["webchat"]["opened_reported"]) == (2, True)
    assert by_channel["telegram"]["sent"] == 2 and len(tg) == 2
    assert (by_channel["telegram"]["opened"], by_channel["telegram"]["opened_reported"]) == (None, False)
    assert by_channel["telegram"]["open_rate"] is None
    assert figures["opened_not_reported"] == ["telegram"]
    only = h.store.read_sync(lambda repo: survey_funnel(repo.session, since, until, {"channel": "telegram"}))
    assert only.as_dict()["total"]["opened"] is None  # not 0: Telegram never says
