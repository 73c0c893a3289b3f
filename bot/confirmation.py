"""Automatic answers that ask "Did this solve it?" before anything is closed.

An auto-answer rule's reply goes out with the channel's native yes/no buttons (typed answers work
too: "yes", "没用", "转人工"...). The answer waits as a ``pending`` row with a ``confirm`` timer:

- yes, a thank-you, or silence until the rule's ``confirm_within``: the conversation is resolved as
  the bot's and surveyed, as before;
- no (a tap, "not really", asking for a person) or a message that shows the problem is still there:
  a person gets the conversation at once, with the transcript, and it stays open;
- a new request that another triage rule handles: the answer counts as ``moved_on``.

A "no" that comes after silence settled the answer still reopens the conversation for a person.
Every outcome is settled once (``settle_auto_answer`` moves a row from ``pending`` only once), so
retries, double taps and a timer firing at the same moment change nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.answers import parse_choice
from bot.classification import Classification
from bot.landing import reopen
from bot.locales import pick_locale
from bot.outbound import send_prompt
from bot.prompts import AskChoice, Option, Say
from bot.records import AutoAnswer, Identity
from bot.repository import Repository
from bot.resolution import resolve, survey_outcome
from bot.settings import Settings
from bot.tickets import escalate
from bot.triage import Decision, decide
from bot.waiting import IDLE_TIMER, customer_wrote, support_answered
from bot.yes_no import Confirmation, parse_confirmation

CONFIRM_TIMER = "confirm"
STEP = "helped"
"""The ``step`` of the yes/no buttons; their ``survey`` is the automatic answer's id."""
YES: Confirmation = "yes"
NO: Confirmation = "no"


def ask(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    conversation_id: int,
    decision: Decision,
    verdict: Classification,
    now: datetime,
    answer_id: str,
    *,
    message_id: int | None = None,
) -> None:
    """Send the rule's reply with "Did this solve it? [Yes] [No, I need a person]" and wait."""
    config = settings.config
    rule = decision.rule
    if rule.reply is None:
        return
    locale = pick_locale(identity.locale, config.locales, config.default_locale)
    _move_on(repo, conversation_id, now)
    conversation = repo.get_conversation(conversation_id)
    repo.create_auto_answer(
        answer_id=answer_id,
        conversation=conversation,
        intent=verdict.intent,
        intent_confidence=verdict.intent_confidence,
        locale=locale,
        message_id=message_id,
        at=now,
    )
    reply = rule.reply.get(locale) or rule.reply[config.default_locale]
    send_prompt(
        repo, identity, conversation_id, _question(settings, answer_id, reply, locale), now, locale=locale
    )
    support_answered(repo, settings, conversation_id, now, idle_timer=False)
    repo.cancel_timer(IDLE_TIMER, str(conversation_id))  # silence has its own meaning here
    repo.schedule(CONFIRM_TIMER, answer_id, now + rule.confirm_after, now)


def _move_on(repo: Repository, conversation_id: int, now: datetime) -> None:
    """A new automatic answer replaces one still waiting: the customer asked something else
    instead of answering it."""
    earlier = repo.pending_auto_answer(conversation_id)
    if earlier is not None:
        repo.settle_auto_answer(earlier.id, "moved_on", "implied", now)
        repo.cancel_timer(CONFIRM_TIMER, earlier.id)


def taken_over(repo: Repository, conversation_id: int, now: datetime) -> None:
    """An agent wrote while an automatic answer waited for its yes or no: a person has the
    conversation now, so the answer settles as ``moved_on`` and neither its silence nor a late yes
    resolves the conversation as the bot's."""
    _move_on(repo, conversation_id, now)


def _question(settings: Settings, answer_id: str, reply: str, locale: str) -> AskChoice:
    """The reply with "Did this solve it? [Yes] [No, I need a person]" under it."""
    options = (
        Option(YES, settings.text("confirm_yes", locale)),
        Option(NO, settings.text("confirm_no", locale)),
    )
    return AskChoice(answer_id, STEP, f"{reply}\n\n{settings.text('confirm_question', locale)}", options)


def tapped(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    answer: AutoAnswer,
    value: str,
    label: str,
    now: datetime,
    new_survey_id: str,
    platform_id: str,
) -> bool:
    """The customer tapped Yes or No under an automatic answer; ``False`` if it changed nothing.

    Only the chat the answer was sent to may settle it: a tap names the answer by its id, which any
    client can put in a forged tap (the web chat's ``choice``), and another customer's tap must not
    write into that conversation or close it."""
    said: Confirmation | None = YES if value == YES else NO if value == NO else None
    if said is None or repo.get_conversation(answer.conversation_id).identity_id != identity.id:
        return False
    text = label or settings.text(f"confirm_{said}", answer.locale or identity.locale or "en")
    return _answered(repo, settings, identity, answer, said, "tap", text, now, new_survey_id, platform_id)


