"""When nobody is there: a message left for later, a reply by e-mail, the transcript."""

from __future__ import annotations

from typing import Any

from supportdesk.channels.chat import connections
from supportdesk.extensions import db
from supportdesk.tickets.models import Message, Ticket
from tests.channels.chat.conftest import customer_of, eventually, mailed_code
from tests.factories import CustomerFactory, TicketFactory


def test_with_no_agent_online_the_widget_offers_a_message_by_email(
    visitor: Any, agent_peer: Any, api: Any
) -> None:
    widget, session = visitor()
    assert session["agents_online"] is False

    left = widget.call(
        "offline_message",
        {"name": "Mei", "email": "mei@mail.example", "body": "Call me back about my refund"},
    )

    ticket = db.session.get(Ticket, left["ticket_id"])
    assert left["ref"] == ticket.ref
    assert ticket.channel == "chat"
    customer = api.get(f"/customers/{ticket.customer_id}").json
    assert (customer["name"], customer["emails"]) == ("Mei", [])  # the address is a claim
    claims = api.get(f"/customers/{ticket.customer_id}/claimed-emails").json["items"]
    assert [c["email"] for c in claims] == ["mei@mail.example"]
    assert [m.body for m in db.session.query(Message).filter_by(ticket_id=ticket.id)] == [
        "Call me back about my refund"
    ]
    agent_peer()
    assert widget.wait_for("agents") == {"online": True}


def test_an_offline_message_with_someone_elses_address_is_only_a_possible_match(
    visitor: Any, api: Any
) -> None:
    known = CustomerFactory(emails=["known@mail.example"])
    TicketFactory(customer=known, body="an older, private question")
    db.session.commit()
    widget, _ = visitor()

    left = widget.call("offline_message", {"email": "known@mail.example", "body": "Hello again"})

    own = db.session.get(Ticket, left["ticket_id"]).customer_id
    assert own != known.id
    assert [m["body"] for m in widget.call("history", {"after_id": 0})["messages"]] == [
        "Hello again"
    ]
    matches = api.get(f"/customers/{own}/possible-matches").json["items"]
    assert [m["customer"]["id"] for m in matches] == [known.id]
    bodies = [e.get("body") for e in api.walk(f"/customers/{known.id}/timeline")]
    assert "Hello again" not in bodies


def test_a_reply_to_an_offline_message_reaches_the_open_widget_else_the_typed_address(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    widget, _ = visitor()
    left = widget.call(
        "offline_message",
        {"name": "Free Prizes at evil.example", "email": "mei@mail.example", "body": "Refund?"},
    )

    shown = api.post(f"/tickets/{left['ticket_id']}/messages", json={"body": "We are on it."})
    assert widget.wait_for("message", lambda m: m["id"] == shown.json["id"])["body"] == (
        "We are on it."
    )
    assert api.get(f"/messages/{shown.json['id']}/email").status_code == 404
    widget.close()
    customer_id = db.session.get(Ticket, left["ticket_id"]).customer_id
    eventually(lambda: not connections.customer_online(db.session, customer_id))

    mailed = api.post(f"/tickets/{left['ticket_id']}/messages", json={"body": "Refunded."})

    assert api.get(f"/messages/{mailed.json['id']}/email").json["delivery_status"] == "sent"
    mail = smtp_peer.messages[-1]
    assert mail["To"] == "mei@mail.example"  # no visitor-chosen name beside an unproven address
    assert "Refunded." in mail.get_body(("plain",)).get_content()


def test_the_visitor_can_have_the_transcript_by_email_once_the_address_is_proven(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    widget, _ = visitor()
    sent = widget.call("message", {"body": "Where is order 88?", "client_id": "1"})
    ticket_id = db.session.get(Message, sent["id"]).ticket_id
    api.post(f"/tickets/{ticket_id}/messages", json={"body": "It ships today."})
    api.post(f"/tickets/{ticket_id}/messages", json={"body": "secret note", "internal": True})

    assert widget.call("transcript", {})["error"]["errors"]["email"]
    refused = widget.call("transcript", {"email": "me@mail.example"})
    assert refused["error"]["status"] == 403 and refused["error"]["verify_first"] is True
    assert not any("Where is order 88?" in str(m) for m in smtp_peer.messages)
    widget.call("verify.start", {"email": "me@mail.example"})
    widget.call("verify.check", {"code": mailed_code(smtp_peer, "me@mail.example")})
    assert widget.call("transcript", {"email": "other@mail.example"})["error"]["status"] == 403

    assert widget.call("transcript", {}) == {"sent": True}

    mail = smtp_peer.messages[-1]
    assert "me@mail.example" in mail["To"]
    text = mail.get_body(("plain",)).get_content()
    assert "Where is order 88?" in text and "It ships today." in text
    assert "secret note" not in text
    assert db.session.get(Ticket, ticket_id).ref in mail["Subject"]


def test_a_reply_to_a_visitor_who_left_goes_by_email_and_the_ticket_says_so(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    widget, _ = visitor()
    widget.call("identify", {"email": "gone@mail.example", "name": "Gone"})
    sent = widget.call("message", {"body": "I have to run", "client_id": "1"})
    ticket_id = db.session.get(Message, sent["id"]).ticket_id
    online = api.post(f"/tickets/{ticket_id}/messages", json={"body": "While you are here"})
    assert api.get(f"/messages/{online.json['id']}/email").status_code == 404
    widget.close()
    customer_id = customer_of(sent)
    eventually(lambda: not connections.customer_online(db.session, customer_id))

    reply = api.post(f"/tickets/{ticket_id}/messages", json={"body": "Here is the answer."})

    assert reply.status_code == 201 and reply.json["channel"] == "chat"
    delivery = api.get(f"/messages/{reply.json['id']}/email").json
    assert delivery["delivery_status"] == "sent", delivery
    assert smtp_peer.messages[-1]["To"] == "gone@mail.example"
    assert "Here is the answer." in smtp_peer.messages[-1].get_body(("plain",)).get_content()
    events = api.walk(f"/customers/{customer_id}/timeline", kind="ticket_event")
    assert "chat_reply_emailed" in [e["event"] for e in events]


def test_an_offline_message_sent_again_after_its_answer_was_lost_is_stored_once(
    visitor: Any,
) -> None:
    widget, _ = visitor()
    message = {"email": "mei@mail.example", "body": "Call me back", "client_id": "offline-1"}

    first = widget.call("offline_message", message)
    again = widget.call("offline_message", message)  # the first answer never reached the form

    assert again == first
    ticket = db.session.get(Ticket, first["ticket_id"])
    assert db.session.query(Ticket).filter_by(customer_id=ticket.customer_id).count() == 1
    assert [m.body for m in db.session.query(Message).filter_by(ticket_id=ticket.id)] == [
        "Call me back"
    ]
    other = widget.call("offline_message", {**message, "client_id": "offline-2"})
    assert other["ticket_id"] != first["ticket_id"]
