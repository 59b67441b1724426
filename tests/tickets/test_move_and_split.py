"""Mis-threading is explainable and undoable: agents move and split messages."""

from __future__ import annotations

from supportdesk.extensions import db
from supportdesk.tickets.models import AuthorKind, Direction
from tests.factories import CustomerFactory, MessageFactory, TicketFactory


def events_of(api, customer_id, event):
    items = api.walk(f"/customers/{customer_id}/timeline", kind="ticket_event")
    return [i for i in items if i["event"] == event]


def test_moving_a_message_puts_it_on_the_right_ticket_and_timeline(api, agent):
    wrong = TicketFactory(subject="Printer jam", body=None)
    stranger = CustomerFactory(name="Ola")
    right = TicketFactory(customer=stranger, subject="Invoice question", body=None)
    message = MessageFactory(ticket=wrong, body="About my invoice")
    db.session.commit()

    moved = api.post(f"/messages/{message.id}/move", json={"ticket_id": right.id})

    assert moved.status_code == 200, moved.json
    assert moved.json["ticket_id"] == right.id
    assert [m["body"] for m in api.walk(f"/tickets/{right.id}/messages")] == ["About my invoice"]
    assert api.walk(f"/tickets/{wrong.id}/messages") == []
    # The message now shows on the right customer's timeline, not the wrong one's.
    ola = api.walk(f"/customers/{stranger.id}/timeline", kind="message")
    assert [i["body"] for i in ola] == ["About my invoice"]
    assert api.walk(f"/customers/{wrong.customer_id}/timeline", kind="message") == []
    # Both tickets say what happened, and who did it.
    [left] = events_of(api, wrong.customer_id, "message_moved")
    [arrived] = events_of(api, stranger.id, "message_moved")
    assert (
        left["data"]
        == arrived["data"]
        == {
            "message_id": message.id,
            "from": wrong.ref,
            "to": right.ref,
        }
    )
    assert arrived["actor"]["name"] == agent.name


def test_splitting_a_message_gives_it_a_new_ticket(api):
    ticket = TicketFactory(subject="Printer jam", body="Paper is stuck")
    message = MessageFactory(ticket=ticket, body="Also: can I get a copy of my invoice?")
    db.session.commit()

    split = api.post(f"/messages/{message.id}/split", json={"subject": "Invoice copy"})

    assert split.status_code == 201, split.json
    new = split.json
    assert (new["subject"], new["customer_id"], new["channel"]) == (
        "Invoice copy",
        ticket.customer_id,
        "email",
    )
    bodies = [m["body"] for m in api.walk(f"/tickets/{new['id']}/messages")]
    assert bodies == ["Also: can I get a copy of my invoice?"]
    assert [m["body"] for m in api.walk(f"/tickets/{ticket.id}/messages")] == ["Paper is stuck"]


def test_an_agents_note_split_off_stays_with_the_tickets_customer(api, agent):
    ticket = TicketFactory(subject="Printer jam", body="Paper is stuck")
    note = MessageFactory(
        ticket=ticket,
        author_kind=AuthorKind.AGENT,
        author_user=agent,
        direction=Direction.INTERNAL,
        body="Follow up on the toner order separately.",
    )
    db.session.commit()

    split = api.post(f"/messages/{note.id}/split", json={})

    assert split.status_code == 201, split.json
    assert (split.json["customer_id"], split.json["subject"]) == (ticket.customer_id, "Printer jam")


def test_moves_that_make_no_sense_are_refused(api):
    ticket = TicketFactory(body=None)
    closed = TicketFactory(body=None)
    message = MessageFactory(ticket=ticket)
    db.session.commit()
    api.patch(f"/tickets/{closed.id}", json={"status": "solved"})
    api.patch(f"/tickets/{closed.id}", json={"status": "closed"})

    same = api.post(f"/messages/{message.id}/move", json={"ticket_id": ticket.id})
    to_closed = api.post(f"/messages/{message.id}/move", json={"ticket_id": closed.id})
    unknown = api.post(f"/messages/{message.id}/move", json={"ticket_id": 999999})
    no_message = api.post("/messages/999999/move", json={"ticket_id": ticket.id})

    assert same.status_code == 422 and "ticket_id" in same.json["errors"]
    assert to_closed.status_code == 409
    assert unknown.status_code == 422 and "ticket_id" in unknown.json["errors"]
    assert no_message.status_code == 404
    assert [m["id"] for m in api.walk(f"/tickets/{ticket.id}/messages")] == [message.id]


def test_attachments_download_for_agents_only(api, client):
    from supportdesk.tickets.models import Attachment

    message = MessageFactory()
    message.attachments.append(
        Attachment(filename="报告 1.pdf", content_type="application/pdf", size=4, data=b"%PDF")
    )
    db.session.commit()
    [listed] = api.get(f"/tickets/{message.ticket_id}/messages").json["items"][-1]["attachments"]

    download = api.get(listed["url"].removeprefix("/api/v1"))
    anonymous = client.get(listed["url"])

    assert (listed["filename"], listed["size"]) == ("报告 1.pdf", 4)
    assert download.status_code == 200 and download.data == b"%PDF"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "UTF-8''%E6%8A%A5%E5%91%8A%201.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymous.status_code == 401
