"""api_request: support-API requests sent with an Idempotency-Key, so a repeat answers as the first

Revision ID: 0020_api_request
Revises: 0019_unreachable
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0020_api_request"
down_revision = "0019_unreachable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_request",
        sa.Column("account", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("result", sa.Integer(), nullable=True),
        sa.Column("received_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account", "key"),
    )
    op.create_index(op.f("ix_api_request_received_at"), "api_request", ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_api_request_received_at"), table_name="api_request")
    op.drop_table("api_request")
