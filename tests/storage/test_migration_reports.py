"""Migration 0005 backfills what reports need on surveys that existed before it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from storage import open_database
from storage.migrate import upgrade

JSON_COLUMNS = {"agents", "reasons", "transcript", "answers"}
T0 = datetime(2026, 11, 20, 9, 0)


def insert(conn: sa.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows into a table as it was at 0003 (no model describes that schema any more)."""
    columns = [sa.column(name, sa.JSON()) if name in JSON_COLUMNS else sa.column(name) for name in rows[0]]
    conn.execute(sa.insert(sa.table(table, *columns)), rows)


def old_rows(conn: sa.Connection) -> None:
    """Two resolved conversations with surveys: one by agents with a low CSAT, a reason, classified
    messages and a ticket from before the survey; one resolved by the bot and never answered."""
    both = (1, 2)
    insert(conn, "customer", [{"id": i, "display_name": "", "locale": "en", "created_at": T0} for i in both])
    insert(conn, "identity", [
        {"id": i, "customer_id": i, "channel": "webchat", "account": "", "user": f"u{i}", "display_name": "",
         "locale": "en", "created_at": T0} for i in both
    ])  # fmt: skip
    common = {"channel": "webchat", "status": "resolved", "opened_at": T0, "last_message_at": T0}
    insert(conn, "conversation", [
        {"id": 1, "customer_id": 1, "identity_id": 1, "resolution": "agent_resolved", "resolved_by": "cal",
         "agents": ["amy", "bob"], **common},
        {"id": 2, "customer_id": 2, "identity_id": 2, "resolution": "bot_resolved", "resolved_by": "bot",
         "agents": [], **common},
    ])  # fmt: skip
    insert(conn, "flowversion", [{"version": "v1", "flow_id": "csat", "body": "{}", "created_at": T0}])
    insert(conn, "survey", [
        {"id": f"s{i}", "customer_id": i, "conversation_id": i, "identity_id": i, "channel": "webchat",
         "flow_id": "csat", "flow_version": "v1", "locale": "en", "status": "completed", "state": "{}",
         "escalated": i == 1, "created_at": T0, "due_at": T0, "sent_at": T0} for i in both
    ])  # fmt: skip
    answer = {"survey_id": "s1", "score": None, "option": None, "created_at": T0}
    insert(conn, "answer", [
        answer | {"step": "rating", "kind": "csat", "score": 2, "raw": "2"},
        answer | {"step": "reason", "kind": "choice", "option": "slow", "raw": "slow"},
    ])  # fmt: skip
    insert(conn, "message", [
        {"conversation_id": 1, "identity_id": 1, "direction": "in", "author": "customer", "text": text,
         "intent": intent, "created_at": T0} for text, intent in (("hi", "other"), ("my parcel", "delivery"))
    ])  # fmt: skip
    ticket = {"customer_id": 1, "conversation_id": 1, "status": "resolved", "reasons": [], "transcript": [],
              "answers": [], "priority": "normal", "updated_at": T0, "sla_due_at": T0}  # fmt: skip
    insert(conn, "ticket", [
        ticket | {"id": 1, "survey_id": None, "team": "billing", "created_at": datetime(2026, 11, 20, 8, 0)},
        ticket | {"id": 2, "survey_id": "s1", "team": "support", "created_at": datetime(2026, 11, 20, 9, 5)},
    ])  # fmt: skip


def test_0005_backfills_scores_intent_team_and_credited_agents(empty_url: str) -> None:
    database = open_database(empty_url)
    try:
        upgrade(database, "0003")
        with database.writer.begin() as conn:
            old_rows(conn)
        upgrade(database)
        with database.reader.connect() as conn:
            rows = conn.execute(
                sa.text("select id, kind, csat, nps, responded, intent, team, agents from survey order by id")
            ).all()
    finally:
        database.dispose()
    found = [(*r[:-1], json.loads(r[-1]) if isinstance(r[-1], str) else r[-1]) for r in rows]
    # s1: its scores from the answers, the topic over "other", the team that had the conversation
    # before the survey (not the DSAT ticket's), the agents who wrote and the one who resolved it.
    assert found == [
        ("s1", "main", 2, None, True, "delivery", "billing", ["amy", "bob", "cal"]),
        ("s2", "main", None, None, False, None, None, ["bot"]),
    ]
