"""The index follows every write in the transaction that makes it.

Tickets announce what they write (``tickets.signals``): a new ticket's subject, each
message, a rename, a message moved, a ticket merged. Customers and their identities are
written through the unit of work, in many places (create, edit, merge, identity
resolution on every channel), so a flush tells: after each one, the customers whose name
or identities changed get their document rewritten. Neither producer knows the search.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from supportdesk.core.database import session_of
from supportdesk.customers.models import Customer, Identity
from supportdesk.search import indexing
from supportdesk.search.indexing import SEARCHED_IDENTITIES
from supportdesk.tickets import signals
from supportdesk.tickets.models import Message, Ticket, TicketEvent


@signals.ticket_created.connect
def index_new_ticket(ticket: Ticket, **_: Any) -> None:
    indexing.write_subject(session_of(ticket), ticket.id, ticket.subject, new=True)


@signals.ticket_event_recorded.connect
def index_renamed_ticket(event: TicketEvent, **_: Any) -> None:
    if event.event == "subject_changed" and event.ticket_id is not None:
        subject = str(event.data["to"])
        indexing.write_subject(session_of(event), event.ticket_id, subject, new=False)


@signals.message_created.connect
def index_message(message: Message, **_: Any) -> None:
    indexing.write_message(session_of(message), message.ticket_id, message.id, message.body)


@signals.message_moved.connect
def follow_moved_message(message: Message, *, source: Ticket, **_: Any) -> None:
    indexing.move_texts(
        session_of(message), message.ticket_id, message_id=message.id, from_ticket_id=source.id
    )


@signals.tickets_merged.connect
def follow_merged_ticket(ticket: Ticket, *, into: Ticket, **_: Any) -> None:
    indexing.move_texts(session_of(ticket), into.id, from_ticket_id=ticket.id)


@event.listens_for(Session, "after_flush")
def index_flushed_customers(session: Session, _flush: UOWTransaction) -> None:
    """Customers whose name or identities this flush wrote. A new customer whose
    identities came with it is written from memory (one INSERT: what inbound mail and
    calls cost); any other change is read back from the database."""
    fresh = {
        row.id: row
        for row in session.new
        if isinstance(row, Customer) and "identities" in row.__dict__
    }
    changed: set[int] = set()
    for row in session.new:
        if isinstance(row, Customer) and row.id not in fresh:
            changed.add(row.id)
        elif _searched(row) and row.customer_id not in fresh:
            changed.add(row.customer_id)
    for row in session.dirty:
        if isinstance(row, Customer) and _changed(row, "name", "merged_into_id"):
            changed.add(row.id)
        elif _searched(row) and _changed(row, "value", "kind", "customer_id"):
            history: Any = inspect(row).attrs.customer_id.history
            changed.update(i for i in (*history.added, *history.deleted) if i is not None)
            changed.add(row.customer_id)
    for row in session.deleted:
        if _searched(row):
            changed.add(row.customer_id)
    for customer in fresh.values():
        indexing.write_new_customer(session, customer)
    indexing.write_customers(session, changed - fresh.keys())


def _searched(row: object) -> bool:
    """An identity the customer is found by (a chat visitor's token is not: its rows come
    and go with every new browser, and cost no rewrite)."""
    return isinstance(row, Identity) and row.kind in SEARCHED_IDENTITIES


def _changed(row: Any, *names: str) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in names)
