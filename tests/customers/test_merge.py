"""Two records turn out to be one person: merging makes them one customer with one history.

Mei wrote by e-mail as "Mei Chen" and, weeks later, chatted and called from a number the
desk did not know, so a second record "Mei (chat)" was made. An agent merges the second
into the first: everything the second had now belongs to the first.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from supportdesk.core.errors import Conflict
from supportdesk.customers.models import Customer, Identity
from supportdesk.customers.signals import customers_merged
from supportdesk.extensions import db
from supportdesk.tickets.models import Call, Ticket
from tests.factories import CallFactory, CustomerFactory, MessageFactory, TicketFactory

PROBLEM = "application/problem+json"


def two_records_of_mei() -> dict[str, Any]:
    survivor = CustomerFactory(name="Mei Chen", emails=["mei@example.com"], locale=None)
    email_ticket = TicketFactory(
        customer=survivor, channel="email", subject="Invoice", body="Please resend my invoice"
    )
    source = CustomerFactory(
        name="Mei (chat)",
        emails=["mei.chen@work.example"],
        phones=["+86 138 1234 5678"],
        external_id="crm-mei",
        locale="zh-CN",
    )
    chat_ticket = TicketFactory(
        customer=source, channel="chat", subject="Machine", body="My machine beeps"
    )
    MessageFactory(ticket=chat_ticket, channel="chat", body="It beeps three times")
    call = CallFactory(customer=source, phone="+8613812345678", notes="Beeping explained")
    db.session.commit()
    return {
        "survivor": survivor.id,
        "source": source.id,
        "survivor_tickets": {email_ticket.id},
        "source_tickets": {chat_ticket.id, call.ticket_id},
        "call": call.id,
    }


def timeline(api, customer_id: int) -> list[dict[str, Any]]:
    return api.walk(f"/customers/{customer_id}/timeline")


def ticket_ids_of(api, customer_id: int) -> set[int]:
    return {t["id"] for t in api.walk("/tickets", customer_id=customer_id)}


def merge(api, into: int, source_id: Any) -> Any:
    return api.post(f"/customers/{into}/merge", json={"source_id": source_id})


def test_merge_moves_every_identity_to_the_survivor(api):
    mei = two_records_of_mei()

    response = merge(api, mei["survivor"], mei["source"])

    assert response.status_code == 200, response.json
    merged = response.json
    assert merged["id"] == mei["survivor"]
    assert merged["name"] == "Mei Chen"
    assert merged["emails"] == ["mei@example.com", "mei.chen@work.example"]
    assert merged["phones"] == ["+8613812345678"]
    assert merged["external_id"] == "crm-mei"
    assert merged["locale"] == "zh-CN"  # the survivor had none: the source's fills the gap
    assert api.get(f"/customers/{mei['survivor']}").json == merged


def test_after_a_merge_every_identity_of_the_source_finds_the_survivor(api):
    mei = two_records_of_mei()
    merge(api, mei["survivor"], mei["source"])

    by_email = api.post(
        "/tickets",
        json={
            "subject": "Again",
            "channel": "email",
            "customer": {"email": "MEI.CHEN@work.example"},
        },
    )
    by_phone = api.post("/calls", json={"phone": "+86 138-1234-5678", "direction": "inbound"})
    taken = api.post("/customers", json={"name": "Impostor", "external_id": "crm-mei"})

    assert by_email.status_code == 201, by_email.json
    assert by_email.json["customer_id"] == mei["survivor"]
    assert by_phone.status_code == 201, by_phone.json
    assert by_phone.json["customer_id"] == mei["survivor"]
    assert taken.status_code == 409
    assert [c["id"] for c in api.walk("/customers", q="13812345678")] == [mei["survivor"]]


def test_merge_moves_every_ticket_and_call_of_the_source(api):
    mei = two_records_of_mei()

    merge(api, mei["survivor"], mei["source"])

    assert ticket_ids_of(api, mei["survivor"]) == mei["survivor_tickets"] | mei["source_tickets"]
    for ticket_id in mei["source_tickets"]:
        assert api.get(f"/tickets/{ticket_id}").json["customer_id"] == mei["survivor"]
    # What the customer wrote is now signed by the survivor.
    [chat_ticket] = mei["source_tickets"] - {db.session.get(Call, mei["call"]).ticket_id}
    messages = api.walk(f"/tickets/{chat_ticket}/messages")
    assert {m["author"]["customer_id"] for m in messages} == {mei["survivor"]}
    # There is no GET /calls: the call's owner is read where the desk stores it.
    assert db.session.get(Call, mei["call"]).customer_id == mei["survivor"]


def test_the_survivors_timeline_holds_both_histories_and_the_merge(api):
    mei = two_records_of_mei()
    own_before = {e["id"] for e in timeline(api, mei["survivor"])}
    source_before = timeline(api, mei["source"])
    source_bodies = {e["body"] for e in source_before if e["kind"] == "message"}
    assert source_bodies == {"My machine beeps", "It beeps three times"}

    merge(api, mei["survivor"], mei["source"])
    after = timeline(api, mei["survivor"])

    ids_after = {e["id"] for e in after}
    assert ids_after >= own_before | {e["id"] for e in source_before}
    assert len(after) == len(own_before) + len(source_before) + 1
    bodies = {e["body"] for e in after if e["kind"] == "message"}
    assert bodies == source_bodies | {"Please resend my invoice"}
    [call_entry] = [e for e in after if e["kind"] == "call"]
    assert call_entry["notes"] == "Beeping explained"
    assert {e["ticket_id"] for e in after} == (
        mei["survivor_tickets"] | mei["source_tickets"] | {None}
    )
    # The newest entry says what happened, and from whom the history came.
    newest = after[0]
    assert newest["kind"] == "ticket_event"
    assert newest["event"] == "merged"
    assert newest["channel"] == "system"
    assert newest["ticket_id"] is None
    assert newest["data"] == {
        "source_id": mei["source"],
        "source_name": "Mei (chat)",
        "into_id": mei["survivor"],
        "into_name": "Mei Chen",
        "identities": [
            {"kind": "email", "value": "mei.chen@work.example", "verified": False},
            {"kind": "phone", "value": "+8613812345678", "verified": False},
            {"kind": "external", "value": "crm-mei", "verified": False},
        ],
        "tickets": 2,
    }
    times = [e["occurred_at"] for e in after]
    assert times == sorted(times, reverse=True)


def test_the_merged_customer_answers_404_pointing_at_the_survivor(api):
    mei = two_records_of_mei()

    merge(api, mei["survivor"], mei["source"])

    for response in (
        api.get(f"/customers/{mei['source']}"),
        api.patch(f"/customers/{mei['source']}", json={"name": "Back from the dead"}),
        api.get(f"/customers/{mei['source']}/timeline"),
    ):
        assert response.status_code == 404
        assert response.content_type == PROBLEM
        assert response.json["status"] == 404
        assert response.json["merged_into"] == mei["survivor"]
    assert ticket_ids_of(api, mei["source"]) == set()
    assert [c["id"] for c in api.walk("/customers")] == [mei["survivor"]]


def test_chains_of_merges_point_at_the_customer_that_still_exists(api):
    a = CustomerFactory(name="A", emails=["a@example.com"])
    b = CustomerFactory(name="B", emails=["b@example.com"])
    c = CustomerFactory(name="C", emails=["c@example.com"])
    ticket_of_a = TicketFactory(customer=a)
    db.session.commit()
    a_id, b_id, c_id, ticket_id = a.id, b.id, c.id, ticket_of_a.id

    assert merge(api, b_id, a_id).status_code == 200
    assert merge(api, c_id, b_id).status_code == 200

    assert api.get(f"/customers/{a_id}").json["merged_into"] == c_id
    assert api.get(f"/customers/{b_id}").json["merged_into"] == c_id
    survivor = api.get(f"/customers/{c_id}").json
    assert sorted(survivor["emails"]) == ["a@example.com", "b@example.com", "c@example.com"]
    assert ticket_ids_of(api, c_id) == {ticket_id}
    merged_events = [
        e["data"]["source_name"] for e in timeline(api, c_id) if e.get("event") == "merged"
    ]
    assert merged_events == ["B", "A"]


def test_a_customer_cannot_be_merged_into_itself(api):
    mei = two_records_of_mei()
    before = api.get(f"/customers/{mei['survivor']}").json

    response = merge(api, mei["survivor"], mei["survivor"])

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert "source_id" in response.json["errors"]
    assert api.get(f"/customers/{mei['survivor']}").json == before
    assert not [e for e in timeline(api, mei["survivor"]) if e.get("event") == "merged"]


@pytest.mark.parametrize(
    "source_id", [999, 2**31 - 1, 2**31, 0, -1, "2", 2.5, None, True], ids=repr
)
def test_a_source_that_is_not_a_customer_id_is_a_422_on_source_id(api, source_id):
    mei = two_records_of_mei()

    response = merge(api, mei["survivor"], source_id)

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    assert "source_id" in response.json["errors"], response.json
    assert ticket_ids_of(api, mei["survivor"]) == mei["survivor_tickets"]


def test_a_merge_without_source_id_is_a_422(api):
    mei = two_records_of_mei()

    for body in ({}, {"source_id": mei["source"], "extra": 1}):
        response = api.post(f"/customers/{mei['survivor']}/merge", json=body)
        assert response.status_code == 422, response.json
        assert response.content_type == PROBLEM
    assert api.get(f"/customers/{mei['source']}").status_code == 200


def test_an_already_merged_customer_can_be_neither_source_nor_target(api):
    mei = two_records_of_mei()
    third = CustomerFactory(name="Third")
    db.session.commit()
    third_id = third.id
    merge(api, mei["survivor"], mei["source"])

    as_source = merge(api, third_id, mei["source"])
    as_target = merge(api, mei["source"], third_id)

    assert as_source.status_code == 422
    assert as_source.content_type == PROBLEM
    assert "source_id" in as_source.json["errors"]
    assert as_target.status_code == 404
    assert as_target.content_type == PROBLEM
    assert as_target.json["merged_into"] == mei["survivor"]
    assert api.get(f"/customers/{third_id}").status_code == 200


def test_merging_into_an_unknown_customer_is_a_404(api):
    mei = two_records_of_mei()

    response = merge(api, 4242, mei["source"])

    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert api.get(f"/customers/{mei['source']}").status_code == 200


def assert_nothing_moved(api, mei: dict[str, Any]) -> None:
    source = api.get(f"/customers/{mei['source']}")
    assert source.status_code == 200, source.json
    assert source.json["emails"] == ["mei.chen@work.example"]
    assert source.json["phones"] == ["+8613812345678"]
    assert source.json["external_id"] == "crm-mei"
    survivor = api.get(f"/customers/{mei['survivor']}").json
    assert survivor["emails"] == ["mei@example.com"]
    assert survivor["locale"] is None
    assert ticket_ids_of(api, mei["source"]) == mei["source_tickets"]
    assert ticket_ids_of(api, mei["survivor"]) == mei["survivor_tickets"]
    assert not [e for e in timeline(api, mei["survivor"]) if e.get("event") == "merged"]
    assert {e["ticket_id"] for e in timeline(api, mei["source"])} == mei["source_tickets"]


def test_a_merge_that_fails_halfway_leaves_both_customers_as_they_were(api):
    """Every step of a merge commits together or not at all."""
    mei = two_records_of_mei()
    seen: list[int] = []

    def refuse(survivor: Customer, *, source: Customer, **_: Any) -> None:
        # By now the merge has moved things: prove it, then fail.
        owner = db.session.scalar(
            sa.select(Identity.customer_id).where(Identity.value == "mei.chen@work.example")
        )
        seen.append(owner)
        raise Conflict("The billing system refuses this merge.")

    with customers_merged.connected_to(refuse):
        response = merge(api, mei["survivor"], mei["source"])

    assert seen == [mei["survivor"]]
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert_nothing_moved(api, mei)


def test_a_merge_that_crashes_commits_nothing(app, api, monkeypatch):
    mei = two_records_of_mei()
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def crash(survivor: Customer, **_: Any) -> None:
        raise RuntimeError("disk on fire")

    with customers_merged.connected_to(crash):
        response = merge(api, mei["survivor"], mei["source"])

    assert response.status_code == 500
    assert response.content_type == PROBLEM
    assert "disk on fire" not in response.get_data(as_text=True)
    # What every other connection sees: the committed state of the database.
    with db.engine.connect() as other:
        owners = dict(other.execute(sa.select(Identity.value, Identity.customer_id)).all())
        ticket_owners = dict(other.execute(sa.select(Ticket.id, Ticket.customer_id)).all())
        merged_into = other.scalar(
            sa.select(Customer.merged_into_id).where(Customer.id == mei["source"])
        )
    assert owners["mei.chen@work.example"] == mei["source"]
    assert owners["+8613812345678"] == mei["source"]
    assert {t for t, c in ticket_owners.items() if c == mei["source"]} == mei["source_tickets"]
    assert merged_into is None
    # Once the failed request's session is gone, the API agrees.
    db.session.remove()
    assert_nothing_moved(api, mei)
