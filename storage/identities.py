"""Inbound dedupe, identities (one per platform user) and deep-link tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot import records
from bot.errors import ERASED_CUSTOMER, ConflictError
from bot.storable import ACCOUNT_CHARS, ID_CHARS, bounded
from models import ApiRequest, Conversation, Customer, Identity, InboundReceipt, LinkToken, Survey, Ticket
from storage.rows import KEY_SHARE, Rows, identity_record, row_id

_TOUCH = (
    update(Identity)
    .where(
        col(Identity.channel) == bindparam("b_c"),
        col(Identity.account) == bindparam("b_a"),
        col(Identity.user) == bindparam("b_u"),
    )
    .values(
        last_inbound_at=bindparam("b_at"),
        display_name=case((bindparam("b_name") != "", bindparam("b_name")), else_=col(Identity.display_name)),
        locale=case((bindparam("b_locale") != "", bindparam("b_locale")), else_=col(Identity.locale)),
        unreachable=None,
        unreachable_since=None,
    )
    .returning(*Identity.__table__.columns)  # type: ignore[attr-defined]
)
"""Touch a known identity: the time of its last message, a changed name or locale, and reachable
again (a customer who writes has unblocked the bot, or subscribed again)."""


def _receipt(rows: Rows) -> Any:
    insert = rows._insert(InboundReceipt).on_conflict_do_nothing()
    return insert.returning(col(InboundReceipt.platform_id))


def _api_request(rows: Rows) -> Any:
    return rows._insert(ApiRequest).on_conflict_do_nothing().returning(col(ApiRequest.key))


class IdentityRows(Rows):
    """The identities part of the repository."""

    def claim_request(self, request: records.KeyedRequest, at: datetime) -> records.FirstAnswer | None:
        # ON CONFLICT DO NOTHING waits for a transaction holding the key, so a request sent twice at
        # once reads the first one's answer here, committed, or takes the key if the first failed.
        values = {"account": request.account, "key": request.key, "digest": request.digest, "received_at": at}
        if self._core.execute(self._prebuilt("api_request", _api_request), values).first() is not None:
            return None
        mine = col(ApiRequest.account) == request.account, col(ApiRequest.key) == request.key
        asked = (
            col(ApiRequest.digest),
            col(ApiRequest.result),
            col(ApiRequest.received_at),
            col(ApiRequest.answer),
        )
        first = self._core.execute(select(*asked).where(*mine)).one()
        return records.FirstAnswer(first.digest, first.result, first.received_at, first.answer)

    def answer_request(
        self, request: records.KeyedRequest, result: int | None, answer: dict[str, Any] | None = None
    ) -> None:
        mine = col(ApiRequest.account) == request.account, col(ApiRequest.key) == request.key
        self._core.execute(update(ApiRequest).where(*mine).values(result=result, answer=answer))

    def claim_receipt(self, channel: str, account: str, platform_id: str, at: datetime) -> bool:
        # Bounded here too: a chat button's receipt is its update id (a signed Telegram update_id
        # may have 300 digits), which reaches no message cleaning.
        account, platform_id = bounded(account, ACCOUNT_CHARS), bounded(platform_id, ID_CHARS)
        values = {"channel": channel, "account": account, "platform_id": platform_id, "received_at": at}
        return self._core.execute(self._prebuilt("receipt", _receipt), values).first() is not None

    def identity(
        self, channel: str, account: str, user: str, *, display_name: str, locale: str, at: datetime
    ) -> records.Identity:
        # One UPDATE ... RETURNING finds, locks and touches a known identity.
        values = {
            "b_c": channel,
            "b_a": account,
            "b_u": user,
            "b_at": at,
            "b_name": display_name,
            "b_locale": locale,
        }
        row = self._core.execute(_TOUCH, values).first()
        if row is None:
            self._create_identity(channel, account, user, display_name=display_name, locale=locale, at=at)
            row = self._core.execute(_TOUCH, values).one()
        return identity_record(row)

    def _create_identity(
        self, channel: str, account: str, user: str, *, display_name: str, locale: str, at: datetime
    ) -> None:
        """A new customer with this identity, unless another worker created it first."""
        try:
            with self.session.begin_nested():
                customer = Customer(display_name=display_name, locale=locale, created_at=at)
                self.session.add(customer)
                self.session.flush()
                row = Identity(
                    customer_id=row_id(customer.id),
                    channel=channel,
                    account=account,
                    user=user,
                    display_name=display_name,
                    locale=locale,
                    created_at=at,
                )
                self.session.add(row)
                self.session.flush()
        except IntegrityError:  # another worker created it first: the UPDATE finds theirs
            pass

    def get_identity(self, identity_id: int, *, lock: bool = False) -> records.Identity:
        return identity_record(self._get(Identity, identity_id, lock=KEY_SHARE if lock else False))

    def hold_customer(self, customer_id: int) -> None:
        self._get(Customer, customer_id, lock=True)
        self._core.execute(select(Identity.id).where(Identity.customer_id == customer_id).with_for_update())

    def add_link_token(self, customer_id: int, digest: str, at: datetime, expires_at: datetime) -> None:
        self._get(Customer, customer_id, lock=KEY_SHARE)  # an erasure in progress ends first (hold_customer)
        erased = select(Identity.id).where(
            Identity.customer_id == customer_id, Identity.unreachable == ERASED_CUSTOMER
        )
        if self.session.exec(erased).first() is not None:  # a chat linked now would be theirs again
            raise ConflictError(
                f"customer {customer_id} was erased: a chat is not attached to them again "
                "(one who writes again is a new customer)"
            )
        self.session.add(
            LinkToken(token_hash=digest, customer_id=customer_id, created_at=at, expires_at=expires_at)
        )
        self.session.execute(delete(LinkToken).where(col(LinkToken.expires_at) <= at))

    def link_identity(self, identity_id: int, digest: str, at: datetime) -> int | None:
        # One DELETE ... RETURNING: of two chats racing with the same token, only one gets it.
        used = self.session.execute(
            delete(LinkToken)
            .where(col(LinkToken.token_hash) == digest, col(LinkToken.expires_at) > at)
            .returning(col(LinkToken.customer_id))
        ).first()
        if used is None:
            return None
        target = self._get(Customer, used[0])
        row = self._get(Identity, identity_id)
        if row.customer_id != target.id:
            moved_from = row.customer_id
            row.customer_id = target.id
            self.session.add(row)
            conversations = select(Conversation.id).where(Conversation.identity_id == identity_id)
            for table, mine in (
                (Conversation, col(Conversation.identity_id) == identity_id),
                (Survey, col(Survey.identity_id) == identity_id),
                (Ticket, col(Ticket.conversation_id).in_(conversations.scalar_subquery())),
            ):
                self.session.execute(
                    update(table)
                    .where(mine, col(table.customer_id) == moved_from)
                    .values(customer_id=target.id)
                )
        linked: int | None = target.id
        return linked

    def set_unreachable(self, identity_id: int, reason: str | None, at: datetime) -> None:
        row = self._get(Identity, identity_id)
        if row.unreachable == reason:
            return  # no change: "since" stays the first time we heard it
        row.unreachable, row.unreachable_since = reason, at if reason is not None else None
        self.session.add(row)

    def find_identity(self, channel: str, account: str, user: str) -> records.Identity | None:
        row = self.session.exec(
            select(Identity).where(
                Identity.channel == channel, Identity.account == account, Identity.user == user
            )
        ).first()
        return identity_record(row) if row is not None else None
