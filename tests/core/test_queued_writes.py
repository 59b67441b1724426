"""Timeline entries and search rows are queued and written together (``core.queued_writes``):
nothing that reads them, in the same transaction or after it, can tell."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from supportdesk.core.channels import Channel
from supportdesk.core.database import savepoint
from supportdesk.core.pagination import PageRequest
from supportdesk.core.queued_writes import write_later
from supportdesk.extensions import db
from supportdesk.search.service import search_tickets
from supportdesk.tickets.service import add_customer_message
from supportdesk.timeline.models import EntryKind, TimelineEntry
from supportdesk.timeline.service import timeline_page
from tests.factories import CustomerFactory
from tests.test_list_statements import statements_run


def said(customer, body):
    return add_customer_message(db.session, customer, ticket=None, channel=Channel.CHAT, body=body)


def entries(customer):
    page = timeline_page(db.session, customer, PageRequest(limit=50))
    return [(e.kind, e.message.body if e.message else None) for e in page.items]


def test_a_query_in_the_same_transaction_finds_what_was_just_stored(app):
    customer = CustomerFactory()

    message = said(customer, "The invoice for November shows the wrong address")

    assert (EntryKind.MESSAGE, "The invoice for November shows the wrong address") in entries(
        customer
    )
    assert [hit.id for hit in search_tickets(db.session, "invoice")] == [message.ticket_id]


def test_the_entries_of_many_messages_go_out_in_one_statement_at_the_commit(app):
    customer = CustomerFactory()
    message = said(customer, "Hello there")
    db.session.commit()

    with statements_run() as seen:
        for n in range(5):
            add_customer_message(
                db.session,
                customer,
                ticket=message.ticket,
                channel=Channel.CHAT,
                body=f"Still waiting, message {n}",
            )
        db.session.commit()

    timeline_inserts = [s for s in seen if s.startswith("INSERT INTO timeline_entries")]
    assert len(timeline_inserts) == 1, seen
    assert len([e for e in entries(customer) if e[0] is EntryKind.MESSAGE]) == 6
    assert len(search_tickets(db.session, "waiting")) == 1


def test_a_savepoint_rolled_back_takes_its_rows_and_keeps_the_ones_before(app):
    customer = CustomerFactory()
    said(customer, "Kept: my router drops every evening")

    nested = savepoint(db.session)
    said(customer, "Dropped: a message the savepoint takes back")
    nested.rollback()
    db.session.commit()

    bodies = [body for _, body in entries(customer)]
    assert "Kept: my router drops every evening" in bodies
    assert "Dropped: a message the savepoint takes back" not in bodies
    assert search_tickets(db.session, "savepoint") == []
    assert search_tickets(db.session, "router") != []


def test_a_rollback_forgets_the_queue(app):
    customer = CustomerFactory()
    db.session.commit()
    said(customer, "Never stored")
    db.session.rollback()

    said(customer, "Stored")
    db.session.commit()

    assert [body for _, body in entries(customer) if body] == ["Stored"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry)) == 2


def test_a_queued_row_that_cannot_be_stored_fails_the_commit(app):
    customer = CustomerFactory()
    db.session.commit()
    said(customer, "This one goes with the bad row")
    write_later(
        db.session,
        sa.insert(TimelineEntry),
        {
            "customer_id": 987654,  # nobody
            "ticket_id": None,
            "kind": EntryKind.MESSAGE,
            "channel": Channel.CHAT,
            "occurred_at": datetime.now(UTC),
        },
    )

    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()

    assert entries(customer) == []
