"""What a batch of widget messages costs the writer in SQL, and that it stores all of it.

At 1,000 visitors the first seconds of a chat rush are first messages: each makes the
visitor's customer, their chat ticket and the agents' notifications. The counts are the
ones achieved; a change that adds one fails.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.channels.chat import identity
from supportdesk.channels.chat.identity import reader_key
from supportdesk.channels.chat.models import ClientMessageId, Visitor
from supportdesk.channels.chat.writer import MessageWriter, _Job
from supportdesk.core import connections
from supportdesk.customers.models import Customer
from supportdesk.extensions import db
from supportdesk.knowledge import activity
from supportdesk.knowledge.models import KbActivity, KbSurface
from supportdesk.knowledge.voters import Voter
from supportdesk.notifications.models import Notification, NotificationKind
from supportdesk.search import service as search
from supportdesk.tickets.models import Message, Ticket
from tests.factories import ArticleFactory, CustomerFactory, UserFactory, VisitorFactory
from tests.test_list_statements import statements_run

VISITORS = 10
#: what the writer asks of every batch: its stored client ids, its visitors with their
#: customers, their open chats; and the batch's timeline entries, search rows, client
#: ids and the suggestions its messages settle, an executemany each
BATCH = 7
#: a first message: the ticket, its event, the agents' notifications (one INSERT for
#: all), the message
FIRST = 4
#: the first messages' customers, together: the self-service that joins them (an UPDATE
#: and a query), their search rows, their names (by their ids) and the claims of their
#: visitors on them; the agents online, the new chats' open widgets
FIRST_BATCH = BATCH + 7
#: a later message: the message, its ticket's ``updated_at``
LATER = 2


@pytest.fixture
def visitors(app: Any) -> list[int]:
    for n in range(2):
        agent = UserFactory()
        connections.connect(db.session, f"agent-{n}", "agent", agent.id)
    made = [VisitorFactory() for _ in range(VISITORS)]
    for visitor in made:
        connections.connect(db.session, f"widget-{visitor.id}", "visitor", visitor.id)
    db.session.commit()
    return [visitor.id for visitor in made]


def customer_inserts() -> int:
    """The INSERTs of a batch's new customers: one on PostgreSQL; one each on SQLite, which
    cannot tell which id a multi-row INSERT ... RETURNING gave which row."""
    return 1 if db.engine.dialect.name == "postgresql" else VISITORS


def write(app: Any, visitor_ids: list[int], text: str) -> list[Any]:
    """The batch as the writer stores it: one transaction for every visitor's message."""
    jobs = [
        _Job(visitor_id, f"{text} {visitor_id}", f"{text}-{visitor_id}")
        for visitor_id in visitor_ids
    ]
    with app.app_context():
        MessageWriter(app)._write_batch(jobs)
        db.session.remove()
    return [job.done.result(0) for job in jobs]


def test_a_batch_of_first_messages_costs_a_fixed_number_of_statements_each(app, visitors):
    with statements_run() as statements:
        posted = write(app, visitors, "hello")

    assert len(statements) == FIRST_BATCH + FIRST * VISITORS + customer_inserts(), statements
    assert len({p.ticket_id for p in posted}) == VISITORS


def test_a_batch_of_later_messages_costs_a_fixed_number_of_statements_each(app, visitors):
    write(app, visitors, "hello")
    with statements_run() as statements:
        posted = write(app, visitors, "more")

    assert len(statements) == BATCH + LATER * VISITORS, statements
    assert len({p.ticket_id for p in posted}) == VISITORS


def test_a_first_message_makes_a_customer_named_by_its_id_found_by_that_name(app, visitors):
    posted = write(app, visitors, "hello")

    db.session.rollback()
    for ack, visitor_id in zip(posted, visitors, strict=True):
        customer = db.session.get(Ticket, ack.ticket_id).customer
        assert customer.name == f"Visitor {customer.id}"
        assert db.session.get(Visitor, visitor_id).customer_id == customer.id
        found = search.search_customers(db.session, f"Visitor {customer.id}")
        assert customer.id in [hit.id for hit in found]
    assert db.session.scalar(select(func.count(Customer.id))) == VISITORS


