"""Who a widget visitor is: a returning token, a verified identity, or a newcomer.

A site that knows its signed-in user passes ``identity`` with ``hash``, the hex
HMAC-SHA256 of ``external_id`` (or ``email`` when there is none) under
``SUPPORTDESK_WIDGET_SECRET``; that makes the visitor the customer who owns the
signed value. Only the signed value: anything unverified (a wrong hash, an unsigned
e-mail beside a signed id, an e-mail typed into the chat) is a *claim*, kept on the
visitor for agents to judge, never a link to someone's history and never an identity
that a later proof could resolve to.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.channels.chat.models import Visitor
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer, Identity
from supportdesk.knowledge import activity


@dataclass(frozen=True)
class Claim:
    """What the widget says about its visitor."""

    external_id: str | None = None
    email: str | None = None
    name: str | None = None
    hash: str | None = None

    @classmethod
    def from_auth(cls, identity: Any) -> Claim:
        if not isinstance(identity, dict):
            return cls()

        def text(key: str, limit: int) -> str | None:
            value = identity.get(key)
            return value.strip()[:limit] or None if isinstance(value, str) else None

        return cls(
            text("external_id", 320), text("email", 320), text("name", 200), text("hash", 64)
        )

    def without_malformed_email(self) -> tuple[Claim, InvalidInput | None]:
        """A malformed address is dropped, not the visitor: they still get a session,
        and the error says why the address was not taken."""
        if self.email is None:
            return self, None
        try:
            require_email(self.email)
        except InvalidInput as error:
            problem = InvalidInput(
                "The identity's e-mail address was ignored: it is not valid.",
                errors={"identity.email": [error.detail]},
            )
            return replace(self, email=None), problem
        return self, None

    def verified(self) -> bool:
        secret = settings().widget_secret
        signed = self.external_id or self.email
        if not (secret and signed and self.hash):
            return False
        expected = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.hash.lower())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reader_key(visitor: Visitor) -> str:
    """The visitor as a knowledge-base reader (``knowledge.voters``): by its token's
    digest, the desk's own key (never by an address it typed)."""
    return f"visitor:{visitor.token_hash}"


def find_visitor(session: DbSession, token: Any) -> Visitor | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return session.scalar(select(Visitor).where(Visitor.token_hash == token_hash(token)))


def is_anonymous(customer: Customer) -> bool:
    """A customer the widget made up: nothing proven (at most an address typed into it
    before typed addresses became claims)."""
    return all(i.kind is IdentityKind.EMAIL and not i.verified for i in customer.identities)


def _new_visitor(session: DbSession) -> tuple[Visitor, str]:
    token = secrets.token_urlsafe(32)
    visitor = Visitor(token_hash=token_hash(token))
    session.add(visitor)
    session.flush()
    return visitor, token


def customer_for(session: DbSession, visitor: Visitor) -> Customer:
    """The visitor's customer, made now if this is the first thing they do."""
    customers_for(session, [visitor])
    assert visitor.customer is not None
    return visitor.customer


def customers_for(session: DbSession, visitors: Iterable[Visitor]) -> None:
    """Give each visitor without one a new customer, and what those visitors read before
    joins the customers they now are, for all of them at once (a chat batch's first
    messages: one INSERT, one UPDATE to claim them, ``activity.join_readers``).

    Two tabs (or two processes) may get here at once for one visitor: each visitor row
    is claimed only while it has no customer, and the loser drops its customer for the
    winner's.
    """
    newcomers = list({v.id: v for v in visitors if v.customer is None}.values())
    if not newcomers:
        return
    made = customers.create_customers_without_identities(
        session, [v.locale for v in newcomers], name="Visitor", name_by_id=_visitor_name
    )
    mine = {visitor.id: customer for visitor, customer in zip(newcomers, made, strict=True)}
    claimed = session.execute(
        update(Visitor)
        .where(Visitor.id.in_(mine), Visitor.customer_id.is_(None))
        .values(customer_id=case({v: c.id for v, c in mine.items()}, value=Visitor.id))
        .execution_options(synchronize_session=False)
    )
    lost: set[int] = set()
    if claimed.rowcount != len(mine):  # type: ignore[attr-defined]
        owners = select(Visitor.id, Visitor.customer_id).where(Visitor.id.in_(mine))
        lost = {id_ for id_, owner in session.execute(owners) if owner != mine[id_].id}
    for visitor in newcomers:
        customer = mine[visitor.id]
        if visitor.id in lost:
            session.delete(customer)
            session.expire(visitor, ["customer_id", "customer"])
        else:  # as the UPDATE stored it: no query to read the visitor back
            set_committed_value(visitor, "customer_id", customer.id)
            set_committed_value(visitor, "customer", customer)
    activity.join_readers(
        session, {reader_key(v): mine[v.id].id for v in newcomers if v.id not in lost}
    )


def _visitor_name(customer_id: int) -> str:
    return f"Visitor {customer_id}"


