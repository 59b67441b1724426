"""POST /tickets/{id}/merge: one customer's two tickets about one thing become one."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.errors import referenced
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.schemas import TicketMergeSchema, TicketSchema

blp = Blueprint(
    "ticket_merge", __name__, url_prefix="/api/v1/tickets", description="Merging tickets"
)


@blp.route("/<id:ticket_id>/merge", methods=["POST"])
@agent_required
@blp.arguments(TicketMergeSchema)
@blp.response(200, TicketSchema)
def merge_ticket(args: dict[str, Any], ticket_id: int) -> Ticket:
    """Merge a ticket into another open ticket of the same customer.

    Its messages and calls move to ``into_id``, which is answered; the merged ticket is
    closed with ``merged_into`` naming it. A ticket merged already answers 409.
    """
    ticket = service.get_ticket(db.session, ticket_id)
    into = referenced(db.session, "into_id", service.get_ticket, args["into_id"])
    service.merge_ticket(db.session, ticket, into, actor=current_user)
    db.session.commit()
    return into
