"""insights: first-contact resolution, where surveys stop, when they were opened; partial surveys

Surveys that expired after some answers become ``partial`` (they were counted as answered before, and
still are, but no longer as complete). ``step`` of surveys closed before this revision stays empty.

Revision ID: 0014_insights
Revises: 0013_operations
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0014_insights"
down_revision = "0013_operations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("fcr", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch.add_column(sa.Column("opened_at", models.types.UTCDateTime(), nullable=True))
    op.execute("UPDATE survey SET status = 'partial' WHERE status = 'expired' AND responded")


def downgrade() -> None:
    op.execute("UPDATE survey SET status = 'expired' WHERE status = 'partial'")
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("opened_at")
        batch.drop_column("step")
        batch.drop_column("fcr")
