"""A visitor and an agent over real sockets: the whole chat, as both of them see it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from supportdesk.customers.models import Customer
from supportdesk.extensions import db
from supportdesk.tickets.models import Message, Ticket
from tests.channels.chat.conftest import customer_of


def _customers() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Customer)) or 0


def test_a_new_visitor_gets_a_token_and_an_empty_conversation(visitor: Any) -> None:
    _, session = visitor()

    assert len(session["visitor_token"]) >= 40
    assert session["customer_id"] is None
    assert session["ticket_id"] is None
    assert session["messages"] == []
    assert session["verified"] is False


def test_opening_the_widget_makes_no_customer_until_the_first_message(visitor: Any) -> None:
    _, first = visitor()
    first_tab, again = visitor(visitor_token=first["visitor_token"])
    second_tab, _ = visitor(visitor_token=first["visitor_token"])
    visitor()
    assert _customers() == 0
    assert again["visitor_token"] == first["visitor_token"] and again["customer_id"] is None

    ack = first_tab.call("message", {"body": "first words", "client_id": "1"})

    assert _customers() == 1
    assert ack["author"]["kind"] == "customer"
    assert ack["ticket_id"] == db.session.get(Message, ack["id"]).ticket_id
    heard = second_tab.wait_for("message", lambda m: m["id"] == ack["id"])
    assert (heard["author"]["kind"], heard["client_id"]) == ("customer", "1")
    second = second_tab.call("message", {"body": "from the other tab", "client_id": "2"})
    assert customer_of(second) == customer_of(ack) and second["ticket_id"] == ack["ticket_id"]
    _, later = visitor(visitor_token=first["visitor_token"])
    assert later["customer_id"] == customer_of(ack)
    assert _customers() == 1


def test_a_chat_from_first_message_to_the_agents_reply(
    visitor: Any, agent_peer: Any, api: Any
) -> None:
    desk = agent_peer()
    widget, session = visitor(locale="zh-CN")

    ack = widget.call("message", {"body": "我的订单还没到", "client_id": "c-1"})

    stored = db.session.get(Message, ack["id"])
    assert stored is not None and stored.body == "我的订单还没到"
    ticket = db.session.get(Ticket, stored.ticket_id)
    assert ticket.channel == "chat" and session["customer_id"] is None
    assert ack["ticket_id"] == ticket.id and ack["author"]["kind"] == "customer"
    assert desk.wait_for("ticket.created")["id"] == ticket.id
    announced = desk.wait_for("message.created")
    assert (announced["id"], announced["body"]) == (ack["id"], "我的订单还没到")

    reply = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Let me look."})
    assert reply.status_code == 201, reply.json

    heard = widget.wait_for("message", lambda m: m["author"]["kind"] == "agent")
    assert heard["body"] == "Let me look."
    assert heard["author"]["name"] == "Ada Agent"
    assert heard["id"] == reply.json["id"]


def test_a_retried_message_is_stored_once_and_acked_with_the_same_id(visitor: Any) -> None:
    widget, _ = visitor()

    first = widget.call("message", {"body": "Hello?", "client_id": "retry-1"})
    again = widget.call("message", {"body": "Hello?", "client_id": "retry-1"})

    assert again == first
    assert db.session.query(Message).filter_by(body="Hello?").count() == 1


def test_a_returning_visitor_gets_the_conversation_and_exactly_what_it_missed(
    visitor: Any, api: Any
) -> None:
    widget, session = visitor()
    sent = widget.call("message", {"body": "Is anyone there?", "client_id": "a"})
    ticket_id = db.session.get(Message, sent["id"]).ticket_id
    widget.close()
    replies = [
        api.post(f"/tickets/{ticket_id}/messages", json={"body": text}).json["id"]
        for text in ("Hi!", "How can I help?")
    ]
    api.post(f"/tickets/{ticket_id}/messages", json={"body": "VIP", "internal": True})

    back, again = visitor(visitor_token=session["visitor_token"])
    missed = back.call("history", {"after_id": sent["id"]})

    assert again["customer_id"] == customer_of(sent)
    assert again["ticket_id"] == ticket_id
    assert [m["body"] for m in again["messages"]] == ["Is anyone there?", "Hi!", "How can I help?"]
    assert again["messages"][0]["client_id"] == "a"
    assert [m["id"] for m in missed["messages"]] == replies
    assert back.call("history", {"after_id": replies[-1]}) == {"messages": []}


def test_a_visitor_never_hears_another_customers_conversation(visitor: Any, api: Any) -> None:
    alice, _ = visitor()
    bob, _ = visitor()
    alice_message = alice.call("message", {"body": "alice here", "client_id": "1"})
    bob.call("message", {"body": "bob here", "client_id": "1"})
    ticket_id = db.session.get(Message, alice_message["id"]).ticket_id

    api.post(f"/tickets/{ticket_id}/messages", json={"body": "For Alice only"})

    assert alice.wait_for("message", lambda m: m["body"] == "For Alice only")
    heard = [m["body"] for m in bob.quiet("message")]
    assert "For Alice only" not in heard and "alice here" not in heard


def test_typing_goes_both_ways(visitor: Any, agent_peer: Any) -> None:
    widget, _ = visitor()
    sent = widget.call("message", {"body": "typing test", "client_id": "t"})
    ticket_id = db.session.get(Message, sent["id"]).ticket_id
    desk = agent_peer()
    desk.call("watch", {"ticket_id": ticket_id})

    widget.emit("typing", {"typing": True})
    assert desk.wait_for("visitor.typing") == {"ticket_id": ticket_id, "typing": True}

    desk.emit("typing", {"ticket_id": ticket_id, "typing": True})
    assert widget.wait_for("typing") == {"typing": True, "name": "Ada Agent"}

    desk.emit("typing", {"ticket_id": ticket_id, "typing": True, "internal": True})
    assert widget.quiet("typing") == []


def test_too_long_and_too_fast_messages_get_a_clear_problem(visitor: Any) -> None:
    widget, _ = visitor()

    too_long = widget.call("message", {"body": "x" * 5001, "client_id": "long"})
    assert too_long["error"]["status"] == 422
    assert "5000 characters" in too_long["error"]["errors"]["body"][0]
    assert widget.wait_for("problem")["event"] == "message"

    for n in range(5):  # the test budget: 5 per minute
        assert "id" in widget.call("message", {"body": f"m{n}", "client_id": f"m{n}"})
    refused = widget.call("message", {"body": "one more", "client_id": "m5"})

    assert refused["error"]["status"] == 429
    assert refused["error"]["retry_after"] > 0
    problem = widget.wait_for("problem", lambda p: p["status"] == 429)
    assert "Slow down" in problem["detail"]
    assert db.session.query(Message).filter_by(body="one more").count() == 0


def test_bad_payloads_are_refused_with_field_errors(visitor: Any) -> None:
    widget, _ = visitor()

    answer = widget.call("message", {"body": "no client id"})

    assert answer["error"]["status"] == 422
    assert "client_id" in answer["error"]["errors"]
    assert widget.call("history", "nonsense")["error"]["status"] == 422


def test_huge_numbers_and_nested_payloads_get_a_problem_not_a_crash(visitor: Any) -> None:
    widget, _ = visitor()
    widget.call("message", {"body": "so there is a conversation", "client_id": "1"})
    odd: list[tuple[str, Any]] = [
        ("history", {"after_id": 10**30}),
        ("history", {"after_id": -(10**30)}),
        ("history", {"after_id": 1.5}),
        ("history", {"after_id": {"$gt": 0}}),
        ("message", {"body": {"nested": ["deep"]}, "client_id": "2"}),
        ("message", {"body": "ok", "client_id": 10**30}),
        ("message", [[[[["deep"]]]]]),
        ("typing", {"typing": 10**30}),
        ("identify", {"email": ["a@b.example"]}),
        ("identify", {"email": "x@y.example", "name": {"first": "x"}}),
        ("verify.start", {"email": 10**30}),
        ("verify.check", {"code": 123456}),
        ("offline_message", {"email": {"a": 1}, "body": "x"}),
        ("transcript", {"email": 10**30}),
    ]
    for event, payload in odd:
        answer = widget.call(event, payload)
        assert answer["error"]["status"] == 422, (event, payload, answer)
    assert "id" in widget.call("message", {"body": "still fine", "client_id": "3"})


def test_an_odd_connect_payload_still_gets_a_session(visitor: Any) -> None:
    for auth in (
        {"visitor_token": 10**30, "locale": {"nested": True}, "identity": ["x"]},
        {"identity": {"email": 10**30, "external_id": {"a": 1}, "hash": [1], "name": 2}},
        {"identity": {"external_id": "x" * 10_000, "hash": "f" * 10_000}},
    ):
        _, session = visitor(**auth)
        assert session["verified"] is False and session["customer_id"] is None
