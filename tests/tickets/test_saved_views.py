"""Saved views through /api/v1/saved-views: each agent's own named inbox filters."""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.saved_views import MAX_SAVED_VIEWS
from supportdesk.users.service import create_token
from tests.conftest import ApiClient
from tests.factories import SavedViewFactory, TicketFactory, UserFactory

PROBLEM = "application/problem+json"


@pytest.fixture
def colleague_api(client: Any) -> ApiClient:
    colleague = UserFactory(name="Cole League")
    token = create_token(db.session, colleague)
    db.session.commit()
    return ApiClient(client, token)


def save(api: ApiClient, name: str, **filters: Any) -> dict[str, Any]:
    made = api.post("/saved-views", json={"name": name, "filters": filters})
    assert made.status_code == 201, made.json
    return made.json


def as_query(filters: dict[str, Any]) -> dict[str, Any]:
    """What the workspace does with a saved view: its filters as ``GET /tickets``'s query."""
    return {k: str(v).lower() if isinstance(v, bool) else v for k, v in filters.items()}


def test_a_saved_view_lists_what_its_filters_list(api: ApiClient) -> None:
    me = api.get("/me").json
    urgent_mine, urgent_nobodys, calm_mine = (
        TicketFactory(priority=p, body=None) for p in ("urgent", "urgent", "low")
    )
    for ticket in (urgent_mine, calm_mine):
        service.update_ticket(db.session, ticket, assignee_id=me["id"])
    service.update_ticket(db.session, urgent_nobodys, tags=["vip"])
    db.session.commit()

    mine = {"view": "mine", "priority": "urgent", "statuses": ["new", "open"]}
    view = save(api, "Urgent, mine", **mine, unassigned=False)
    vip = save(api, "VIP 贵宾", tag="vip", unassigned=True)

    assert view["filters"] == {
        "view": "mine",
        "priority": "urgent",
        "statuses": ["new", "open"],
        "unassigned": False,
    }
    assert [t["id"] for t in api.walk("/tickets", **as_query(view["filters"]))] == [urgent_mine.id]
    assert [t["id"] for t in api.walk("/tickets", **as_query(vip["filters"]))] == [
        urgent_nobodys.id
    ]
    assert api.get("/saved-views").json == {"items": [view, vip]}


def test_views_keep_the_order_the_agent_gives_them(api: ApiClient) -> None:
    first, second = save(api, "First", view="open"), save(api, "Second", view="pending")
    third = api.post("/saved-views", json={"name": "Third", "filters": {}, "position": 0}).json

    assert (first["position"], second["position"], third["position"]) == (0, 1, 0)
    names = [v["name"] for v in api.get("/saved-views").json["items"]]
    assert names == ["First", "Third", "Second"]  # ties: the older first

    moved = api.patch(f"/saved-views/{first['id']}", json={"position": 5})

    assert moved.status_code == 200, moved.json
    assert [v["name"] for v in api.get("/saved-views").json["items"]] == [
        "Third",
        "Second",
        "First",
    ]


def test_an_agent_renames_refilters_and_deletes_their_view(api: ApiClient) -> None:
    view = save(api, "Open", view="open", channel="chat")
    path = f"/saved-views/{view['id']}"

    changed = api.patch(path, json={"name": "待处理", "filters": {"view": "pending"}})

    assert changed.status_code == 200, changed.json
    assert (changed.json["name"], changed.json["filters"]) == ("待处理", {"view": "pending"})
    assert api.get("/saved-views").json["items"] == [changed.json]
    assert api.delete(path).status_code == 204
    assert api.get("/saved-views").json["items"] == []
    assert api.delete(path).status_code == 404


def test_another_agents_views_are_not_there_for_them(
    api: ApiClient, colleague_api: ApiClient
) -> None:
    mine = save(api, "Mine", view="mine")
    path = f"/saved-views/{mine['id']}"

    assert colleague_api.get("/saved-views").json["items"] == []
    for answer in (
        colleague_api.patch(path, json={"name": "Taken"}),
        colleague_api.delete(path),
    ):
        assert answer.status_code == 404
        assert answer.content_type == PROBLEM
    assert api.get("/saved-views").json["items"] == [mine]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"view": "everything"}, "filters.view"),
        ({"status": "lost"}, "filters.status"),
        ({"statuses": ["open", "gone"]}, "filters.statuses.1"),
        ({"priority": "meh"}, "filters.priority"),
        ({"channel": "fax"}, "filters.channel"),
        ({"assignee_id": 0}, "filters.assignee_id"),
        ({"unassigned": "maybe"}, "filters.unassigned"),
        ({"q": "x" * 201}, "filters.q"),
        ({"limit": 10}, "filters.limit"),  # paging is the list's, not the view's
        ({"sort": "oldest"}, "filters.sort"),
        ("view=mine", "filters._schema"),
    ],
)
def test_a_view_cannot_hold_what_the_list_refuses(api: ApiClient, filters: Any, field: str) -> None:
    answer = api.post("/saved-views", json={"name": "Bad", "filters": filters})

    assert answer.status_code == 422
    assert answer.content_type == PROBLEM
    assert field in answer.json["errors"], answer.json
    assert api.get("/saved-views").json["items"] == []


def test_a_bad_change_changes_nothing(api: ApiClient) -> None:
    view = save(api, "Open", view="open")

    for change, field in (
        ({"name": "", "filters": {"view": "mine"}}, "name"),
        ({"name": "x", "filters": {"status": "lost"}}, "filters.status"),
        ({"position": -1}, "position"),
    ):
        answer = api.patch(f"/saved-views/{view['id']}", json=change)
        assert answer.status_code == 422
        assert field in answer.json["errors"], answer.json
    assert api.get("/saved-views").json["items"] == [view]


def test_an_agent_keeps_a_sidebar_of_views_not_an_endless_list(api: ApiClient, agent: Any) -> None:
    for _ in range(MAX_SAVED_VIEWS - 1):
        SavedViewFactory(owner=agent)
    db.session.commit()
    save(api, "The last one")

    refused = api.post("/saved-views", json={"name": "One too many", "filters": {}})

    assert refused.status_code == 409
    assert refused.content_type == PROBLEM
    assert len(api.get("/saved-views").json["items"]) == MAX_SAVED_VIEWS