def locale_of(visitor: Visitor) -> str | None:
    return visitor.customer.locale if visitor.customer else visitor.locale


def _verified_customer(session: DbSession, claim: Claim) -> Customer:
    """The customer owning the signed value, or a new one holding just that value.

    Only the signed value selects and is marked verified: an e-mail beside a signed
    ``external_id`` is a claim like a typed one (``resolve`` keeps it as such).
    """
    kind = IdentityKind.EXTERNAL if claim.external_id else IdentityKind.EMAIL
    value = customers.normalize_identity(kind, claim.external_id or claim.email or "", "identity")
    customer = customers.find_by_identity(session, kind, value)
    if customer is None:
        default_name = value.split("@")[0] if kind is IdentityKind.EMAIL else "Customer"
        customer = customers.create_customer(
            session,
            name=claim.name or default_name or "Customer",
            emails=[value] if kind is IdentityKind.EMAIL else [],
            external_id=value if kind is IdentityKind.EXTERNAL else None,
        )
    for identity in customer.identities:
        if identity.kind is kind and identity.value == value:
            identity.verified = True
    return customer


def adopt(session: DbSession, visitor: Visitor, owner: Customer) -> None:
    """The visitor proved they are ``owner``: their anonymous chat joins owner's history."""
    mine = visitor.customer
    if mine is not None and mine.id != owner.id and is_anonymous(mine):
        customers.merge_customers(session, owner, mine)
    visitor.customer = owner
    visitor.customer_id = owner.id
    visitor.verified = True
    activity.join_reader(session, reader_key(visitor), owner.id)
    if visitor.claimed_email in owner.emails:
        visitor.claimed_email = None  # proven now: no longer a claim


def resolve(session: DbSession, token: Any, claim: Claim) -> tuple[Visitor, str | None]:
    """The visitor for this connection, and a new token when one was issued."""
    visitor = find_visitor(session, token)
    new_token = None
    if claim.verified():
        owner = _verified_customer(session, claim)
        mine = visitor.customer if visitor else None
        if visitor is None or (mine and mine.id != owner.id and not is_anonymous(mine)):
            visitor, new_token = _new_visitor(session)
        adopt(session, visitor, owner)
        if claim.external_id and claim.email:  # signed id, unsigned address: a claim
            claim_email(session, visitor, claim.email, None)
    else:
        if visitor is None:
            visitor, new_token = _new_visitor(session)
        if claim.email:
            claim_email(session, visitor, claim.email, claim.name)
    visitor.last_seen_at = utcnow()
    return visitor, new_token


def claim_email(session: DbSession, visitor: Visitor, email: str, name: str | None) -> None:
    """An address the visitor typed (or a site passed unsigned): a claim on their own
    record, never an identity, so no later proof by anyone resolves to this visitor.

    Agents see it (a possible match when someone else owns it); a reply to a visitor
    who left goes there. It becomes an identity only when this visitor proves it.
    """
    address = require_email(email)
    customer = customer_for(session, visitor)
    if name and is_anonymous(customer):
        customer.name = name.strip()[:200] or customer.name
    if not (visitor.verified and address in customer.emails):
        visitor.claimed_email = address
    session.flush()


def claimed_emails(session: DbSession, customer_id: int) -> list[str]:
    """The addresses this customer's visitors typed without proving, latest first."""
    rows = session.scalars(
        select(Visitor.claimed_email)
        .where(Visitor.customer_id == customer_id, Visitor.claimed_email.is_not(None))
        .order_by(Visitor.last_seen_at.desc(), Visitor.id.desc())
    )
    return list(dict.fromkeys(email for email in rows if email))


def reply_recipient(session: DbSession, customer: Customer) -> tuple[str, str] | None:
    """Where a chat reply is mailed when no widget is open: ``(name, address)``.

    The customer's own address first; else one a visitor of theirs typed, with no
    name beside it (a visitor-chosen name never goes to an address nobody proved).
    """
    if customer.emails:
        return customer.name, customer.emails[0]
    claimed = claimed_emails(session, customer.id)
    return ("", claimed[0]) if claimed else None


def possible_matches(session: DbSession, customer_id: int) -> list[tuple[Customer, str]]:
    """Customers who own an address this customer's visitors claimed."""
    rows = session.execute(
        select(Customer, Visitor.claimed_email)
        .join(Identity, Identity.customer_id == Customer.id)
        .join(Visitor, Visitor.claimed_email == Identity.value)
        .where(
            Visitor.customer_id == customer_id,
            Identity.kind == IdentityKind.EMAIL,
            Customer.id != customer_id,
            Customer.merged_into_id.is_(None),
        )
        .distinct()
        .options(selectinload(Customer.identities))  # shown with each match
    )
    return [(customer, email or "") for customer, email in rows]


def require_email(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput.field("email", "Give an e-mail address.")
    return customers.normalize_identity(IdentityKind.EMAIL, value, "email")
