"""console: first-response SLA on tickets, the last good config text, saved queue filters

Revision ID: 0012_console
Revises: 0011_privacy
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0012_console"
down_revision = "0011_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("first_response_due_at", models.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("first_responded_at", models.types.UTCDateTime(), nullable=True))
    op.create_table(
        "config_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("loaded_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "saved_filter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("query", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username", "name", name="uq_saved_filter_username_name"),
    )
    op.create_index(op.f("ix_saved_filter_username"), "saved_filter", ["username"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_filter_username"), table_name="saved_filter")
    op.drop_table("saved_filter")
    op.drop_table("config_snapshot")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("first_responded_at")
        batch.drop_column("first_response_due_at")
