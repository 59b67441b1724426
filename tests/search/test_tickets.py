"""Agents find tickets by any word of their subject or messages, each ticket once."""

from __future__ import annotations

import pytest

from supportdesk.extensions import db
from supportdesk.search import service as search
from supportdesk.tickets import service as tickets
from tests.factories import CustomerFactory, MessageFactory, TicketFactory
from tests.test_list_statements import statements_run


def found(q: str) -> list[int]:
    return [hit.id for hit in search.search_tickets(db.session, q)]


def test_a_ticket_with_many_matching_messages_is_one_hit_with_its_best_snippet(app):
    printer = TicketFactory(subject="Printer jammed", body="The printer shows error 52.")
    for _ in range(3):
        MessageFactory(ticket=printer, body="Still jammed, the printer is useless.")
    other = TicketFactory(subject="Invoice", body="My printer invoice is wrong.")
    TicketFactory(subject="Router", body="Nothing to see.")
    db.session.commit()

    hits = search.search_tickets(db.session, "printer")

    assert [h.id for h in hits] == [printer.id, other.id]  # the subject weighs more
    assert hits[0].message_id is None and "<mark>Printer</mark>" in hits[0].snippet
    assert hits[1].message_id is not None and "<mark>printer</mark>" in hits[1].snippet


def test_new_messages_renames_moves_and_merges_keep_the_index_current(app):
    first = TicketFactory(subject="Parcel late", body="Where is my parcel?")
    second = TicketFactory(customer=first.customer, subject="Another thing", body="Hello")
    db.session.commit()

    message = MessageFactory(ticket=first, body="The courier lost the kangaroo plush.")
    tickets.update_ticket(db.session, second, subject="Warranty for the blender")
    db.session.commit()
    assert found("kangaroo") == [first.id]
    assert found("blender") == [second.id] and found("another") == []

    tickets.move_message(db.session, message, second)
    db.session.commit()
    assert found("kangaroo") == [second.id]

    tickets.merge_ticket(db.session, second, first)
    db.session.commit()
    assert found("kangaroo") == [first.id]
    assert found("blender") == [second.id]  # the merged ticket keeps its own subject


def test_a_rolled_back_message_leaves_nothing_in_the_index(app):
    ticket = TicketFactory(subject="Parcel", body="Hello")
    db.session.commit()

    MessageFactory(ticket=ticket, body="A word like xylophone.")
    assert found("xylophone") == [ticket.id]  # current inside the writing transaction
    db.session.rollback()

    assert found("xylophone") == []


def test_a_new_message_on_a_long_ticket_writes_one_small_document(app):
    ticket = TicketFactory(subject="Long conversation", body="First words.")
    for n in range(60):
        MessageFactory(ticket=ticket, body=f"Message number {n} with words.")
    db.session.commit()

    with statements_run() as seen:
        MessageFactory(ticket=ticket, body="One more about the toaster.")
        db.session.commit()

    writes = [s for s in seen if "search_" in s]
    assert len(writes) == 1 and writes[0].startswith("INSERT INTO search_ticket_texts")
    assert found("toaster") == [ticket.id]


def test_the_inbox_finds_this_desks_ref_by_its_key_alone(api):
    wanted = TicketFactory(subject="Router")
    db.session.commit()
    TicketFactory(subject=f"Follow-up to {wanted.ref}", body=f"See {wanted.ref}.")
    db.session.commit()

    assert [t["id"] for t in api.walk("/tickets", q=wanted.ref)] == [wanted.id]


def test_the_inbox_pages_through_every_match_newest_first(api):
    matching = [TicketFactory(subject=f"Toaster case {n}") for n in range(7)]
    TicketFactory(subject="Kettle")
    db.session.commit()

    pages, cursor = [], None
    while True:
        query = {"q": "toaster", "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/tickets", query_string=query).json
        pages.append([t["id"] for t in page["items"]])
        cursor = page["next_cursor"]
        if not cursor:
            break

    assert [len(p) for p in pages] == [3, 3, 1]
    assert [i for p in pages for i in p] == [t.id for t in reversed(matching)]


def test_the_inbox_finds_chinese_words_and_the_customers_name(api):
    mei = CustomerFactory(name="陈美玲")
    chinese = TicketFactory(customer=mei, subject="咨询", body="我想申请退款，订单还没发货。")
    TicketFactory(subject="Other", body="Nothing")
    db.session.commit()

    def listed(q: str) -> list[int]:
        return [t["id"] for t in api.walk("/tickets", q=q)]

    assert listed("退款") == [chinese.id]
    assert listed("发货") == [chinese.id]
    assert listed("美玲") == [chinese.id]
    assert listed("陈") == [chinese.id]


@pytest.fixture
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bounds of the inbox's and the ranked search's walks, at a test's scale."""
    from supportdesk.search.backends import fts5, postgresql

    for backend in (fts5, postgresql):
        monkeypatch.setattr(backend, "INBOX_TEXTS", 3)
    monkeypatch.setattr(fts5, "RANKED_TEXTS", 4)  # PostgreSQL ranks every match


def test_a_word_in_more_texts_than_the_bounds_walks_the_newest(api, small_bounds):
    old = TicketFactory(subject="Toaster toaster toaster", body="toaster")
    newer = [TicketFactory(subject=f"Case {n}", body="The toaster again.") for n in range(4)]
    rare = TicketFactory(subject="Kettle", body="Nothing")
    db.session.commit()

    assert [t["id"] for t in api.walk("/tickets", q="toaster")] == [t.id for t in newer[:0:-1]]
    assert found("kettle") == [rare.id]  # fewer texts than the bounds: all of them
    if db.engine.dialect.name == "sqlite":
        assert found("toaster") == [t.id for t in newer]  # the newest four texts, ranked
    else:
        assert found("toaster")[0] == old.id  # all of them, the subject's best
