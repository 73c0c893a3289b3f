"""The survey engine: one pure function from (flow, state, event, now) to a transition.

No I/O, no clock, no randomness. A reply that is not an answer is a transition too (re-prompt and
hand the text on), never an exception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from bot.answers import is_skip, named_option, parse_choice, read_rating
from bot.config.schema import SCALES, YES_NO, StepSpec
from bot.corrections import after_correction
from bot.flow import Flow
from bot.messages import ChoicePicked, Resume, Text
from bot.prompts import Prompt, Say, ScaleKind
from bot.survey import (
    CLOSED,
    Answer,
    CompleteSurvey,
    Effect,
    Escalate,
    Event,
    Expire,
    HandOn,
    RecordAnswer,
    Remind,
    Reply,
    ReviseAnswer,
    Schedule,
    Start,
    SurveyState,
    Transition,
)
from bot.typed_reasons import is_request, typed_reason
from bot.yes_no import parse_yes_no, partly, sneers

_NOT_ANSWER = object()
_SKIPPED_REQUIRED = object()
SKIP_TAP = ""
"""The value of a tap that skips an optional text question (the web chat's skip button): a tap, so
one on a question no longer open changes nothing, where the word typed would be a new message."""
COMMENT_STEP = "_comment"
"""The step a comment given with a rating is stored under when the flow has no text step for it."""


def advance(flow: Flow, state: SurveyState, event: Event, now: datetime) -> Transition:
    """Decide what happens to a survey when ``event`` arrives at time ``now``."""
    if state.status in CLOSED:
        if isinstance(event, Reply) and isinstance(event.payload, Text):
            return Transition(state, effects=(HandOn(event.payload.text),))
        return Transition(state)
    if state.status == "pending":
        return _pending(flow, state, event, now)
    match event:
        case Reply():
            return _reply(flow, state, event)
        case Remind():
            # Nobody is reminded of a question they may skip (an optional comment after the score).
            if state.reminded or state.step is None or flow.only_optional_left(state.step):
                return Transition(state)
            prompts = (Say(flow.text("reminder", state.locale)), _ask(flow, state, state.step))
            return Transition(state.evolve(reminded=True), prompts)
        case Expire():
            kept = _leftover_comment(state)
            status: Literal["completed", "partial", "expired"] = (
                "partial" if state.answers or kept else "expired"
            )
            if status == "partial" and state.step is not None and flow.only_optional_left(state.step):
                status = "completed"  # only optional questions were left unanswered: not abandoned
            done = state.evolve(status=status, comment=None, comment_sentiment=None)
            return Transition(done, effects=(*kept, CompleteSurvey(status)))
        case Start():
            return Transition(state)


def _pending(flow: Flow, state: SurveyState, event: Event, now: datetime) -> Transition:
    match event:
        case Start():
            schedules: list[Effect] = [Schedule("expire", now + flow.expire_after)]
            if flow.remind_after is not None and flow.remind_after < flow.expire_after:
                schedules.insert(0, Schedule("remind", now + flow.remind_after))
            entered = _enter(flow, state.evolve(status="active"), flow.start)
            if entered.state.status != "active":  # the first step ends it: nothing to remind or expire
                schedules = []
            return Transition(entered.state, entered.prompts, (*schedules, *entered.effects))
        case Expire():
            return Transition(state.evolve(status="expired"), effects=(CompleteSurvey("expired"),))
        case Reply(payload=Text(text=text)):
            return Transition(state, effects=(HandOn(text),))
        case _:
            return Transition(state)


def tap_is_open(state: SurveyState, tap: ChoicePicked) -> bool:
    """Whether ``tap`` is on the question ``state`` waits for; any other (a late tap on an earlier
    question, from a second tab or an old screen, or on another survey) changes nothing."""
    return state.step is not None and tap.survey == state.survey_id and tap.step == state.step


def _reply(flow: Flow, state: SurveyState, event: Reply) -> Transition:
    step_id = state.step
    if step_id is None:
        return Transition(state)
    step = flow.steps[step_id]
    payload = event.payload
    if isinstance(payload, ChoicePicked) and not tap_is_open(state, payload):
        return Transition(state)  # a late tap on an earlier question: already answered
    if isinstance(payload, Resume):  # show the open question again; not a failed answer
        same = payload.survey == state.survey_id
        return Transition(state, (_ask(flow, state, step_id),) if same else ())
    if isinstance(payload, Text) and (corrected := _corrected(flow, state, payload.text, event)) is not None:
        return corrected
    if isinstance(payload, Text) and _moves_on(flow, state, step, event):
        # A happy customer asked something new where an optional comment was invited: the question
        # goes to support and the survey closes quietly (skipping only what was optional).
        skipped = _enter(flow, state, _next_step(step, None))
        if skipped.state.status == "completed":
            return Transition(skipped.state, (), (HandOn(payload.text), *skipped.effects))
    answer, comment = _read_with_words(flow, state, step_id, step, event)
    if answer is _SKIPPED_REQUIRED:  # "skip" where an answer is needed: ask again, never hand it on
        prompts = (Say(flow.text("skip_required", state.locale)), _ask(flow, state, step_id))
        return Transition(state, prompts)
    if answer is _NOT_ANSWER:
        return _not_an_answer(flow, state, step_id, payload)
    effects: list[Effect] = []
    answers = state.answers
    if isinstance(answer, Answer):
        effects.append(RecordAnswer(answer))
        answers = (*answers, answer)
        words = Answer(COMMENT_STEP, "text", text=comment, sentiment=_sentiment(event)) if comment else None
        reasons = dsat_reasons(flow, answer) or (dsat_reasons(flow, words) if words else ())
        if reasons and not state.escalated:
            effects.append(Escalate(reasons))
            state = state.evolve(escalated=True)
    if comment:
        state = state.evolve(comment=comment, comment_sentiment=_sentiment(event))
    entered = _enter(flow, state.evolve(answers=answers), _next_step(step, answer))
    return Transition(entered.state, entered.prompts, (*effects, *entered.effects))


def _corrected(flow: Flow, state: SurveyState, text: str, event: Reply) -> Transition | None:
    """A clear correction of the rating typed at the question right after it ("改成4分", "actually
    make it 4 stars", "sorry I meant 5"): the rating is replaced, and the survey goes on from the
    question the new one leads to (4 stars: no "What went wrong?"). An escalation already made
    stays (a person may already read the ticket); one the new rating calls for is made."""
    rated = state.answers[-1] if state.answers else None
    if rated is None or rated.score is None or (tail := after_correction(text)) is None:
        return None
    step = flow.steps[rated.step]
    if step.type not in SCALES or _next_step(step, rated) != state.step:
        return None  # only right after the rating: later answers followed from it
    low, high = SCALES[step.type]
    scored = read_rating(tail, step.type, low, high)  # type: ignore[arg-type]
    if scored is None or scored.score == rated.score:
        return None
    answer = Answer(rated.step, rated.kind, score=scored.score, raw=text)
    effects: list[Effect] = [ReviseAnswer(answer)]
    if (reasons := dsat_reasons(flow, answer)) and not state.escalated:
        effects.append(Escalate(reasons))
        state = state.evolve(escalated=True)
    if scored.comment:  # "改成4分，态度还行": the words go where words with a rating go
        state = state.evolve(comment=scored.comment, comment_sentiment=_sentiment(event))
    entered = _enter(flow, state.evolve(answers=(*state.answers[:-1], answer)), _next_step(step, answer))
    return Transition(entered.state, entered.prompts, (*effects, *entered.effects))


def _moves_on(flow: Flow, state: SurveyState, step: StepSpec, event: Reply) -> bool:
    """Whether the reply to an optional text question of a satisfied (not escalated) customer is a
    new request (the triage model reads an intent of its own, not positive) rather than a comment."""
    verdict = event.classification
    if state.escalated or step.type != "text" or not step.optional or verdict is None or state.step is None:
        return False
    return is_request(verdict) and verdict.sentiment != "positive" and flow.only_optional_left(state.step)


def _sentiment(event: Reply) -> str | None:
    return event.classification.sentiment if event.classification else None


def _comment_with_rating(step: StepSpec, event: Reply) -> str:
    """The words typed with a rating ("5 stars, super quick reply" -> "super quick reply")."""
    if step.type not in SCALES or not isinstance(event.payload, Text):
        return ""
    low, high = SCALES[step.type]
    scored = read_rating(event.payload.text, step.type, low, high)  # type: ignore[arg-type]
    return scored.comment if scored is not None else ""


def _read_with_words(
    flow: Flow, state: SurveyState, step_id: str, step: StepSpec, event: Reply
) -> tuple[Answer | object | None, str]:
    """The answer in ``event`` and the words said with it: beside a rating, or a typed reason that
    named no option and so counts as the choice step's catch-all option (``otherwise``).

    Once the survey has escalated (a person will read the ticket), whatever the customer writes
    there that is no question or filler is their reason, a request too ("my order arrived damaged",
    "I want my money back"); before, a calm request goes to support and the question is asked again.
    """
    answer = _read(flow, step_id, step, event)
    payload = event.payload
    if answer is _NOT_ANSWER and step.otherwise is not None and isinstance(payload, Text):
        words = typed_reason(payload.text, None if state.escalated else event.classification)
        if words:
            return Answer(step_id, "choice", option=step.otherwise, raw=payload.text), words
    return answer, _comment_with_rating(step, event)


def _leftover_comment(state: SurveyState) -> tuple[Effect, ...]:
    """A comment given with a rating that no text step took: kept under :data:`COMMENT_STEP`."""
    if not state.comment:
        return ()
    answer = Answer(
        COMMENT_STEP, "text", text=state.comment, raw=state.comment, sentiment=state.comment_sentiment
    )
    return (RecordAnswer(answer),)


def _read(flow: Flow, step_id: str, step: StepSpec, event: Reply) -> Answer | object | None:
    """The answer in ``event``; ``None`` for a skipped optional step; ``_NOT_ANSWER`` otherwise."""
    payload = event.payload
    if step.type in SCALES:
        kind: ScaleKind = step.type  # type: ignore[assignment]
        low, high = SCALES[kind]
        if isinstance(payload, ChoicePicked):
            value = payload.value
            fits = value.isascii() and value.isdigit() and len(value) <= 3
            score = int(value) if fits and low <= int(value) <= high else None
        elif isinstance(payload, Text):
            scored = read_rating(payload.text, kind, low, high)
            score = scored.score if scored is not None else _typed_end(step, kind, payload.text)
            if score is None and _skips(flow, payload.text):
                return _SKIPPED_REQUIRED
        else:
            score = None
        if score is None:
            return _NOT_ANSWER
        return Answer(step_id, kind, score=score, raw=_raw(payload))
    if step.type == "choice":
        options = step.options or []
        if isinstance(payload, ChoicePicked):
            option = payload.value if any(o.id == payload.value for o in options) else None
        elif isinstance(payload, Text):
            option = parse_choice(payload.text, [(o.id, list(o.label.values())) for o in options])
            if option is None and _skips(flow, payload.text):
                return None if step.optional else _SKIPPED_REQUIRED
        else:
            option = None
        return _NOT_ANSWER if option is None else Answer(step_id, "choice", option=option, raw=_raw(payload))
    if step.type == "yes_no":
        return _yes_no(flow, step_id, step, payload)
    if step.type == "text":
        return _text(flow, step_id, step, event)
    return _NOT_ANSWER


def _text(flow: Flow, step_id: str, step: StepSpec, event: Reply) -> Answer | object | None:
    """The answer to a text question: words, or a skip (the skip word, or the skip tap)."""
    payload = event.payload
    if isinstance(payload, ChoicePicked) and payload.value == SKIP_TAP:
        return None if step.optional else _SKIPPED_REQUIRED
    if isinstance(payload, Text) and payload.text.strip():
        if _skips(flow, payload.text):
            return None if step.optional else _SKIPPED_REQUIRED
        sentiment = event.classification.sentiment if event.classification else None
        return Answer(step_id, "text", text=payload.text.strip(), raw=payload.text, sentiment=sentiment)
    return _NOT_ANSWER


def _typed_end(step: StepSpec, kind: ScaleKind, text: str) -> int | None:
    """An end of the scale typed in the words the step configures for it ("Fully solved", "没解决"
    for 没有解决, or a yes or no): its low or high value. Default anchors are left to the lexicon."""
    low, high = SCALES[kind]
    ends = [
        (str(value), list(label.values()))
        for value, label in ((low, step.low_label), (high, step.high_label))
        if label is not None
    ]
    if not ends or partly(text) or sneers(text):
        return None  # "部分解决", "mostly solved": neither end; "呵呵，解决了" is a sneer
    picked = parse_choice(text, ends, numbered=False)  # "second" is no end of a scale
    if picked is None and len(ends) == 2:
        # Ends of the step's own ("Not solved" / "Fully solved") belong to a question asked as one
        # ("Is your problem solved now?"): a plain "no" / "yes" is its low / high end.
        said = parse_yes_no(text)
        picked = None if said is None else ends[0][0] if said == "no" else ends[1][0]
    return None if picked is None else int(picked)


def _yes_no(flow: Flow, step_id: str, step: StepSpec, payload: object) -> Answer | object:
    """A tapped button, a typed label or number ("Yes", "2"), or a typed yes or no ("没解决")."""
    said: str | None = None
    if isinstance(payload, ChoicePicked):
        said = payload.value if payload.value in YES_NO else None
    elif isinstance(payload, Text):
        labels = [(v, list(flow.texts[v].values())) for v in YES_NO]
        said = parse_choice(payload.text, labels) or parse_yes_no(payload.text)
        if said is None and _skips(flow, payload.text):
            return _SKIPPED_REQUIRED
    if said is None:
        return _NOT_ANSWER
    return Answer(step_id, "fcr" if step.fcr else "yes_no", option=said, raw=_raw(payload))


def _skips(flow: Flow, text: str) -> bool:
    return is_skip(text, flow.texts["skip_word"].values())


def _raw(payload: object) -> str:
    if isinstance(payload, Text):
        return payload.text
    if isinstance(payload, ChoicePicked):
        return payload.label or payload.value
    return ""


def _not_an_answer(flow: Flow, state: SurveyState, step_id: str, payload: object) -> Transition:
    effects: tuple[Effect, ...] = (HandOn(payload.text),) if isinstance(payload, Text) else ()
    if state.reprompts >= flow.reprompts:
        return Transition(state, effects=effects)
    prompts = (Say(flow.text("reprompt", state.locale)), _ask(flow, state, step_id))
    return Transition(state.evolve(reprompts=state.reprompts + 1), prompts, effects)


def _next_step(step: StepSpec, answer: Answer | object | None) -> str:
    if isinstance(answer, Answer):
        for branch in step.branches:
            if branch.when.matches(answer.score, answer.option):
                return branch.next
    if step.next is None:  # validated config never gets here: only end steps lack next
        raise ValueError("a non-end step without next")
    return step.next


def _enter(flow: Flow, state: SurveyState, step_id: str) -> Transition:
    """Ask ``step_id``; a step the customer already answered with their rating is answered from
    those words and passed (the question is not asked again): a text step with the words, a choice
    step with the one option they name ("1 star, rude agent"), the words kept for the text step."""
    effects: list[Effect] = []
    step = flow.steps[step_id]
    while state.comment and (answer := _said_with_rating(state, step_id, step)) is not None:
        effects.append(RecordAnswer(answer))
        taken = {"comment": None, "comment_sentiment": None} if answer.kind == "text" else {}
        state = state.evolve(answers=(*state.answers, answer), **taken)
        step_id = _next_step(step, answer)
        step = flow.steps[step_id]
    prompt = _ask(flow, state, step_id)
    if step.type == "end":
        effects.extend(_leftover_comment(state))
        done = state.evolve(
            status="completed", step=step_id, reprompts=0, comment=None, comment_sentiment=None
        )
        prompts: tuple[Prompt, ...] = (prompt,) if getattr(prompt, "text", "") else ()
        return Transition(done, prompts, (*effects, CompleteSurvey("completed")))
    return Transition(state.evolve(step=step_id, reprompts=0), (prompt,), tuple(effects))


def _said_with_rating(state: SurveyState, step_id: str, step: StepSpec) -> Answer | None:
    """The answer to ``step_id`` in the comment given with the rating: the words for a text step, the
    one option they name for a choice step (not its catch-all: "other" is asked, not assumed)."""
    words = state.comment or ""
    if step.type == "text":
        return Answer(step_id, "text", text=words, raw=words, sentiment=state.comment_sentiment)
    if step.type != "choice" or any(a.step == step_id for a in state.answers):
        return None  # a choice answered once is never answered again from the same words
    option = named_option(words, [(o.id, list(o.label.values())) for o in step.options or []])
    if option is None or option == step.otherwise:
        return None
    return Answer(step_id, "choice", option=option, raw=words)


def _ask(flow: Flow, state: SurveyState, step_id: str) -> Prompt:
    return flow.ask(state.survey_id, step_id, state.locale)


def dsat_reasons(flow: Flow, answer: Answer) -> tuple[str, ...]:
    """Why ``answer`` makes the customer count as unhappy under the flow's DSAT rule (empty if not)."""
    rule = flow.dsat
    limit = {"csat": rule.csat_at_most, "nps": rule.nps_at_most, "ces": rule.ces_at_most}.get(answer.kind)
    if limit is not None and answer.score is not None and answer.score <= limit:
        return (f"{answer.kind.upper()} {answer.score} (at most {limit})",)
    if rule.negative_comment and answer.kind == "text" and answer.sentiment == "negative":
        return ("negative comment",)
    return ()
