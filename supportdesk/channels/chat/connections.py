"""Which customers have a widget open, from the shared registry of connected sockets
(``core.connections``): a visitor's connection is keyed by visitor, a customer may
have several visitors (browsers), each several tabs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from supportdesk.channels.chat.models import Visitor
from supportdesk.core.connections import Connection, live
from supportdesk.core.models import DbSession


def _customer_widgets(customer_id: int) -> Any:
    return (
        select(Connection.sid)
        .join(Visitor, Visitor.id == Connection.key)
        .where(Connection.kind == "visitor", Visitor.customer_id == customer_id, live())
    )


def customer_online(session: DbSession, customer_id: int) -> bool:
    """Whether the customer has a widget open (any tab of any of their visitors)."""
    return session.scalars(_customer_widgets(customer_id).limit(1)).first() is not None


def widget_sids(session: DbSession, customer_id: int) -> list[str]:
    """The customer's open widgets' sockets."""
    return list(session.scalars(_customer_widgets(customer_id)))
