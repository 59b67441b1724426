"""The stale-reply guard (Help Scout's warning): an agent who began writing before someone
else's newer message is told so, with that message, before anything is sent."""

from __future__ import annotations

from typing import Any

from supportdesk.extensions import db
from supportdesk.tickets import service
from tests.factories import MessageFactory, TicketFactory, UserFactory

PROBLEM = "application/problem+json"


def reply(api: Any, ticket: Any, body: str, **fields: Any) -> Any:
    return api.post(f"/tickets/{ticket.id}/messages", json={"body": body, **fields})


def bodies(api: Any, ticket: Any) -> list[str]:
    return [m["body"] for m in api.walk(f"/tickets/{ticket.id}/messages")]


def test_a_customers_reply_since_the_agent_looked_is_a_409_with_that_reply(api):
    ticket = TicketFactory(body="My router blinks red.")
    db.session.commit()
    [seen] = api.walk(f"/tickets/{ticket.id}/messages")
    MessageFactory(ticket=ticket, body="Never mind, it works now!")
    db.session.commit()

    response = reply(api, ticket, "Have you tried turning it off?", seen_message_id=seen["id"])

    assert response.status_code == 409, response.json
    assert response.content_type == PROBLEM
    assert "replied" in response.json["detail"] and ticket.ref in response.json["detail"]
    [newer] = response.json["newer_messages"]
    assert newer["body"] == "Never mind, it works now!"
    assert newer["author"]["kind"] == "customer"
    assert newer == api.walk(f"/tickets/{ticket.id}/messages")[-1]  # as the list shows it
    assert bodies(api, ticket) == ["My router blinks red.", "Never mind, it works now!"]


def test_another_agents_note_since_is_a_409_too_and_send_anyway_sends(api):
    ticket = TicketFactory(body="Refund please.")
    colleague = UserFactory(name="Cole League")
    db.session.commit()
    [seen] = api.walk(f"/tickets/{ticket.id}/messages")
    service.reply(db.session, ticket, colleague, body="Refunded already, see CRM.", internal=True)
    db.session.commit()

    stale = reply(api, ticket, "I will refund you today.", seen_message_id=seen["id"])
    anyway = reply(api, ticket, "I will refund you today.")

    assert stale.status_code == 409, stale.json
    [note] = stale.json["newer_messages"]
    assert (note["body"], note["internal"]) == ("Refunded already, see CRM.", True)
    assert note["author"]["name"] == "Cole League"
    assert anyway.status_code == 201, anyway.json
    assert bodies(api, ticket) == [
        "Refund please.",
        "Refunded already, see CRM.",
        "I will refund you today.",
    ]


def test_the_callers_own_earlier_messages_do_not_make_a_reply_stale(api, agent):
    ticket = TicketFactory(body="Where is my parcel?")
    db.session.commit()
    [seen] = api.walk(f"/tickets/{ticket.id}/messages")
    assert reply(api, ticket, "Checking with the courier.", internal=True).status_code == 201

    response = reply(api, ticket, "It leaves today.", seen_message_id=seen["id"])

    assert response.status_code == 201, response.json
    assert response.json["author"]["user_id"] == agent.id
    assert bodies(api, ticket)[-1] == "It leaves today."


def test_only_the_messages_after_the_seen_one_count(api):
    ticket = TicketFactory(body="First")
    db.session.commit()
    MessageFactory(ticket=ticket, body="Second")
    db.session.commit()
    newest = api.walk(f"/tickets/{ticket.id}/messages")[-1]
    MessageFactory(ticket=ticket, body="Third")
    MessageFactory(ticket=ticket, body="Fourth")
    db.session.commit()

    up_to_date = reply(
        api, ticket, "Noted.", seen_message_id=api.walk(f"/tickets/{ticket.id}/messages")[-1]["id"]
    )
    stale = reply(api, ticket, "Noted again.", seen_message_id=newest["id"])

    assert up_to_date.status_code == 201, up_to_date.json
    assert stale.status_code == 409, stale.json
    assert [m["body"] for m in stale.json["newer_messages"]] == ["Third", "Fourth"]


def test_without_seen_message_id_a_reply_goes_out_as_before(api):
    ticket = TicketFactory(body="Hello")
    db.session.commit()
    MessageFactory(ticket=ticket, body="Anyone there?")
    db.session.commit()

    response = reply(api, ticket, "Yes, here.")

    assert response.status_code == 201, response.json
    assert bodies(api, ticket)[-1] == "Yes, here."


def test_the_document_describes_seen_message_id_and_the_409(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/tickets/{ticket_id}/messages"]["post"]

    assert "seen_message_id" in document["components"]["schemas"]["MessageCreate"]["properties"]
    answer = operation["responses"]["409"]["content"]["application/problem+json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/StaleReplyProblem"}
