"""Agents find a customer by name, any address or number, or part of one; a whole address
is one identity, never another address that contains it."""

from __future__ import annotations

from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.extensions import db
from supportdesk.search import service as search
from tests.factories import CustomerFactory, TicketFactory


def listed(api, q: str) -> list[str]:
    return [c["name"] for c in api.walk("/customers", q=q)]


def test_a_whole_address_is_that_customer_only(api):
    CustomerFactory(name="Alice", emails=["alice@example.com"])
    CustomerFactory(name="Malice", emails=["malice@example.com"])
    db.session.commit()

    assert listed(api, "alice@example.com") == ["Alice"]
    assert listed(api, "ALICE@Example.COM") == ["Alice"]
    assert listed(api, "nobody@example.com") == []
    assert sorted(listed(api, "example.com")) == ["Alice", "Malice"]


def test_a_whole_address_finds_that_customers_tickets_only(api):
    alice = CustomerFactory(name="Alice", emails=["alice@example.com"])
    malice = CustomerFactory(name="Malice", emails=["malice@example.com"])
    theirs = TicketFactory(customer=alice, subject="Hello")
    TicketFactory(customer=malice, subject="Hello", body="cc alice@example.com")
    db.session.commit()

    assert [t["id"] for t in api.walk("/tickets", q="alice@example.com")] == [theirs.id]


def test_part_of_a_phone_number_finds_it_in_any_spelling(api):
    CustomerFactory(name="Maria", phones=["+34 612 345 678"])
    CustomerFactory(name="Ken", phones=["+1 415 555 0100"])
    db.session.commit()

    assert listed(api, "345 678") == ["Maria"]
    assert listed(api, "612-345") == ["Maria"]
    assert listed(api, "(415) 555") == ["Ken"]
    assert listed(api, "+34612345678") == ["Maria"]
    assert listed(api, "0612345678") == ["Maria"]  # written with a trunk zero
    assert listed(api, "999 999") == []


def test_names_are_found_by_the_start_of_each_word_in_every_script(api):
    CustomerFactory(name="Maria González")
    CustomerFactory(name="Élodie Durand")
    CustomerFactory(name="陈美玲")
    CustomerFactory(name="Ödön Pásztor")
    db.session.commit()

    assert listed(api, "mar gonz") == ["Maria González"]
    assert listed(api, "GONZALEZ") == ["Maria González"]
    assert listed(api, "elodie") == ["Élodie Durand"]
    assert listed(api, "美玲") == ["陈美玲"]
    assert listed(api, "ÖDÖN") == ["Ödön Pásztor"]


def test_an_identity_added_or_merged_later_finds_the_customer(api):
    mei = CustomerFactory(name="Mei", emails=["mei@example.com"])
    other = CustomerFactory(
        name="Mei Again", emails=["mei.work@corp.example"], external_id="crm-77"
    )
    db.session.commit()

    customers.update_customer(db.session, mei, phones=["+86 138 1234 5678"])
    db.session.commit()
    assert listed(api, "1234 5678") == ["Mei"]

    customers.merge_customers(db.session, mei, other)
    db.session.commit()
    assert listed(api, "corp") == ["Mei"]
    assert listed(api, "crm-77") == ["Mei"]
    assert listed(api, "again") == []


def test_a_customer_made_from_an_inbound_address_is_found_at_once(app):
    made = customers.find_or_create_customer(db.session, email="Zoltan.Kiss@mail.example")

    [hit] = search.search_customers(db.session, "zoltan")

    assert hit.id == made.id
    assert "<mark>zoltan</mark>" in hit.snippet
    assert customers.find_by_identity(db.session, IdentityKind.EMAIL, "zoltan.kiss@mail.example")
