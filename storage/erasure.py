"""Forgetting customers' words and identity: erasing one customer, and the daily retention sweep.

What counts stays: conversations, surveys with their scores and picked options, tickets with their
status and audit actions, and message rows (so totals and reports keep their numbers). What goes is
everything that holds what the customer (or an agent, about them) wrote, and who they are:

==================  =========================================================================
identity            ``user`` becomes ``erased-<id>``; name and language blanked; unreachable
                    (``customer erased``: no reply, survey or notice goes to it again)
customer            name and language blanked; unused deep-link tokens deleted
message             text becomes ``[erased]``; the prompt, platform id and labels are dropped
answer              typed text and raw input dropped (score and option stay)
survey              answers' text dropped from the saved state
ticket              transcript, answers and reasons copies emptied
ticket event        notes, replies and reasons dropped (``assigned`` keeps the assignee)
outbox              recipient and payload emptied; what was still to send is not sent
inbox               the raw platform updates they sent (pending, failed or done) deleted
inbound receipt     dedupe keys that name them (the web chat's ``<user>/<client id>``) deleted
==================  =========================================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlmodel import Session, col

from bot.errors import ERASED_CUSTOMER, ERASED_USER
from models import (
    Answer,
    ApiRequest,
    AuditEvent,
    ConsoleSession,
    Conversation,
    Customer,
    Identity,
    InboundReceipt,
    InboxRow,
    LinkToken,
    LoginThrottle,
    Message,
    Outbox,
    RateBucket,
    SignedRequest,
    Survey,
    Ticket,
    TicketEvent,
)

ERASED = "[erased]"
KEPT_EVENT_DETAILS = ("assigned",)
"""Ticket events whose detail is an agent's name, not something about the customer."""
WORDED_EVENTS = ("note", "customer_wrote")
"""Ticket events whose detail holds someone's words (an agent's note, the customer's message)."""
PENDING = ("pending", "sending")


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _set(session: Session, table: Any, *where: Any, **values: Any) -> int:
    """``UPDATE table SET values WHERE where``; returns how many rows."""
    return _count(session.execute(update(table).where(*where).values(**values)))


def _drop(session: Session, table: Any, *where: Any) -> int:
    return _count(session.execute(delete(table).where(*where)))


def _ids(session: Session, query: Any) -> list[Any]:
    return [row[0] for row in session.execute(query).all()]


def _forget_survey_texts(session: Session, survey_ids: Iterable[str]) -> int:
    """Drop typed text from the answers kept in surveys' saved state (scores and options stay)."""
    changed = 0
    for survey in session.execute(select(Survey).where(col(Survey.id).in_(list(survey_ids)))).scalars():
        state = json.loads(survey.state) if survey.state else None
        answers = state.get("answers", []) if state else []
        if not any(a.get("text") not in (None, ERASED) or a.get("raw") for a in answers):
            continue
        for answer in answers:
            if answer.get("text") is not None:
                answer["text"] = ERASED
            answer["raw"] = ""
        survey.state = json.dumps(state, ensure_ascii=False, sort_keys=True)
        session.add(survey)
        changed += 1
    return changed


def _forget_outbox(session: Session, ids: list[int]) -> int:
    """Empty these outbox rows; those still to be sent are not sent."""
    if not ids:
        return 0
    mine = col(Outbox.id).in_(ids)
    _set(session, Outbox, mine, col(Outbox.status).in_(PENDING), status="erased")
    return _set(session, Outbox, mine, recipient={}, body={})


def _notices_about(session: Session, ticket_ids: set[int]) -> list[int]:
    """Outbox rows of notifications and team webhooks that carry one of ``ticket_ids``' contents."""
    query = select(col(Outbox.id), col(Outbox.body)).where(col(Outbox.kind).in_(("notify", "webhook")))
    found = []
    for row_id, body in session.execute(query).all():
        body = body or {}
        about = (body.get("notice") or {}).get("ticket_id") or (body.get("ticket") or {}).get("id")
        if about in ticket_ids:
            found.append(int(row_id))
    return found


