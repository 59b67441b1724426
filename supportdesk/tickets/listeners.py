"""How tickets react to other domains' events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import object_session

from supportdesk.customers.models import Customer
from supportdesk.customers.signals import customers_merged
from supportdesk.tickets.models import Call, Message, Ticket, TicketEvent
from supportdesk.tickets.service import record_event


@customers_merged.connect
def move_tickets_to_survivor(survivor: Customer, *, source: Customer, **_: Any) -> None:
    session = object_session(survivor)
    assert session is not None
    for model, column in (
        (Ticket, Ticket.customer_id),
        (Call, Call.customer_id),
        (TicketEvent, TicketEvent.customer_id),
        (Message, Message.author_customer_id),
    ):
        session.execute(update(model).where(column == source.id).values({column: survivor.id}))
    record_event(
        session,
        customer_id=survivor.id,
        event="merged",
        source_id=source.id,
        source_name=source.name,
    )
