"""The customer a browser is signed in as (the help center's portal, by a magic link).

A customer's sign-in lives in the desk's signed session cookie beside an agent's, under
its own key, so the help center's pages, the portal and the knowledge base's votes and
activity all ask one place who the reader is. Only the portal's magic link (a proof of
the address) calls ``sign_in``.
"""

from __future__ import annotations

from flask import session

from supportdesk.core.models import DbSession
from supportdesk.customers.models import Customer

#: the session key holding the signed-in customer's id
CUSTOMER_KEY = "portal_customer_id"


def sign_in(customer: Customer) -> None:
    """Make this browser ``customer``'s: a fresh session (no fixation), kept as long as
    any session (``PERMANENT_SESSION_LIFETIME``)."""
    session.clear()
    session.permanent = True
    session[CUSTOMER_KEY] = customer.id


def sign_out() -> None:
    session.pop(CUSTOMER_KEY, None)


def signed_in_customer_id() -> int | None:
    """The id the cookie names, unchecked (for what needs no row: a cheap "signed in?")."""
    value = session.get(CUSTOMER_KEY)
    return value if isinstance(value, int) else None


def signed_in_customer(db_session: DbSession) -> Customer | None:
    """The signed-in customer, followed through merges to the one that survived; None
    when signed out or when the customer no longer exists."""
    customer_id = signed_in_customer_id()
    seen: set[int] = set()
    while customer_id is not None and customer_id not in seen:
        seen.add(customer_id)
        customer = db_session.get(Customer, customer_id)
        if customer is None:
            return None
        if customer.merged_into_id is None:
            return customer
        customer_id = customer.merged_into_id
    return None
