"""Survey rows, their answers, the flows they follow, and when each customer was last surveyed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as core_select
from sqlmodel import col, select

from bot import records
from bot.attribution import Credit
from bot.errors import NotFoundError
from bot.flow import Flow
from bot.survey import CLOSED, SurveyState
from bot.survey import Answer as AnswerValue
from models import Answer, Customer, FlowVersion, Survey
from storage.rows import Rows, answer_record, survey_record

_FLOWS: dict[str, Flow] = {}
"""Parsed flows by version (flows are immutable: a changed flow is a new version)."""


_KEPT = (
    "id",
    "customer_id",
    "conversation_id",
    "identity_id",
    "channel",
    "flow_id",
    "flow_version",
    "state",
    "due_at",
    "sent_at",
    "kind",
    "ticket_id",
    "finished_at",
    "responded",
    "csat",
    "nps",
    "ces",
)
"""The columns a unit of work reads of a survey: its record's, and those its writes depend on."""
_TABLE = Survey.__table__  # type: ignore[attr-defined]
_SELECT = core_select(*(_TABLE.c[name] for name in _KEPT))
_SELECT_ONE = _SELECT.where(_TABLE.c.id == bindparam("b_id"))
_SELECT_LOCKED = _SELECT_ONE.with_for_update()
_ACTIVE = (
    _SELECT.where(_TABLE.c.identity_id == bindparam("b_identity"), _TABLE.c.status == "active")
    .order_by(_TABLE.c.sent_at.desc())
    .limit(1)
    .with_for_update()
)
_OPEN = (
    core_select(_TABLE.c.id)
    .where(_TABLE.c.customer_id == bindparam("b_customer"), _TABLE.c.status.in_(("pending", "active")))
    .order_by(_TABLE.c.due_at, _TABLE.c.id)
)
_CREATE = insert(_TABLE)
_UPDATE = update(_TABLE).where(_TABLE.c.id == bindparam("b_id"))
"""Sets the columns its parameters name (Core derives the SET clause from them)."""


def _new_row(
    survey_id: str,
    conversation: records.Conversation,
    flow: Flow,
    state: SurveyState,
    *,
    due_at: datetime,
    at: datetime,
    skip_reason: str | None,
) -> dict[str, Any]:
    """Every column of a new survey (Core inserts get no model defaults)."""
    return {
        **_UNSET,
        "id": survey_id,
        "customer_id": conversation.customer_id,
        "conversation_id": conversation.id,
        "identity_id": conversation.identity_id,
        "channel": conversation.channel,
        "flow_id": flow.id,
        "flow_version": flow.version,
        "locale": state.locale,
        "status": "skipped" if skip_reason else "pending",
        "state": state.to_json(),
        "skip_reason": skip_reason,
        "created_at": at,
        "due_at": due_at,
        "finished_at": at if skip_reason else None,
        "agents": [],  # a list of its own per row, never a shared default
    }


