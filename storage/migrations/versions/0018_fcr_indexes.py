"""fcr indexes: conversations by resolution and opening time (operational FCR over a range)

Revision ID: 0018_fcr_indexes
Revises: 0017_experiments
Create Date: 2026-12-05 11:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0018_fcr_indexes"
down_revision = "0017_experiments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.create_index("ix_conversation_resolved_at", ["resolved_at"], unique=False)
        batch.create_index("ix_conversation_opened_at", ["opened_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_index("ix_conversation_opened_at")
        batch.drop_index("ix_conversation_resolved_at")
