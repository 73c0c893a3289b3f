"""the customer's side: who a conversation waits on, and automatic answers with their outcome

Revision ID: 0008_customer_side
Revises: 0007
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0008_customer_side"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "waiting_on",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="support",
            )
        )
    # A conversation whose last message is an agent's waits on the customer.
    op.execute(
        """
        UPDATE conversation SET waiting_on = 'customer'
        WHERE (SELECT m.author FROM message m WHERE m.conversation_id = conversation.id
               ORDER BY m.id DESC LIMIT 1) LIKE 'agent:%'
        """
    )
    op.create_table(
        "autoanswer",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("intent", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("intent_confidence", sa.Float(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("how", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("sent_at", models.types.UTCDateTime(), nullable=False),
        sa.Column("decided_at", models.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("autoanswer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_autoanswer_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index("ix_autoanswer_sent_intent", ["sent_at", "intent"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("autoanswer", schema=None) as batch_op:
        batch_op.drop_index("ix_autoanswer_sent_intent")
        batch_op.drop_index(batch_op.f("ix_autoanswer_conversation_id"))
    op.drop_table("autoanswer")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("waiting_on")
