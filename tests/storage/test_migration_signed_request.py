"""Migration 0022 moves the signed WeChat requests out of the dedupe table into ``signed_request``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command

from models import SignedRequest
from models.types import UTCDateTime
from storage import open_database
from storage.inbox import SqlInbox
from storage.migrate import alembic_config, upgrade

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RECEIPTS = sa.table(
    "inboundreceipt",
    sa.column("channel"),
    sa.column("account"),
    sa.column("platform_id"),
    sa.column("received_at", UTCDateTime()),
)


def test_0022_moves_each_kept_signed_request_and_leaves_the_dedupe_receipts(empty_url: str) -> None:
    """A signed query kept just before the upgrade still refuses another body after it (an upgrade
    opens no replay window); the dedupe receipts stay where they are; a downgrade puts it back."""
    database = open_database(empty_url)
    try:
        upgrade(database, "0021_api_answer")
        with database.writer.begin() as conn:
            conn.execute(sa.insert(RECEIPTS), [
                {"channel": "wechat", "account": "signed-request", "platform_id": "abc123:body-1",
                 "received_at": T0},
                {"channel": "wechat", "account": "gh_1", "platform_id": "msg-42", "received_at": T0},
            ])  # fmt: skip
        upgrade(database)
        with database.reader.connect() as conn:
            receipts = conn.execute(sa.select(RECEIPTS.c.account, RECEIPTS.c.platform_id)).all()
            kept = conn.execute(sa.select(SignedRequest.__table__)).all()  # type: ignore[attr-defined]
        inbox, keep = SqlInbox(database), timedelta(minutes=10)
        assert inbox.first_body_sync("wechat", "abc123", "forged", T0 + timedelta(minutes=9), keep) is False
        assert inbox.first_body_sync("wechat", "abc123", "body-1", T0 + timedelta(minutes=9), keep) is True
        command.downgrade(alembic_config(database), "0021_api_answer")
        with database.reader.connect() as conn:
            back = conn.execute(
                sa.select(RECEIPTS.c.account, RECEIPTS.c.platform_id, RECEIPTS.c.received_at)
            ).all()
    finally:
        database.dispose()
    assert receipts == [("gh_1", "msg-42")]
    assert [tuple(row) for row in kept] == [("wechat", "abc123", "body-1", T0 + timedelta(minutes=10))]
    assert sorted(tuple(row)[:2] for row in back) == [("gh_1", "msg-42"), ("signed-request", "abc123:body-1")]
    assert {row[2] for row in back} == {T0}  # the downgrade puts them back
