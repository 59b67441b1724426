"""Replies and notes on a ticket, on any channel, through /api/v1/tickets/{id}/messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from supportdesk.extensions import db
from tests.factories import MessageFactory, TicketFactory

PROBLEM = "application/problem+json"


def post(api: Any, ticket: Any, **fields: Any) -> Any:
    return api.post(f"/tickets/{ticket.id}/messages", json=fields)


def messages(api: Any, ticket: Any) -> list[dict[str, Any]]:
    return api.walk(f"/tickets/{ticket.id}/messages")


def test_agent_reply_goes_out_on_the_tickets_channel_by_default(api, agent):
    ticket = TicketFactory(channel="chat", body="Hi, is anyone there?")
    db.session.commit()

    response = post(api, ticket, body="Yes, how can I help?")

    assert response.status_code == 201, response.json
    reply = response.json
    assert reply["ticket_id"] == ticket.id
    assert (reply["channel"], reply["direction"], reply["internal"]) == ("chat", "outbound", False)
    assert reply["body"] == "Yes, how can I help?"
    assert reply["author"] == {
        "kind": "agent",
        "name": agent.name,
        "user_id": agent.id,
        "customer_id": None,
    }
    assert reply["created_at"].endswith("+00:00")
    assert messages(api, ticket)[-1] == reply


def test_a_phone_ticket_answered_by_email_and_continued_in_chat(api):
    ticket = TicketFactory(channel="phone", body="Caller: the router blinks red.")
    db.session.commit()

    by_email = post(api, ticket, body="As promised, the reset steps.", channel="email")
    MessageFactory(ticket=ticket, channel="chat", body="Did the steps, still red.")
    db.session.commit()
    in_chat = post(api, ticket, body="Then we send a new router.", channel="chat")

    assert (by_email.status_code, in_chat.status_code) == (201, 201)
    thread = [(m["channel"], m["direction"], m["body"]) for m in messages(api, ticket)]
    assert thread == [
        ("phone", "inbound", "Caller: the router blinks red."),
        ("email", "outbound", "As promised, the reset steps."),
        ("chat", "inbound", "Did the steps, still red."),
        ("chat", "outbound", "Then we send a new router."),
    ]
    # The ticket keeps the channel the conversation started on.
    assert api.get(f"/tickets/{ticket.id}").json["channel"] == "phone"
    timeline = api.walk(f"/customers/{ticket.customer_id}/timeline", kind="message")
    assert [i["channel"] for i in timeline] == ["chat", "chat", "email", "phone"]


def test_an_internal_note_is_kept_apart_from_replies(api, agent):
    ticket = TicketFactory(channel="email")
    db.session.commit()

    response = post(api, ticket, body="VIP: refund without asking twice.", internal=True)

    assert response.status_code == 201, response.json
    note = response.json
    assert (note["direction"], note["internal"]) == ("internal", True)
    assert note["author"]["kind"] == "agent" and note["author"]["user_id"] == agent.id
    assert messages(api, ticket)[-1]["internal"] is True
    [entry] = [
        i
        for i in api.walk(f"/customers/{ticket.customer_id}/timeline", kind="message")
        if i["body"] == "VIP: refund without asking twice."
    ]
    assert entry["direction"] == "internal"


def test_internal_false_is_an_ordinary_reply(api):
    ticket = TicketFactory()
    db.session.commit()

    response = post(api, ticket, body="Hello", internal=False)

    assert (response.json["direction"], response.json["internal"]) == ("outbound", False)


def test_markup_typed_into_a_reply_comes_back_escaped_never_live(api):
    ticket = TicketFactory()
    db.session.commit()
    body = 'Try this: <script>alert("x")</script> & <img src=x onerror=alert(1)>'

    response = post(api, ticket, body=body)

    assert response.status_code == 201
    stored = messages(api, ticket)[-1]
    assert stored["body"] == body  # what the agent typed, verbatim
    for html in (response.json["body_html"], stored["body_html"]):
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;" in html and "&amp;" in html


def test_plain_text_keeps_its_paragraphs_and_line_breaks(api):
    ticket = TicketFactory()
    db.session.commit()

    response = post(api, ticket, body="Hello Mei,\n\nstep one\nstep two\n")

    assert response.json["body_html"] == "<p>Hello Mei,</p><p>step one<br>step two</p>"


def test_html_from_an_email_is_sanitized_before_anyone_sees_it(api):
    ticket = TicketFactory(body=None)
    MessageFactory(
        ticket=ticket,
        body="Hello",
        body_html=(
            '<p onclick="steal()">Hello <b>there</b></p><script>steal()</script>'
            '<a href="javascript:steal()">click</a>'
            '<img src="https://t.example/p.gif" onerror="x()">'
        ),
    )
    db.session.commit()

    [message] = messages(api, ticket)

    html = message["body_html"]
    assert "<b>there</b>" in html
    for live in ("<script", "steal()</script", "onclick", "onerror", "javascript:"):
        assert live not in html, live
    [entry] = api.walk(f"/customers/{ticket.customer_id}/timeline", kind="message")
    assert entry["body_html"] == html


def test_messages_come_oldest_first_in_pages(api):
    ticket = TicketFactory(body=None)
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    for n in range(8):
        # Pairs share a timestamp: the id breaks the tie, so none is lost or repeated.
        MessageFactory(
            ticket=ticket, body=f"message {n}", created_at=start + timedelta(minutes=n // 2)
        )
    db.session.commit()

    pages, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = api.get(f"/tickets/{ticket.id}/messages", query_string=query)
        assert response.status_code == 200, response.json
        pages.append([m["body"] for m in response.json["items"]])
        cursor = response.json["next_cursor"]
        if cursor is None:
            break

    assert [len(p) for p in pages] == [3, 3, 2]
    assert [b for page in pages for b in page] == [f"message {n}" for n in range(8)]


def test_a_reply_posted_now_comes_after_older_messages(api):
    ticket = TicketFactory(body=None)
    MessageFactory(ticket=ticket, body="first", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    db.session.commit()

    post(api, ticket, body="second")

    assert [m["body"] for m in messages(api, ticket)] == ["first", "second"]


def test_messages_of_one_ticket_only(api):
    mine, other = TicketFactory(body="mine"), TicketFactory(body="not mine")
    db.session.commit()

    assert [m["body"] for m in messages(api, mine)] == ["mine"]
    assert [m["body"] for m in messages(api, other)] == ["not mine"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": " \n\t "}, "body"),
        ({}, "body"),
        ({"body": None}, "body"),
        ({"body": 42}, "body"),
        ({"body": "x" * 100_001}, "body"),
        ({"body": "nul \x00"}, "body"),
        ({"body": "hi", "channel": "fax"}, "channel"),
        ({"body": "hi", "channel": "system"}, "channel"),
        ({"body": "hi", "internal": "maybe"}, "internal"),
        ({"body": "hi", "author": "customer"}, "author"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_invalid_messages_are_field_errors_and_store_nothing(api, fields, field):
    ticket = TicketFactory(body="Original question")
    db.session.commit()

    response = post(api, ticket, **fields)

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    assert field in response.json["errors"], response.json
    assert [m["body"] for m in messages(api, ticket)] == ["Original question"]
    assert api.get(f"/tickets/{ticket.id}").json["status"] == "new"


def test_a_body_of_exactly_100000_characters_is_accepted(api):
    ticket = TicketFactory(body=None)
    db.session.commit()

    response = post(api, ticket, body="x" * 100_000)

    assert response.status_code == 201
    assert len(messages(api, ticket)[0]["body"]) == 100_000


def test_a_request_over_one_mebibyte_is_refused_as_too_large(api, app):
    ticket = TicketFactory(body=None)
    db.session.commit()
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    payload = json.dumps({"body": "x" * (1024 * 1024)})

    response = api.post(
        f"/tickets/{ticket.id}/messages", data=payload, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.content_type == PROBLEM
    assert response.json["status"] == 413
    assert messages(api, ticket) == []


def test_messages_of_an_unknown_ticket_are_404(api):
    for response in (
        api.get("/tickets/424242/messages"),
        api.post("/tickets/424242/messages", json={"body": "hello?"}),
    ):
        assert response.status_code == 404
        assert response.content_type == PROBLEM


def test_bad_page_arguments_are_field_errors(api):
    ticket = TicketFactory()
    db.session.commit()

    for query, field in (({"limit": 0}, "limit"), ({"cursor": "nope"}, "cursor")):
        response = api.get(f"/tickets/{ticket.id}/messages", query_string=query)
        assert response.status_code == 422
        assert field in response.json["errors"]
