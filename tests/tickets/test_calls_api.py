"""Phone calls logged through POST /api/v1/calls, by agents and telephony integrations."""

from __future__ import annotations

from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.tickets import service
from tests.factories import CustomerFactory, TicketFactory

PROBLEM = "application/problem+json"


def log_call(api: Any, **fields: Any) -> Any:
    return api.post("/calls", json={"direction": "inbound", **fields})


def tickets_of(api: Any, customer_id: int) -> list[dict[str, Any]]:
    return api.walk("/tickets", customer_id=customer_id)


def calls_on_timeline(api: Any, customer_id: int) -> list[dict[str, Any]]:
    return api.walk(f"/customers/{customer_id}/timeline", kind="call")


def assert_field_error(response: Any, field: str) -> None:
    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    assert field in response.json["errors"], response.json


def test_call_from_an_unknown_number_opens_a_phone_ticket_for_a_new_customer(api):
    response = log_call(api, phone="(415) 555-0123", duration_seconds=95, notes="Router red")

    assert response.status_code == 201, response.json
    call = response.json
    assert call["phone"] == "+14155550123"
    assert (call["direction"], call["duration_seconds"], call["notes"]) == (
        "inbound",
        95,
        "Router red",
    )
    ticket = api.get(f"/tickets/{call['ticket_id']}").json
    assert ticket["channel"] == "phone"
    assert ticket["customer_id"] == call["customer_id"]
    assert ticket["status"] == "new"
    assert "+14155550123" in ticket["subject"]
    customer = api.get(f"/customers/{call['customer_id']}").json
    assert customer["phones"] == ["+14155550123"]


def test_call_from_a_known_number_in_another_format_finds_the_customer(api):
    mei = CustomerFactory(name="Mei", phones=["+1 415 555 0100"])
    db.session.commit()

    first = log_call(api, phone="415.555.0100")
    second = log_call(api, phone="+1 (415) 555-0100", direction="outbound")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json["customer_id"] == second.json["customer_id"] == mei.id
    assert first.json["phone"] == second.json["phone"] == "+14155550100"
    # Each call without a ticket opens its own phone ticket.
    opened = tickets_of(api, mei.id)
    assert {t["id"] for t in opened} == {first.json["ticket_id"], second.json["ticket_id"]}
    assert {t["channel"] for t in opened} == {"phone"}
    assert len(api.walk("/customers")) == 1


def test_call_about_an_existing_ticket_is_added_to_it(api):
    ticket = TicketFactory(channel="email")
    db.session.commit()

    response = log_call(api, ticket_id=ticket.id, notes="Called back about the e-mail")

    assert response.status_code == 201, response.json
    assert response.json["ticket_id"] == ticket.id
    assert response.json["customer_id"] == ticket.customer_id
    assert response.json["phone"] is None
    assert [t["id"] for t in tickets_of(api, ticket.customer_id)] == [ticket.id]
    assert api.get(f"/tickets/{ticket.id}").json["channel"] == "email"


def test_call_logged_for_a_customer_by_id_opens_a_phone_ticket_for_them(api, agent):
    mei = CustomerFactory(name="Mei")
    db.session.commit()

    response = log_call(api, customer_id=mei.id, direction="outbound", notes="Courtesy call")

    assert response.status_code == 201, response.json
    assert response.json["customer_id"] == mei.id
    [ticket] = tickets_of(api, mei.id)
    assert ticket["id"] == response.json["ticket_id"]
    assert ticket["channel"] == "phone"
    assert ticket["subject"] == "Call to Mei"
    created = api.walk(f"/customers/{mei.id}/timeline", kind="ticket_event")[-1]
    assert created["event"] == "created"
    assert created["actor"] == {"kind": "agent", "name": agent.name}


def test_call_by_customer_id_and_their_ticket_lands_on_that_ticket(api):
    ticket = TicketFactory()
    db.session.commit()

    response = log_call(api, customer_id=ticket.customer_id, ticket_id=ticket.id)

    assert response.status_code == 201
    assert response.json["ticket_id"] == ticket.id


