"""experiments: the experiment and variant a survey was sent under

Revision ID: 0017_experiments
Revises: 0016_inbox
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017_experiments"
down_revision = "0016_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.add_column(sa.Column("experiment", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch.add_column(sa.Column("variant", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch.create_index("ix_survey_experiment", ["experiment"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey") as batch:
        batch.drop_index("ix_survey_experiment")
        batch.drop_column("variant")
        batch.drop_column("experiment")
