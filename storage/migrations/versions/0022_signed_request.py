"""signed_request: the first body of a WeChat plain-mode signed request, in a table of its own

It was kept in inboundreceipt (the dedupe table) under the account "signed-request", as
"<signed>:<body>" with the time it came; its rows move here with the time they expire (received
plus the ten minutes the version that wrote them kept them), so an upgrade forgets no live one.

Revision ID: 0022_signed_request
Revises: 0021_api_answer
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0022_signed_request"
down_revision = "0021_api_answer"
branch_labels = None
depends_on = None

KEPT = timedelta(minutes=10)
"""How long the versions before this one kept a signed request (WeChat's ``REPLAY_KEPT``)."""


def upgrade() -> None:
    table = op.create_table(
        "signed_request",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("signed", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "signed"),
    )
    op.create_index(op.f("ix_signed_request_expires_at"), "signed_request", ["expires_at"], unique=False)
    receipt = _receipts()
    kept = (
        sa.select(receipt.c.channel, receipt.c.platform_id, receipt.c.received_at)
        .where(receipt.c.account == "signed-request")
        .order_by(receipt.c.received_at)
    )
    latest: dict[tuple[str, str], dict[str, object]] = {}  # one row per request: the latest
    for channel, platform_id, received_at in op.get_bind().execute(kept):
        signed, _, body = platform_id.partition(":")
        latest[(channel, signed)] = {
            "channel": channel,
            "signed": signed,
            "body": body,
            "expires_at": received_at + KEPT,
        }
    if latest:
        op.bulk_insert(table, list(latest.values()))
    op.execute(sa.delete(receipt).where(receipt.c.account == "signed-request"))


def downgrade() -> None:
    """Back into the dedupe table as the versions before kept them (a live row still refuses)."""
    kept = sa.table(
        "signed_request",
        sa.column("channel", sa.String()),
        sa.column("signed", sa.String()),
        sa.column("body", sa.String()),
        sa.column("expires_at", models.types.UTCDateTime()),
    )
    rows = [
        {
            "channel": channel,
            "account": "signed-request",
            "platform_id": f"{signed}:{body}",
            "received_at": end - KEPT,
        }
        for channel, signed, body, end in op.get_bind().execute(sa.select(kept))
    ]
    if rows:
        op.bulk_insert(_receipts(), rows)
    op.drop_index(op.f("ix_signed_request_expires_at"), table_name="signed_request")
    op.drop_table("signed_request")


def _receipts() -> sa.TableClause:
    """The dedupe table as this migration reads and writes it."""
    return sa.table(
        "inboundreceipt",
        sa.column("channel", sa.String()),
        sa.column("account", sa.String()),
        sa.column("platform_id", sa.String()),
        sa.column("received_at", models.types.UTCDateTime()),
    )
