"""The conversation service: the async face of the core that adapters and the API call."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Literal

from bot import backlog, confirmation, privacy, tickets, turns
from bot.classification import Classification
from bot.config.durations import format_duration
from bot.delivery import outbox_id
from bot.errors import ERASED_CUSTOMER, ConflictError
from bot.keyed import replayed
from bot.leases import Leases
from bot.links import LINK_TTL, link_digest, new_link_token
from bot.masking import mask
from bot.messages import InboundMessage, Text
from bot.ports import Classifier, Clock, Meter, NoMeter
from bot.reachability import undelivered
from bot.records import DueTimer, KeyedRequest, Ticket
from bot.repository import Repository, Store
from bot.settings import Settings
from bot.storable import storable_message
from bot.turns import ResolveResult, TurnResult

log = logging.getLogger("csatbot.service")
TicketAction = Literal["claim", "assign", "note", "reply", "resolve", "close"]


def new_survey_id() -> str:
    """A short opaque survey id (8 URL-safe characters) that fits in every platform's button data.

    It never starts with ``-`` or ``_``: a spreadsheet would read a leading ``-`` as a formula, so
    the CSV export would have to quote the id and it would no longer match the console's."""
    while (survey_id := secrets.token_urlsafe(6))[0] in "-_":
        pass
    return survey_id


def _work_ticket(
    repo: Repository,
    *,
    settings: Settings,
    action: TicketAction,
    ticket_id: int,
    agent: str,
    text: str,
    now: datetime,
    survey_id: str,
    receipt: tuple[str, str, str] | None,
    request: KeyedRequest | None,
) -> Ticket:
    """One agent action on a ticket (see :meth:`ConversationService.ticket`), in its transaction."""
    if receipt is not None and not repo.claim_receipt(*receipt, now):
        return repo.get_ticket(ticket_id)
    if replayed(repo, request, now) is not None:
        return repo.get_ticket(ticket_id)
    if request is not None:
        repo.answer_request(request, ticket_id)
    match action:
        case "claim":
            return tickets.assign(
                repo, ticket_id, agent, agent, now, settings=settings, claim=True, holder=text or None
            )
        case "assign":
            return tickets.assign(repo, ticket_id, text, agent, now, settings=settings)
        case "note":
            return tickets.note(repo, ticket_id, agent, text, now)
        case "reply":
            ticket = tickets.contacted(repo, ticket_id, agent, now)
            turns.agent_reply(repo, settings, ticket.conversation_id, agent, text, now)
            return ticket
        case "resolve":
            return tickets.resolve(repo, settings, ticket_id, agent, now, survey_id)
        case "close":
            return tickets.close(repo, ticket_id, agent, now, config=settings.config)


def _escalate(
    repo: Repository, settings: Settings, conversation_id: int, agent: str, reason: str, now: datetime
) -> Ticket:
    """An agent's escalation (see :meth:`ConversationService.escalate`), in its transaction."""
    conversation = repo.get_conversation(conversation_id)
    if repo.get_identity(conversation.identity_id, lock=True).unreachable == ERASED_CUSTOMER:
        raise ConflictError(
            f"conversation {conversation_id} is an erased customer's: it is not escalated "
            "(a team could not contact them; one who writes again is a new customer)"
        )
    confirmation.taken_over(repo, conversation_id, now)  # a person has it: no "yes" closes it now
    return tickets.escalate(repo, settings, conversation, [reason], now, by=agent)


