"""How the chat channel reacts to the desk: live pushes to its widgets, and e-mail when
nobody listens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from supportdesk.channels.chat import NAMESPACE
from supportdesk.core.channels import Channel
from supportdesk.core.connections import agent_typing, agents_available_changed
from supportdesk.core.database import session_of
from supportdesk.customers.signals import customers_merged
from supportdesk.extensions import socketio
from supportdesk.tickets.signals import message_created, reply_needs_email, ticket_created

if TYPE_CHECKING:
    from supportdesk.customers.models import Customer
    from supportdesk.tickets.models import Message, Ticket


@ticket_created.connect
def join_new_chat(ticket: Ticket, **_: Any) -> None:
    """Every open widget of the customer hears the new chat ticket from its first message."""
    if ticket.channel is Channel.CHAT:
        from supportdesk.channels.chat.connections import widget_sids_later
        from supportdesk.core.sockets import join_after_commit, ticket_room

        session = session_of(ticket)
        join_after_commit(
            session,
            NAMESPACE,
            ticket_room(ticket.id),
            widget_sids_later(session, ticket.customer_id),
        )


@message_created.connect
def push_message(message: Message, *, imported: bool = False, **_: Any) -> None:
    from supportdesk.core.sockets import emit_after_commit, ticket_room
    from supportdesk.tickets.models import Direction

    if imported or message.direction is Direction.INTERNAL:
        return
    room = ticket_room(message.ticket_id)
    emit_after_commit(
        session_of(message), NAMESPACE, "message", room, lambda: _widget_message(message)
    )
    if message.channel is Channel.CHAT and message.direction is Direction.OUTBOUND:
        _email_if_visitor_left(message)


@agent_typing.connect
def push_agent_typing(ticket_id: int, *, typing: bool, name: str, **_: Any) -> None:
    from supportdesk.core.sockets import ticket_room

    socketio.emit(
        "typing", {"typing": typing, "name": name}, namespace=NAMESPACE, to=ticket_room(ticket_id)
    )


@agents_available_changed.connect
def push_agents_available(_: Any, *, online: bool, **__: Any) -> None:
    socketio.emit("agents", {"online": online}, namespace=NAMESPACE)


def _widget_message(message: Message) -> dict[str, Any]:
    """The message as the widget shows it; a visitor's own carries its ``client_id``."""
    from supportdesk.channels.chat.conversation import as_widget_message, stored_client_id

    return as_widget_message(message, stored_client_id(session_of(message), message))


def _email_if_visitor_left(message: Message) -> None:
    """A chat reply to a visitor who closed the page goes by e-mail, if we have an
    address: the customer's own, else the one their visitor typed (``reply_recipient``)."""
    from supportdesk.channels.chat.connections import customer_online
    from supportdesk.channels.chat.identity import reply_recipient
    from supportdesk.tickets.service import record_event

    session = session_of(message)
    ticket = message.ticket
    if customer_online(session, ticket.customer_id):
        return
    recipient = reply_recipient(session, ticket.customer)
    if recipient is None:
        return
    reply_needs_email.send(message, to=recipient)
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
    from supportdesk.channels.chat.models import Visitor

    session = session_of(survivor)
    session.execute(
        update(Visitor).where(Visitor.customer_id == source.id).values(customer_id=survivor.id)
    )
