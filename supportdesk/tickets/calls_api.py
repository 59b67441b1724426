"""Calls: logged by agents or integrations; each lands on a phone ticket."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.errors import referenced
from supportdesk.customers import service as customers
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.schemas import CALL_CREATE_BODY, CallCreateSchema, CallSchema

blp = Blueprint("calls", __name__, url_prefix="/api/v1/calls", description="Phone calls")


@blp.route("", methods=["POST"])
@agent_required
@blp.arguments(CallCreateSchema)
@blp.doc(requestBody={"content": {"application/json": {"schema": CALL_CREATE_BODY}}})
@blp.response(201, CallSchema)
@blp.alt_response(200, schema=CallSchema, description="The call with this external_id, updated")
def log_call(fields: dict[str, Any]) -> Any:
    """Log a call; with no ``ticket_id`` it opens a ticket on channel ``phone``.

    The caller is ``customer_id``, else the ticket's customer, else whoever owns
    ``phone`` (a new customer if nobody does). The same ``external_id`` again
    answers 200 with the call it logged, updated.
    """
    ticket = customer = None
    if "ticket_id" in fields:
        ticket = referenced(db.session, "ticket_id", service.get_ticket, fields["ticket_id"])
    if "customer_id" in fields:
        customer = referenced(
            db.session, "customer_id", customers.get_customer, fields["customer_id"]
        )
    call, created = service.log_call(
        db.session,
        customer=customer,
        direction=fields["direction"],
        phone=fields.get("phone"),
        ticket=ticket,
        started_at=fields.get("started_at"),
        duration_seconds=fields.get("duration_seconds"),
        notes=fields.get("notes"),
        recording_url=fields.get("recording_url"),
        external_id=fields.get("external_id"),
        agent=current_user,
    )
    db.session.commit()
    return call, 201 if created else 200