def _forget_intake(session: Session, identities: list[int]) -> dict[str, int]:
    """Delete what the intake kept of these identities: their raw updates in the inbox (a failed one
    keeps its body), dedupe receipts whose key names them (the web chat's ``<user>/<client id>``) and
    their chats' rate buckets (keyed by the platform's user id)."""
    inbox = receipts = 0
    senders = select(col(Identity.channel), col(Identity.account), col(Identity.user)).where(
        col(Identity.id).in_(identities)
    )
    for channel, account, user in session.execute(senders).all():
        inbox += _drop(
            session, InboxRow, col(InboxRow.channel) == channel, col(InboxRow.sender) == user[:128]
        )
        named = col(InboundReceipt.platform_id).startswith(f"{user}/", autoescape=True)
        theirs = col(InboundReceipt.channel) == channel, col(InboundReceipt.account) == account, named
        receipts += _drop(session, InboundReceipt, *theirs)
        # Per-chat rate buckets are keyed "<channel>:<account>:chat:<user>" (a phone number on WhatsApp).
        key = col(RateBucket.key)
        buckets = (
            key.startswith(f"{channel}:", autoescape=True),
            key.endswith(f":chat:{user}", autoescape=True),
        )
        _drop(session, RateBucket, *buckets)
    return {"inbox": inbox, "receipts": receipts}


def _anonymise(session: Session, identities: list[int], at: datetime) -> None:
    """Each identity becomes ``erased-<id>``, nameless and unreachable: nothing is sent to it again."""
    for identity_id in identities:
        where = col(Identity.id) == identity_id
        anonymous = {"user": f"{ERASED_USER}{identity_id}", "display_name": "", "locale": ""}
        _set(session, Identity, where, **anonymous, unreachable=ERASED_CUSTOMER, unreachable_since=at)


def erase_customer(session: Session, customer_id: int, at: datetime) -> dict[str, int]:
    """Remove or anonymise every row holding the customer's words or identity, and mark their
    identities unreachable as of ``at`` (an agent's reply or a survey to ``erased-<id>`` stored new
    words about them and went to nobody); returns counts per table. ``LookupError`` when there is no
    such customer."""
    customer = session.get(Customer, customer_id, with_for_update=True)
    if customer is None:
        raise LookupError(customer_id)
    identities = _ids(session, select(col(Identity.id)).where(col(Identity.customer_id) == customer_id))
    theirs = col(Conversation.customer_id) == customer_id, col(Conversation.identity_id).in_(identities)
    conversations = _ids(session, select(col(Conversation.id)).where(or_(*theirs)))
    in_them = col(Survey.customer_id) == customer_id, col(Survey.conversation_id).in_(conversations)
    surveys = [str(s) for s in _ids(session, select(col(Survey.id)).where(or_(*in_them)))]
    on_them = col(Ticket.customer_id) == customer_id, col(Ticket.conversation_id).in_(conversations)
    tickets = set(_ids(session, select(col(Ticket.id)).where(or_(*on_them))))
    said = col(Message.identity_id).in_(identities), col(Message.conversation_id).in_(conversations)
    messages = _ids(session, select(col(Message.id)).where(or_(*said)))

    counts = {"identities": len(identities), **_forget_intake(session, identities)}
    _anonymise(session, identities, at)
    customer.display_name, customer.locale = "", ""
    session.add(customer)
    _drop(session, LinkToken, col(LinkToken.customer_id) == customer_id)
    deliveries = _ids(session, select(col(Outbox.id)).where(col(Outbox.message_id).in_(messages)))
    counts["outbox"] = _forget_outbox(session, [*deliveries, *_notices_about(session, tickets)])
    counts["messages"] = _set(
        session, Message, col(Message.id).in_(messages), text=ERASED, payload=None, platform_id=None
    )
    answered = col(Answer.survey_id).in_(surveys)
    counts["answers"] = _set(session, Answer, answered, raw="")
    _set(session, Answer, answered, col(Answer.text).is_not(None), text=ERASED)
    counts["surveys"] = _forget_survey_texts(session, surveys)
    counts["tickets"] = _set(
        session, Ticket, col(Ticket.id).in_(tickets), transcript=[], answers=[], reasons=[ERASED]
    )
    events = col(TicketEvent.ticket_id).in_(tickets), col(TicketEvent.action).not_in(KEPT_EVENT_DETAILS)
    counts["ticket_events"] = _set(session, TicketEvent, *events, detail="")
    return counts


