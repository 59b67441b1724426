"""A ticket opened with its first message comes back as if read from the database: every
column as stored, its customer, tags and attachments known, nothing left to ask for.

Tickets, events and messages are written with one INSERT each (``service.rows.insert_row``),
not through the unit of work nor the mapped constructor; what the listeners, the pushes and
the API's answer read of them must cost no query and say what a fresh read says.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select

from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import Message, TicketEvent
from supportdesk.tickets.service.rows import insert_row
from tests.factories import CustomerFactory
from tests.test_list_statements import statements_run


def columns(row: Any) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def test_a_new_ticket_and_its_rows_read_as_stored_with_no_query():
    customer = CustomerFactory(name="Mei Chen", emails=["mei@mail.example"])
    db.session.flush()
    ticket = service.create_ticket(
        db.session, subject="Router drops", channel="web", customer=customer, body="Help"
    )
    event = db.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)).one()
    message = db.session.scalars(select(Message).where(Message.ticket_id == ticket.id)).one()
    with statements_run() as seen:
        written = [columns(row) for row in (ticket, event, message)]
        related = (ticket.customer, ticket.assignee, ticket.tags)
        of_message = (message.ticket, message.attachments)
    assert seen == []
    assert related == (customer, None, [])
    assert of_message == (ticket, [])
    for row in (ticket, event, message):
        assert inspect(row).persistent and not inspect(row).modified
    assert event.data == {"channel": "web"}

    db.session.commit()
    db.session.expire_all()
    assert [columns(row) for row in (ticket, event, message)] == written


def test_a_row_that_leaves_out_a_column_is_refused_before_anything_is_written():
    customer = CustomerFactory()
    db.session.flush()
    row = {
        "ticket_id": None,
        "customer_id": customer.id,
        "event": "created",
        "actor_user_id": None,
        "data": {},
    }

    with statements_run() as seen, pytest.raises(ValueError, match="created_at"):
        insert_row(db.session, TicketEvent, row)

    assert seen == []
    with pytest.raises(ValueError, match="colour"):
        insert_row(db.session, TicketEvent, {**row, "created_at": utcnow(), "colour": "red"})
