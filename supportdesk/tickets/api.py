"""Tickets and their messages."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.schemas import (
    TICKET_CREATE_BODY,
    MessageCreateSchema,
    MessagePageSchema,
    MessageSchema,
    TicketCreateSchema,
    TicketPageSchema,
    TicketQuerySchema,
    TicketSchema,
    TicketUpdateSchema,
)

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
    db.session.commit()
    return ticket


@blp.route("", methods=["GET"])
@agent_required
@blp.arguments(TicketQuerySchema, location="query")
@blp.response(200, TicketPageSchema)
@paged
def list_tickets(filters: dict[str, Any], page: PageRequest) -> Page[Ticket]:
    """List the tickets, newest first."""
    return service.tickets_page(db.session, page, **filters)


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
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MessagePageSchema)
@paged
def list_messages(_: dict[str, Any], ticket_id: int, page: PageRequest) -> Page[Message]:
    """List a ticket's messages, oldest first, internal notes included."""
    return service.messages_page(db.session, service.get_ticket(db.session, ticket_id), page)


@blp.route("/<id:ticket_id>/messages", methods=["POST"])
@agent_required
@blp.arguments(MessageCreateSchema)
@blp.response(201, MessageSchema)
def add_message(fields: dict[str, Any], ticket_id: int) -> Message:
    """Reply on a ticket, or add an internal note.

    The reply goes out on ``channel`` (default: the ticket's); ``internal: true`` makes a
    note instead.
    """
    ticket = service.get_ticket(db.session, ticket_id)
    message = service.reply(db.session, ticket, current_user, **fields)
    db.session.commit()
    return message
