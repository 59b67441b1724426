"""How the chat channel reacts to tickets: live pushes, and e-mail when nobody listens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, object_session

from supportdesk.channels.chat import presence
from supportdesk.channels.chat.conversation import as_widget_message, stored_client_id
from supportdesk.channels.chat.identity import reply_recipient
from supportdesk.channels.chat.models import Visitor
from supportdesk.channels.chat.realtime import (
    AGENTS_ROOM,
    after_commit,
    disconnect_after_commit,
    join_after_commit,
    ticket_room,
)
from supportdesk.channels.email.outbound import queue_email
from supportdesk.core.channels import Channel
from supportdesk.customers.models import Customer
from supportdesk.customers.signals import customers_merged
from supportdesk.tickets.models import Direction, Message, Ticket
from supportdesk.tickets.schemas import MessageSchema, TicketSchema
from supportdesk.tickets.service import record_event
from supportdesk.tickets.signals import message_created, ticket_created, ticket_updated
from supportdesk.users.models import User
from supportdesk.users.signals import access_ended

_tickets = TicketSchema()
_messages = MessageSchema()


@ticket_created.connect
def push_new_ticket(ticket: Ticket, **_: Any) -> None:
    after_commit(ticket, "/agent", "ticket.created", AGENTS_ROOM, lambda: _tickets.dump(ticket))
    if ticket.channel is Channel.CHAT:
        session = object_session(ticket)
        assert session is not None
        join_after_commit(
            ticket,
            "/widget",
            ticket_room(ticket.id),
            lambda: presence.widget_sids(session, ticket.customer_id),
        )


@ticket_updated.connect
def push_ticket_change(ticket: Ticket, **_: Any) -> None:
    after_commit(ticket, "/agent", "ticket.updated", AGENTS_ROOM, lambda: _tickets.dump(ticket))


@message_created.connect
def push_message(message: Message, *, imported: bool = False, **_: Any) -> None:
    if imported:
        return
    after_commit(message, "/agent", "message.created", AGENTS_ROOM, lambda: _messages.dump(message))
    if message.direction is Direction.INTERNAL:
        return
    room = ticket_room(message.ticket_id)
    after_commit(message, "/widget", "message", room, lambda: _widget_message(message))
    if message.channel is Channel.CHAT and message.direction is Direction.OUTBOUND:
        _email_if_visitor_left(message)


@access_ended.connect
def drop_ended_agent_sockets(user: User, *, session: Session, **_: Any) -> None:
    """Signing out, a new password, a revoked token or deactivation cut off the ``/agent``
    sockets made with what ended, at once: they would otherwise keep hearing the desk."""
    disconnect_after_commit(session, "/agent", lambda: presence.ended_agent_sids(session, user))


def _widget_message(message: Message) -> dict[str, Any]:
    """The message as the widget shows it; a visitor's own carries its ``client_id``."""
    session = object_session(message)
    assert session is not None
    return as_widget_message(message, stored_client_id(session, message))


def _email_if_visitor_left(message: Message) -> None:
    """A chat reply to a visitor who closed the page goes by e-mail, if we have an
    address: the customer's own, else the one their visitor typed (``reply_recipient``)."""
    session = object_session(message)
    assert session is not None
    ticket = message.ticket
    if presence.customer_online(session, ticket.customer_id):
        return
    recipient = reply_recipient(session, ticket.customer)
    if recipient is None:
        return
    queue_email(message, to=recipient)
    record_event(
        session,
        customer_id=ticket.customer_id,
        event="chat_reply_emailed",
        ticket=ticket,
        message_id=message.id,
        to=recipient[1],
    )


@customers_merged.connect
def move_visitors(survivor: Customer, *, source: Customer, **_: Any) -> None:
    session = object_session(survivor)
    assert session is not None
    session.execute(
        update(Visitor).where(Visitor.customer_id == source.id).values(customer_id=survivor.id)
    )
