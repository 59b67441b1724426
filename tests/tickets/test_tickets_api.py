"""Opening, finding and changing tickets through /api/v1/tickets."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest

from supportdesk.extensions import db
from supportdesk.tickets import service
from tests.factories import CustomerFactory, TicketFactory, UserFactory

PROBLEM = "application/problem+json"
TICKET_FIELDS = {
    "id",
    "ref",
    "subject",
    "status",
    "priority",
    "channel",
    "customer_id",
    "assignee_id",
    "tags",
    "created_at",
    "updated_at",
    "first_response_due_at",
    "resolution_due_at",
}


def assert_field_error(response: Any, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.json
    assert response.content_type == PROBLEM
    assert response.json["status"] == status
    assert field in response.json["errors"], response.json


def open_ticket(api: Any, **fields: Any) -> Any:
    return api.post("/tickets", json={"subject": "Router blinks red", "channel": "email", **fields})


def customers_named(api: Any, q: str) -> list[dict[str, Any]]:
    return api.walk("/customers", q=q)


# --- opening a ticket -------------------------------------------------------------------------


def test_agent_opens_a_ticket_for_a_known_customer(api):
    customer = CustomerFactory(name="Mei")
    db.session.commit()

    response = api.post(
        "/tickets",
        json={
            "subject": "  Router blinks red  ",
            "channel": "phone",
            "customer_id": customer.id,
            "priority": "high",
        },
    )

    assert response.status_code == 201, response.json
    ticket = response.json
    assert set(ticket) >= TICKET_FIELDS
    assert ticket["subject"] == "Router blinks red"
    assert (ticket["status"], ticket["priority"], ticket["channel"]) == ("new", "high", "phone")
    assert ticket["customer_id"] == customer.id
    assert ticket["assignee_id"] is None and ticket["tags"] == []
    assert ticket["created_at"].endswith("+00:00") and ticket["updated_at"].endswith("+00:00")
    assert api.get(f"/tickets/{ticket['id']}").json == ticket


def test_a_new_ticket_has_normal_priority_unless_told(api):
    customer = CustomerFactory()
    db.session.commit()

    response = open_ticket(api, customer_id=customer.id)

    assert response.json["priority"] == "normal"


def test_ticket_ref_looks_like_sd_1001_and_searching_for_it_finds_the_ticket(api):
    customer = CustomerFactory()
    TicketFactory(customer=customer, subject="Something else")
    db.session.commit()

    ticket = open_ticket(api, customer_id=customer.id).json

    assert re.fullmatch(r"SD-\d{4,}", ticket["ref"])
    assert ticket["ref"] == f"SD-{ticket['id'] + 1000}"
    for query in (ticket["ref"], ticket["ref"].lower(), f"  {ticket['ref']} "):
        found = api.get("/tickets", query_string={"q": query}).json["items"]
        assert [t["id"] for t in found] == [ticket["id"]], query


def test_the_body_becomes_the_customers_first_inbound_message(api):
    customer = CustomerFactory(name="Mei")
    db.session.commit()

    ticket = open_ticket(
        api, customer_id=customer.id, channel="web", body="My router blinks red since Monday."
    ).json

    [message] = api.walk(f"/tickets/{ticket['id']}/messages")
    assert message["body"] == "My router blinks red since Monday."
    assert (message["direction"], message["channel"], message["internal"]) == (
        "inbound",
        "web",
        False,
    )
    assert message["author"]["kind"] == "customer"
    assert message["author"]["customer_id"] == customer.id
    assert message["author"]["name"] == "Mei"
    timeline = api.walk(f"/customers/{customer.id}/timeline", kind="message")
    assert [(i["ticket_id"], i["body"]) for i in timeline] == [
        (ticket["id"], "My router blinks red since Monday.")
    ]


def test_a_ticket_without_a_body_has_no_messages_yet(api):
    customer = CustomerFactory()
    db.session.commit()

    ticket = open_ticket(api, customer_id=customer.id).json

    assert api.walk(f"/tickets/{ticket['id']}/messages") == []


def test_opening_a_ticket_is_the_first_event_on_the_customers_timeline(api, agent):
    customer = CustomerFactory()
    db.session.commit()

    ticket = open_ticket(api, customer_id=customer.id, channel="chat").json

    [created] = api.walk(f"/customers/{customer.id}/timeline", kind="ticket_event")
    assert created["event"] == "created"
    assert created["ticket_id"] == ticket["id"]
    assert created["data"]["channel"] == "chat"
    assert created["actor"] == {"kind": "agent", "name": agent.name}


def test_customer_given_by_email_is_matched_case_insensitively(api):
    known = CustomerFactory(name="Mei", emails=["mei.lin@example.com"])
    db.session.commit()

    response = open_ticket(api, customer={"email": "  Mei.Lin@EXAMPLE.com"})

    assert response.status_code == 201, response.json
    assert response.json["customer_id"] == known.id
    assert [c["id"] for c in customers_named(api, "mei")] == [known.id]


def test_customer_given_by_phone_is_matched_whatever_the_formatting(api):
    known = CustomerFactory(name="Mei", emails=[], phones=["+1 415-555-0100"])
    db.session.commit()

    for phone in ("(415) 555-0100", "415.555.0100", "+14155550100", "1 415 555 0100"):
        response = open_ticket(api, channel="phone", customer={"phone": phone})
        assert response.status_code == 201, response.json
        assert response.json["customer_id"] == known.id, phone


def test_customer_email_is_tried_before_the_phone(api):
    by_email = CustomerFactory(emails=["mei@example.com"])
    CustomerFactory(emails=[], phones=["+14155550100"])
    db.session.commit()

    response = open_ticket(api, customer={"email": "mei@example.com", "phone": "4155550100"})

    assert response.json["customer_id"] == by_email.id


def test_unknown_customer_details_create_a_new_customer(api):
    CustomerFactory(emails=["someone.else@example.com"])
    db.session.commit()

    response = open_ticket(
        api, customer={"name": "Nora New", "email": "Nora@Example.com", "phone": "(415) 555-0199"}
    )

    assert response.status_code == 201, response.json
    customer = api.get(f"/customers/{response.json['customer_id']}").json
    assert customer["name"] == "Nora New"
    assert customer["emails"] == ["nora@example.com"]
    assert customer["phones"] == ["+14155550199"]
    again = open_ticket(api, customer={"email": "nora@example.com"})
    assert again.json["customer_id"] == customer["id"]


def test_a_new_customer_without_a_name_is_named_after_the_email(api):
    response = open_ticket(api, customer={"email": "nora.new@example.com"})

    customer = api.get(f"/customers/{response.json['customer_id']}").json
    assert customer["name"] == "nora.new"


@pytest.mark.parametrize(
    ("customer_fields", "field"),
    [
        ({"email": "not an address"}, "customer.email"),
        ({"phone": "12"}, "customer.phone"),
        ({"email": "x" * 321}, "customer.email"),
        ({}, "customer"),
        ({"name": "Nora", "nickname": "N"}, "customer.nickname"),
    ],
    ids=["bad-email", "bad-phone", "long-email", "empty", "unknown-field"],
)
def test_bad_customer_details_are_errors_on_the_customer_fields(api, customer_fields, field):
    response = open_ticket(api, customer=customer_fields)

    assert_field_error(response, field)
    assert api.walk("/tickets") == []
    assert api.walk("/customers") == []


def test_giving_both_customer_id_and_customer_is_invalid(api):
    customer = CustomerFactory(emails=["mei@example.com"])
    db.session.commit()

    response = open_ticket(api, customer_id=customer.id, customer={"email": "mei@example.com"})

    assert_field_error(response, "customer_id")
    assert api.walk("/tickets") == []


def test_giving_no_customer_at_all_is_invalid(api):
    assert_field_error(open_ticket(api), "customer_id")


def test_the_api_document_says_customer_id_or_customer_but_not_both(api):
    """What /api/v1/openapi.json allows (a generated client, schemathesis) the API takes."""
    document = api.client.get("/api/v1/openapi.json").json
    body = "#/paths/~1api~1v1~1tickets/post/requestBody/content/application~1json/schema"
    allowed = jsonschema_rs.validator_for({**document, "$ref": body}).is_valid
    ticket = {"subject": "Router", "channel": "email"}

    assert allowed({**ticket, "customer_id": 1})
    assert allowed({**ticket, "customer": {"email": "mei@example.com"}})
    assert not allowed({**ticket, "customer_id": 1, "customer": {"email": "mei@example.com"}})
    assert not allowed(ticket)
    assert not allowed({**ticket, "customer": {}})


def test_an_unknown_customer_id_is_an_error_on_that_field(api):
    response = open_ticket(api, customer_id=424242)

    assert_field_error(response, "customer_id")
    assert "424242" in response.json["errors"]["customer_id"][0]
    assert api.walk("/tickets") == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"channel": "system"}, "channel"),
        ({"channel": None}, "channel"),
        ({"priority": "asap"}, "priority"),
        ({"subject": 42}, "subject"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 501}, "subject"),
        ({"subject": "nul \x00 byte"}, "subject"),
        ({"body": ["not", "text"]}, "body"),
        ({"body": "x" * 100_001}, "body"),
        ({"customer_id": "7"}, "customer_id"),
        ({"customer_id": 0}, "customer_id"),
        ({"customer_id": 2**31}, "customer_id"),
        ({"customer_id": True}, "customer_id"),
        ({"customer": "mei@example.com"}, "customer._schema"),
        ({"nickname": "Mei"}, "nickname"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_invalid_ticket_fields_are_field_errors(api, changes, field):
    customer = CustomerFactory()
    db.session.commit()
    body = {"subject": "Router blinks red", "channel": "email", "customer_id": customer.id}
    body.update(changes)
    if "customer" in changes:
        del body["customer_id"]

    response = api.post("/tickets", json=body)

    assert_field_error(response, field)
    assert api.walk("/tickets") == []


@pytest.mark.parametrize("missing", ["subject", "channel"])
def test_subject_and_channel_are_required(api, missing):
    customer = CustomerFactory()
    db.session.commit()
    body = {"subject": "Router blinks red", "channel": "email", "customer_id": customer.id}
    del body[missing]

    assert_field_error(api.post("/tickets", json=body), missing)


def test_a_subject_of_exactly_500_characters_is_fine(api):
    customer = CustomerFactory()
    db.session.commit()

    response = open_ticket(api, customer_id=customer.id, subject="s" * 500)

    assert response.status_code == 201
    assert response.json["subject"] == "s" * 500


def test_tickets_need_a_signed_in_agent(client):
    response = client.get("/api/v1/tickets")

    assert response.status_code == 401
    assert response.content_type == PROBLEM


# --- finding tickets --------------------------------------------------------------------------


def test_unknown_ticket_is_a_404_problem(api):
    for path in ("/tickets/424242", "/tickets/99999999999", "/tickets/0"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.content_type == PROBLEM
        assert response.json["status"] == 404
    assert api.patch("/tickets/424242", json={"status": "open"}).status_code == 404


def test_ticket_list_filters_by_status_assignee_channel_and_customer(api, agent):
    mei, bo = CustomerFactory(name="Mei"), CustomerFactory(name="Bo")
    colleague = UserFactory()
    new_email = TicketFactory(customer=mei, channel="email")
    open_chat = TicketFactory(customer=mei, channel="chat")
    solved_phone = TicketFactory(customer=bo, channel="phone")
    pending_email = TicketFactory(customer=bo, channel="email")
    service.update_ticket(db.session, open_chat, status="open", assignee_id=agent.id)
    service.update_ticket(db.session, solved_phone, status="solved", assignee_id=colleague.id)
    service.update_ticket(db.session, pending_email, status="pending", assignee_id=agent.id)
    db.session.commit()

    def ids(**query: Any) -> list[int]:
        return [t["id"] for t in api.walk("/tickets", **query)]

    assert ids() == [pending_email.id, solved_phone.id, open_chat.id, new_email.id]
    assert ids(status="new") == [new_email.id]
    assert ids(status="pending") == [pending_email.id]
    assert ids(status="closed") == []
    assert ids(assignee_id=agent.id) == [pending_email.id, open_chat.id]
    assert ids(assignee_id=colleague.id) == [solved_phone.id]
    assert ids(channel="email") == [pending_email.id, new_email.id]
    assert ids(channel="phone") == [solved_phone.id]
    assert ids(customer_id=mei.id) == [open_chat.id, new_email.id]
    assert ids(customer_id=bo.id, assignee_id=agent.id) == [pending_email.id]
    assert ids(customer_id=mei.id, channel="phone") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "archived"}, "status"),
        ({"channel": "fax"}, "channel"),
        ({"assignee_id": "me"}, "assignee_id"),
        ({"customer_id": "0"}, "customer_id"),
        ({"customer_id": str(2**31)}, "customer_id"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"q": "x" * 201}, "q"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_list_filters_are_field_errors(api, query, field):
    assert_field_error(api.get("/tickets", query_string=query), field)


def test_search_finds_tickets_by_words_of_the_subject(api):
    router = TicketFactory(subject="Router blinks red after update")
    invoice = TicketFactory(subject="Invoice 100% wrong")
    TicketFactory(subject="Printer jammed")
    TicketFactory(subject="Invoice 1000 missing")
    db.session.commit()

    def found(q: str) -> list[int]:
        return [t["id"] for t in api.walk("/tickets", q=q)]

    assert found("router") == [router.id]
    assert found("BLINKS RED") == [router.id]
    assert found("  blinks  ") == [router.id]
    # words are looked for: % and _ are neither wildcards nor words, and they end the
    # word, so 100 is not the start of 1000
    assert found("100%") == [invoice.id]
    assert found("100_") == [invoice.id]
    assert found("scanner") == []


def test_search_for_words_that_look_like_a_ref_still_finds_subjects(api):
    covid = TicketFactory(subject="Refund for trip cancelled by COVID-19")
    error = TicketFactory(subject="Checkout shows error E-404")
    db.session.commit()

    assert [t["id"] for t in api.walk("/tickets", q="covid-19")] == [covid.id]
    assert [t["id"] for t in api.walk("/tickets", q="E-404")] == [error.id]


def test_pages_of_tickets_walk_every_ticket_once_newest_first(api):
    customer = CustomerFactory()
    tickets = [TicketFactory(customer=customer, body=None) for _ in range(7)]
    db.session.commit()
    newest_first = [t.id for t in reversed(tickets)]

    pages, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get("/tickets", query_string=query).json
        pages.append([t["id"] for t in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:]]
    exact = api.get("/tickets", query_string={"limit": 7}).json
    assert [t["id"] for t in exact["items"]] == newest_first
    assert exact["next_cursor"] is None
    default = api.get("/tickets").json
    assert len(default["items"]) == 7 and default["next_cursor"] is None


def test_pages_of_a_filtered_list_stay_within_the_filter(api):
    customer = CustomerFactory()
    email = [TicketFactory(customer=customer, channel="email") for _ in range(5)]
    for _ in range(5):
        TicketFactory(customer=customer, channel="chat")
    db.session.commit()

    walked = api.walk("/tickets", channel="email", limit=2)

    assert [t["id"] for t in walked] == [t.id for t in reversed(email)]


# --- changing tickets -------------------------------------------------------------------------


def test_agent_assigns_a_ticket_to_a_colleague_and_back_to_nobody(api):
    colleague = UserFactory(name="Bo Colleague")
    ticket = TicketFactory()
    db.session.commit()

    assigned = api.patch(f"/tickets/{ticket.id}", json={"assignee_id": colleague.id})
    unassigned = api.patch(f"/tickets/{ticket.id}", json={"assignee_id": None})

    assert assigned.status_code == 200 and assigned.json["assignee_id"] == colleague.id
    assert unassigned.status_code == 200 and unassigned.json["assignee_id"] is None


def test_assigning_to_an_unknown_agent_is_a_field_error_and_changes_nothing(api):
    ticket = TicketFactory()
    db.session.commit()

    response = api.patch(f"/tickets/{ticket.id}", json={"assignee_id": 424242})

    assert_field_error(response, "assignee_id")
    assert api.get(f"/tickets/{ticket.id}").json["assignee_id"] is None


def test_assigning_to_a_deactivated_agent_is_a_field_error(api):
    gone = UserFactory()
    gone.active = False
    ticket = TicketFactory()
    db.session.commit()

    response = api.patch(f"/tickets/{ticket.id}", json={"assignee_id": gone.id})

    assert_field_error(response, "assignee_id")
    assert api.get(f"/tickets/{ticket.id}").json["assignee_id"] is None


def test_tags_are_lowercased_and_deduplicated(api):
    ticket = TicketFactory()
    db.session.commit()

    response = api.patch(
        f"/tickets/{ticket.id}",
        json={"tags": ["VIP", " vip ", "Billing Issue", "billing_issue", "sla:gold"]},
    )

    assert response.status_code == 200, response.json
    assert response.json["tags"] == ["billing_issue", "sla:gold", "vip"]
    assert api.get(f"/tickets/{ticket.id}").json["tags"] == ["billing_issue", "sla:gold", "vip"]
    cleared = api.patch(f"/tickets/{ticket.id}", json={"tags": []})
    assert cleared.json["tags"] == []


@pytest.mark.parametrize(
    ("tags", "field"),
    [
        (["no way!"], "tags.0"),
        (["ok", ""], "tags.1"),
        (["ok", "fine", "   "], "tags.2"),
        (["x" * 51], "tags.0"),
        (["ok", 7], "tags.1"),
        ("vip", "tags"),
        ([f"t{n}" for n in range(51)], "tags"),
    ],
    ids=["punctuation", "empty", "blank", "too-long", "not-text", "not-a-list", "too-many"],
)
def test_invalid_tags_are_errors_on_the_tag_at_fault(api, tags, field):
    ticket = TicketFactory()
    db.session.commit()
    api.patch(f"/tickets/{ticket.id}", json={"tags": ["keep"]})

    response = api.patch(f"/tickets/{ticket.id}", json={"tags": tags})

    assert_field_error(response, field)
    assert api.get(f"/tickets/{ticket.id}").json["tags"] == ["keep"]


def test_agent_renames_a_ticket(api):
    ticket = TicketFactory(subject="help")
    db.session.commit()

    response = api.patch(f"/tickets/{ticket.id}", json={"subject": "  Router blinks red "})

    assert response.status_code == 200
    assert response.json["subject"] == "Router blinks red"
    [renamed] = [
        e
        for e in api.walk(f"/customers/{ticket.customer_id}/timeline", kind="ticket_event")
        if e["event"] == "subject_changed"
    ]
    assert renamed["data"] == {"from": "help", "to": "Router blinks red"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 501}, "subject"),
        ({"priority": "asap"}, "priority"),
        ({"assignee_id": "1"}, "assignee_id"),
        ({"status": None}, "status"),
        ({"customer_id": 1}, "customer_id"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_invalid_changes_are_field_errors_and_change_nothing(api, changes, field):
    ticket = TicketFactory(subject="Router blinks red")
    db.session.commit()
    before = api.get(f"/tickets/{ticket.id}").json

    response = api.patch(f"/tickets/{ticket.id}", json=changes)

    assert_field_error(response, field)
    assert api.get(f"/tickets/{ticket.id}").json == before


def test_changing_a_ticket_moves_its_updated_at(api):
    ticket = TicketFactory()
    db.session.commit()
    before = api.get(f"/tickets/{ticket.id}").json

    after = api.patch(f"/tickets/{ticket.id}", json={"priority": "urgent"}).json

    assert after["updated_at"] > before["updated_at"]
    assert after["created_at"] == before["created_at"]


def test_a_ticket_names_its_customer_and_assignee_as_they_are_now(api, agent):
    customer = CustomerFactory(name="Mei Chen")
    db.session.commit()

    created = open_ticket(api, customer_id=customer.id).json
    assigned = api.patch(f"/tickets/{created['id']}", json={"assignee_id": agent.id}).json
    api.patch(f"/users/{agent.id}", json={"name": "Ada Lovelace"})
    [listed] = api.get("/tickets").json["items"]
    unassigned = api.patch(f"/tickets/{created['id']}", json={"assignee_id": None}).json

    assert created["customer"] == {"id": customer.id, "name": "Mei Chen"}
    assert created["assignee"] is None
    assert assigned["assignee"] == {"id": agent.id, "name": "Ada Agent"}
    assert listed["assignee"] == {"id": agent.id, "name": "Ada Lovelace"}
    assert (unassigned["assignee"], unassigned["assignee_id"]) == (None, None)
