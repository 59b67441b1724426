"""Every timeline-worthy row gets its entry in the same transaction that stores it.

Entries are append-only and nobody holds them as objects, so each is a row for one
INSERT built once, queued on the session's connection (``core.queued_writes``): no unit
of work, no flush, and the entries of a chat batch's messages go out in one
executemany. The source row is flushed before its signal is sent, so its id is known.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update

from supportdesk.core.channels import Channel
from supportdesk.core.database import session_of
from supportdesk.core.queued_writes import write_later
from supportdesk.customers.models import Customer
from supportdesk.customers.signals import customers_merged
from supportdesk.knowledge.activity_signals import kb_activity_joined
from supportdesk.knowledge.models import KbActivity
from supportdesk.tickets import signals
from supportdesk.tickets.models import Call, Message, Ticket, TicketEvent
from supportdesk.timeline.models import EntryKind, TimelineEntry

_INSERT_ENTRY = insert(TimelineEntry)
#: every entry names all its sources, so that entries of every kind share one executemany
_NO_SOURCE = {"message_id": None, "call_id": None, "event_id": None, "kb_activity_id": None}


def _add_entry(source: Message | Call | TicketEvent | KbActivity, **values: Any) -> None:
    write_later(session_of(source), _INSERT_ENTRY, {**_NO_SOURCE, **values})


@signals.message_created.connect
def add_message_entry(message: Message, **_: Any) -> None:
    _add_entry(
        message,
        customer_id=message.ticket.customer_id,
        ticket_id=message.ticket_id,
        kind=EntryKind.MESSAGE,
        channel=message.channel,
        occurred_at=message.created_at,
        message_id=message.id,
    )


@signals.call_logged.connect
def add_call_entry(call: Call, **_: Any) -> None:
    _add_entry(
        call,
        customer_id=call.customer_id,
        ticket_id=call.ticket_id,
        kind=EntryKind.CALL,
        channel=Channel.PHONE,
        occurred_at=call.started_at,
        call_id=call.id,
    )


@signals.ticket_event_recorded.connect
def add_event_entry(event: TicketEvent, **_: Any) -> None:
    _add_entry(
        event,
        customer_id=event.customer_id,
        ticket_id=event.ticket_id,
        kind=EntryKind.TICKET_EVENT,
        channel=Channel.SYSTEM,
        occurred_at=event.created_at,
        event_id=event.id,
    )


@kb_activity_joined.connect
def add_kb_activity_entry(activity: KbActivity, **_: Any) -> None:
    """Self-service is on the customer's timeline once the reader is that customer."""
    _add_entry(
        activity,
        customer_id=activity.customer_id,
        ticket_id=None,
        kind=EntryKind.KB_ACTIVITY,
        channel=Channel.WEB,
        occurred_at=activity.occurred_at,
        kb_activity_id=activity.id,
    )


@signals.message_moved.connect
def follow_moved_message(message: Message, **_: Any) -> None:
    session_of(message).execute(
        update(TimelineEntry)
        .where(TimelineEntry.message_id == message.id)
        .values(ticket_id=message.ticket_id, customer_id=message.ticket.customer_id)
    )


@signals.tickets_merged.connect
def follow_merged_ticket(ticket: Ticket, *, into: Ticket, **_: Any) -> None:
    """The merged ticket's messages and calls are the survivor's now; its events stay
    its own (its history until the merge, and the merge)."""
    session_of(ticket).execute(
        update(TimelineEntry)
        .where(
            TimelineEntry.ticket_id == ticket.id,
            TimelineEntry.kind.in_([EntryKind.MESSAGE, EntryKind.CALL]),
        )
        .values(ticket_id=into.id)
    )


@customers_merged.connect
def move_entries_to_survivor(survivor: Customer, *, source: Customer, **_: Any) -> None:
    session_of(survivor).execute(
        update(TimelineEntry)
        .where(TimelineEntry.customer_id == source.id)
        .values(customer_id=survivor.id)
    )
