"""GET /customers/{id}/identities: each way the desk knows a customer, and whether it is proven.

The customer payload lists e-mails and phones as plain strings (the contract's shape); the
customer panel also shows, per value, whether it is verified (the customer signed in to the
widget with it, or proved it) or only known. A widget visitor's own identity is the visitor's
handle, not a way to reach the customer: it is never listed.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.schemas import IdentitySchema
from supportdesk.customers.service import get_customer
from supportdesk.extensions import db

blp = Blueprint(
    "customer_identities",
    __name__,
    url_prefix="/api/v1/customers",
    description="A customer's identities, verified or not",
)


class IdentityListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(IdentitySchema), required=True)


@blp.route("/<id:customer_id>/identities", methods=["GET"])
@agent_required
@blp.response(200, IdentityListSchema)
def list_customer_identities(customer_id: int) -> dict[str, Any]:
    """List a customer's e-mail addresses, phones and external id, each with ``verified``.

    Oldest first; a widget visitor's identity is not listed. 404 for no such customer
    (``merged_into`` for a merged one, as ``GET /customers/{id}``).
    """
    customer = get_customer(db.session, customer_id)
    return {
        "items": [
            {"kind": i.kind.value, "value": i.value, "verified": i.verified}
            for i in customer.identities
            if i.kind is not IdentityKind.VISITOR
        ]
    }