def forget_before(
    session: Session, transcripts_before: datetime | None, comments_before: datetime | None, now: datetime
) -> dict[str, int]:
    """The retention sweep: customers' words older than the cutoffs (``None``: keep). Transcripts are
    message text, ticket transcript copies and the payloads of delivered messages and notifications;
    comments are survey answers' typed text. Transcripts also take the notes and customer messages in
    done tickets' events, failed inbox rows and old dedupe receipts. Expired sessions, deep links and
    old sign-in failures go too, and expired signed WeChat requests."""
    counts: dict[str, int] = {}
    if transcripts_before is not None:
        old = col(Message.created_at) < transcripts_before, col(Message.text) != ERASED
        counts["messages"] = _set(session, Message, *old, text=ERASED, payload=None)
        # Open tickets keep their copy while they are worked; done ones lose it with the messages.
        done = col(Ticket.updated_at) < transcripts_before, col(Ticket.status).in_(("resolved", "closed"))
        counts["tickets"] = _set(session, Ticket, *done, transcript=[], answers=[])
        closed = select(col(Ticket.id)).where(*done).scalar_subquery()
        old_events = col(TicketEvent.at) < transcripts_before, col(TicketEvent.ticket_id).in_(closed)
        worded = col(TicketEvent.action).in_(WORDED_EVENTS), col(TicketEvent.detail) != ""
        counts["ticket_events"] = _set(session, TicketEvent, *old_events, *worded, detail="")
        # Dead letters keep the raw update (words and sender); receipts may name the sender.
        dead = col(InboxRow.status) == "failed", col(InboxRow.received_at) < transcripts_before
        counts["inbox"] = _drop(session, InboxRow, *dead)
        counts["receipts"] = _drop(
            session, InboundReceipt, col(InboundReceipt.received_at) < transcripts_before
        ) + _drop(session, ApiRequest, col(ApiRequest.received_at) < transcripts_before)
        sent = col(Outbox.created_at) < transcripts_before, col(Outbox.status).not_in(PENDING)
        counts["outbox"] = _set(session, Outbox, *sent, body={}, recipient={})
    if comments_before is not None:
        typed = col(Answer.created_at) < comments_before, col(Answer.text).is_not(None)
        counts["answers"] = _set(session, Answer, *typed, col(Answer.text) != ERASED, text=ERASED, raw="")
        finished = col(Survey.finished_at) < comments_before, col(Survey.state).contains('"text": "')
        finished_ids = _ids(session, select(col(Survey.id)).where(*finished))
        counts["surveys"] = _forget_survey_texts(session, finished_ids)
    counts.update(_drop_expired(session, now))
    return counts


def _drop_expired(session: Session, now: datetime) -> dict[str, int]:
    """What the sweep drops whatever the cutoffs: expired sessions and deep links, old sign-in
    failures and signed WeChat requests."""
    stale = col(LoginThrottle.last_failure_at) < now - timedelta(days=1)  # forgotten after an hour anyway
    return {
        "sessions": _drop(session, ConsoleSession, col(ConsoleSession.expires_at) <= now),
        "link_tokens": _drop(session, LinkToken, col(LinkToken.expires_at) <= now),
        "sign_in_failures": _drop(session, LoginThrottle, stale),
        "signed_requests": _drop(session, SignedRequest, col(SignedRequest.expires_at) <= now),
    }


def audit(session: Session, actor: str, action: str, subject: str, at: datetime) -> None:
    """Record who did ``action`` to ``subject`` (never what the subject held)."""
    session.add(AuditEvent(at=at, actor=actor[:80], action=action, subject=subject[:80]))
