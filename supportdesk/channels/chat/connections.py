"""Which customers have a widget open, from the shared registry of connected sockets
(``core.connections``): a visitor's connection is keyed by visitor, a customer may
have several visitors (browsers), each several tabs."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from supportdesk.channels.chat.models import Visitor
from supportdesk.core.connections import Connection, live
from supportdesk.core.models import DbSession
from supportdesk.core.transaction import transaction_value

_ASKED = "supportdesk.chat.widget_sids"


def _customers_widgets(customer_ids: Collection[int]) -> Any:
    return (
        select(Connection.sid, Visitor.customer_id)
        .join(Visitor, Visitor.id == Connection.key)
        .where(Connection.kind == "visitor", Visitor.customer_id.in_(customer_ids), live())
    )


def customer_online(session: DbSession, customer_id: int) -> bool:
    """Whether the customer has a widget open (any tab of any of their visitors)."""
    return session.execute(_customers_widgets([customer_id]).limit(1)).first() is not None


@dataclass
class _Asked:
    """The customers whose widgets this transaction asked for, and those read so far."""

    customer_ids: set[int] = field(default_factory=set)
    sids: dict[int, list[str]] = field(default_factory=dict)

    def read(self, session: DbSession) -> None:
        missing = self.customer_ids - self.sids.keys()
        found: dict[int, list[str]] = {customer_id: [] for customer_id in missing}
        for sid, customer_id in session.execute(_customers_widgets(missing)):
            found[customer_id].append(sid)
        self.sids.update(found)


def widget_sids_later(session: DbSession, customer_id: int) -> Callable[[], list[str]]:
    """The customer's open widgets' sockets, when the returned function is called.

    Every customer asked for in the transaction is read in the first call's one query
    (they are called just before the commit): a chat batch opens a ticket for each of
    its first messages, and asked a query for each.
    """
    asked = transaction_value(session, _ASKED, _Asked)
    asked.customer_ids.add(customer_id)

    def sids() -> list[str]:
        if customer_id not in asked.sids:
            asked.read(session)
        return asked.sids[customer_id]

    return sids
