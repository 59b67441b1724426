"""REST beside the chat: who a chat visitor might really be."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.channels.chat.identity import possible_matches
from supportdesk.core.auth import agent_required
from supportdesk.customers.schemas import CustomerSchema
from supportdesk.customers.service import get_customer
from supportdesk.extensions import db

blp = Blueprint(
    "chat",
    __name__,
    url_prefix="/api/v1",
    description="Live chat: possible matches for visitors who typed an address they did not prove.",
)


class PossibleMatchSchema(ma.Schema):
    customer = ma.fields.Nested(CustomerSchema)
    email = ma.fields.String(metadata={"description": "The address the visitor typed"})
    reason = ma.fields.String(metadata={"enum": ["unverified_email"]})


class PossibleMatchListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PossibleMatchSchema))


@blp.get("/customers/<id:customer_id>/possible-matches")
@agent_required
@blp.response(200, PossibleMatchListSchema)
def list_possible_matches(customer_id: int) -> Any:
    """Customers who own an address this customer claimed in chat without proving it.

    Merging is one call: ``POST /customers/{match}/merge`` with ``{source_id}``.
    """
    get_customer(db.session, customer_id)
    matches = possible_matches(db.session, customer_id)
    return {
        "items": [
            {"customer": customer, "email": email, "reason": "unverified_email"}
            for customer, email in matches
        ]
    }
