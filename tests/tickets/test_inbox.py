"""The inbox through /api/v1/tickets: its views, its filters and its counts.

The desk is built with a ticket in every status, for every assignee (the caller, a
colleague, nobody) and on every channel; each view and filter must list exactly the tickets
an agent expects there and no others, and each count must be the length of its list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from typing import Any

import pytest

from supportdesk.core.channels import CUSTOMER_CHANNELS
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import Ticket
from supportdesk.users.service import create_token
from tests.factories import TicketFactory, UserFactory
from tests.test_list_statements import statements_run
from tests.tickets.test_status import ROUTE, STATUSES

PRIORITIES = ["low", "normal", "high", "urgent"]


@dataclass
class Desk:
    """Every ticket, as the test knows it was made."""

    me: Any
    colleague: Any
    tickets: list[dict[str, Any]]

    def ids(self, wanted: Callable[[dict[str, Any]], bool]) -> set[int]:
        return {t["id"] for t in self.tickets if wanted(t)}


def make_ticket(
    *,
    status: str,
    assignee: Any,
    channel: str = "email",
    priority: str = "normal",
    tags: tuple[str, ...] = (),
) -> Ticket:
    ticket = TicketFactory(channel=channel, priority=priority, body=None)
    changes: dict[str, Any] = {"assignee_id": assignee.id if assignee else None}
    if tags:
        changes["tags"] = list(tags)
    service.update_ticket(db.session, ticket, **changes)
    for step in ROUTE[status]:
        service.update_ticket(db.session, ticket, status=step)
    return ticket


@pytest.fixture
def desk(agent: Any) -> Desk:
    colleague = UserFactory(name="Cole League")
    made = []
    combinations = product(STATUSES, ("me", "colleague", None), CUSTOMER_CHANNELS)
    for n, (status, whose, channel) in enumerate(combinations):
        assignee = {"me": agent, "colleague": colleague, None: None}[whose]
        priority = PRIORITIES[n % len(PRIORITIES)]
        tags = ("vip",) if n % 3 == 0 else ()
        ticket = make_ticket(
            status=status, assignee=assignee, channel=channel, priority=priority, tags=tags
        )
        made.append(
            {
                "id": ticket.id,
                "status": status,
                "assignee": whose,
                "channel": channel,
                "priority": priority,
                "tags": tags,
            }
        )
    db.session.commit()
    return Desk(agent, colleague, made)


def listed(api: Any, **query: Any) -> set[int]:
    """The ids a list answers, walked page by page (small pages, to cross page edges)."""
    items = api.walk("/tickets", limit=7, **query)
    ids = [t["id"] for t in items]
    assert ids == sorted(ids, reverse=True), "newest first"
    assert len(ids) == len(set(ids)), "no ticket twice across pages"
    return set(ids)


#: what each view holds, as an agent reads the inbox
EXPECTED_VIEWS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "mine": lambda t: t["assignee"] == "me" and t["status"] not in ("solved", "closed"),
    "unassigned": lambda t: t["assignee"] is None and t["status"] in ("new", "open"),
    "open": lambda t: t["status"] in ("new", "open"),
    "pending": lambda t: t["status"] in ("pending", "on_hold"),
    "solved": lambda t: t["status"] == "solved",
    "all": lambda t: t["status"] != "closed",
}


@pytest.mark.parametrize("view", list(EXPECTED_VIEWS))
def test_each_view_lists_exactly_its_tickets(api, desk, view):
    found = listed(api, view=view)

    assert found == desk.ids(EXPECTED_VIEWS[view])
    assert found  # the desk has tickets in every view


def test_the_views_count_what_they_list_for_the_caller_and_each_channel(api, desk):
    response = api.get("/tickets/views")

    assert response.status_code == 200, response.json
    counts = {v["key"]: v["count"] for v in response.json["views"]}
    assert [v["key"] for v in response.json["views"]] == list(EXPECTED_VIEWS)
    for view, wanted in EXPECTED_VIEWS.items():
        assert counts[view] == len(desk.ids(wanted)) == len(listed(api, view=view)), view
    channels = {c["channel"]: c["count"] for c in response.json["channels"]}
    assert list(channels) == CUSTOMER_CHANNELS
    for channel in CUSTOMER_CHANNELS:
        open_there = [
            t for t in desk.tickets if t["status"] in ("new", "open") and t["channel"] == channel
        ]
        shown = listed(api, view="open", channel=channel)
        assert channels[channel] == len(open_there) == len(shown), channel


def test_mine_is_the_callers_own(api, desk, client):
    token = create_token(db.session, desk.colleague)
    db.session.commit()

    theirs = client.get("/api/v1/tickets/views", headers={"Authorization": f"Bearer {token}"})
    listed_theirs = client.get(
        "/api/v1/tickets",
        query_string={"view": "mine", "limit": 200},
        headers={"Authorization": f"Bearer {token}"},
    )

    mine = {v["key"]: v["count"] for v in theirs.json["views"]}["mine"]
    expected = desk.ids(
        lambda t: t["assignee"] == "colleague" and t["status"] not in ("solved", "closed")
    )
    assert mine == len(expected)
    assert {t["id"] for t in listed_theirs.json["items"]} == expected
    assert expected.isdisjoint(listed(api, view="mine"))


def test_an_empty_desk_counts_zero_in_every_view_and_channel(api):
    body = api.get("/tickets/views").json

    assert {v["key"]: v["count"] for v in body["views"]} == dict.fromkeys(EXPECTED_VIEWS, 0)
    assert {c["channel"]: c["count"] for c in body["channels"]} == dict.fromkeys(
        CUSTOMER_CHANNELS, 0
    )


@pytest.mark.parametrize("priority", PRIORITIES)
def test_the_priority_filter_finds_exactly_that_priority(api, desk, priority):
    assert listed(api, priority=priority) == desk.ids(lambda t: t["priority"] == priority)


def test_the_tag_filter_finds_the_tagged_tickets_as_the_agent_types_the_tag(api, desk):
    vip = desk.ids(lambda t: "vip" in t["tags"])

    assert listed(api, tag="vip") == vip
    assert listed(api, tag=" VIP ") == vip
    assert listed(api, tag="gold") == set()


def test_unassigned_true_and_false_split_the_desk(api, desk):
    nobodys = desk.ids(lambda t: t["assignee"] is None)

    assert listed(api, unassigned="true") == nobodys
    assert listed(api, unassigned="false") == desk.ids(lambda t: t["assignee"] is not None)


def test_statuses_takes_several_and_status_still_takes_one(api, desk):
    waiting = desk.ids(lambda t: t["status"] in ("pending", "on_hold"))

    assert listed(api, statuses=["pending", "on_hold"]) == waiting
    assert listed(api, status="pending") == desk.ids(lambda t: t["status"] == "pending")
    assert listed(api, statuses=["closed"]) == desk.ids(lambda t: t["status"] == "closed")


def test_a_view_combines_with_the_other_filters(api, desk):
    found = listed(api, view="mine", channel="chat", priority="high", tag="vip")

    assert found == desk.ids(
        lambda t: (
            EXPECTED_VIEWS["mine"](t)
            and t["channel"] == "chat"
            and t["priority"] == "high"
            and "vip" in t["tags"]
        )
    )
    # a view and a status outside it find nothing, rather than one overriding the other
    assert listed(api, view="open", status="pending") == set()
    assert listed(api, view="all", status="closed") == set()
    assert listed(api, view="all", assignee_id=desk.colleague.id) == desk.ids(
        lambda t: t["assignee"] == "colleague" and t["status"] != "closed"
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"view": "everything"}, "view"),
        ({"statuses": ["open", "done"]}, "statuses.1"),
        ({"unassigned": "maybe"}, "unassigned"),
        ({"priority": "asap"}, "priority"),
        ({"tag": "x" * 51}, "tag"),
    ],
)
def test_a_filter_it_does_not_know_is_a_422_naming_it(api, query, field):
    response = api.get("/tickets", query_string=query)

    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"], response.json


def test_counting_the_views_costs_the_same_for_3_tickets_as_for_40(api, agent):
    def cost() -> int:
        api.get("/tickets/views")  # the token's use is noted once a minute: not counted
        with statements_run() as statements:
            assert api.get("/tickets/views").status_code == 200
        return len(statements)

    for n in range(3):
        make_ticket(status=STATUSES[n], assignee=agent, channel=CUSTOMER_CHANNELS[n])
    db.session.commit()
    few = cost()
    for n in range(37):
        make_ticket(status=STATUSES[n % 6], assignee=None, channel=CUSTOMER_CHANNELS[n % 4])
    db.session.commit()

    assert cost() == few
