"""ticket workflow: priority, labels, resolution time, audit trail

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.alter_column("assignee", existing_type=sa.String(), type_=sa.String(length=64))
        batch_op.add_column(
            sa.Column("priority", sa.String(length=16), nullable=False, server_default="normal")
        )
        batch_op.add_column(sa.Column("intent", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sentiment", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", models.types.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_ticket_assignee"), ["assignee"], unique=False)
    op.create_table(
        "ticketevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", models.types.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticketevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticketevent_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticketevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticketevent_ticket_id"))
    op.drop_table("ticketevent")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_assignee"))
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("sentiment")
        batch_op.drop_column("intent")
        batch_op.drop_column("priority")
        batch_op.alter_column("assignee", existing_type=sa.String(length=64), type_=sa.String())
