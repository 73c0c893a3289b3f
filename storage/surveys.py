"""Survey rows, their answers, the flows they follow, and when each customer was last surveyed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from bot import records
from bot.attribution import Credit
from bot.flow import Flow
from bot.survey import CLOSED, SurveyState
from bot.survey import Answer as AnswerValue
from models import Answer, Customer, FlowVersion, Survey
from storage.rows import Rows, answer_json, survey_record

_FLOWS: dict[str, Flow] = {}
"""Parsed flows by version (flows are immutable: a changed flow is a new version)."""


def _answer(rows: Rows) -> Any:
    return rows._insert(Answer).on_conflict_do_nothing().returning(col(Answer.id))


class SurveyRows(Rows):
    """The surveys part of the repository."""

    def save_flow(self, flow: Flow, at: datetime) -> None:
        statement = (
            self._insert(FlowVersion)
            .values(version=flow.version, flow_id=flow.id, body=flow.model_dump_json(), created_at=at)
            .on_conflict_do_nothing()
        )
        self._core.execute(statement)

    def load_flow(self, version: str) -> Flow:
        # A version is a hash of the flow's content: parsed once per process, then shared.
        flow = _FLOWS.get(version)
        if flow is None:
            flow = _FLOWS[version] = Flow.model_validate_json(self._get(FlowVersion, version).body)
        return flow

    def create_survey(
        self,
        *,
        survey_id: str,
        conversation: records.Conversation,
        flow: Flow,
        locale: str,
        due_at: datetime,
        at: datetime,
        skip_reason: str | None = None,
        kind: str = "main",
        ticket_id: int | None = None,
        credit: Credit | None = None,
    ) -> records.Survey:
        state = SurveyState(survey_id=survey_id, locale=locale)
        if skip_reason is not None:
            state = state.evolve(status="expired")
        row = Survey(
            id=survey_id,
            customer_id=conversation.customer_id,
            conversation_id=conversation.id,
            identity_id=conversation.identity_id,
            channel=conversation.channel,
            flow_id=flow.id,
            flow_version=flow.version,
            locale=locale,
            status="skipped" if skip_reason else "pending",
            state=state.to_json(),
            skip_reason=skip_reason,
            created_at=at,
            due_at=due_at,
            finished_at=at if skip_reason else None,
            kind=kind,
            ticket_id=ticket_id,
            team=credit.team if credit else None,
            intent=credit.intent if credit else None,
            agents=list(credit.agents) if credit else [],
        )
        self.session.add(row)
        self.session.flush()
        return survey_record(self._hold(row))

    def get_survey(self, survey_id: str, *, lock: bool = False) -> records.Survey:
        return survey_record(self._get(Survey, survey_id, lock=lock))

    def survey_for_conversation(self, conversation_id: int, kind: str = "main") -> records.Survey | None:
        row = self.session.exec(
            select(Survey).where(Survey.conversation_id == conversation_id, Survey.kind == kind)
        ).first()
        return survey_record(self._hold(row)) if row is not None else None

    def active_survey(self, identity_id: int) -> records.Survey | None:
        row = self.session.exec(
            select(Survey)
            .where(Survey.identity_id == identity_id, Survey.status == "active")
            .order_by(col(Survey.sent_at).desc())
            .with_for_update()
        ).first()
        return survey_record(self._hold(row)) if row is not None else None

    def save_survey(
        self,
        survey_id: str,
        state: SurveyState,
        at: datetime,
        *,
        sent: bool = False,
        skip_reason: str | None = None,
    ) -> None:
        row = self._get(Survey, survey_id)
        row.state = state.to_json()
        row.status = "skipped" if skip_reason else state.status
        row.escalated = state.escalated
        if skip_reason:
            row.skip_reason = skip_reason
        if sent and row.sent_at is None:
            row.sent_at = at
            self._note("survey_sent", kind=row.kind)
        if state.status in CLOSED and row.finished_at is None:
            row.finished_at = at
        if state.status == "active" or state.status == "partial":  # where a partial survey stopped
            row.step = state.step
        self.session.add(row)

    def reschedule_survey(self, survey_id: str, due_at: datetime) -> None:
        row = self._get(Survey, survey_id)
        row.due_at = due_at
        self.session.add(row)

    def record_answer(self, survey_id: str, answer: AnswerValue, at: datetime) -> bool:
        values = {
            "survey_id": survey_id,
            "step": answer.step,
            "kind": answer.kind,
            "score": answer.score,
            "option": answer.option,
            "text": answer.text,
            "raw": answer.raw,
            "sentiment": answer.sentiment,
            "created_at": at,
        }
        if self._core.execute(self._prebuilt("answer", _answer), values).first() is None:
            return False
        # Reports read the scores from the survey row, not from the answers (see models.Survey).
        row = self._get(Survey, survey_id)
        if not row.responded:
            self._note("survey_answered", kind=row.kind)
        row.responded = True
        if answer.kind == "fcr":
            row.fcr = answer.option == "yes"
        if answer.kind in ("csat", "nps", "ces") and answer.score is not None:
            current = getattr(row, answer.kind)
            setattr(row, answer.kind, answer.score if current is None else max(current, answer.score))
        self.session.add(row)
        return True

    def survey_answers(self, survey_id: str) -> list[dict[str, Any]]:
        rows = self.session.exec(
            select(Answer).where(Answer.survey_id == survey_id).order_by(col(Answer.id))
        ).all()
        return [answer_json(row) for row in rows]

    def last_surveyed_at(self, customer_id: int) -> datetime | None:
        return self._get(Customer, customer_id).last_surveyed_at

    def mark_surveyed(self, customer_id: int, at: datetime) -> None:
        row = self._get(Customer, customer_id)
        row.last_surveyed_at = at
        self.session.add(row)
