"""reports: follow-up surveys; scores, credited agents, team and intent on the survey row

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-24 10:00:00

A conversation may now have two surveys, its ``main`` one and one ``followup`` after its DSAT ticket
is resolved, so the unique key moves from (conversation_id) to (conversation_id, kind). Existing
rows are backfilled from what the database already knows: scores and ``responded`` from the answers,
the intent from the conversation's first classified customer message, the team from a ticket opened
before the survey, and the credited agents from the conversation (plus ``bot`` for bot-resolved ones).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=8), nullable=False, server_default="main"))
        batch_op.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("team", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("intent", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("responded", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("csat", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("nps", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ces", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("agents", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.drop_constraint("uq_survey_conversation", type_="unique")
        batch_op.create_unique_constraint("uq_survey_conversation_kind", ["conversation_id", "kind"])
        batch_op.create_index("ix_survey_kind_sent", ["kind", "sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_ticket_id"), ["ticket_id"], unique=False)
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_survey_id"), ["survey_id"], unique=False)
    _backfill()


def _backfill() -> None:
    for kind in ("csat", "nps", "ces"):
        op.execute(
            f"UPDATE survey SET {kind} = (SELECT max(a.score) FROM answer a "
            f"WHERE a.survey_id = survey.id AND a.kind = '{kind}')"
        )
    op.execute("UPDATE survey SET responded = EXISTS (SELECT 1 FROM answer a WHERE a.survey_id = survey.id)")
    # The conversation's topic: its first classified customer message, "other" only when nothing else.
    op.execute(
        "UPDATE survey SET intent = (SELECT m.intent FROM message m "
        "WHERE m.conversation_id = survey.conversation_id AND m.direction = 'in' "
        "AND m.intent IS NOT NULL ORDER BY CASE WHEN m.intent = 'other' THEN 1 ELSE 0 END, m.id LIMIT 1)"
    )
    # A team that had the conversation before the survey (an escalation during the conversation);
    # a DSAT ticket opened by the survey itself is the survey's outcome, not who handled it.
    op.execute(
        "UPDATE survey SET team = (SELECT t.team FROM ticket t "
        "WHERE t.conversation_id = survey.conversation_id AND t.created_at <= survey.created_at "
        "AND (t.survey_id IS NULL OR t.survey_id <> survey.id) ORDER BY t.id LIMIT 1)"
    )
    conversation = sa.table(
        "conversation",
        sa.column("id", sa.Integer()),
        sa.column("agents", sa.JSON()),
        sa.column("resolution", sa.String()),
        sa.column("resolved_by", sa.String()),
    )
    survey = sa.table(
        "survey",
        sa.column("id", sa.String()),
        sa.column("conversation_id", sa.Integer()),
        sa.column("agents", sa.JSON()),
    )
    bind = op.get_bind()
    last = ""
    while True:
        rows = bind.execute(
            sa.select(
                survey.c.id, conversation.c.agents, conversation.c.resolution, conversation.c.resolved_by
            )
            .join(conversation, conversation.c.id == survey.c.conversation_id)
            .where(survey.c.id > last)
            .order_by(survey.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for survey_id, agents, resolution, resolved_by in rows:
            credited = [str(a) for a in agents or []]
            if resolution == "agent_resolved" and resolved_by:
                credited.append(resolved_by)
            if resolution == "bot_resolved":
                credited.append("bot")
            if credited:
                update = survey.update().where(survey.c.id == survey_id)
                bind.execute(update.values(agents=list(dict.fromkeys(credited))))
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_survey_id"))
    followups = "SELECT id FROM survey WHERE kind <> 'main'"
    op.execute(f"UPDATE ticket SET survey_id = NULL WHERE survey_id IN ({followups})")
    op.execute(f"DELETE FROM answer WHERE survey_id IN ({followups})")
    op.execute("DELETE FROM survey WHERE kind <> 'main'")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_ticket_id"))
        batch_op.drop_index("ix_survey_kind_sent")
        batch_op.drop_constraint("uq_survey_conversation_kind", type_="unique")
        batch_op.create_unique_constraint("uq_survey_conversation", ["conversation_id"])
        for column in ("agents", "ces", "nps", "csat", "responded", "intent", "team", "ticket_id", "kind"):
            batch_op.drop_column(column)
