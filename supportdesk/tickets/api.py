"""Tickets and their messages."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.errors import Conflict
from supportdesk.core.pagination import Page, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.last_messages import InboxTicketPageSchema, attach_last_messages
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.schemas import (
    BULK_UPDATE_BODY,
    TICKET_CREATE_BODY,
    BulkUpdateSchema,
    InboxCountsSchema,
    MessageCreateSchema,
    MessagePageSchema,
    MessageQuerySchema,
    MessageSchema,
    StaleReplyProblemSchema,
    TicketCreateSchema,
    TicketListSchema,
    TicketQuerySchema,
    TicketSchema,
    TicketUpdateSchema,
)
from supportdesk.tickets.service.rows import commit_as_written

blp = Blueprint("tickets", __name__, url_prefix="/api/v1/tickets", description="Tickets")


@blp.route("", methods=["POST"])
@agent_required
@blp.arguments(TicketCreateSchema)
@blp.doc(requestBody={"content": {"application/json": {"schema": TICKET_CREATE_BODY}}})
@blp.response(201, TicketSchema)
def create_ticket(fields: dict[str, Any]) -> Ticket:
    """Open a ticket.

    ``customer`` is matched by e-mail, then phone, before a new one is made.
    """
    ticket = service.create_ticket_for(db.session, actor=current_user, **fields)
    commit_as_written(db.session)
    return ticket


@blp.route("", methods=["GET"])
@agent_required
@blp.arguments(TicketQuerySchema, location="query")
@blp.response(200, InboxTicketPageSchema)
@paged
def list_tickets(filters: dict[str, Any], page: PageRequest) -> Page[Ticket]:
    """List the tickets, newest first.

    Every filter given narrows the list: a ``view`` (the inbox's ``mine``, ``unassigned``,
    ``open``, ``pending``, ``solved``, ``all``) with ``status``, ``priority``, ``tag``,
    ``channel`` and the rest.
    """
    tickets = service.tickets_page(db.session, page, caller_id=current_user.id, **filters)
    attach_last_messages(db.session, tickets.items)
    return tickets


@blp.route("/views", methods=["GET"])
@agent_required
@blp.response(200, InboxCountsSchema)
def list_ticket_views() -> service.InboxCounts:
    """List the inbox views with their ticket counts, and each channel's open tickets.

    Each count is the number of tickets ``GET /tickets?view=<key>`` (or
    ``?view=open&channel=<channel>``) lists for the caller.
    """
    return service.inbox_counts(db.session, current_user.id)


@blp.route("/bulk", methods=["POST"])
@agent_required
@blp.arguments(BulkUpdateSchema)
@blp.doc(requestBody={"content": {"application/json": {"schema": BULK_UPDATE_BODY}}})
@blp.response(200, TicketListSchema)
def bulk_update_tickets(args: dict[str, Any]) -> dict[str, list[Ticket]]:
    """Change up to 100 tickets at once: all of them, or none.

    Each ticket records its own events, as if changed alone. An unknown id, or a status
    move one ticket cannot make, answers 422 naming it (``ticket_ids.3``) and changes
    nothing.
    """
    service.bulk_update(db.session, args["ticket_ids"], args["changes"], actor=current_user)
    db.session.commit()
    # read back at once: the commit expired them, and one by one costs a query per ticket
    return {"items": service.get_tickets(db.session, args["ticket_ids"])}


@blp.route("/<id:ticket_id>", methods=["GET"])
@agent_required
@blp.response(200, TicketSchema)
def get_ticket(ticket_id: int) -> Ticket:
    """Get a ticket."""
    return service.get_ticket(db.session, ticket_id)


@blp.route("/<id:ticket_id>", methods=["PATCH"])
@agent_required
@blp.arguments(TicketUpdateSchema)
@blp.response(200, TicketSchema)
def update_ticket(changes: dict[str, Any], ticket_id: int) -> Ticket:
    """Update a ticket's status, priority, assignee, tags or subject.

    An illegal status move answers 422 and changes nothing.
    """
    ticket = service.get_ticket(db.session, ticket_id)
    service.update_ticket(db.session, ticket, actor=current_user, **changes)
    db.session.commit()
    return ticket


@blp.route("/<id:ticket_id>/messages", methods=["GET"])
@agent_required
@blp.arguments(MessageQuerySchema, location="query")
@blp.response(200, MessagePageSchema)
@paged
def list_messages(args: dict[str, Any], ticket_id: int, page: PageRequest) -> Page[Message]:
    """List a ticket's messages, oldest first (or newest, with order), internal notes included."""
    ticket = service.get_ticket(db.session, ticket_id)
    return service.messages_page(db.session, ticket, page, order=args["order"])


@blp.route("/<id:ticket_id>/messages", methods=["POST"])
@agent_required
@blp.arguments(MessageCreateSchema)
@blp.response(201, MessageSchema)
@blp.alt_response(
    409,
    schema=StaleReplyProblemSchema,
    content_type="application/problem+json",
    description="Someone else wrote since seen_message_id; nothing was stored",
)
def add_message(fields: dict[str, Any], ticket_id: int) -> Message:
    """Reply on a ticket, or add an internal note.

    The reply goes out on ``channel`` (default: the ticket's); ``internal: true`` makes a
    note instead. With ``seen_message_id``, a message someone else wrote since answers 409
    with them in ``newer_messages``, and nothing is stored: send again without it to send
    anyway. ``attachment_ids`` sends the caller's files uploaded with ``POST /uploads``.
    """
    ticket = service.get_ticket(db.session, ticket_id)
    try:
        message = service.reply(db.session, ticket, current_user, **fields)
    except service.StaleReply as stale:
        newer = MessageSchema(many=True).dump(stale.messages)
        raise Conflict(stale.detail, newer_messages=newer) from None
    db.session.commit()
    return message
