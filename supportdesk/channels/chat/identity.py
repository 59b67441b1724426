"""Who a widget visitor is: a returning token, a verified identity, or a newcomer.

A site that knows its signed-in user passes ``identity`` with ``hash``, the hex
HMAC-SHA256 of ``external_id`` (or ``email``) under ``SUPPORTDESK_WIDGET_SECRET``;
that makes the visitor the customer who owns that id. Anything unverified (a wrong
hash, an e-mail typed into the chat) is a *claim*: kept for agents to judge, never
a link to someone's history.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from supportdesk.channels.chat.models import Visitor
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer, Identity


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

    def verified(self) -> bool:
        secret = current_app.config["WIDGET_SECRET"]
        signed = self.external_id or self.email
        if not (secret and signed and self.hash):
            return False
        expected = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.hash.lower())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_visitor(session: DbSession, token: Any) -> Visitor | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return session.scalar(select(Visitor).where(Visitor.token_hash == token_hash(token)))


def is_anonymous(customer: Customer) -> bool:
    """A customer the widget made up: nothing proven, at most an address typed into it."""
    return all(i.kind is IdentityKind.EMAIL and not i.verified for i in customer.identities)


def _new_visitor(session: DbSession, customer: Customer | None = None) -> tuple[Visitor, str]:
    token = secrets.token_urlsafe(32)
    if customer is None:
        customer = customers.create_customer(session, name="Visitor")
        customer.name = f"Visitor {customer.id}"
    visitor = Visitor(token_hash=token_hash(token), customer=customer)
    session.add(visitor)
    session.flush()
    return visitor, token


def _verified_customer(session: DbSession, claim: Claim) -> Customer:
    """The customer owning the signed id (then the address), or a new one with both."""
    customer = None
    if claim.external_id:
        customer = customers.find_by_identity(session, IdentityKind.EXTERNAL, claim.external_id)
    if customer is None and claim.email:
        customer = customers.find_by_identity(session, IdentityKind.EMAIL, claim.email)
    if customer is None:
        customer = customers.create_customer(
            session,
            name=claim.name or (claim.email or "").split("@")[0] or "Customer",
            emails=[claim.email] if claim.email else [],
            external_id=claim.external_id,
        )
    for identity in customer.identities:
        if identity.value in (claim.external_id, claim.email):
            identity.verified = True
    return customer


def adopt(session: DbSession, visitor: Visitor, owner: Customer) -> None:
    """The visitor proved they are ``owner``: their anonymous chat joins owner's history."""
    if visitor.customer_id != owner.id and is_anonymous(visitor.customer):
        customers.merge_customers(session, owner, visitor.customer)
    visitor.customer = owner
    visitor.customer_id = owner.id
    visitor.verified = True
    visitor.claimed_email = None


def resolve(session: DbSession, token: Any, claim: Claim) -> tuple[Visitor, str | None]:
    """The visitor for this connection, and a new token when one was issued."""
    visitor = find_visitor(session, token)
    if claim.verified():
        owner = _verified_customer(session, claim)
        if visitor is None or (
            visitor.customer_id != owner.id and not is_anonymous(visitor.customer)
        ):
            visitor, token = _new_visitor(session, owner)
        else:
            token = None
        adopt(session, visitor, owner)
        return visitor, token
    new_token = None
    if visitor is None:
        visitor, new_token = _new_visitor(session)
    if claim.email:
        claim_email(session, visitor, claim.email, claim.name)
    visitor.last_seen_at = utcnow()
    return visitor, new_token


def claim_email(session: DbSession, visitor: Visitor, email: str, name: str | None) -> None:
    """An address the visitor typed. Free: it becomes their (unverified) address, so
    a reply can reach them by e-mail. Someone else's: only a possible match."""
    address = customers.normalize_identity(IdentityKind.EMAIL, email, "email")
    customer = visitor.customer
    if name and is_anonymous(customer):
        customer.name = name.strip()[:200] or customer.name
    owner = customers.find_by_identity(session, IdentityKind.EMAIL, address)
    if owner is None:
        customer.identities.append(Identity(kind=IdentityKind.EMAIL, value=address))
        visitor.claimed_email = None
    elif owner.id != customer.id:
        visitor.claimed_email = address
    session.flush()


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
    )
    return [(customer, email or "") for customer, email in rows]


def require_email(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput.field("email", "Give an e-mail address.")
    return customers.normalize_identity(IdentityKind.EMAIL, value, "email")
