"""The agents' side: who is online, who is looking, and what happens when nobody is."""

from __future__ import annotations

from typing import Any

import pytest
import socketio

from supportdesk.channels.chat import presence
from supportdesk.extensions import db
from supportdesk.tickets.models import Message, Ticket
from tests.channels.chat.conftest import eventually
from tests.factories import CustomerFactory, TicketFactory, UserFactory


def test_agents_must_sign_in(server: Any) -> None:
    for auth in (None, {"token": "not-a-token"}):
        client = socketio.SimpleClient()
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, namespace="/agent", auth=auth, transports=["websocket"])


def test_a_session_cookie_signs_an_agent_in(server: Any, agent: Any) -> None:
    import requests

    UserFactory(email="cookie@desk.example", password="cookie-password-1", name="Cookie")
    db.session.commit()
    http = requests.Session()
    signed_in = http.post(
        f"{server.url}/api/v1/session",
        json={"email": "cookie@desk.example", "password": "cookie-password-1"},
    )
    assert signed_in.status_code == 200
    client = socketio.SimpleClient()
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    client.connect(
        server.url, namespace="/agent", headers={"Cookie": cookie}, transports=["websocket"]
    )
    event, status = client.receive(timeout=5)
    assert (event, status["name"], status["status"]) == ("presence", "Cookie", "online")
    client.disconnect()


def test_presence_online_away_offline(agent_peer: Any) -> None:
    watcher = agent_peer()
    grace = UserFactory(name="Grace")
    other = agent_peer(grace)

    assert watcher.wait_for("presence", lambda p: p["name"] == "Grace")["status"] == "online"
    assert other.call("presence", {"status": "away"}) == {"status": "away"}
    assert watcher.wait_for("presence", lambda p: p["name"] == "Grace")["status"] == "away"
    other.close()
    assert watcher.wait_for("presence", lambda p: p["name"] == "Grace")["status"] == "offline"


def test_two_agents_on_one_ticket_see_each_other_and_who_is_typing(agent_peer: Any) -> None:
    ticket = TicketFactory(channel="chat")
    ada = agent_peer()
    grace = agent_peer(UserFactory(name="Grace"))

    first = ada.call("watch", {"ticket_id": ticket.id})
    assert [v["name"] for v in first["viewers"]] == ["Ada Agent"]
    grace.call("watch", {"ticket_id": ticket.id})
    seen = ada.wait_for("ticket.viewers", lambda v: len(v["viewers"]) == 2)
    assert seen["ticket_id"] == ticket.id

    grace.emit("typing", {"ticket_id": ticket.id, "typing": True})
    typing = ada.wait_for("ticket.viewers", lambda v: any(x["typing"] for x in v["viewers"]))
    assert [(v["name"], v["typing"]) for v in typing["viewers"]] == [
        ("Ada Agent", False),
        ("Grace", True),
    ]
    grace.call("unwatch")
    alone = ada.wait_for("ticket.viewers", lambda v: len(v["viewers"]) == 1)
    assert alone["viewers"][0]["name"] == "Ada Agent"
    assert ada.call("watch", {"ticket_id": 999999})["error"]["status"] == 404


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
    assert customer["emails"] == ["mei@mail.example"]
    assert [m.body for m in db.session.query(Message).filter_by(ticket_id=ticket.id)] == [
        "Call me back about my refund"
    ]
    agent_peer()
    assert widget.wait_for("agents") == {"online": True}


def test_an_offline_message_from_a_known_address_joins_that_customer_silently(
    visitor: Any,
) -> None:
    known = CustomerFactory(emails=["known@mail.example"])
    TicketFactory(customer=known, body="an older, private question")
    widget, _ = visitor()

    left = widget.call("offline_message", {"email": "known@mail.example", "body": "Hello again"})

    assert db.session.get(Ticket, left["ticket_id"]).customer_id == known.id
    assert widget.call("history", {"after_id": 0}) == {"messages": []}


def test_the_visitor_can_have_the_transcript_by_email(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    widget, _ = visitor()
    sent = widget.call("message", {"body": "Where is order 88?", "client_id": "1"})
    ticket_id = db.session.get(Message, sent["id"]).ticket_id
    api.post(f"/tickets/{ticket_id}/messages", json={"body": "It ships today."})
    api.post(f"/tickets/{ticket_id}/messages", json={"body": "secret note", "internal": True})

    assert widget.call("transcript", {})["error"]["errors"]["email"]
    assert widget.call("transcript", {"email": "me@mail.example"}) == {"sent": True}

    mail = smtp_peer.messages[-1]
    assert mail["To"] == "Visitor <me@mail.example>" or "me@mail.example" in mail["To"]
    text = mail.get_body(("plain",)).get_content()
    assert "Where is order 88?" in text and "It ships today." in text
    assert "secret note" not in text
    assert db.session.get(Ticket, ticket_id).ref in mail["Subject"]


def test_a_reply_to_a_visitor_who_left_goes_by_email_and_the_ticket_says_so(
    visitor: Any, api: Any, smtp_peer: Any
) -> None:
    widget, session = visitor()
    widget.call("identify", {"email": "gone@mail.example", "name": "Gone"})
    sent = widget.call("message", {"body": "I have to run", "client_id": "1"})
    ticket_id = db.session.get(Message, sent["id"]).ticket_id
    online = api.post(f"/tickets/{ticket_id}/messages", json={"body": "While you are here"})
    assert api.get(f"/messages/{online.json['id']}/email").status_code == 404
    widget.close()
    eventually(lambda: not presence.is_online(db.session, "visitor", session["customer_id"]))

    reply = api.post(f"/tickets/{ticket_id}/messages", json={"body": "Here is the answer."})

    assert reply.status_code == 201 and reply.json["channel"] == "chat"
    delivery = api.get(f"/messages/{reply.json['id']}/email").json
    assert delivery["delivery_status"] == "sent", delivery
    assert "Here is the answer." in smtp_peer.messages[-1].get_body(("plain",)).get_content()
    events = api.walk(f"/customers/{session['customer_id']}/timeline", kind="ticket_event")
    assert "chat_reply_emailed" in [e["event"] for e in events]
