"""server-side console sessions, an atomic sign-in throttle, single-use expiring deep-link tokens

Revision ID: 0009_sessions
Revises: 0008_customer_side
Create Date: 2026-11-25 09:00:00

``customer.link_token`` (one stable token per customer, never expiring) is dropped: tokens issued
before this migration stop working, which is the point. New ones live hashed in ``link_token``.
Console sessions signed before this migration carry no session id and must sign in again.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0009_sessions"
down_revision = "0008_customer_side"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_token",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(op.f("ix_link_token_customer_id"), "link_token", ["customer_id"], unique=False)
    op.create_table(
        "console_session",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_console_session_username"), "console_session", ["username"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_constraint("uq_customer_link_token", type_="unique")
        batch_op.drop_column("link_token")


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_token", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_customer_link_token", ["link_token"])
    op.drop_table("login_throttle")
    op.drop_index(op.f("ix_console_session_username"), table_name="console_session")
    op.drop_table("console_session")
    op.drop_index(op.f("ix_link_token_customer_id"), table_name="link_token")
    op.drop_table("link_token")