def typed(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    text: str,
    classification: Classification | None,
    now: datetime,
    new_survey_id: str,
    platform_id: str,
) -> int | None:
    """A typed yes or no to the identity's pending automatic answer; the conversation id if it was
    one (``None``: not an answer to it, or nothing is pending)."""
    current = repo.open_conversation(identity.id)
    answer = repo.pending_auto_answer(current.id) if current is not None else None
    if answer is None:
        return None
    # A typed button label counts too; its number ("1") only while no survey question is open,
    # where "1" is a rating.
    numbers = repo.active_survey(identity.id) is None
    said = parse_confirmation(text) or _by_label(settings, text, numbers=numbers)
    if said is None:
        return None
    if said == YES and _upset(classification):
        said = NO  # "thanks, the parcel is lost AGAIN": not solved; never close it on a guess
    _answered(
        repo, settings, identity, answer, said, "typed", text, now, new_survey_id, platform_id, classification
    )
    return answer.conversation_id


def _upset(verdict: Classification | None) -> bool:
    """Triage reads the reply as negative or as needing a person."""
    return verdict is not None and (verdict.sentiment == "negative" or verdict.wants_human)


def implied(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    conversation_id: int,
    verdict: Classification | None,
    now: datetime,
    new_survey_id: str,
    *,
    during_survey: bool,
    text: str = "",
) -> bool:
    """Read the customer's other message ``text`` (already stored) as an answer to a pending automatic
    answer; returns whether triage should still act on the message.

    A thank-you settles it as solved; a new request another triage rule handles moves on (and that
    rule acts); anything else means the problem is still there: a person takes over now.
    """
    answer = repo.pending_auto_answer(conversation_id)
    if answer is None:
        return True
    if verdict is not None and verdict.intent == "greeting_thanks" and verdict.sentiment != "negative":
        _settle(repo, settings, answer, YES, "implied", now, new_survey_id)
        return False
    config = settings.config
    rules, threshold = config.triage, config.nlu.threshold
    if (
        verdict is not None
        and verdict.intent != answer.intent
        and decide(rules, verdict, threshold, during_survey=during_survey, text=text) is not None
    ):
        repo.settle_auto_answer(answer.id, "moved_on", "implied", now)
        repo.cancel_timer(CONFIRM_TIMER, answer.id)
        return True
    _settle(repo, settings, answer, NO, "implied", now, new_survey_id)
    return False


def silence(repo: Repository, settings: Settings, answer_id: str, now: datetime, new_survey_id: str) -> str:
    """The confirm timer fired: no answer counts as solved."""
    answer = repo.get_auto_answer(answer_id)
    if answer is None or answer.status != "pending":
        return f"automatic answer {answer_id} already {answer.status if answer else 'gone'}"
    if not repo.settle_auto_answer(answer_id, "silent", "timer", now):
        return f"automatic answer {answer_id} already settled"
    conversation = repo.get_conversation(answer.conversation_id)
    if conversation.status != "open":
        return f"automatic answer {answer_id}: no reply; conversation already {conversation.status}"
    result = resolve(repo, settings, conversation.id, "bot_resolved", "bot", now, new_survey_id)
    return f"automatic answer {answer_id}: no reply, resolved by the bot; {survey_outcome(result, now)}"


def _answered(
    repo: Repository,
    settings: Settings,
    identity: Identity,
    answer: AutoAnswer,
    said: Confirmation,
    how: str,
    text: str,
    now: datetime,
    new_survey_id: str,
    platform_id: str,
    classification: Classification | None = None,
) -> bool:
    """Store the customer's yes or no in the conversation and act on it."""
    late_no = answer.status == "silent" and said == NO
    if answer.status != "pending" and not late_no:
        return False
    repo.add_message_later(
        identity_id=identity.id,
        conversation_id=answer.conversation_id,
        direction="in",
        author="customer",
        text=text,
        at=now,
        payload={"survey": answer.id, "step": STEP, "value": said},
        platform_id=platform_id,
        classification=classification,
    )
    return _settle(
        repo, settings, answer, said, how, now, new_survey_id, was="silent" if late_no else "pending"
    )


def _settle(
    repo: Repository,
    settings: Settings,
    answer: AutoAnswer,
    said: Confirmation,
    how: str,
    now: datetime,
    new_survey_id: str,
    *,
    was: str = "pending",
) -> bool:
    if not repo.settle_auto_answer(answer.id, said, how, now, was=was):
        return False
    repo.cancel_timer(CONFIRM_TIMER, answer.id)
    conversation = repo.get_conversation(answer.conversation_id, lock=True)
    identity = repo.get_identity(conversation.identity_id)
    locale = pick_locale(identity.locale, settings.config.locales, settings.config.default_locale)
    if said == YES:
        if conversation.status == "open":
            send_prompt(
                repo,
                identity,
                conversation.id,
                Say(settings.text("confirm_thanks", locale)),
                now,
                locale=locale,
            )
            resolve(repo, settings, conversation.id, "bot_resolved", "bot", now, new_survey_id)
        return True
    conversation = reopen(repo, conversation)
    customer_wrote(repo, conversation.id, now)
    reason = f"the automatic answer ({answer.intent}) did not help"
    escalate(repo, settings, conversation, [reason], now, by="customer")
    return True


def _by_label(settings: Settings, text: str, *, numbers: bool) -> Confirmation | None:
    """A typed button label ("No, I need a person") or, with ``numbers``, its number ("2")."""
    labels = [
        (value, [settings.text(f"confirm_{value}", locale) for locale in settings.config.locales])
        for value in (YES, NO)
    ]
    if not numbers and text.strip().isdigit():
        return None
    picked = parse_choice(text, labels)
    return YES if picked == YES else NO if picked == NO else None
