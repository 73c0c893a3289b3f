"""The WhatsApp channel: sends prompts inside the 24-hour window and the rate limits, takes webhooks."""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from dataclasses import replace
from datetime import UTC, datetime

from fastapi import APIRouter

from adapters.base import AdapterContext
from adapters.http import RateLimits
from adapters.poster import Poster
from adapters.whatsapp.graph import GraphApi, graph_error
from adapters.whatsapp.render import (
    CAPABILITIES,
    OPAQUE_MAX,
    WINDOW,
    Message,
    render,
    start_payload,
    template_message,
)
from adapters.whatsapp.webhook import webhook_router
from adapters.whatsapp.wire import Delivery, StatusUpdate, new_type, parse_webhook
from bot.config.channels import WhatsAppConfig
from bot.delivery import outbox_id
from bot.errors import DeliveryError
from bot.inbox import InboxItem
from bot.ports import Recipient, Sent
from bot.prompts import AskChoice, AskRating, AskText, Prompt
from storage.opened import read_receipt

log = logging.getLogger("csatbot.whatsapp")

PAIR_RATE: tuple[float, float] = (5.0, 30.0)
"""Per user: one message per 6 seconds on average, in bursts of up to 5 (WhatsApp's pair rate:
about 1 per 6 s, short bursts borrowed from later; error 131056 beyond). A leaky bucket of 5 that
drains one message every 6 s: a re-prompt and its question go out together, a flood does not."""
THROUGHPUT = 80.0
"""Messages per second per phone number (error 130429 beyond)."""


MAX_NEW_TYPES = 100
"""Undocumented message types logged (each once) per process: the set of them stays bounded."""
TYPE_SHOWN = 64
"""Characters of such a type a log line shows."""


