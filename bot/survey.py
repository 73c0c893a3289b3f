"""The data the survey engine works on: state, events, effects and transitions."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from bot.classification import Classification
from bot.messages import ChoicePicked, Resume, Text, Unsupported
from bot.prompts import Prompt

Status = Literal["pending", "active", "completed", "partial", "expired"]
"""``partial``: expired after some answers (reported apart from complete surveys); ``expired``:
closed unanswered."""
CLOSED: frozenset[str] = frozenset({"completed", "partial", "expired"})
AnswerKind = Literal["csat", "nps", "ces", "choice", "yes_no", "fcr", "text"]
"""``fcr`` is the answer of a ``yes_no`` step marked ``fcr`` (option ``yes`` or ``no``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered step. Exactly one of ``score``, ``option`` and ``text`` is set."""

    step: str
    kind: AnswerKind
    score: int | None = None
    option: str | None = None
    text: str | None = None
    raw: str = ""
    sentiment: str | None = None


@dataclass(frozen=True, slots=True)
class SurveyState:
    """Where one survey stands; serialisable with :meth:`to_json` / :meth:`from_json`."""

    survey_id: str
    locale: str
    status: Status = "pending"
    step: str | None = None
    answers: tuple[Answer, ...] = ()
    reprompts: int = 0
    reminded: bool = False
    escalated: bool = False
    comment: str | None = None
    """Words given with a rating ("5 stars, super quick reply"): the answer to the next text step
    (and to a choice step before it when they name one of its options: "1 star, rude agent")."""
    comment_sentiment: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SurveyState:
        data: dict[str, Any] = json.loads(text)
        data["answers"] = tuple(Answer(**a) for a in data["answers"])
        return cls(**data)

    def evolve(self, **changes: Any) -> SurveyState:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Start:
    """Send the first question."""


@dataclass(frozen=True, slots=True)
class Reply:
    """The customer wrote or tapped something while the survey was open."""

    payload: Text | ChoicePicked | Unsupported | Resume
    classification: Classification | None = None


@dataclass(frozen=True, slots=True)
class Remind:
    """The reminder timer fired."""


@dataclass(frozen=True, slots=True)
class Expire:
    """The expiry timer fired."""


Event = Start | Reply | Remind | Expire


@dataclass(frozen=True, slots=True)
class RecordAnswer:
    answer: Answer


@dataclass(frozen=True, slots=True)
class ReviseAnswer:
    """Replace the stored answer of ``answer.step``: the customer corrected their rating after the
    survey had moved on ("改成4分", "sorry I meant 5")."""

    answer: Answer


@dataclass(frozen=True, slots=True)
class Schedule:
    """Fire ``Remind`` or ``Expire`` for this survey at ``due_at``."""

    kind: Literal["remind", "expire"]
    due_at: datetime


@dataclass(frozen=True, slots=True)
class CompleteSurvey:
    status: Literal["completed", "partial", "expired"]


@dataclass(frozen=True, slots=True)
class Escalate:
    """The customer is unhappy: open a ticket for a human."""

    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HandOn:
    """The reply was not an answer: treat its text as a new customer message."""

    text: str


Effect = RecordAnswer | ReviseAnswer | Schedule | CompleteSurvey | Escalate | HandOn


@dataclass(frozen=True, slots=True)
class Transition:
    """What :func:`bot.engine.advance` decided: the new state, what to say, what to do."""

    state: SurveyState
    prompts: tuple[Prompt, ...] = ()
    effects: tuple[Effect, ...] = field(default=())
