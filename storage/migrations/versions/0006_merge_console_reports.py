"""merge the console-users and reports branches into one head

Revision ID: 0006
Revises: 0004, 0005
Create Date: 2026-11-23 15:00:00
"""

from __future__ import annotations

revision = "0006"
down_revision = ("0004", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # nothing to change: both parents are applied


def downgrade() -> None:
    pass
