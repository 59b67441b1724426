"""Merging customers is one click, so the Customers page shows what a merge would move
before it, and afterwards who merged whom into whom, and when.

Mei wrote by e-mail; a chat and a call made a second record, "Mei (chat)". Ada looks at
the preview, merges; later Bo finds a third record and merges Mei's into it.
"""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.channels.chat.identity import token_hash
from supportdesk.channels.chat.models import Visitor
from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.conftest import ApiClient
from tests.customers.test_merge import PROBLEM, merge, two_records_of_mei
from tests.factories import CustomerFactory, UserFactory


def preview(api: Any, into: int, source_id: Any) -> Any:
    return api.get(f"/customers/{into}/merge-preview", query_string={"source_id": source_id})


def merges(api: Any, customer_id: int, **query: Any) -> Any:
    return api.get(f"/customers/{customer_id}/merges", query_string=query)


@pytest.fixture
def bo_api(client: Any) -> ApiClient:
    bo = UserFactory(name="Bo Agent")
    token = create_token(db.session, bo)
    db.session.commit()
    return ApiClient(client, token)


def test_the_preview_says_what_would_move_and_moves_nothing(api):
    mei = two_records_of_mei()
    source_timeline = api.walk(f"/customers/{mei['source']}/timeline")

    response = preview(api, mei["survivor"], mei["source"])

    assert response.status_code == 200, response.json
    shown = response.json
    assert shown["survivor_id"] == mei["survivor"]
    assert shown["source"]["id"] == mei["source"]
    assert shown["source"]["name"] == "Mei (chat)"
    assert shown["identities"] == [
        {"kind": "email", "value": "mei.chen@work.example", "verified": False},
        {"kind": "phone", "value": "+8613812345678", "verified": False},
        {"kind": "external", "value": "crm-mei", "verified": False},
    ]
    assert shown["tickets"] == len(mei["source_tickets"]) == 2
    assert shown["timeline_entries"] == len(source_timeline) > 0
    assert api.get(f"/customers/{mei['source']}").status_code == 200  # still there
    assert merges(api, mei["survivor"]).json["items"] == []

    merged = merge(api, mei["survivor"], mei["source"])
    assert merged.status_code == 200
    survivor_tickets = api.walk("/tickets", customer_id=mei["survivor"])
    assert len(survivor_tickets) == len(mei["survivor_tickets"]) + shown["tickets"]


def test_the_audit_names_the_agent_the_two_customers_and_what_moved(api, agent):
    mei = two_records_of_mei()
    merge(api, mei["survivor"], mei["source"])

    response = merges(api, mei["survivor"])

    assert response.status_code == 200, response.json
    [record] = response.json["items"]
    assert record["source"] == {"id": mei["source"], "name": "Mei (chat)"}
    assert record["into"] == {"id": mei["survivor"], "name": "Mei Chen"}
    assert record["actor"] == {"id": agent.id, "name": "Ada Agent"}
    assert record["tickets"] == 2
    assert {i["value"] for i in record["identities"]} == {
        "mei.chen@work.example",
        "+8613812345678",
        "crm-mei",
    }
    assert record["merged_at"].endswith("+00:00")
    # the timeline's merge entry now names the agent too
    [event] = [
        e
        for e in api.walk(f"/customers/{mei['survivor']}/timeline", kind="ticket_event")
        if e["event"] == "merged"
    ]
    assert event["actor"]["name"] == "Ada Agent"


def test_a_later_merge_carries_the_earlier_ones_along_newest_first(api, bo_api):
    mei = two_records_of_mei()
    merge(api, mei["survivor"], mei["source"])
    third = CustomerFactory(name="M. Chen", emails=["mchen@crm.example"])
    db.session.commit()
    merge(bo_api, third.id, mei["survivor"])

    items = bo_api.walk(f"/customers/{third.id}/merges")

    assert [(r["source"]["id"], r["into"]["id"], r["actor"]["name"]) for r in items] == [
        (mei["survivor"], third.id, "Bo Agent"),
        (mei["source"], mei["survivor"], "Ada Agent"),
    ]
    first_page = merges(api, third.id, limit=1).json
    assert len(first_page["items"]) == 1 and first_page["next_cursor"]
    # the merged-away customer has no audit of its own: it answers where it went
    gone = merges(api, mei["survivor"])
    assert gone.status_code == 404
    assert gone.json["merged_into"] == third.id


def test_another_customers_merge_is_not_in_the_audit(api):
    mei = two_records_of_mei()
    a, b = CustomerFactory(name="A"), CustomerFactory(name="B")
    db.session.commit()
    merge(api, a.id, b.id)
    merge(api, mei["survivor"], mei["source"])

    assert [r["source"]["id"] for r in api.walk(f"/customers/{mei['survivor']}/merges")] == [
        mei["source"]
    ]
    assert [r["source"]["id"] for r in api.walk(f"/customers/{a.id}/merges")] == [b.id]


@pytest.mark.parametrize("source", ["itself", 999999, "abc", None])
def test_a_preview_the_merge_would_refuse_is_refused(api, source):
    mei = two_records_of_mei()
    source_id = mei["survivor"] if source == "itself" else source

    response = api.get(
        f"/customers/{mei['survivor']}/merge-preview",
        query_string={} if source_id is None else {"source_id": source_id},
    )

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert "source_id" in response.json["errors"]


def test_an_unknown_customer_has_no_preview_and_no_audit(api):
    mei = two_records_of_mei()

    for path in ("/customers/999999/merges", "/customers/999999/merge-preview"):
        response = api.get(path, query_string={"source_id": mei["source"]})
        assert response.status_code == 404, path
        assert response.content_type == PROBLEM
    merged_away = preview(api, mei["survivor"], mei["source"])
    merge(api, mei["survivor"], mei["source"])
    assert merged_away.status_code == 200
    again = preview(api, mei["survivor"], mei["source"])  # the source is gone now
    assert again.status_code == 422
    assert "source_id" in again.json["errors"]


@pytest.mark.parametrize("path", ["merges", "merge-preview"])
def test_a_customer_or_nobody_reads_no_merge(client, path):
    mei = two_records_of_mei()
    token = "m" * 43  # the customer's own widget visitor token
    db.session.add(Visitor(token_hash=token_hash(token), customer_id=mei["source"]))
    db.session.commit()

    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = client.get(
            f"/api/v1/customers/{mei['survivor']}/{path}",
            query_string={"source_id": mei["source"], "visitor_token": token},
            headers=headers,
        )
        assert response.status_code == 401
        assert response.content_type == PROBLEM
