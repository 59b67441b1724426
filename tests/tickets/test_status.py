"""The ticket status machine, as agents see it through PATCH /tickets/{id} and the timeline.

``new`` until someone works it; ``pending`` waits on the customer, ``on_hold`` on a third
party; ``solved`` can be reopened; ``closed`` is final and a later customer message starts a
follow-up ticket instead.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.tickets.models import AuthorKind, Direction
from tests.factories import MessageFactory, TicketFactory, UserFactory

PROBLEM = "application/problem+json"

# Written out here, not imported: the table is the behaviour under test.
LEGAL_MOVES = {
    "new": {"open", "pending", "on_hold", "solved"},
    "open": {"pending", "on_hold", "solved"},
    "pending": {"open", "on_hold", "solved"},
    "on_hold": {"open", "pending", "solved"},
    "solved": {"open", "closed"},
    "closed": set(),
}
STATUSES = list(LEGAL_MOVES)
MOVES = [(a, b) for a, b in product(STATUSES, STATUSES) if a != b]
LEGAL = [m for m in MOVES if m[1] in LEGAL_MOVES[m[0]]]
ILLEGAL = [m for m in MOVES if m[1] not in LEGAL_MOVES[m[0]]]
# How an agent gets a fresh ticket to each status, one legal PATCH at a time.
ROUTE = {
    "new": [],
    "open": ["open"],
    "pending": ["pending"],
    "on_hold": ["on_hold"],
    "solved": ["solved"],
    "closed": ["solved", "closed"],
}


def ticket_in(api: Any, status: str, **factory_fields: Any) -> Any:
    ticket = TicketFactory(**factory_fields)
    db.session.commit()
    for step in ROUTE[status]:
        response = api.patch(f"/tickets/{ticket.id}", json={"status": step})
        assert response.status_code == 200, response.json
    assert api.get(f"/tickets/{ticket.id}").json["status"] == status
    # Requests work in their own session: forget what this one loaded before them.
    db.session.expire_all()
    return ticket


def ticket_events(api: Any, customer_id: int, event: str | None = None) -> list[dict[str, Any]]:
    """The customer's ticket events, newest first."""
    items = api.walk(f"/customers/{customer_id}/timeline", kind="ticket_event")
    return [i for i in items if event is None or i["event"] == event]


def status_of(api: Any, ticket_id: int) -> str:
    return api.get(f"/tickets/{ticket_id}").json["status"]


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_agent_moves_a_ticket_along_a_legal_transition(api, agent, current, target):
    ticket = ticket_in(api, current)
    moves_before = len(ticket_events(api, ticket.customer_id, "status_changed"))

    response = api.patch(f"/tickets/{ticket.id}", json={"status": target})

    assert response.status_code == 200, response.json
    assert response.json["status"] == target
    assert status_of(api, ticket.id) == target
    moves = ticket_events(api, ticket.customer_id, "status_changed")
    assert len(moves) == moves_before + 1
    assert moves[0]["ticket_id"] == ticket.id
    assert moves[0]["channel"] == "system"
    assert moves[0]["data"] == {"from": current, "to": target}
    assert moves[0]["actor"] == {"kind": "agent", "name": agent.name}


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_status_move_is_refused_and_changes_nothing(api, current, target):
    ticket = ticket_in(api, current)
    events_before = ticket_events(api, ticket.customer_id)

    response = api.patch(f"/tickets/{ticket.id}", json={"status": target})

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert response.json["status"] == 422
    assert list(response.json["errors"]) == ["status"]
    assert current in response.json["detail"] and target in response.json["detail"]
    assert status_of(api, ticket.id) == current
    assert ticket_events(api, ticket.customer_id) == events_before


def test_a_refused_status_move_also_drops_the_other_changes_of_that_request(api):
    ticket = ticket_in(api, "closed")
    before = api.get(f"/tickets/{ticket.id}").json

    response = api.patch(
        f"/tickets/{ticket.id}", json={"status": "open", "priority": "urgent", "tags": ["vip"]}
    )

    assert response.status_code == 422
    after = api.get(f"/tickets/{ticket.id}").json
    assert (after["status"], after["priority"], after["tags"]) == ("closed", "normal", [])
    assert after == before


