"""What agents hear of other domains' events, pushed once their transaction commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from supportdesk.core.connections import visitor_typing
from supportdesk.core.database import session_of
from supportdesk.core.sockets import disconnect_after_commit, emit_after_commit, ticket_room
from supportdesk.extensions import socketio
from supportdesk.notifications.models import Notification
from supportdesk.notifications.schemas import NotificationSchema
from supportdesk.notifications.signals import notification_created
from supportdesk.realtime import AGENTS_ROOM, NAMESPACE, presence, user_room
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.schemas import MessageSchema, TicketSchema
from supportdesk.tickets.signals import message_created, ticket_created, ticket_updated
from supportdesk.users.models import User
from supportdesk.users.signals import access_ended

_tickets = TicketSchema()
_messages = MessageSchema()
_notifications = NotificationSchema()


@ticket_created.connect
def push_new_ticket(ticket: Ticket, **_: Any) -> None:
    emit_after_commit(
        session_of(ticket), NAMESPACE, "ticket.created", AGENTS_ROOM, lambda: _tickets.dump(ticket)
    )


@ticket_updated.connect
def push_ticket_change(ticket: Ticket, **_: Any) -> None:
    emit_after_commit(
        session_of(ticket), NAMESPACE, "ticket.updated", AGENTS_ROOM, lambda: _tickets.dump(ticket)
    )


@message_created.connect
def push_message(message: Message, *, imported: bool = False, **_: Any) -> None:
    if not imported:
        emit_after_commit(
            session_of(message),
            NAMESPACE,
            "message.created",
            AGENTS_ROOM,
            lambda: _messages.dump(message),
        )


@notification_created.connect
def push_notification(notification: Notification, **_: Any) -> None:
    """To the notified agent's sockets alone."""
    emit_after_commit(
        session_of(notification),
        NAMESPACE,
        "notification.created",
        user_room(notification.user_id),
        lambda: _notifications.dump(notification),
    )


@access_ended.connect
def drop_ended_agent_sockets(user: User, *, session: Session, **_: Any) -> None:
    """Signing out, a new password, a revoked token or deactivation cut off the ``/agent``
    sockets made with what ended, at once: they would otherwise keep hearing the desk."""
    disconnect_after_commit(session, NAMESPACE, lambda: presence.ended_agent_sids(session, user))


@visitor_typing.connect
def push_visitor_typing(ticket_id: int, *, typing: bool, **_: Any) -> None:
    """To the ticket's viewers: nothing is stored, so there is no commit to wait for."""
    socketio.emit(
        "visitor.typing",
        {"ticket_id": ticket_id, "typing": typing},
        namespace=NAMESPACE,
        to=ticket_room(ticket_id),
    )
