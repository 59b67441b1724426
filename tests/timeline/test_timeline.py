"""One customer, one history: every channel in one list, newest first, in pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.tickets.models import AuthorKind, Direction
from tests.factories import CallFactory, CustomerFactory, MessageFactory, TicketFactory


def test_call_then_email_then_chat_show_in_one_timeline_newest_first(api, agent):
    customer = CustomerFactory(name="Mei", phones=["+1 415 555 0100"])
    call = CallFactory(customer=customer, phone="+14155550100", notes="Router blinks red")
    phone_ticket = call.ticket
    MessageFactory(ticket=phone_ticket, channel="email", body="As promised on the phone: photo")
    MessageFactory(
        ticket=phone_ticket,
        channel="chat",
        body="Did you get my photo?",
    )
    MessageFactory(
        ticket=phone_ticket,
        channel="chat",
        body="Yes, a new router is on its way.",
        direction=Direction.OUTBOUND,
        author_kind=AuthorKind.AGENT,
        author_user=agent,
    )
    db.session.commit()

    items = api.walk(f"/customers/{customer.id}/timeline")

    messages = [(i["channel"], i["direction"], i["body"]) for i in items if i["kind"] == "message"]
    assert messages == [
        ("chat", "outbound", "Yes, a new router is on its way."),
        ("chat", "inbound", "Did you get my photo?"),
        ("email", "inbound", "As promised on the phone: photo"),
    ]
    calls = [i for i in items if i["kind"] == "call"]
    assert [(c["notes"], c["duration_seconds"]) for c in calls] == [("Router blinks red", 120)]
    assert {i["ticket_id"] for i in items} == {phone_ticket.id}
    times = [i["occurred_at"] for i in items]
    assert times == sorted(times, reverse=True)
    assert items[-1]["kind"] == "ticket_event" and items[-1]["event"] == "created"
    newest_message = next(i for i in items if i["kind"] == "message")
    assert newest_message["author"] == {"kind": "agent", "name": agent.name}
    # The agent's first reply moved the ticket from new to open: that is on the timeline too.
    [moved] = [i for i in items if i.get("event") == "status_changed"]
    assert moved["data"] == {"from": "new", "to": "open"}
    assert moved["occurred_at"] == newest_message["occurred_at"]


def test_timeline_spans_every_ticket_of_the_customer_and_no_one_elses(api):
    customer, stranger = CustomerFactory(), CustomerFactory()
    first = TicketFactory(customer=customer, channel="web", body="Form request")
    second = TicketFactory(customer=customer, channel="email", body="Mail request")
    TicketFactory(customer=stranger, channel="email", body="Someone else's secret")
    db.session.commit()

    items = api.walk(f"/customers/{customer.id}/timeline")

    assert {i["ticket_id"] for i in items} == {first.id, second.id}
    assert "Someone else's secret" not in {i.get("body") for i in items}


def test_pages_walk_the_whole_history_once(api):
    customer = CustomerFactory()
    ticket = TicketFactory(customer=customer, body=None)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(23):
        # Several entries share a timestamp: the id breaks the tie, so none is lost.
        MessageFactory(
            ticket=ticket, body=f"message {n}", created_at=start + timedelta(minutes=n // 3)
        )
    db.session.commit()

    pages = []
    cursor = None
    while True:
        query = {"limit": 5, "kind": "message", **({"cursor": cursor} if cursor else {})}
        body = api.get(f"/customers/{customer.id}/timeline", query_string=query).json
        pages.append([i["body"] for i in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    flat = [b for page in pages for b in page]
    assert flat == [f"message {n}" for n in reversed(range(23))]


def test_filter_by_channel_and_kind(api):
    customer = CustomerFactory()
    CallFactory(customer=customer)
    TicketFactory(customer=customer, channel="chat", body="hello from chat")
    db.session.commit()
    path = f"/customers/{customer.id}/timeline"

    phone = api.get(path, query_string={"channel": "phone"}).json["items"]
    chat_messages = api.get(path, query_string={"channel": "chat", "kind": "message"}).json["items"]
    events = api.get(path, query_string={"kind": "ticket_event"}).json["items"]

    assert [i["kind"] for i in phone] == ["call"]
    assert [i["body"] for i in chat_messages] == ["hello from chat"]
    assert {i["channel"] for i in events} == {"system"}
    assert {i["event"] for i in events} == {"created"}


def test_internal_notes_are_on_the_agents_timeline_marked_internal(api, agent):
    ticket = TicketFactory()
    db.session.commit()
    api.post(f"/tickets/{ticket.id}/messages", json={"body": "VIP, be gentle", "internal": True})

    items = api.get(f"/customers/{ticket.customer_id}/timeline", query_string={"kind": "message"})

    assert items.json["items"][0]["direction"] == "internal"


def test_bad_filters_and_cursors_are_field_errors(api):
    customer = CustomerFactory()
    db.session.commit()
    path = f"/customers/{customer.id}/timeline"

    for query, field in (
        ({"channel": "fax"}, "channel"),
        ({"kind": "tweet"}, "kind"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
    ):
        response = api.get(path, query_string=query)
        assert response.status_code == 422, query
        assert response.content_type == "application/problem+json"
        assert field in response.json["errors"], response.json


def test_timeline_page_reads_one_index_range(app):
    """The page query walks the (customer, time) index: cost follows the page, not the history."""
    from supportdesk.core.pagination import PageRequest, encode_cursor
    from supportdesk.timeline.service import timeline_page

    customer = CustomerFactory()
    db.session.commit()
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM timeline_entries" in statement and "ORDER BY" in statement:
            captured.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        cursor = encode_cursor([datetime(2026, 1, 1, tzinfo=UTC), 10])
        timeline_page(db.session, customer, PageRequest(50, cursor))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    [(statement, parameters)] = captured

    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        # Tiny test tables make a sequential scan cheapest; forbid it to see the index path.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
    else:
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_timeline_customer" in details, details
    assert "Sort" not in details and "TEMP B-TREE" not in details, details  # the index orders


def test_a_cursor_time_in_another_offset_names_the_same_instant(api):
    import base64
    import json

    customer = CustomerFactory()
    ticket = TicketFactory(customer=customer, body=None)
    start = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    for n in range(6):
        MessageFactory(ticket=ticket, body=f"message {n}", created_at=start + timedelta(hours=n))
    db.session.commit()
    path = f"/customers/{customer.id}/timeline"
    first = api.get(path, query_string={"kind": "message", "limit": 2}).json
    when, last_id = json.loads(base64.urlsafe_b64decode(first["next_cursor"] + "=="))
    shifted = datetime.fromisoformat(when).astimezone(timezone(timedelta(hours=2))).isoformat()
    cursor = base64.urlsafe_b64encode(json.dumps([shifted, last_id]).encode()).decode()

    utc_page = api.get(path, query_string={"kind": "message", "cursor": first["next_cursor"]})
    shifted_page = api.get(path, query_string={"kind": "message", "cursor": cursor})

    assert [i["body"] for i in shifted_page.json["items"]] == [
        i["body"] for i in utc_page.json["items"]
    ]
    assert utc_page.json["items"][0]["body"] == "message 3"