class WhatsAppChannel:
    """WhatsApp Cloud API: webhook routes in, ``/{phone-number-id}/messages`` out.

    ``per_user`` is the per-user rate as (messages, seconds) (see :data:`PAIR_RATE`, the default);
    tests may pass a faster one. ``capabilities.reopens_window`` is set when a template is configured.
    """

    name = "whatsapp"

    def __init__(
        self,
        config: WhatsAppConfig,
        ctx: AdapterContext,
        *,
        per_user: tuple[float, float] | None = PAIR_RATE,
        per_second: float = THROUGHPUT,
    ) -> None:
        self.config = config
        self.ctx = ctx
        self.capabilities = replace(CAPABILITIES, reopens_window=config.template is not None)
        self.graph = GraphApi(Poster(), str(config.api_base), ctx.environ[config.token_env])
        self.app_secret = ctx.environ[config.app_secret_env]
        self.verify_token = ctx.environ[config.verify_token_env]
        self.per_user = per_user
        self.limits = RateLimits(per_second, per_user)
        self.counts: Counter[str] = Counter()
        self.new_types: set[str] = set()
        """Message types not documented when this was written, each logged once when first seen."""
        """Webhook outcomes (messages, duplicates, statuses, bad_signature, malformed, errors)."""
        self._seen_statuses: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def send(self, to: Recipient, prompt: Prompt) -> Sent:
        """Render ``prompt`` (or the template outside the window) and post it; the last ``wamid``."""
        phone_number_id = to.account or self.config.phone_number_id
        if not phone_number_id:
            raise DeliveryError(
                f"{self.name}: no phone number to send from (set channels.whatsapp.phone_number_id)",
                permanent=True,
            )
        wamid = ""
        for message in self.outgoing(to, prompt):
            if to.reference:  # echoed in the status webhooks: a send with no answer is reconciled
                message = {**message, "biz_opaque_callback_data": to.reference[:OPAQUE_MAX]}
            async with self.limits.slot(to.user):
                wamid = await self.graph.send(phone_number_id, message)
        return Sent(wamid)

    def outgoing(self, to: Recipient, prompt: Prompt) -> list[Message]:
        """The messages for ``prompt``: itself inside the 24-hour window; outside it, a question
        becomes the approved template (its quick reply continues the survey) and anything else is
        refused with a permanent :class:`DeliveryError` saying why."""
        if self.in_window(to.last_inbound_at):
            return render(prompt, to.user)
        why = "outside WhatsApp's 24-hour window (the customer's last message is older, or there is none)"
        template = self.config.template
        if not isinstance(prompt, AskRating | AskChoice | AskText):
            raise DeliveryError(
                f"{self.name}: not sent: {why}; only a template may be sent now", permanent=True
            )
        if template is None:
            raise DeliveryError(
                f"{self.name}: survey not sent: {why}, and no approved template is configured "
                "(channels.whatsapp.template)",
                permanent=True,
            )
        return [template_message(to.user, template, start_payload(prompt.survey, prompt.step))]

    def in_window(self, last_inbound_at: datetime | None) -> bool:
        """Whether free-form messages may still be sent after the customer wrote at ``last_inbound_at``."""
        if last_inbound_at is None:
            return False
        if last_inbound_at.tzinfo is None:
            last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
        return self.ctx.clock.now() - last_inbound_at < WINDOW

    async def receive(self, delivery: Delivery, *, inbox_id: int | None = None) -> bool:
        """Hand a verified webhook's messages to the service (deduped there), then its statuses.

        ``inbox_id`` (the row the delivery was stored in) is marked done by the last message's turn
        when no status follows it (a status is durable work of its own); whether it was."""
        last = len(delivery.messages) - 1 if inbox_id is not None and not delivery.statuses else -1
        for n, message in enumerate(delivery.messages):
            kind = new_type(message)
            if kind is not None and kind not in self.new_types and len(self.new_types) < MAX_NEW_TYPES:
                self.new_types.add(kind)
                shown = repr(
                    kind[:TYPE_SHOWN]
                )  # escaped: a type holding a line break made a log line of its own
                unknown = "%s: a message of type %s, unknown to csatbot: stored as [%s]"
                log.warning(unknown, self.name, shown, shown[1:-1])
            result = await self.ctx.service.handle(message, inbox_id=inbox_id if n == last else None)
            self.counts["duplicates" if result.duplicate else "messages"] += 1
        for status in delivery.statuses:
            await self.status_update(status)
        for error in delivery.errors:
            self.counts["errors_reported"] += 1
            log.warning("%s: WhatsApp reported error %s: %s", self.name, error.code, error.title)
        return last >= 0

    async def handle_stored(self, item: InboxItem) -> bool:
        """A delivery the webhook stored (:mod:`bot.inbox`): hand it to :meth:`receive`; whether
        a turn marked the inbox row done (:attr:`InboxItem.turn_marks`)."""
        return await self.receive(parse_webhook(item.body, item.received_at), inbox_id=item.turn_marks)

    async def status_update(self, status: StatusUpdate) -> None:
        """Act on a status webhook once per (wamid, status): ``failed`` marks the message failed;
        the others confirm a message whose send got no answer (matched by our outbox id, echoed in
        ``biz_opaque_callback_data``); ``read`` also marks the message's survey opened."""
        key = (status.wamid, status.status)
        if key in self._seen_statuses:
            return
        if status.status == "failed":
            first = status.errors[0] if status.errors else None
            await self.delivery_failed(
                status.wamid,
                first.code if first else None,
                first.title if first else "failed, no reason given",
                status.reference,
            )
        elif status.reference and status.status in ("sent", "delivered", "read"):
            await self.ctx.service.delivery_confirmed(self.name, status.reference, status.wamid)
        if status.status == "read":
            await self.survey_read(status)
        # Remembered only once handled: if handling failed, WhatsApp's redelivery is handled again.
        self._seen_statuses[key] = None
        while len(self._seen_statuses) > 10_000:
            self._seen_statuses.popitem(last=False)
        self.counts["statuses"] += 1

    async def survey_read(self, status: StatusUpdate) -> None:
        """The customer read a message: if it was a survey's, the survey counts as opened."""
        work = read_receipt(self.name, status.wamid, outbox_id(status.reference), self.ctx.clock.now())
        if await self.ctx.service.store.run(work):
            self.counts["surveys_opened"] += 1

    async def delivery_failed(self, wamid: str, code: int | None, title: str, reference: str = "") -> None:
        """A message WhatsApp accepted could not be delivered (a ``failed`` status webhook).

        The error is mapped like any Graph error (:func:`graph_error`), logged, and recorded on the
        outbox row that was sent as ``wamid``.
        """
        self.counts["failed"] += 1
        error = graph_error(code, title)
        log.warning("%s: message %s was not delivered: %s", self.name, wamid, error)
        await self.ctx.service.delivery_failed(self.name, wamid, str(error), reference)

    def routes(self) -> APIRouter:
        return webhook_router(self)

    async def start(self) -> None:
        if self.config.template is None:
            log.warning(
                "%s: no channels.whatsapp.template configured: surveys outside the 24-hour window "
                "will not be sent",
                self.name,
            )

    async def stop(self) -> None:
        await self.graph.aclose()
