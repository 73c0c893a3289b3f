"""themes: survey comments' sentence embeddings and the comment themes they are grouped into

Revision ID: 0015_themes
Revises: 0014_insights
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0015_themes"
down_revision = "0014_insights"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.JSON(), nullable=False),
        sa.Column("centroid", sa.LargeBinary(), nullable=False),
        sa.Column("floor", sa.Float(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("model_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("fitted_at", models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("generation", "number", name="uq_theme_generation_number"),
    )
    op.create_index(op.f("ix_theme_generation"), "theme", ["generation"], unique=False)
    op.create_table(
        "comment_theme",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("model_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("fitted", sa.Boolean(), nullable=False),
        sa.Column("off", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answer.id"]),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"]),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"]),
        sa.PrimaryKeyConstraint("answer_id"),
    )
    op.create_index(op.f("ix_comment_theme_survey_id"), "comment_theme", ["survey_id"], unique=False)
    op.create_index(op.f("ix_comment_theme_theme_id"), "comment_theme", ["theme_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_comment_theme_theme_id"), table_name="comment_theme")
    op.drop_index(op.f("ix_comment_theme_survey_id"), table_name="comment_theme")
    op.drop_table("comment_theme")
    op.drop_index(op.f("ix_theme_generation"), table_name="theme")
    op.drop_table("theme")
