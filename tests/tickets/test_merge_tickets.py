"""One customer, one question, two tickets: POST /api/v1/tickets/{id}/merge makes them one."""

from __future__ import annotations

import threading
from email.message import EmailMessage
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import AuthorKind, Direction
from tests.channels.chat.conftest import (  # noqa: F401 (fixtures)
    _quick_websocket_close,
    agent_peer,
    chat_app,
    peers,
    server,
)
from tests.conftest import TEST_CONFIG
from tests.factories import CallFactory, CustomerFactory, MessageFactory, TicketFactory

PROBLEM = "application/problem+json"


def merge(api: Any, ticket_id: int, into_id: Any) -> Any:
    return api.post(f"/tickets/{ticket_id}/merge", json={"into_id": into_id})


def events_of(api: Any, customer_id: int, event: str) -> list[dict[str, Any]]:
    items = api.walk(f"/customers/{customer_id}/timeline", kind="ticket_event")
    return [i for i in items if i["event"] == event]


def two_tickets(**customer: Any) -> tuple[Any, Any]:
    """A customer's duplicate (written first) and the ticket that stays."""
    mei = CustomerFactory(name="Mei Chen", **customer)
    duplicate = TicketFactory(customer=mei, subject="Router blinks", body="It blinks red")
    survivor = TicketFactory(customer=mei, subject="Router broken", body="Still no internet")
    db.session.commit()
    return duplicate, survivor


def test_merging_moves_messages_and_calls_and_closes_the_merged_ticket(api, agent):
    duplicate, survivor = two_tickets()
    MessageFactory(
        ticket=duplicate,
        body="Asked them to restart it.",
        author_kind=AuthorKind.AGENT,
        author_user=agent,
        direction=Direction.INTERNAL,
    )
    call = CallFactory(customer=duplicate.customer, ticket=duplicate, notes="Called in")
    db.session.commit()

    merged = merge(api, duplicate.id, survivor.id)

    assert merged.status_code == 200, merged.json
    assert merged.json["id"] == survivor.id and merged.json["merged_into"] is None
    bodies = [m["body"] for m in api.walk(f"/tickets/{survivor.id}/messages")]
    assert sorted(bodies) == ["Asked them to restart it.", "It blinks red", "Still no internet"]
    assert api.walk(f"/tickets/{duplicate.id}/messages") == []
    gone = api.get(f"/tickets/{duplicate.id}").json
    assert (gone["status"], gone["merged_into_id"]) == ("closed", survivor.id)
    assert gone["merged_into"] == {"id": survivor.id, "ref": survivor.ref}
    # the timeline shows the messages and the call on the survivor now
    timeline = api.walk(f"/customers/{survivor.customer_id}/timeline")
    moved = [e for e in timeline if e["kind"] in ("message", "call")]
    assert {e["ticket_id"] for e in moved} == {survivor.id}
    assert [e["call_id"] for e in moved if e["kind"] == "call"] == [call.id]
    # both tickets say what happened, and who did it
    records = events_of(api, survivor.customer_id, "ticket_merged")
    assert sorted(e["ticket_id"] for e in records) == sorted([duplicate.id, survivor.id])
    for record in records:
        assert record["data"] == {
            "from": duplicate.ref,
            "to": survivor.ref,
            "from_id": duplicate.id,
            "to_id": survivor.id,
            "messages": 2,
            "calls": 1,
        }
        assert record["actor"]["name"] == agent.name
    [closed] = [
        e
        for e in events_of(api, survivor.customer_id, "status_changed")
        if e["ticket_id"] == duplicate.id
    ]
    assert closed["data"] == {"from": "new", "to": "closed"}
    # the merged ticket is out of the inbox; the survivor is in it
    listed = [t["id"] for t in api.walk("/tickets", view="all")]
    assert survivor.id in listed and duplicate.id not in listed


def test_follow_ups_and_earlier_merges_point_at_the_survivor(api):
    duplicate, survivor = two_tickets()
    older = TicketFactory(customer=duplicate.customer, body="Blinking since Monday")
    db.session.commit()
    assert merge(api, older.id, duplicate.id).status_code == 200
    service.update_ticket(db.session, duplicate, status="solved")
    service.update_ticket(db.session, duplicate, status="closed")
    follow_up = MessageFactory(ticket=duplicate, body="It blinks again").ticket
    db.session.commit()
    assert follow_up.follow_up_of_id == duplicate.id

    # a closed ticket may be merged too: it stays closed
    assert merge(api, duplicate.id, survivor.id).status_code == 200

    assert api.get(f"/tickets/{older.id}").json["merged_into_id"] == survivor.id
    assert api.get(f"/tickets/{follow_up.id}").json["follow_up_of_id"] == survivor.id
    bodies = [m["body"] for m in api.walk(f"/tickets/{survivor.id}/messages")]
    assert {"It blinks red", "Blinking since Monday"} <= set(bodies)
    closes = [
        e
        for e in events_of(api, survivor.customer_id, "status_changed")
        if e["ticket_id"] == duplicate.id and e["data"]["to"] == "closed"
    ]
    assert len(closes) == 1  # the agent's; the merge found it closed