def test_every_message_is_stored_with_its_client_id_and_each_new_chat_notifies_the_agents(
    app, visitors
):
    write(app, visitors, "hello")
    write(app, visitors, "more")

    db.session.rollback()
    stored = db.session.execute(
        select(ClientMessageId.client_id, Message.body).join(
            Message, Message.id == ClientMessageId.message_id
        )
    ).all()
    assert sorted(stored) == sorted(
        (f"{text}-{v}", f"{text} {v}") for text in ("hello", "more") for v in visitors
    )
    notifications = db.session.scalars(select(Notification)).all()
    assert len(notifications) == 2 * VISITORS
    assert {n.kind for n in notifications} == {NotificationKind.NEW_CHAT}
    assert len({(n.user_id, n.ticket_id) for n in notifications}) == 2 * VISITORS


def test_what_each_visitor_read_before_joins_their_own_new_customer(app, visitors):
    article = ArticleFactory(title="Refund policy", body="Within 30 days.")
    readers = db.session.scalars(select(Visitor).where(Visitor.id.in_(visitors[:3]))).all()
    for reader in readers:
        voter = Voter(reader_key(reader), proven=True)
        activity.record_search(
            db.session, voter, f"refund {reader.id}", 1, surface=KbSurface.WIDGET
        )
        activity.record_view(db.session, voter, article, surface=KbSurface.WIDGET)
    db.session.commit()

    write(app, visitors, "hello")

    db.session.rollback()
    for reader in readers:
        db.session.refresh(reader)
        read = db.session.scalars(
            select(KbActivity)
            .where(KbActivity.reader == reader_key(reader))
            .order_by(KbActivity.id)
        )
        assert [(a.customer_id, a.query) for a in read] == [
            (reader.customer_id, f"refund {reader.id}"),
            (reader.customer_id, None),
        ]
    assert (
        db.session.scalar(select(func.count(KbActivity.id)).where(KbActivity.customer_id.is_(None)))
        == 0
    )


def test_a_visitor_another_process_gave_a_customer_meanwhile_keeps_that_one(app, visitors):
    """The other tab's process claimed the visitor after this batch read it: this batch's
    customer for it is dropped, and its message joins the winner's history."""
    raced, *others = visitors[:3]
    winner = CustomerFactory(name="Claimed first")
    db.session.flush()
    db.session.get(Visitor, raced).customer_id = winner.id
    db.session.commit()
    read_before = db.session.scalars(select(Visitor).where(Visitor.id.in_(visitors[:3]))).all()
    for visitor in read_before:  # as this batch read them, before the other process's commit
        set_committed_value(visitor, "customer_id", None)
        set_committed_value(visitor, "customer", None)

    identity.customers_for(db.session, read_before)
    db.session.commit()

    owners = {v.id: v.customer_id for v in db.session.scalars(select(Visitor))}
    assert owners[raced] == winner.id
    assert all(owners[v] not in (None, winner.id) for v in others)
    names = db.session.scalars(select(Customer.name).order_by(Customer.id)).all()
    assert names == ["Claimed first"] + [f"Visitor {owners[v]}" for v in others]


def test_two_tabs_first_messages_in_one_batch_make_one_customer_and_one_chat(app, visitors):
    visitor_id = visitors[0]
    jobs = [_Job(visitor_id, f"from tab {tab}", f"tab-{tab}") for tab in (1, 2)]
    with app.app_context():
        MessageWriter(app)._write_batch(jobs)
        db.session.remove()

    first, second = (job.done.result(0) for job in jobs)
    assert first.ticket_id == second.ticket_id
    assert db.session.scalar(select(func.count(Customer.id))) == 1
    ticket = db.session.get(Ticket, first.ticket_id)
    assert ticket.customer_id == db.session.get(Visitor, visitor_id).customer_id
    bodies = db.session.scalars(select(Message.body).where(Message.ticket_id == ticket.id))
    assert sorted(bodies) == ["from tab 1", "from tab 2"]