def test_the_call_is_on_the_customers_timeline(api):
    mei = CustomerFactory(phones=["+14155550100"])
    db.session.commit()

    call = log_call(
        api,
        phone="4155550100",
        duration_seconds=312,
        notes="Walked through the reset",
        recording_url="https://rec.example/calls/1.mp3",
        started_at="2026-03-01T10:00:00+00:00",
    ).json

    [entry] = calls_on_timeline(api, mei.id)
    assert entry["call_id"] == call["id"]
    assert (entry["channel"], entry["ticket_id"]) == ("phone", call["ticket_id"])
    assert (entry["direction"], entry["duration_seconds"], entry["notes"]) == (
        "inbound",
        312,
        "Walked through the reset",
    )
    assert entry["phone"] == "+14155550100"
    assert entry["recording_url"] == "https://rec.example/calls/1.mp3"
    assert entry["occurred_at"] == "2026-03-01T10:00:00+00:00"


def test_a_retried_call_with_the_same_external_id_updates_the_first(api):
    first = log_call(api, phone="4155550100", external_id="CA123", notes="ringing")
    assert first.status_code == 201, first.json

    again = log_call(
        api, phone="4155550100", external_id="CA123", duration_seconds=240, notes="Solved on call"
    )

    assert again.status_code == 200, again.json
    assert again.json["id"] == first.json["id"]
    assert again.json["ticket_id"] == first.json["ticket_id"]
    assert (again.json["duration_seconds"], again.json["notes"]) == (240, "Solved on call")
    customer_id = first.json["customer_id"]
    [entry] = calls_on_timeline(api, customer_id)
    assert (entry["call_id"], entry["duration_seconds"], entry["notes"]) == (
        first.json["id"],
        240,
        "Solved on call",
    )
    assert len(tickets_of(api, customer_id)) == 1


def test_a_retry_from_another_number_makes_no_stray_customer(api):
    first = log_call(api, phone="4155550100", external_id="CA777")

    again = log_call(api, phone="+8613812345678", external_id="CA777", duration_seconds=30)

    assert again.status_code == 200
    assert again.json["customer_id"] == first.json["customer_id"]
    assert api.get("/customers", query_string={"q": "+8613812345678"}).json["items"] == []


def test_a_retry_without_notes_keeps_the_notes_it_had(api):
    first = log_call(api, phone="4155550100", external_id="CA124", notes="Asked about invoice")

    again = log_call(api, phone="4155550100", external_id="CA124", duration_seconds=60)

    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert (again.json["duration_seconds"], again.json["notes"]) == (60, "Asked about invoice")


def test_calls_with_different_external_ids_are_different_calls(api):
    one = log_call(api, phone="4155550100", external_id="CA1")
    two = log_call(api, phone="4155550100", external_id="CA2")

    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json["id"] != two.json["id"]


def test_a_customer_calling_about_a_solved_ticket_reopens_it(api):
    ticket = TicketFactory()
    service.update_ticket(db.session, ticket, status="solved")
    db.session.commit()

    log_call(api, ticket_id=ticket.id, direction="inbound")

    assert api.get(f"/tickets/{ticket.id}").json["status"] == "open"


def test_an_agent_calling_out_does_not_reopen_a_solved_ticket(api):
    ticket = TicketFactory()
    service.update_ticket(db.session, ticket, status="solved")
    db.session.commit()

    log_call(api, ticket_id=ticket.id, direction="outbound")

    assert api.get(f"/tickets/{ticket.id}").json["status"] == "solved"


def test_a_call_about_a_closed_ticket_opens_a_phone_follow_up(api):
    closed = TicketFactory(channel="email", subject="Refund for order 12")
    service.update_ticket(db.session, closed, status="solved")
    service.update_ticket(db.session, closed, status="closed")
    db.session.commit()

    response = log_call(api, ticket_id=closed.id)

    assert response.status_code == 201, response.json
    follow_up = api.get(f"/tickets/{response.json['ticket_id']}").json
    assert follow_up["id"] != closed.id
    assert follow_up["follow_up_of_id"] == closed.id
    assert (follow_up["channel"], follow_up["subject"]) == ("phone", "Refund for order 12")
    assert api.get(f"/tickets/{closed.id}").json["status"] == "closed"


