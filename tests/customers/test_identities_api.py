"""The customer panel shows each identity with a badge: verified (proven) or not."""

from __future__ import annotations

from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Identity
from supportdesk.extensions import db
from tests.customers.test_merge import merge
from tests.factories import CustomerFactory


def test_lists_each_identity_with_whether_it_is_proven(api):
    customer = CustomerFactory(
        emails=["mei@example.com", "mei.chen@work.example"],
        phones=["+8613812345678"],
        external_id="crm-42",
    )
    customer.identities[1].verified = True
    # a widget visitor's handle is the visitor's, not a way to reach the customer
    customer.identities.append(Identity(kind=IdentityKind.VISITOR, value="visitor-handle"))
    db.session.commit()

    response = api.get(f"/customers/{customer.id}/identities")

    assert response.status_code == 200, response.json
    assert response.json == {
        "items": [
            {"kind": "email", "value": "mei@example.com", "verified": False},
            {"kind": "email", "value": "mei.chen@work.example", "verified": True},
            {"kind": "phone", "value": "+8613812345678", "verified": False},
            {"kind": "external", "value": "crm-42", "verified": False},
        ]
    }


def test_a_merged_customer_points_to_the_survivor(api):
    survivor = CustomerFactory(emails=["mei@example.com"])
    source = CustomerFactory(emails=["mei.chat@example.com"])
    db.session.commit()
    assert merge(api, survivor.id, source.id).status_code == 200

    response = api.get(f"/customers/{source.id}/identities")

    assert response.status_code == 404
    assert response.json["merged_into"] == survivor.id
    survivor_identities = api.get(f"/customers/{survivor.id}/identities").json["items"]
    assert [i["value"] for i in survivor_identities] == ["mei@example.com", "mei.chat@example.com"]


def test_no_such_customer(api):
    assert api.get("/customers/999999/identities").status_code == 404


def test_signed_out_is_refused(client):
    assert client.get("/api/v1/customers/1/identities").status_code == 401