_UNSET: dict[str, Any] = {
    "escalated": False,
    "sent_at": None,
    "kind": "main",
    "ticket_id": None,
    "team": None,
    "intent": None,
    "responded": False,
    "csat": None,
    "nps": None,
    "ces": None,
    "fcr": None,
    "step": None,
    "opened_at": None,
}
"""The columns of a new main survey that nothing is known of yet: set as it is sent and answered."""


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
        row = _new_row(survey_id, conversation, flow, state, due_at=due_at, at=at, skip_reason=skip_reason)
        row.update(kind=kind, ticket_id=ticket_id)
        if credit is not None:
            row.update(team=credit.team, intent=credit.intent, agents=list(credit.agents))
        self._core.execute(_CREATE, row)
        self.surveys[survey_id] = {key: row[key] for key in _KEPT}
        return survey_record(row)

    def get_survey(self, survey_id: str, *, lock: bool = False) -> records.Survey:
        return survey_record(self._survey_row(survey_id, lock=lock))

    def survey_for_conversation(self, conversation_id: int, kind: str = "main") -> records.Survey | None:
        query = _SELECT.where(col(Survey.conversation_id) == conversation_id, col(Survey.kind) == kind)
        return self._loaded(query)

    def active_survey(self, identity_id: int) -> records.Survey | None:
        return self._loaded(_ACTIVE, {"b_identity": identity_id})

    def open_surveys(self, customer_id: int) -> list[str]:
        self.flush_surveys()
        rows = self._core.execute(_OPEN, {"b_customer": customer_id})
        return [str(survey_id) for (survey_id,) in rows]

    def _loaded(self, query: Any, values: dict[str, Any] | None = None) -> records.Survey | None:
        self.flush_surveys()
        row = self._core.execute(query, values).first()
        if row is None:
            return None
        kept = self.surveys[row.id] = dict(row._mapping)
        return survey_record(kept)

    def _survey_row(self, survey_id: str, *, lock: bool = False) -> dict[str, Any]:
        """The survey's row as this unit of work last read or wrote it (read once, unless ``lock``)."""
        kept = self.surveys.get(survey_id)
        if kept is None or lock:
            self.flush_surveys()
            query = _SELECT_LOCKED if lock else _SELECT_ONE
            row = self._core.execute(query, {"b_id": survey_id}).first()
            if row is None:
                raise NotFoundError(f"no survey with id {survey_id!r}")
            kept = self.surveys[survey_id] = dict(row._mapping)
        return kept

    def save_survey(
        self,
        survey_id: str,
        state: SurveyState,
        at: datetime,
        *,
        sent: bool = False,
        skip_reason: str | None = None,
    ) -> None:
        row = self._survey_row(survey_id)
        changes = self.survey_changes.setdefault(survey_id, {})
        changes.update(state=state.to_json(), status="skipped" if skip_reason else state.status)
        changes["escalated"] = state.escalated
        if skip_reason:
            # Skipped is never sent: a survey closed because its customer could not be reached
            # (bot.reachability) leaves every report's sent count and rate, as other skipped ones.
            changes["skip_reason"], changes["sent_at"] = skip_reason, None
        elif sent and row["sent_at"] is None:
            changes["sent_at"] = at
            self._note("survey_sent", kind=row["kind"])
        if state.status in CLOSED and row["finished_at"] is None:
            changes["finished_at"] = at
        if state.status == "active" or state.status == "partial":  # where a partial survey stopped
            changes["step"] = state.step
        self.flush_surveys()

    def reschedule_survey(self, survey_id: str, due_at: datetime) -> None:
        self._survey_row(survey_id)
        self.survey_changes.setdefault(survey_id, {})["due_at"] = due_at
        self.flush_surveys()

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
        # The change waits for the turn's save_survey (one UPDATE for both), at the latest the commit.
        row = self._survey_row(survey_id)
        changes = self.survey_changes.setdefault(survey_id, {})
        if not row["responded"]:
            self._note("survey_answered", kind=row["kind"])
        changes["responded"] = True
        if answer.kind == "fcr":
            changes["fcr"] = answer.option == "yes"
        if answer.kind in ("csat", "nps", "ces") and answer.score is not None:
            current = row[answer.kind]
            changes[answer.kind] = answer.score if current is None else max(current, answer.score)
        row.update(changes)
        return True

    def revise_answer(self, survey_id: str, answer: AnswerValue, at: datetime) -> None:
        values = {"score": answer.score, "option": answer.option, "text": answer.text, "raw": answer.raw}
        statement = update(Answer).where(col(Answer.survey_id) == survey_id, col(Answer.step) == answer.step)
        if (
            self._core.execute(statement.values(**values, sentiment=answer.sentiment, created_at=at)).rowcount
            != 1
        ):
            raise NotFoundError(f"survey {survey_id!r} has no answer to step {answer.step!r} to revise")
        if answer.kind in ("csat", "nps", "ces"):  # the survey's score is its answers' highest, as recorded
            highest = core_select(func.max(col(Answer.score))).where(
                col(Answer.survey_id) == survey_id, col(Answer.kind) == answer.kind
            )
            score = self._core.execute(highest).scalar()
            self._survey_row(survey_id)[answer.kind] = score
            self.survey_changes.setdefault(survey_id, {})[answer.kind] = score

    def flush_surveys(self) -> None:
        """Write the surveys' changes not written yet (one UPDATE per survey, changed columns only)."""
        while self.survey_changes:
            survey_id, changes = self.survey_changes.popitem()
            self._core.execute(_UPDATE, {"b_id": survey_id, **changes})
            self.surveys[survey_id].update(changes)

    def survey_answers(self, survey_id: str) -> list[records.SurveyAnswer]:
        rows = self.session.exec(
            select(Answer).where(Answer.survey_id == survey_id).order_by(col(Answer.id))
        ).all()
        return [answer_record(row) for row in rows]

    def last_surveyed_at(self, customer_id: int) -> datetime | None:
        at: datetime | None = self._get(Customer, customer_id).last_surveyed_at
        return at

    def mark_surveyed(self, customer_id: int, at: datetime | None) -> None:
        row = self._get(Customer, customer_id)
        row.last_surveyed_at = at
        self.session.add(row)

    def recount_surveyed(self, customer_id: int) -> None:
        self.flush_surveys()
        latest = self._core.execute(
            core_select(func.max(col(Survey.sent_at))).where(
                col(Survey.customer_id) == customer_id, col(Survey.kind) == "main"
            )
        ).scalar()
        self.mark_surveyed(customer_id, latest)