@pytest.mark.parametrize(
    ("started_at", "stored"),
    [
        ("2026-03-01T10:00:00", "2026-03-01T10:00:00+00:00"),
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00+00:00"),
        ("2026-03-01T18:00:00+08:00", "2026-03-01T10:00:00+00:00"),
        ("2026-03-01T05:00:00-05:00", "2026-03-01T10:00:00+00:00"),
    ],
)
def test_started_at_is_stored_in_utc_and_a_time_without_offset_is_read_as_utc(
    api, started_at, stored
):
    response = log_call(api, phone="4155550100", started_at=started_at)

    assert response.status_code == 201, response.json
    assert response.json["started_at"] == stored
    [entry] = calls_on_timeline(api, response.json["customer_id"])
    assert entry["occurred_at"] == stored


def test_a_call_without_started_at_started_now(api):
    response = log_call(api, phone="4155550100")

    assert response.json["started_at"].endswith("+00:00")
    assert response.json["started_at"] <= response.json["created_at"]


@pytest.mark.parametrize(
    "phone", ["12", "not a number", "+1 555 000 0000 000", "+999 123"], ids=str
)
def test_an_invalid_phone_is_an_error_on_phone_and_stores_nothing(api, phone):
    response = log_call(api, phone=phone)

    assert_field_error(response, "phone")
    assert api.walk("/customers") == []
    assert api.walk("/tickets") == []


def test_an_invalid_phone_is_refused_even_for_a_known_customer(api):
    mei = CustomerFactory()
    db.session.commit()

    response = log_call(api, customer_id=mei.id, phone="12")

    assert_field_error(response, "phone")
    assert tickets_of(api, mei.id) == []


def test_a_call_needs_a_phone_a_customer_or_a_ticket(api):
    response = log_call(api, notes="Somebody called")

    assert_field_error(response, "phone")
    assert api.walk("/tickets") == []


def test_a_ticket_of_another_customer_is_refused(api):
    mei, bo = CustomerFactory(name="Mei"), CustomerFactory(name="Bo")
    bos_ticket = TicketFactory(customer=bo)
    db.session.commit()

    response = log_call(api, customer_id=mei.id, ticket_id=bos_ticket.id)

    assert_field_error(response, "ticket_id")
    assert calls_on_timeline(api, mei.id) == []
    assert calls_on_timeline(api, bo.id) == []
    assert tickets_of(api, mei.id) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"phone": "4155550100", "duration_seconds": -1}, "duration_seconds"),
        ({"phone": "4155550100", "duration_seconds": "60"}, "duration_seconds"),
        ({"phone": "4155550100", "duration_seconds": 1.5}, "duration_seconds"),
        ({"phone": "4155550100", "direction": "sideways"}, "direction"),
        ({"phone": "4155550100", "direction": None}, "direction"),
        ({"phone": "4155550100", "started_at": "yesterday"}, "started_at"),
        ({"phone": "4155550100", "recording_url": "javascript:alert(1)"}, "recording_url"),
        ({"phone": "4155550100", "external_id": ""}, "external_id"),
        ({"phone": "4155550100", "external_id": "x" * 101}, "external_id"),
        ({"phone": "4155550100", "notes": "x" * 100_001}, "notes"),
        ({"phone": "4155550100", "agent": "me"}, "agent"),
        ({"customer_id": 424242}, "customer_id"),
        ({"customer_id": "1"}, "customer_id"),
        ({"ticket_id": 424242}, "ticket_id"),
        ({"phone": 4155550100}, "phone"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_invalid_calls_are_field_errors_and_store_nothing(api, fields, field):
    response = log_call(api, **fields)

    assert_field_error(response, field)
    assert api.walk("/tickets") == []
    assert api.walk("/customers") == []


def test_direction_is_required(api):
    response = api.post("/calls", json={"phone": "4155550100"})

    assert_field_error(response, "direction")
