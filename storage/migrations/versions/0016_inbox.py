"""inbox: verified platform updates stored before they are acknowledged, handled right after

Revision ID: 0016_inbox
Revises: 0015_themes
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0016_inbox"
down_revision = "0015_themes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", models.types.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("claimed_until", models.types.UTCDateTime(), nullable=True),
        sa.Column("done_at", models.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "key", name="uq_inbox_channel_key"),
    )
    op.create_index("ix_inbox_status_id", "inbox", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_status_id", table_name="inbox")
    op.drop_table("inbox")