class ConversationService:
    """Handles inbound messages, agent actions and due timers, one transaction per turn."""

    def __init__(
        self,
        store: Store,
        settings: Callable[[], Settings],
        clock: Clock,
        *,
        classifier: Classifier | None = None,
        new_id: Callable[[], str] = new_survey_id,
        wake: Callable[[], None] = lambda: None,
        meter: Meter | None = None,
        leases: Leases | None = None,
    ) -> None:
        self.store = store
        self.leases = leases or Leases("")
        self.meter: Meter = meter or NoMeter()
        self.settings = settings
        self.clock = clock
        self.classifier = classifier
        self.new_id = new_id
        self.wake = wake
        self._said_not_ready = False
        self._said_triage_failed = False
        # One timer run at a time in this process: an agent's "send now" waits for a run already
        # under way (which may hold its survey's timer) instead of returning before the survey is out.
        self._firing = asyncio.Lock()

    def _queued(self) -> None:
        """After a unit of work that may have queued messages: wake the sender, unless the store
        hands it what was queued already (then it has them, and was woken for anything else)."""
        if self.store.handoff is None:
            self.wake()

    async def handle(self, msg: InboundMessage, *, inbox_id: int | None = None) -> TurnResult:
        """Process one inbound message exactly once (a redelivery returns ``duplicate=True``).

        ``inbox_id``: the inbox row the message came from, marked done in the turn's transaction
        (its handler has nothing durable left to do: see :data:`bot.inbox.Handler`)."""
        started = time.perf_counter()
        msg = storable_message(msg)  # a NUL or a lone surrogate must not fail the insert (and the retry)
        classification = await self._classify(msg)
        queue = classification is None and self._waiting_for_model(msg)
        settings = self.settings()
        if settings.config.masking and isinstance(msg.payload, Text):
            # Triage saw the words; what is kept (and copied to tickets and teams) is masked.
            masked = mask(msg.payload.text, settings.config.masking)
            msg = replace(msg, payload=replace(msg.payload, text=masked))
        now = self.clock.now()
        survey_id = self.new_id()

        def work(repo: Repository) -> TurnResult:
            result = turns.inbound(repo, settings, msg, now, classification, survey_id, queue_triage=queue)
            if inbox_id is not None:
                repo.inbox_done(inbox_id, now)
            return result

        result = await self.store.run(work)
        if not result.duplicate:
            self._queued()
        self.meter.observe("turn", time.perf_counter() - started, channel=msg.channel)
        return result

    async def agent_reply(
        self,
        conversation_id: int,
        agent: str,
        text: str,
        *,
        receipt: tuple[str, str, str] | None = None,
        request: KeyedRequest | None = None,
    ) -> int | None:
        """Send a support agent's reply to the customer; returns the stored message id.

        ``receipt`` (as for :meth:`ticket`: the form it came from) sends it once however often that is
        submitted: a repeat sends nothing and returns ``None``. ``request`` (an API request's
        ``Idempotency-Key``) sends it once too, and a repeat returns the first one's message id.
        Raises ``WindowClosedError`` when the channel's messaging window is closed."""
        settings = self.settings()
        now = self.clock.now()

        def work(repo: Repository) -> int | None:
            if receipt is not None and not repo.claim_receipt(*receipt, now):
                return None
            if (first := replayed(repo, request, now)) is not None:
                return first.result
            message_id = turns.agent_reply(repo, settings, conversation_id, agent, text, now)
            if request is not None:
                repo.answer_request(request, message_id)
            return message_id

        message_id = await self.store.run(work)
        self._queued()
        return message_id

    async def ticket(
        self,
        action: TicketAction,
        ticket_id: int,
        agent: str,
        text: str = "",
        *,
        receipt: tuple[str, str, str] | None = None,
        request: KeyedRequest | None = None,
    ) -> Ticket:
        """Work a ticket as ``agent``: claim (``text`` names whom the agent saw holding it, if
        anyone: a claim takes it from no one else), assign (``text`` names the assignee), note,
        reply, resolve or close. Raises ``NotFoundError`` / ``ConflictError`` (e.g. resolving a
        closed one, or claiming one another agent took first: ``TakenError``).

        ``receipt`` (channel, account, platform message id) makes an action from a chat button
        happen once however often the platform delivers the tap, and one from a console form once
        however often it is submitted (a double click): a repeat returns the ticket as is.
        ``request``, an API request's ``Idempotency-Key`` (a retry after a timeout), likewise; the key
        used for another request is ``KeyReusedError``.
        """
        settings = self.settings()
        now = self.clock.now()
        survey_id = self.new_id() if action == "resolve" else ""  # a resolved DSAT ticket's re-survey

        work = partial(
            _work_ticket, settings=settings, action=action, ticket_id=ticket_id, agent=agent, text=text,
            now=now, survey_id=survey_id, receipt=receipt, request=request,
        )  # fmt: skip
        ticket = await self.store.run(work)
        self._queued()
        return ticket

    async def escalate(
        self, conversation_id: int, agent: str, reason: str, *, request: KeyedRequest | None = None
    ) -> Ticket:
        """An agent hands the conversation to a team: open a ticket (or add to the open one).
        ``ConflictError`` for an erased customer's: nobody could be contacted, nothing be said.
        ``request`` (an API request's ``Idempotency-Key``) escalates once: a repeat returns the first
        one's ticket, even once that ticket is resolved (it used to open another)."""
        settings = self.settings()
        now = self.clock.now()

        def work(repo: Repository) -> Ticket:
            if (first := replayed(repo, request, now)) is not None and first.result is not None:
                return repo.get_ticket(first.result)
            ticket = _escalate(repo, settings, conversation_id, agent, reason, now)
            if request is not None:
                repo.answer_request(request, ticket.id)
            return ticket

        ticket = await self.store.run(work)
        self._queued()
        return ticket

    async def delivery_failed(self, channel: str, platform_id: str, error: str, reference: str = "") -> bool:
        """Record that a message the platform had accepted failed later (a WhatsApp ``failed`` status).

        ``reference`` (``outbox:<id>``) finds a message whose send got no answer (no platform id
        recorded yet). Returns ``False`` when no sent message has that platform id.
        """
        item_id, now = outbox_id(reference), self.clock.now()

        def work(repo: Repository) -> tuple[int | None, str | None]:
            row = repo.outbox_rejected(channel, platform_id, error, item_id)
            # Its survey closes with it, as when the send itself fails (bot.reachability).
            return row, (undelivered(repo, row, error, now) if row is not None else None)

        row, survey = await self.store.run(work)
        if row is None:
            log.warning("%s reported message %s failed; no sent message has that id", channel, platform_id)
            return False
        log.error("outbox %s: %s reported delivery failed: %s", row, channel, error)
        if survey is not None:
            log.warning("survey %s closed: its question could not be delivered (outbox %s)", survey, row)
        return True

    async def delivery_confirmed(self, channel: str, reference: str, platform_id: str) -> bool:
        """The platform confirmed a message we sent (a status webhook echoing ``outbox:<id>``): a
        send that got no answer is recorded as sent now, and never sent again."""
        item_id = outbox_id(reference)
        if item_id is None:
            return False
        now = self.clock.now()
        changed = await self.store.run(lambda repo: repo.outbox_confirmed(item_id, platform_id, now))
        if changed:
            log.info("outbox %s: %s confirmed it (%s); not sending it again", item_id, channel, platform_id)
            self.wake()  # the customer's later messages waited for it
        return changed

    async def link_token(
        self,
        customer_id: int,
        *,
        keyed: Callable[[datetime], str] | None = None,
        request: KeyedRequest | None = None,
    ) -> tuple[str, datetime]:
        """A new deep-link token for the customer and when it expires (``/start <token>`` on Telegram
        links that chat to them, once). ``request`` (an API request's ``Idempotency-Key``) makes one
        link: a repeat stores nothing and answers the first one's token and expiry; ``keyed`` makes the
        token from when the key first came (:func:`bot.links.keyed_link_token`), else it is random."""
        now = self.clock.now()
        fresh = new_link_token() if keyed is None else ""  # a keyed token needs no random one

        def work(repo: Repository) -> tuple[str, datetime]:
            first = replayed(repo, request, now)
            made = now if first is None else first.at
            token = keyed(made) if keyed is not None else fresh
            if first is not None:
                return token, made + LINK_TTL
            repo.add_link_token(customer_id, link_digest(token), now, now + LINK_TTL)
            if request is not None:
                repo.answer_request(request, customer_id)
            return token, now + LINK_TTL

        return await self.store.run(work)

    async def erase_customer(
        self, customer_id: int, actor: str, *, request: KeyedRequest | None = None
    ) -> dict[str, int]:
        """Forget the customer's words and identity (counts stay); ``actor`` is recorded in the audit
        trail. ``NotFoundError`` for an unknown customer. ``request`` (an API request's
        ``Idempotency-Key``): a repeat erases and audits nothing again and returns the first counts."""
        now = self.clock.now()

        def work(repo: Repository) -> dict[str, int]:
            if (first := replayed(repo, request, now)) is not None and first.answer is not None:
                return {name: int(count) for name, count in first.answer.items()}
            counts = privacy.erase(repo, customer_id, actor, now)
            if request is not None:
                repo.answer_request(request, customer_id, dict(counts))
            return counts

        counts = await self.store.run(work)
        log.info("customer %s erased by %s", customer_id, actor)
        return counts

    async def schedule_retention(self) -> bool:
        """Make sure the daily retention sweep is scheduled (the runtime calls this at start)."""
        now = self.clock.now()
        return await self.store.run(lambda repo: privacy.ensure_retention(repo, now))

    async def resolve(
        self,
        conversation_id: int,
        by: str,
        how: turns.Resolution = "agent_resolved",
        *,
        send_now: bool = False,
        request: KeyedRequest | None = None,
    ) -> ResolveResult:
        """Mark a conversation resolved and schedule its survey per the triggers. ``request`` (an API
        request's ``Idempotency-Key``): a repeat returns what the first returned (not the
        ``already_resolved`` a later resolve gets)."""
        settings = self.settings()
        now = self.clock.now()
        survey_id = self.new_id()

        def work(repo: Repository) -> ResolveResult:
            if (first := replayed(repo, request, now)) is not None and first.answer is not None:
                return ResolveResult.from_json(first.answer)
            result = turns.resolve(
                repo, settings, conversation_id, how, by, now, survey_id, send_now=send_now
            )
            if request is not None:
                repo.answer_request(request, conversation_id, result.as_json())
            return result

        result = await self.store.run(work)
        if send_now:
            await self.fire_due_timers()
        return result

    async def fire_due_timers(self, limit: int = 100) -> list[str]:
        """Claim and carry out every timer that is due now; each in its own transaction.

        The claim is a short lease (:class:`bot.leases.Leases`), renewed while this runs."""
        async with self._firing:
            return await self._fire_due(limit)

    async def _fire_due(self, limit: int) -> list[str]:
        now = self.clock.now()
        until, worker = self.leases.until(now), self.leases.worker
        due = await self.store.run(lambda repo: repo.claim_due_timers(now, limit, until, worker))
        self.leases.timers.update(timer.id for timer in due)
        done: list[str] = []
        try:
            for timer in due:
                outcome = await self._fire(timer, now)
                self.leases.timers.discard(timer.id)
                if outcome is not None:
                    log.info("timer %s: %s", timer.kind, outcome)
                    done.append(outcome)
        finally:
            self.leases.timers.difference_update(timer.id for timer in due)
        if done:
            self._queued()
        return done

    async def _fire(self, timer: DueTimer, now: datetime) -> str | None:
        settings = self.settings()
        survey_id = self.new_id()
        try:
            return await self.store.run(
                partial(turns.fire_timer, settings=settings, timer=timer, now=now, new_survey_id=survey_id)
            )
        except Exception:
            # One bad timer must not stop the others; it stays claimed and is retried after its lease.
            log.exception("timer %s (%s %s) failed", timer.id, timer.kind, timer.subject)
            return None

    async def triage_backlog(self, batch: int = 32) -> int:
        """Triage the messages that came in while the model was not ready; returns how many.

        The runtime calls this once the model is ready. Each message is its own transaction.
        """
        classifier = self.classifier
        if classifier is None or not classifier.ready:
            return 0
        done = 0
        while items := await self.store.run(lambda repo: backlog.waiting(repo, batch)):
            verdicts = await asyncio.to_thread(classifier.classify, [item.text for item in items])
            settings = self.settings()
            for item, verdict in zip(items, verdicts, strict=True):
                work = partial(
                    backlog.triage_late,
                    settings=settings,
                    item=item,
                    verdict=verdict,
                    now=self.clock.now(),
                    new_survey_id=self.new_id(),
                )
                outcome = await self.store.run(work)
                if outcome is not None:
                    log.info("%s", outcome)
                    done += 1
        if done:
            log.info("triaged %d messages that waited for the model", done)
            self._queued()
        return done

    def _waiting_for_model(self, msg: InboundMessage) -> bool:
        return self.classifier is not None and not self.classifier.ready and isinstance(msg.payload, Text)

    async def _classify(self, msg: InboundMessage) -> Classification | None:
        classifier = self.classifier
        if classifier is None or not isinstance(msg.payload, Text):
            return None
        if not classifier.ready:
            if not self._said_not_ready:
                wait = self.settings().config.nlu.queue_for
                log.warning(
                    "the triage model is not ready yet: messages are stored and %s",
                    f"queued for triage once it is (for up to {format_duration(wait)})"
                    if wait is not None
                    else "left untriaged (nlu.queue_for is null)",
                )
                self._said_not_ready = True
            return None
        if self._said_not_ready:
            log.info("the triage model is ready: triaging messages from now on")
            self._said_not_ready = False
        text = msg.payload.text
        try:
            results = await asyncio.to_thread(classifier.classify, [text])
        except Exception:  # a broken model costs the triage, never the message or a survey
            if not self._said_triage_failed:
                log.exception("triage failed: messages are stored untriaged until it works again")
                self._said_triage_failed = True
            return None
        self._said_triage_failed = False
        return results[0] if results else None
