"""The one exception tree of csatbot.

Every error the project raises on purpose derives from :class:`CsatbotError`, so callers at the edge
(webhook handlers, the CLI) can tell our errors from bugs.
"""

from __future__ import annotations

from datetime import datetime, timedelta


class CsatbotError(Exception):
    """Root of every error csatbot raises on purpose."""


class ConfigError(CsatbotError):
    """``config.yaml`` is invalid; ``problems`` lists every finding, one line each."""

    def __init__(self, problems: list[str], source: str = "config.yaml") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: {len(problems)} problem(s)\n" + "\n".join(f"  {p}" for p in problems))


class SecretMissingError(ConfigError):
    """An enabled channel has no secret in the environment, or a secret there is not UTF-8; each
    problem names the variable."""

    def __init__(self, problems: list[str], source: str = "environment") -> None:
        super().__init__(problems, source)


class StorageError(CsatbotError):
    """The database cannot be reached or holds something unexpected."""


class NotFoundError(CsatbotError):
    """A referenced conversation, survey or ticket does not exist."""


class ConflictError(CsatbotError):
    """The request contradicts the current state (e.g. resolving a closed conversation)."""


class KeyReusedError(CsatbotError):
    """An ``Idempotency-Key`` already taken by another request (another route or body): nothing is
    done; the client must send a new key (the edge answers 422)."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was used for a different request (another route or body): "
            "nothing was done; send this request with a new key"
        )


class WindowClosedError(ConflictError):
    """A message cannot go out: the channel's messaging window is closed (WhatsApp 24 h, WeChat 48 h
    after the customer's last message). The customer has to write again first."""

    def __init__(
        self, channel: str, length: timedelta, last_inbound_at: datetime | None, closed_at: datetime | None
    ) -> None:
        self.channel = channel
        self.length = length
        self.last_inbound_at = last_inbound_at
        self.closed_at = closed_at
        hours = f"{length / timedelta(hours=1):g}-hour"
        if last_inbound_at is None or closed_at is None:
            why = f"the customer has never written on {channel}"
        else:
            why = (
                f"the customer last wrote at {last_inbound_at:%Y-%m-%d %H:%M} UTC, "
                f"so it closed at {closed_at:%Y-%m-%d %H:%M} UTC"
            )
        super().__init__(
            f"not sent: {channel} only lets us write within its {hours} window after the customer's "
            f"last message, and {why}; the reply can go out once the customer writes again"
        )


class TakenError(ConflictError):
    """A claim of a ticket another agent holds (the first claim keeps it; a lead can reassign it)."""

    def __init__(self, ticket_id: int, assignee: str) -> None:
        self.ticket_id = ticket_id
        self.assignee = assignee
        super().__init__(
            f"ticket {ticket_id} is already assigned to {assignee}; "
            "ask a lead to assign it to you if you should take it over"
        )


ERASED_CUSTOMER = "customer erased"
"""What an erased customer's identities say they are (``unreachable``): nothing goes to them again."""
ERASED_USER = "erased-"
"""What an erased identity's user id becomes (``erased-<id>``): no channel may give a customer such a name."""


class UnreachableError(ConflictError):
    """A message cannot go out: the customer blocked the bot, unsubscribed or was erased."""

    def __init__(self, channel: str, reason: str) -> None:
        self.channel = channel
        self.reason = reason
        again = (
            "an erased customer who writes again is a new customer, with a new conversation"
            if reason == ERASED_CUSTOMER
            else "replies can go out again once the customer comes back "
            "(unblocks the bot, subscribes or writes)"
        )
        super().__init__(f"not sent: {reason} on {channel}, so nothing we write can arrive; {again}")


class AdapterError(CsatbotError):
    """A channel adapter failed."""


class SignatureError(AdapterError):
    """A webhook request is not signed by the platform (missing, wrong or replayed signature)."""


class WireFormatError(AdapterError):
    """A webhook payload does not have the platform's documented shape."""


class DeliveryError(AdapterError):
    """Sending to a platform failed.

    ``retry_after`` (seconds) is set when the platform said when to try again; ``permanent`` marks
    failures that retrying cannot fix (blocked by the user, outside the messaging window);
    ``maybe_sent`` marks a request that reached the platform but got no answer (a read timeout, a
    dropped connection): the platform may have the message, so it is reconciled, not resent blindly.
    ``unreachable`` (``blocked``, ``unsubscribed``) says the platform refused because the customer
    blocked the bot or unfollowed: the core marks them unreachable (:mod:`bot.reachability`).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        maybe_sent: bool = False,
        unreachable: str = "",
    ) -> None:
        self.retry_after = retry_after
        self.permanent = permanent or bool(unreachable)
        self.maybe_sent = maybe_sent
        self.unreachable = unreachable
        super().__init__(message)