def test_a_valid_status_with_an_invalid_other_field_changes_nothing(api):
    ticket = ticket_in(api, "new")
    events_before = ticket_events(api, ticket.customer_id)

    response = api.patch(f"/tickets/{ticket.id}", json={"status": "open", "tags": ["no way!"]})

    assert response.status_code == 422
    assert "tags.0" in response.json["errors"]
    assert status_of(api, ticket.id) == "new"
    assert ticket_events(api, ticket.customer_id) == events_before


def test_setting_the_current_status_again_is_a_quiet_no_op(api):
    ticket = ticket_in(api, "pending")
    events_before = ticket_events(api, ticket.customer_id)

    response = api.patch(f"/tickets/{ticket.id}", json={"status": "pending"})

    assert response.status_code == 200
    assert response.json["status"] == "pending"
    assert ticket_events(api, ticket.customer_id) == events_before


def test_a_status_that_does_not_exist_is_a_field_error(api):
    ticket = ticket_in(api, "new")

    response = api.patch(f"/tickets/{ticket.id}", json={"status": "archived"})

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert "status" in response.json["errors"]
    assert status_of(api, ticket.id) == "new"


def test_every_change_an_agent_makes_is_an_event_on_the_customers_timeline(api, agent):
    colleague = UserFactory(name="Bo Colleague")
    ticket = TicketFactory(channel="chat")
    db.session.commit()

    response = api.patch(
        f"/tickets/{ticket.id}",
        json={
            "status": "open",
            "priority": "urgent",
            "assignee_id": colleague.id,
            "tags": ["Billing", "vip"],
        },
    )
    assert response.status_code == 200, response.json
    response = api.patch(
        f"/tickets/{ticket.id}",
        json={"assignee_id": None, "tags": ["vip", "refund"], "priority": "low"},
    )
    assert response.status_code == 200, response.json

    events = {}
    for entry in reversed(ticket_events(api, ticket.customer_id)):
        assert entry["ticket_id"] == ticket.id
        assert entry["channel"] == "system"
        events.setdefault(entry["event"], []).append(entry)
    assert [e["data"] for e in events["status_changed"]] == [{"from": "new", "to": "open"}]
    assert [e["data"] for e in events["priority_changed"]] == [
        {"from": "normal", "to": "urgent"},
        {"from": "urgent", "to": "low"},
    ]
    assert [e["data"] for e in events["assigned"]] == [
        {"from": None, "to": colleague.id},
        {"from": colleague.id, "to": None},
    ]
    tag_changes = [e["data"] for e in events["tags_changed"]]
    assert [(d["from"], d["to"]) for d in tag_changes] == [
        ([], ["billing", "vip"]),
        (["billing", "vip"], ["vip", "refund"]),
    ]
    assert [(d["added"], d["removed"]) for d in tag_changes] == [
        (["billing", "vip"], []),
        (["refund"], ["billing"]),
    ]
    changes = [e for kind, entries in events.items() if kind != "created" for e in entries]
    assert {e["actor"]["name"] for e in changes} == {agent.name}


def test_a_patch_that_changes_nothing_leaves_no_event(api):
    ticket = ticket_in(api, "open")
    api.patch(f"/tickets/{ticket.id}", json={"priority": "high", "tags": ["vip"]})
    events_before = ticket_events(api, ticket.customer_id)

    response = api.patch(
        f"/tickets/{ticket.id}",
        json={"status": "open", "priority": "high", "tags": ["VIP"], "assignee_id": None},
    )

    assert response.status_code == 200
    assert ticket_events(api, ticket.customer_id) == events_before


@pytest.mark.parametrize("waiting", ["solved", "pending", "on_hold"])
def test_customer_reply_reopens_a_ticket_that_was_waiting(api, waiting):
    ticket = ticket_in(api, waiting)

    MessageFactory(ticket=ticket, body="It is still broken.")
    db.session.commit()

    assert status_of(api, ticket.id) == "open"
    latest = ticket_events(api, ticket.customer_id, "status_changed")[0]
    assert latest["data"] == {"from": waiting, "to": "open"}
    assert latest["actor"] is None  # the customer moved it, not an agent


