"""An agent's notifications: GET /api/v1/notifications and POST /api/v1/notifications/read."""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.extensions import db
from tests.factories import TicketFactory, UserFactory

PROBLEM = "application/problem+json"


def assign(api: Any, ticket: Any, user: Any) -> None:
    db.session.commit()
    assert api.patch(f"/tickets/{ticket.id}", json={"assignee_id": user.id}).status_code == 200


@pytest.fixture
def grace(app: Any) -> Any:
    user = UserFactory(name="Grace Hopper", email="grace@desk.example")
    db.session.commit()
    return user


def test_an_agent_assigned_by_someone_else_is_notified(api, api_as, agent, grace):
    ticket = TicketFactory(subject="Invoice missing")
    mine = TicketFactory()

    assign(api, ticket, grace)
    assign(api, mine, agent)  # assigning yourself is nothing to be told

    [notification] = api_as(grace).walk("/notifications")
    assert notification["kind"] == "assignment"
    assert notification["ticket"] == {
        "id": ticket.id,
        "ref": ticket.ref,
        "subject": "Invoice missing",
    }
    assert (notification["actor_name"], notification["message_id"]) == ("Ada Agent", None)
    assert api.walk("/notifications") == []


def test_bulk_assignment_notifies_once_per_ticket(api, api_as, grace):
    tickets = [TicketFactory() for _ in range(3)]
    db.session.commit()

    changed = api.post(
        "/tickets/bulk",
        json={"ticket_ids": [t.id for t in tickets], "changes": {"assignee_id": grace.id}},
    )

    assert changed.status_code == 200, changed.json
    listed = api_as(grace).walk("/notifications")
    assert sorted(n["ticket"]["id"] for n in listed) == sorted(t.id for t in tickets)


def test_the_list_is_newest_first_paged_and_counts_the_unread(api, api_as, grace):
    tickets = [TicketFactory() for _ in range(5)]
    for ticket in tickets:
        assign(api, ticket, grace)
    hers = api_as(grace)

    first = hers.get("/notifications", query_string={"limit": 2})
    everything = hers.walk("/notifications", limit=2)

    assert first.status_code == 200
    assert first.json["unread_count"] == 5 and first.json["next_cursor"]
    assert [n["ticket"]["id"] for n in everything] == [t.id for t in reversed(tickets)]
    assert [n["id"] for n in everything] == sorted((n["id"] for n in everything), reverse=True)


def test_marking_read_by_id_and_all(api, api_as, grace):
    for ticket in [TicketFactory() for _ in range(3)]:
        assign(api, ticket, grace)
    hers = api_as(grace)
    newest, middle, oldest = hers.walk("/notifications")

    one = hers.post("/notifications/read", json={"ids": [middle["id"]]})
    unread = hers.get("/notifications", query_string={"unread": "true"}).json

    assert one.status_code == 200 and one.json == {"unread_count": 2}
    assert [n["id"] for n in unread["items"]] == [newest["id"], oldest["id"]]
    assert unread["unread_count"] == 2
    read = next(n for n in hers.walk("/notifications") if n["id"] == middle["id"])
    assert read["read_at"] is not None
    # reading it again keeps the time it was first read
    assert hers.post("/notifications/read", json={"ids": [middle["id"]]}).json["unread_count"] == 2
    again = next(n for n in hers.walk("/notifications") if n["id"] == middle["id"])
    assert again["read_at"] == read["read_at"]

    everything = hers.post("/notifications/read", json={"all": True})

    assert everything.json == {"unread_count": 0}
    assert hers.walk("/notifications", unread="true") == []
    assert len(hers.walk("/notifications", unread="false")) == 3


def test_nobody_reads_or_marks_another_agents_notifications(api, api_as, agent, grace):
    assign(api, TicketFactory(), grace)
    [hers] = api_as(grace).walk("/notifications")

    mine = api.get("/notifications")
    marked = api.post("/notifications/read", json={"ids": [hers["id"]]})
    all_mine = api.post("/notifications/read", json={"all": True})

    assert mine.json == {"items": [], "next_cursor": None, "unread_count": 0}
    assert marked.status_code == 200 and marked.json == {"unread_count": 0}
    assert all_mine.status_code == 200
    [still] = api_as(grace).walk("/notifications", unread="true")
    assert still["id"] == hers["id"] and still["read_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "ids"),
        ({"ids": [1], "all": True}, "ids"),
        ({"ids": []}, "ids"),
        ({"ids": [1, 1]}, "ids"),
        ({"ids": ["one"]}, "ids.0"),
        ({"all": False}, "all"),
        ({"all": "yes"}, "all"),
    ],
)
def test_a_body_it_cannot_take_is_a_422_naming_the_field(api, body, field):
    refused = api.post("/notifications/read", json=body)

    assert refused.status_code == 422 and refused.content_type == PROBLEM
    assert field in refused.json["errors"], refused.json


def test_bad_list_parameters_are_a_422(api):
    for query, field in (({"unread": "maybe"}, "unread"), ({"cursor": "nonsense"}, "cursor")):
        refused = api.get("/notifications", query_string=query)
        assert refused.status_code == 422 and field in refused.json["errors"], refused.json