def test_the_customer_replying_to_the_merged_ticket_lands_on_the_survivor(api, client):
    duplicate, survivor = two_tickets(emails=["mei@mail.example"])
    assert merge(api, duplicate.id, survivor.id).status_code == 200
    mail = EmailMessage()
    mail["From"], mail["To"] = "Mei Chen <mei@mail.example>", "support@desk.example"
    mail["Subject"] = f"Re: [{duplicate.ref}] Router blinks"
    mail.set_content("Now it is green!")

    filed = client.post(
        "/hooks/email",
        data=bytes(mail),
        headers={
            "Authorization": f"Bearer {TEST_CONFIG['INBOUND_EMAIL_TOKEN']}",
            "Content-Type": "message/rfc822",
        },
    )

    assert filed.status_code == 202, filed.json
    assert filed.json["ticket_id"] == survivor.id
    assert api.walk(f"/tickets/{duplicate.id}/messages") == []
    assert api.get(f"/tickets/{duplicate.id}").json["status"] == "closed"


def test_merges_that_make_no_sense_are_refused_and_change_nothing(api):
    duplicate, survivor = two_tickets()
    stranger = TicketFactory(body="Someone else's question")
    closed = TicketFactory(customer=duplicate.customer, body="Old one")
    service.update_ticket(db.session, closed, status="solved")
    service.update_ticket(db.session, closed, status="closed")
    db.session.commit()
    before = api.get(f"/tickets/{duplicate.id}").json

    refusals = {
        "itself": merge(api, duplicate.id, duplicate.id),
        "another customer": merge(api, duplicate.id, stranger.id),
        "closed": merge(api, duplicate.id, closed.id),
        "unknown": merge(api, duplicate.id, 999999),
        "not an id": merge(api, duplicate.id, "SD-1001"),
    }
    missing = api.post(f"/tickets/{duplicate.id}/merge", json={})
    no_ticket = merge(api, 999999, survivor.id)

    for name, refused in {**refusals, "missing": missing}.items():
        assert refused.status_code == 422, name
        assert refused.content_type == PROBLEM and "into_id" in refused.json["errors"], name
    assert "merge the customers first" in refusals["another customer"].json["detail"]
    assert no_ticket.status_code == 404 and no_ticket.content_type == PROBLEM
    assert api.get(f"/tickets/{duplicate.id}").json == before
    assert len(api.walk(f"/tickets/{duplicate.id}/messages")) == 1
    assert events_of(api, duplicate.customer_id, "ticket_merged") == []


def test_a_second_merge_is_answered_clearly(api):
    duplicate, survivor = two_tickets()
    third = TicketFactory(customer=duplicate.customer, body="Third time")
    db.session.commit()
    assert merge(api, duplicate.id, survivor.id).status_code == 200

    again = merge(api, duplicate.id, third.id)
    back = merge(api, survivor.id, duplicate.id)
    onto_merged = merge(api, third.id, duplicate.id)

    assert again.status_code == 409 and again.content_type == PROBLEM
    assert f"{duplicate.ref} was merged into {survivor.ref}" in again.json["detail"]
    for refused in (back, onto_merged):
        assert refused.status_code == 422
        assert f"merged into {survivor.ref}" in refused.json["errors"]["into_id"][0]
    assert api.get(f"/tickets/{survivor.id}").json["merged_into_id"] is None
    assert len(api.walk(f"/tickets/{third.id}/messages")) == 1


def test_two_agents_merging_a_pair_each_way_at_once_merge_it_once(api, app):
    """A into B and B into A at the same moment: one wins, the other hears so."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: no two merges overlap there")
    a, b = two_tickets()
    start = threading.Barrier(2)
    answers: dict[str, Any] = {}

    def run(name: str, ticket_id: int, into_id: int) -> None:
        start.wait()
        answers[name] = merge(api, ticket_id, into_id)

    threads = [
        threading.Thread(target=run, args=("a into b", a.id, b.id)),
        threading.Thread(target=run, args=("b into a", b.id, a.id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    # the loser finds its ticket merged (409) or its target merged (422)
    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses in ([200, 409], [200, 422]), {k: v.json for k, v in answers.items()}
    merged = [api.get(f"/tickets/{t.id}").json["merged_into_id"] for t in (a, b)]
    assert sorted(merged, key=lambda m: m is None) in ([b.id, None], [a.id, None])


def test_agents_hear_both_tickets_change(api, agent_peer):  # noqa: F811 (the fixture)
    duplicate, survivor = two_tickets()
    desk = agent_peer()

    assert merge(api, duplicate.id, survivor.id).status_code == 200

    gone = desk.wait_for("ticket.updated", lambda t: t["id"] == duplicate.id)
    stays = desk.wait_for("ticket.updated", lambda t: t["id"] == survivor.id)
    assert (gone["status"], gone["merged_into"]) == (
        "closed",
        {"id": survivor.id, "ref": survivor.ref},
    )
    assert stays["merged_into"] is None
