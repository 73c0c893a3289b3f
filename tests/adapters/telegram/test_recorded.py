"""Recorded updates (fixtures/, one file per update type, Telegram's wire shapes) through ``wire.py``.

Each fixture is one update as the Bot API posts it; the table says what csatbot makes of it: the
customer message (its user, id, payload, name, locale, extras) and the tap to acknowledge, the
customer blocking or unblocking the bot, or nothing for updates the bot does not handle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.telegram.wire import Incoming, Tap, decode_update, parse_update
from bot.messages import ChoicePicked, Command, InboundMessage, Payload, Reachability, Text, Unsupported

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
BOT = "123456"
QUESTION = "How likely are you to recommend us? (0-10)"


def from_ann(
    update_id: int,
    payload: Payload,
    *,
    display_name: str = "Ann",
    locale: str = "en",
    extra: dict[str, str] | None = None,
) -> InboundMessage:
    """Ann's message in update ``update_id``."""
    return InboundMessage(
        channel="telegram",
        account=BOT,
        user="4242",
        platform_id=str(update_id),
        received_at=NOW,
        payload=payload,
        display_name=display_name,
        locale=locale,
        extra=extra or {},
    )


EXPECTED: dict[str, Incoming | None] = {
    "text": Incoming(
        from_ann(900003, Text("my order is late"), display_name="Ann Lee", extra={"username": "ann_l"})
    ),
    "start": Incoming(from_ann(900001, Command("start", "s_abc123"))),
    "command_with_mention": Incoming(from_ann(900004, Command("help", "order 42"), locale="zh-hans")),
    "callback_query": Incoming(
        from_ann(900002, ChoicePicked("s1", "nps", "9", "9")),
        Tap("4382bfdwdsb323b2d9", 4242, 102, QUESTION, "9"),
    ),
    # A button the bot did not write: only the client's spinner is stopped.
    "callback_query_foreign": Incoming(None, Tap("4382bfdwdsb323b2e0", 4242, 90, "Main menu", "")),
    # A tap on a message older than 48 h: Telegram no longer shows it to the bot (no text, no keyboard).
    "callback_query_inaccessible": Incoming(
        from_ann(900006, ChoicePicked("s1", "rating", "4", "")), Tap("4382bfdwdsb323b2e1", 4242, 60, None, "")
    ),
    "photo": Incoming(from_ann(900007, Text("the parcel arrived like this", attached="photo"))),
    "sticker": Incoming(from_ann(900008, Unsupported("sticker"))),
    "voice": Incoming(from_ann(900009, Unsupported("voice"))),
    "location": Incoming(from_ann(900010, Unsupported("location"))),
    "edited_message": None,
    "group_message": None,
    "new_chat_members": None,
    # The user blocked the bot, then unblocked it; the bot removed from a group is no customer's doing.
    "my_chat_member_blocked": Incoming(from_ann(900014, Reachability(False, "blocked"))),
    "my_chat_member_unblocked": Incoming(from_ann(900015, Reachability(True))),
    "my_chat_member_group": None,
    "channel_post": None,
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_recorded_update(name: str) -> None:
    update = decode_update((FIXTURES / f"{name}.json").read_bytes())
    assert parse_update(update, BOT, NOW) == EXPECTED[name]
