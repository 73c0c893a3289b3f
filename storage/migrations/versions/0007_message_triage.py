"""message triage: the needs-a-person probability and what triage did, on each customer message

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 02:00:00

Agents see on every message why triage acted (or did not): the rule, the intent, the sentiment and
their confidences. Older messages keep ``NULL``: their decision was never recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_human", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("triage", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("triage")
        batch_op.drop_column("needs_human")