@pytest.mark.parametrize("working", ["new", "open"])
def test_customer_writing_again_leaves_a_new_or_open_ticket_as_it_is(api, working):
    ticket = ticket_in(api, working)

    MessageFactory(ticket=ticket, body="Any news?")
    db.session.commit()

    assert status_of(api, ticket.id) == working


def test_agents_first_public_reply_opens_a_new_ticket(api, agent):
    ticket = ticket_in(api, "new")

    first = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Looking into it."})
    second = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Found it."})

    assert (first.status_code, second.status_code) == (201, 201)
    assert status_of(api, ticket.id) == "open"
    moves = ticket_events(api, ticket.customer_id, "status_changed")
    assert [m["data"] for m in moves] == [{"from": "new", "to": "open"}]
    assert moves[0]["actor"] == {"kind": "agent", "name": agent.name}


def test_an_internal_note_is_not_a_reply_and_leaves_the_ticket_new(api):
    ticket = ticket_in(api, "new")

    response = api.post(
        f"/tickets/{ticket.id}/messages", json={"body": "Asked billing", "internal": True}
    )

    assert response.status_code == 201
    assert status_of(api, ticket.id) == "new"
    assert ticket_events(api, ticket.customer_id, "status_changed") == []


@pytest.mark.parametrize("waiting", ["pending", "on_hold", "solved"])
def test_agent_reply_does_not_reopen_a_ticket_that_waits(api, waiting):
    ticket = ticket_in(api, waiting)

    response = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Reminder: any news?"})

    assert response.status_code == 201
    assert status_of(api, ticket.id) == waiting


def test_customer_message_to_a_closed_ticket_opens_a_linked_follow_up(api):
    closed = ticket_in(api, "closed", channel="email", subject="Refund for order 12")

    message = MessageFactory(ticket=closed, channel="chat", body="The refund never arrived.")
    db.session.commit()

    tickets = api.walk("/tickets", customer_id=closed.customer_id)
    assert [t["id"] for t in tickets] == [message.ticket_id, closed.id]
    follow_up = tickets[0]
    assert follow_up["follow_up_of_id"] == closed.id
    assert follow_up["subject"] == "Refund for order 12"
    assert follow_up["channel"] == "chat"
    assert follow_up["status"] == "new"
    assert follow_up["customer_id"] == closed.customer_id
    assert api.get(f"/tickets/{closed.id}").json["status"] == "closed"
    assert api.get(f"/tickets/{closed.id}").json["follow_up_of_id"] is None
    follow_up_bodies = api.walk(f"/tickets/{follow_up['id']}/messages")
    assert [m["body"] for m in follow_up_bodies] == ["The refund never arrived."]
    closed_bodies = [m["body"] for m in api.walk(f"/tickets/{closed.id}/messages")]
    assert "The refund never arrived." not in closed_bodies

    events = ticket_events(api, closed.customer_id)
    link = next(e for e in events if e["event"] == "follow_up_created")
    assert link["ticket_id"] == closed.id
    assert link["data"]["follow_up"] == follow_up["ref"]
    created = next(
        e for e in events if e["event"] == "created" and e["ticket_id"] == follow_up["id"]
    )
    assert created["data"]["follow_up_of"] == api.get(f"/tickets/{closed.id}").json["ref"]


@pytest.mark.parametrize("internal", [False, True], ids=["reply", "note"])
def test_agent_cannot_write_on_a_closed_ticket(api, internal):
    closed = ticket_in(api, "closed")
    messages_before = api.walk(f"/tickets/{closed.id}/messages")

    response = api.post(
        f"/tickets/{closed.id}/messages", json={"body": "One more thing", "internal": internal}
    )

    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert response.json["status"] == 409
    assert api.walk(f"/tickets/{closed.id}/messages") == messages_before
    assert [t["id"] for t in api.walk("/tickets", customer_id=closed.customer_id)] == [closed.id]


def test_agent_message_stored_through_the_service_on_a_closed_ticket_is_refused_too(api, agent):
    from supportdesk.core.errors import Conflict

    closed = ticket_in(api, "closed")

    with pytest.raises(Conflict):
        MessageFactory(
            ticket=closed,
            direction=Direction.OUTBOUND,
            author_kind=AuthorKind.AGENT,
            author_user=agent,
        )
