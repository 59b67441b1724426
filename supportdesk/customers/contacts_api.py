"""GET /customers/{id}/contacts: the customer panel's counts and repeat-contact signal."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.customers.contacts import ContactSummary, contact_summary
from supportdesk.customers.schemas import ContactsQuerySchema, ContactSummarySchema
from supportdesk.customers.service import get_customer
from supportdesk.extensions import db

blp = Blueprint(
    "customer_contacts",
    __name__,
    url_prefix="/api/v1/customers",
    description="How often a customer got in touch, and whether they are repeating themselves",
)


@blp.route("/<id:customer_id>/contacts", methods=["GET"])
@agent_required
@blp.arguments(ContactsQuerySchema, location="query")
@blp.response(200, ContactSummarySchema)
def count_customer_contacts(args: dict[str, Any], customer_id: int) -> ContactSummary:
    """Count a customer's contacts by channel, and say whether the viewed ticket is a repeat.

    ``repeat`` (with ``ticket_id``) counts the contacts of the last ``days`` days about the
    same thing: that ticket, its follow-ups either way, the customer's tickets with a
    similar subject; null below two. A ``ticket_id`` of no ticket or of another customer
    answers 422.
    """
    customer = get_customer(db.session, customer_id)
    return contact_summary(db.session, customer, ticket_id=args.get("ticket_id"))
