"""Bulk actions on the inbox's selected rows: POST /api/v1/tickets/bulk, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.users import service as users
from tests.factories import TicketFactory, UserFactory
from tests.test_list_statements import statements_run

PROBLEM = "application/problem+json"


def tickets_tagged(*tags: str, count: int = 3) -> list[Any]:
    made = []
    for _ in range(count):
        ticket = TicketFactory(body=None)
        service.update_ticket(db.session, ticket, tags=list(tags))
        made.append(ticket)
    db.session.commit()
    return made


def bulk(api: Any, ticket_ids: list[int], **changes: Any) -> Any:
    return api.post("/tickets/bulk", json={"ticket_ids": ticket_ids, "changes": changes})


def events_of(api: Any, ticket: dict[str, Any]) -> list[str]:
    timeline = api.walk(f"/customers/{ticket['customer_id']}/timeline", kind="ticket_event")
    return sorted(e["event"] for e in timeline if e["ticket_id"] == ticket["id"])


def test_an_agent_changes_three_tickets_at_once_and_each_records_its_events(api):
    colleague = UserFactory(name="Cole League")
    first, second, third = tickets_tagged("billing", "old")
    db.session.commit()
    ids = [third.id, first.id, second.id]  # the answer keeps the caller's order

    response = bulk(
        api,
        ids,
        status="pending",
        priority="high",
        assignee_id=colleague.id,
        tags_add=["VIP"],
        tags_remove=["old"],
    )

    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [t["id"] for t in items] == ids
    for ticket in items:
        assert (ticket["status"], ticket["priority"]) == ("pending", "high")
        assert ticket["assignee"] == {"id": colleague.id, "name": "Cole League"}
        assert ticket["tags"] == ["billing", "vip"]
        assert api.get(f"/tickets/{ticket['id']}").json == ticket
        assert events_of(api, ticket) == [
            "assigned",
            "created",
            "priority_changed",
            "status_changed",
            "tags_changed",
            "tags_changed",  # the factory's tags, then the bulk's
        ]


def test_assigning_to_nobody_and_changing_only_tags(api, agent):
    tickets = tickets_tagged("vip", count=2)
    for ticket in tickets:
        service.update_ticket(db.session, ticket, assignee_id=agent.id)
    db.session.commit()
    ids = [t.id for t in tickets]

    unassigned = bulk(api, ids, assignee_id=None).json["items"]
    retagged = bulk(api, ids, tags_remove=["vip"], tags_add=["refund"]).json["items"]

    assert [(t["assignee_id"], t["assignee"]) for t in unassigned] == [(None, None)] * 2
    assert [t["tags"] for t in retagged] == [["refund"], ["refund"]]


def test_an_illegal_move_on_one_ticket_names_it_and_changes_nothing(api):
    tickets = tickets_tagged("billing")
    closed = tickets[1]
    service.update_ticket(db.session, closed, status="solved")
    service.update_ticket(db.session, closed, status="closed")
    db.session.commit()
    before = [api.get(f"/tickets/{t.id}").json for t in tickets]

    response = bulk(api, [t.id for t in tickets], status="open", priority="urgent")

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    assert list(response.json["errors"]) == ["ticket_ids.1"]
    assert closed.ref in response.json["detail"]
    assert closed.ref in response.json["errors"]["ticket_ids.1"][0]
    assert [api.get(f"/tickets/{t.id}").json for t in tickets] == before
    assert [events_of(api, t) for t in before] == [
        ["created", "tags_changed"],
        ["created", "status_changed", "status_changed", "tags_changed"],
        ["created", "tags_changed"],
    ]


def test_unknown_ids_are_a_422_naming_each_and_change_nothing(api):
    [ticket] = tickets_tagged("billing", count=1)
    before = api.get(f"/tickets/{ticket.id}").json

    response = bulk(api, [ticket.id, 999_999, 888_888], priority="low")

    assert response.status_code == 422, response.json
    assert sorted(response.json["errors"]) == ["ticket_ids.1", "ticket_ids.2"]
    assert response.json["errors"]["ticket_ids.1"] == ["No ticket 999999."]
    assert api.get(f"/tickets/{ticket.id}").json == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ticket_ids": list(range(1, 102)), "changes": {"priority": "low"}}, "ticket_ids"),
        ({"ticket_ids": [], "changes": {"priority": "low"}}, "ticket_ids"),
        ({"ticket_ids": [1, 1], "changes": {"priority": "low"}}, "ticket_ids"),
        ({"ticket_ids": [1], "changes": {}}, "changes._schema"),
        ({"ticket_ids": [1], "changes": {"status": "done"}}, "changes.status"),
        ({"ticket_ids": [1]}, "changes"),
    ],
)
def test_a_body_it_cannot_take_is_a_422_naming_the_field(api, body, field):
    response = api.post("/tickets/bulk", json=body)

    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json


def test_a_tag_both_added_and_removed_or_a_deactivated_assignee_is_refused(api):
    tickets = tickets_tagged("billing", count=2)
    gone = UserFactory()
    users.update_user(db.session, gone, {"active": False}, actor=None)
    db.session.commit()
    ids = [t.id for t in tickets]

    both = bulk(api, ids, tags_add=["vip"], tags_remove=["VIP"])
    inactive = bulk(api, ids, assignee_id=gone.id, priority="urgent")

    assert both.status_code == inactive.status_code == 422
    assert "changes.tags_remove" in both.json["errors"]
    assert "changes.assignee_id" in inactive.json["errors"]
    assert {api.get(f"/tickets/{i}").json["priority"] for i in ids} == {"normal"}


def test_an_admin_may_bulk_change_too_and_anonymous_callers_may_not(client, api):
    [ticket] = tickets_tagged("billing", count=1)
    admin = UserFactory(role="admin")
    token = users.create_token(db.session, admin)
    db.session.commit()
    body = {"ticket_ids": [ticket.id], "changes": {"priority": "high"}}

    anonymous = client.post("/api/v1/tickets/bulk", json=body)
    as_admin = client.post(
        "/api/v1/tickets/bulk", json=body, headers={"Authorization": f"Bearer {token}"}
    )

    assert anonymous.status_code == 401
    assert as_admin.status_code == 200, as_admin.json
    assert as_admin.json["items"][0]["priority"] == "high"


def test_the_tickets_are_loaded_at_a_cost_that_does_not_grow_with_their_number(api):
    """Once to change them and once to answer them after the commit, whatever their number."""

    def ticket_selects(count: int) -> int:
        ids = [t.id for t in tickets_tagged("billing", count=count)]
        api.get("/me")  # the token's use is noted once a minute: not in the counted call
        with statements_run() as statements:
            response = bulk(api, ids, priority="urgent")
        assert response.status_code == 200, response.json
        return sum(
            1
            for s in statements
            if s.lstrip().upper().startswith("SELECT")
            and ("FROM tickets" in s or "FROM ticket_tags" in s)
        )

    assert ticket_selects(2) == ticket_selects(12) == 4
