"""Agents keep one record per customer: create, find, edit, with every identity unique."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from supportdesk.customers import service
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Identity
from supportdesk.extensions import db
from tests.factories import CustomerFactory

PROBLEM = "application/problem+json"
CONTRACT_FIELDS = {"id", "name", "emails", "phones", "external_id", "locale", "created_at"}


def all_customers(api, **params):
    return api.walk("/customers", **params)


def names_found(api, q):
    return [c["name"] for c in all_customers(api, q=q)]


# --- creating -------------------------------------------------------------------------------


def test_agent_creates_a_customer_with_every_kind_of_identity(api):
    before = datetime.now(UTC)

    response = api.post(
        "/customers",
        json={
            "name": "Mei Chen",
            "emails": ["Mei.Chen@Example.COM"],
            "phones": ["(415) 555-0100", "+86 138 1234 5678"],
            "external_id": "crm-42",
            "locale": "zh-cn",
        },
    )

    assert response.status_code == 201, response.json
    customer = response.json
    assert set(customer) == CONTRACT_FIELDS
    assert isinstance(customer["id"], int)
    assert customer["name"] == "Mei Chen"
    assert customer["emails"] == ["mei.chen@example.com"]
    assert customer["phones"] == ["+14155550100", "+8613812345678"]
    assert customer["external_id"] == "crm-42"
    assert customer["locale"] == "zh-CN"
    created_at = datetime.fromisoformat(customer["created_at"])
    assert created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=5) <= created_at <= datetime.now(UTC) + timedelta(seconds=5)

    assert api.get(f"/customers/{customer['id']}").json == customer


def test_a_customer_needs_nothing_but_a_name(api):
    response = api.post("/customers", json={"name": "Walk-in"})

    assert response.status_code == 201, response.json
    assert {k: response.json[k] for k in ("emails", "phones", "external_id", "locale")} == {
        "emails": [],
        "phones": [],
        "external_id": None,
        "locale": None,
    }


def test_the_same_address_twice_in_one_request_is_stored_once(api):
    response = api.post(
        "/customers",
        json={
            "name": "Li",
            "emails": ["li@example.com", "LI@Example.com"],
            "phones": ["+1 415 555 0100", "(415) 555-0100"],
        },
    )

    assert response.status_code == 201, response.json
    assert response.json["emails"] == ["li@example.com"]
    assert response.json["phones"] == ["+14155550100"]


@pytest.mark.parametrize("name", ["李小龙", "王秀英 (Wáng Xiùyīng)", "Zoë Ñúñez", "محمد"])
def test_names_in_any_script_round_trip(api, name):
    created = api.post("/customers", json={"name": name})

    assert created.status_code == 201, created.json
    assert created.json["name"] == name
    assert api.get(f"/customers/{created.json['id']}").json["name"] == name


def test_numbers_without_country_code_use_the_desks_default_region(app, api, monkeypatch):
    us = api.post("/customers", json={"name": "Sam", "phones": ["(415) 555-0100"]})
    monkeypatch.setitem(app.config, "DEFAULT_PHONE_REGION", "CN")
    cn = api.post("/customers", json={"name": "Wang", "phones": ["138 1234 5678"]})

    assert us.json["phones"] == ["+14155550100"]
    assert cn.json["phones"] == ["+8613812345678"]
    # ...and searching with the local format finds the number in that region too.
    assert names_found(api, "138-1234-5678") == ["Wang"]


@pytest.mark.parametrize(
    ("owner", "newcomer", "field"),
    [
        (
            {"emails": ["li@example.com"]},
            {"emails": ["new@example.com", "LI@Example.COM"]},
            "emails",
        ),
        ({"phones": ["+1 415 555 0100"]}, {"phones": ["(415) 555-0100"]}, "phones"),
        ({"phones": ["+8613812345678"]}, {"phones": ["+86 138-1234-5678"]}, "phones"),
        ({"external_id": "crm-7"}, {"external_id": "crm-7"}, "external_id"),
    ],
    ids=["email", "us-phone", "cn-phone", "external-id"],
)
def test_an_identity_of_another_customer_is_a_conflict_and_nothing_is_created(
    api, owner, newcomer, field
):
    existing = CustomerFactory(name="First Owner", **owner)
    db.session.commit()

    response = api.post("/customers", json={"name": "Second Comer", **newcomer})

    assert response.status_code == 409, response.json
    assert response.content_type == PROBLEM
    assert response.json["status"] == 409
    assert field in response.json["errors"]
    assert str(existing.id) in response.json["detail"]
    assert [c["name"] for c in all_customers(api)] == ["First Owner"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"emails": ["ok@example.com", "not-an-address"]}, "emails.1"),
        ({"emails": ["li@localhost"]}, "emails.0"),
        ({"phones": ["12345"]}, "phones.0"),
        ({"phones": ["+1 415 555 0100", "+86 138"]}, "phones.1"),
        ({"locale": "english"}, "locale"),
        ({"external_id": "   "}, "external_id"),
        ({"emails": ["x" * 321]}, "emails.0"),
    ],
)
def test_an_invalid_identity_is_a_422_on_that_item_and_nothing_is_created(api, body, field):
    response = api.post("/customers", json={"name": "Typo", **body})

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    assert field in response.json["errors"], response.json
    assert all_customers(api) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Li", "nickname": "Lil"}, "nickname"),
        ({"name": 42}, "name"),
        ({"name": ["Li"]}, "name"),
        ({"name": "Li", "emails": "li@example.com"}, "emails"),
        ({"name": "Li", "emails": [None]}, "emails.0"),
        ({"name": "Li", "phones": [4155550100]}, "phones.0"),
        ({"name": "Li", "external_id": 7}, "external_id"),
        ({"name": "Li", "locale": {"tag": "en"}}, "locale"),
        ({"emails": ["li@example.com"]}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Li\x00"}, "name"),
    ],
    ids=[
        "unknown-field",
        "int-name",
        "list-name",
        "emails-not-a-list",
        "null-email",
        "number-phone",
        "int-external-id",
        "object-locale",
        "missing-name",
        "empty-name",
        "blank-name",
        "long-name",
        "nul-in-name",
    ],
)
def test_malformed_input_is_a_422_naming_the_field(api, body, field):
    response = api.post("/customers", json=body)

    assert response.status_code == 422, response.json
    assert response.content_type == PROBLEM
    assert field in response.json["errors"], response.json
    assert all_customers(api) == []


def test_a_body_that_is_not_an_object_is_a_422_not_a_crash(api):
    for body in (["Li"], "Li", None):
        response = api.post("/customers", json=body)
        assert response.status_code == 422, (body, response.json)
        assert response.content_type == PROBLEM


# --- finding --------------------------------------------------------------------------------


def test_search_finds_customers_by_any_part_of_their_name_in_any_script(api):
    CustomerFactory(name="Mei Chen")
    CustomerFactory(name="李小龙")
    CustomerFactory(name="Bruce Lee")
    db.session.commit()

    assert names_found(api, "小龙") == ["李小龙"]
    assert names_found(api, "李") == ["李小龙"]
    assert names_found(api, "chen") == ["Mei Chen"]
    assert names_found(api, "BRUCE") == ["Bruce Lee"]
    assert names_found(api, "lee") == ["Bruce Lee"]
    assert names_found(api, "nobody") == []


def test_search_looks_for_words_and_wildcards_are_none(api):
    CustomerFactory(name="100% Cotton Ltd")
    CustomerFactory(name="Under_score")
    CustomerFactory(name="Plain")
    db.session.commit()

    assert names_found(api, "100%") == ["100% Cotton Ltd"]
    assert names_found(api, "under_score") == ["Under_score"]
    assert names_found(api, "%") == []
    assert names_found(api, "_") == []


def test_search_finds_a_customer_by_email_in_any_case(api):
    CustomerFactory(name="Li", emails=["li@example.com"])
    CustomerFactory(name="Lee", emails=["lee@example.com"])
    db.session.commit()

    assert names_found(api, "li@example.com") == ["Li"]
    assert names_found(api, "LI@Example.COM") == ["Li"]
    assert names_found(api, "LEE@EXAMPLE") == ["Lee"]


def test_search_finds_an_international_address_in_either_spelling(api):
    CustomerFactory(name="Zhang", emails=["user@例子.广告"])
    CustomerFactory(name="Other", emails=["user@example.com"])
    db.session.commit()

    assert names_found(api, "user@例子.广告") == ["Zhang"]
    assert names_found(api, "USER@xn--fsqu00a.xn--4rr70v") == ["Zhang"]


@pytest.mark.parametrize(
    "typed", ["(415) 555-0100", "415.555.0100", "+1 415 555 0100", "4155550100", "+14155550100"]
)
def test_search_finds_a_customer_by_phone_in_any_format(api, typed):
    CustomerFactory(name="Sam", phones=["+1 415 555 0100"])
    CustomerFactory(name="Pat", phones=["+1 415 555 0199"])
    CustomerFactory(name="Wang", phones=["+86 138 1234 5678"])
    db.session.commit()

    assert names_found(api, typed) == ["Sam"]
    assert names_found(api, "+86 138-1234-5678") == ["Wang"]


def test_the_list_walks_every_customer_exactly_once_newest_first(api):
    created = [CustomerFactory(name=f"Customer {n}") for n in range(11)]
    db.session.commit()

    pages = []
    cursor = None
    while True:
        query = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        response = api.get("/customers", query_string=query)
        assert response.status_code == 200, response.json
        pages.append([c["id"] for c in response.json["items"]])
        cursor = response.json["next_cursor"]
        if cursor is None:
            break

    assert [len(page) for page in pages] == [4, 4, 3]
    assert [i for page in pages for i in page] == [c.id for c in reversed(created)]


def test_search_results_page_like_the_full_list(api):
    for n in range(7):
        CustomerFactory(name=f"Chen {n}")
        CustomerFactory(name=f"Other {n}")
    db.session.commit()

    found = [c["name"] for c in api.walk("/customers", q="chen", limit=3)]

    assert found == [f"Chen {n}" for n in reversed(range(7))]


def test_merged_customers_are_not_listed_and_their_addresses_find_the_survivor(api):
    survivor = CustomerFactory(name="Mei Chen", emails=["mei@example.com"])
    source = CustomerFactory(name="Mei (widget)", emails=["mei.chat@example.com"])
    db.session.commit()
    assert (
        api.post(f"/customers/{survivor.id}/merge", json={"source_id": source.id}).status_code
        == 200
    )

    assert [c["id"] for c in all_customers(api)] == [survivor.id]
    assert names_found(api, "mei.chat@example.com") == ["Mei Chen"]
    assert names_found(api, "(widget)") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"cursor": "garbage"}, "cursor")],
)
def test_bad_list_arguments_are_field_errors(api, query, field):
    response = api.get("/customers", query_string=query)

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert field in response.json["errors"]


@pytest.mark.parametrize("customer_id", [999, 2**31 - 1, 2**40])
def test_an_unknown_customer_is_a_404_problem(api, customer_id):
    response = api.get(f"/customers/{customer_id}")

    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert response.json["status"] == 404
    assert "merged_into" not in response.json


def test_find_by_identity_answers_for_every_kind_with_one_query(app):
    customer = CustomerFactory(
        name="Mei",
        emails=["mei@example.com"],
        phones=["+1 415 555 0100"],
        external_id="crm-42",
    )
    customer.identities.append(Identity(kind=IdentityKind.VISITOR, value="visitor-token-abc"))
    CustomerFactory(name="Someone else", emails=["else@example.com"], phones=["+14155550199"])
    db.session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    lookups = [
        (IdentityKind.EMAIL, "MEI@Example.com"),
        (IdentityKind.PHONE, "(415) 555-0100"),
        (IdentityKind.EXTERNAL, "crm-42"),
        (IdentityKind.VISITOR, "visitor-token-abc"),
    ]
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        for kind, value in lookups:
            statements.clear()
            found = service.find_by_identity(db.session, kind, value)
            assert found is not None and found.id == customer.id, kind
            assert len(statements) == 1, (kind, statements)
        statements.clear()
        assert (
            service.find_by_identity(db.session, IdentityKind.EMAIL, "nobody@example.com") is None
        )
        assert len(statements) == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_an_identity_value_of_one_kind_does_not_find_by_another_kind(app):
    CustomerFactory(name="Mei", external_id="mei@example.com", emails=[])
    db.session.commit()

    assert service.find_by_identity(db.session, IdentityKind.EMAIL, "mei@example.com") is None
    assert (
        service.find_by_identity(db.session, IdentityKind.EXTERNAL, "mei@example.com") is not None
    )


# --- editing --------------------------------------------------------------------------------


def test_editing_emails_replaces_the_list_and_frees_the_removed_address(api):
    mei = CustomerFactory(name="Mei", emails=["old@example.com", "keep@example.com"])
    db.session.commit()

    response = api.patch(
        f"/customers/{mei.id}", json={"emails": ["Keep@Example.com", "new@example.com"]}
    )

    assert response.status_code == 200, response.json
    assert response.json["emails"] == ["keep@example.com", "new@example.com"]
    assert api.get(f"/customers/{mei.id}").json["emails"] == ["keep@example.com", "new@example.com"]
    # The address Mei gave up can now be somebody else's.
    other = api.post("/customers", json={"name": "Olga", "emails": ["OLD@example.com"]})
    assert other.status_code == 201, other.json
    assert names_found(api, "old@example.com") == ["Olga"]


def test_editing_phones_replaces_them_in_e164(api):
    sam = CustomerFactory(name="Sam", phones=["+1 415 555 0100"])
    db.session.commit()

    response = api.patch(
        f"/customers/{sam.id}", json={"phones": ["415.555.0199", "+86 138 1234 5678"]}
    )

    assert response.status_code == 200, response.json
    assert response.json["phones"] == ["+14155550199", "+8613812345678"]
    assert (
        api.post("/customers", json={"name": "Pat", "phones": ["(415) 555-0100"]}).status_code
        == 201
    )


def test_editing_sets_and_clears_external_id_and_locale_and_leaves_the_rest(api):
    mei = CustomerFactory(name="Mei", emails=["mei@example.com"], phones=["+14155550100"])
    db.session.commit()

    response = api.patch(f"/customers/{mei.id}", json={"external_id": "crm-9", "locale": "en-gb"})

    assert response.status_code == 200, response.json
    assert response.json == {
        "id": mei.id,
        "name": "Mei",
        "emails": ["mei@example.com"],
        "phones": ["+14155550100"],
        "external_id": "crm-9",
        "locale": "en-GB",
        "created_at": response.json["created_at"],
    }

    changed = api.patch(f"/customers/{mei.id}", json={"external_id": "crm-10", "name": "梅"})
    assert (changed.json["external_id"], changed.json["name"]) == ("crm-10", "梅")
    # crm-9 is nobody's any more.
    assert api.post("/customers", json={"name": "X", "external_id": "crm-9"}).status_code == 201

    cleared = api.patch(f"/customers/{mei.id}", json={"external_id": None, "locale": None})
    assert (cleared.json["external_id"], cleared.json["locale"]) == (None, None)
    assert api.get(f"/customers/{mei.id}").json["emails"] == ["mei@example.com"]


def test_an_empty_edit_changes_nothing(api):
    mei = CustomerFactory(name="Mei", emails=["mei@example.com"])
    db.session.commit()
    before = api.get(f"/customers/{mei.id}").json

    response = api.patch(f"/customers/{mei.id}", json={})

    assert response.status_code == 200
    assert response.json == before


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"emails": ["mei@example.com", "TAKEN@example.com"]}, 409, "emails"),
        ({"phones": ["(415) 555-0199"]}, 409, "phones"),
        ({"external_id": "taken-id"}, 409, "external_id"),
        ({"emails": ["mei@example.com", "broken"]}, 422, "emails.1"),
        ({"phones": ["+14155550100", "12345"]}, 422, "phones.1"),
        ({"locale": "klingon!"}, 422, "locale"),
        ({"name": "   "}, 422, "name"),
        ({"bogus": 1}, 422, "bogus"),
    ],
)
def test_a_rejected_edit_changes_nothing(api, change, status, field):
    CustomerFactory(
        name="Taken", emails=["taken@example.com"], phones=["+14155550199"], external_id="taken-id"
    )
    mei = CustomerFactory(
        name="Mei", emails=["mei@example.com"], phones=["+14155550100"], external_id="crm-1"
    )
    db.session.commit()
    before = api.get(f"/customers/{mei.id}").json

    # Every other field changes too: none of it may stick.
    response = api.patch(
        f"/customers/{mei.id}",
        json={
            "name": "Renamed",
            "locale": "fr",
            "emails": ["fresh@example.com"],
            "phones": ["+8613812345678"],
            "external_id": "crm-2",
            **change,
        },
    )

    assert response.status_code == status, response.json
    assert response.content_type == PROBLEM
    assert field in response.json["errors"], response.json
    assert api.get(f"/customers/{mei.id}").json == before
    for address in ("fresh@example.com", "+8613812345678"):
        assert names_found(api, address) == []


def test_editing_an_unknown_customer_is_a_404(api):
    response = api.patch("/customers/4242", json={"name": "Ghost"})

    assert response.status_code == 404
    assert response.content_type == PROBLEM


def test_customers_are_for_signed_in_agents_only(client):
    for method, path in (("GET", "/customers"), ("POST", "/customers"), ("GET", "/customers/1")):
        response = client.open(f"/api/v1{path}", method=method, json={"name": "Li"})
        assert response.status_code == 401, (method, path)
        assert response.content_type == PROBLEM
