"""api_request.answer: what a keyed request answered when its id alone cannot say it (a resolve)

Revision ID: 0021_api_answer
Revises: 0020_api_request
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_api_answer"
down_revision = "0020_api_request"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_request") as batch:
        batch.add_column(sa.Column("answer", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_request") as batch:
        batch.drop_column("answer")
