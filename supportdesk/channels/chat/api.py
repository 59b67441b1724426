"""REST beside the chat: who a chat visitor might really be."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.channels.chat.identity import claimed_emails, possible_matches
from supportdesk.core.auth import agent_required
from supportdesk.customers.schemas import CustomerSchema
from supportdesk.customers.service import get_customer
from supportdesk.extensions import db

blp = Blueprint(
    "chat",
    __name__,
    url_prefix="/api/v1",
    description="Live chat: addresses visitors typed without proving them, and who owns them.",
)


class PossibleMatchSchema(ma.Schema):
    customer = ma.fields.Nested(CustomerSchema)
    email = ma.fields.String(metadata={"description": "The address the visitor typed"})
    reason = ma.fields.String(metadata={"enum": ["unverified_email"]})


class PossibleMatchListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PossibleMatchSchema))


class ClaimedEmailSchema(ma.Schema):
    email = ma.fields.String(metadata={"description": "An address a visitor typed"})
    verified = ma.fields.Boolean(metadata={"description": "Always false: a claim, not proof"})


class ClaimedEmailListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ClaimedEmailSchema))


@blp.get("/customers/<id:customer_id>/claimed-emails")
@agent_required
@blp.response(200, ClaimedEmailListSchema)
def list_claimed_emails(customer_id: int) -> Any:
    """List the addresses this customer's chat visitors typed but did not prove.

    Latest first. They are not the customer's identities: mail from them does not file
    here, and a proof by their owner does not lead here. A reply to a visitor who left goes
    to the latest when the customer has no address of their own.
    """
    get_customer(db.session, customer_id)
    return {
        "items": [
            {"email": email, "verified": False} for email in claimed_emails(db.session, customer_id)
        ]
    }


@blp.get("/customers/<id:customer_id>/possible-matches")
@agent_required
@blp.response(200, PossibleMatchListSchema)
def list_possible_matches(customer_id: int) -> Any:
    """List the customers who own an address this customer claimed in chat unproven.

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
