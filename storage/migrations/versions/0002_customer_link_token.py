"""customer link token for deep links; outbox lookup by platform message id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_token", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint("uq_customer_link_token", ["link_token"])
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_channel_platform_id", ["channel", "platform_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_channel_platform_id")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_constraint("uq_customer_link_token", type_="unique")
        batch_op.drop_column("link_token")
