"""unreachable: an identity the customer blocked the bot on (or unsubscribed from), and since when

Revision ID: 0019_unreachable
Revises: 0018_fcr_indexes
Create Date: 2026-12-06 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0019_unreachable"
down_revision = "0018_fcr_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("identity") as batch:
        batch.add_column(sa.Column("unreachable", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column("unreachable_since", models.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity") as batch:
        batch.drop_column("unreachable_since")
        batch.drop_column("unreachable")
