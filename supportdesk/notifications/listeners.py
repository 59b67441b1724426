"""Notifications made of tickets' events, in the transaction that records them.

- ``mention``: an agent's internal note names ``@handle`` (``mentions``); never its
  author, and never from a reply the customer sees.
- ``assignment``: someone else (or the desk itself) assigned a ticket to the agent.
- ``new_chat``: a chat ticket started; every agent online at that moment (connected to
  ``/agent`` and not away) gets one, but the agent who opened it. Agents who are away or
  gone find the chat in the inbox: a row for every agent for every chat would bury the
  notifications that are theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from supportdesk.core.channels import Channel
from supportdesk.core.database import session_of
from supportdesk.notifications.models import Notification, NotificationKind
from supportdesk.tickets import signals
from supportdesk.tickets.models import AuthorKind, Direction

if TYPE_CHECKING:
    from supportdesk.tickets.models import Message, Ticket, TicketEvent


@signals.message_created.connect
def notify_mentioned(message: Message, *, imported: bool = False, **_: Any) -> None:
    from supportdesk.notifications import service
    from supportdesk.notifications.mentions import mentioned_agents
    from supportdesk.tickets.service import subject_of

    if imported or message.direction is not Direction.INTERNAL:
        return
    if message.author_kind is not AuthorKind.AGENT:
        return
    session = session_of(message)
    mentioned = [
        user_id
        for user_id in mentioned_agents(session, message.body)
        if user_id != message.author_user_id
    ]
    service.notify(
        session,
        mentioned,
        NotificationKind.MENTION,
        message.ticket,
        message=message,
        actor_name=message.author_name,
        snippet=subject_of(message.body),
    )


@signals.ticket_event_recorded.connect
def notify_of_event(event: TicketEvent, **_: Any) -> None:
    if event.ticket_id is None:
        return
    from supportdesk.notifications import service
    from supportdesk.tickets.service import get_ticket

    if event.event == "assigned":
        assignee_id = event.data.get("to")
        if assignee_id is not None and assignee_id != event.actor_user_id:
            session = session_of(event)
            ticket = get_ticket(session, event.ticket_id)  # loaded: the one being changed
            actor = event.actor.name if event.actor else None
            service.notify(
                session, [assignee_id], NotificationKind.ASSIGNMENT, ticket, actor_name=actor
            )
    elif event.event == "created" and event.data.get("channel") == Channel.CHAT.value:
        session = session_of(event)
        ticket = get_ticket(session, event.ticket_id)  # just opened: no query
        online = [u for u in service.online_agent_ids(session) if u != event.actor_user_id]
        service.notify(
            session, online, NotificationKind.NEW_CHAT, ticket, actor_name=ticket.customer.name
        )


@signals.message_moved.connect
def follow_moved_note(message: Message, **_: Any) -> None:
    """A mention opens the ticket its note is on now."""
    session_of(message).execute(
        update(Notification)
        .where(Notification.message_id == message.id)
        .values(ticket_id=message.ticket_id)
        .execution_options(synchronize_session=False)
    )


@signals.tickets_merged.connect
def follow_merged_notes(ticket: Ticket, *, into: Ticket, **_: Any) -> None:
    session_of(ticket).execute(
        update(Notification)
        .where(Notification.ticket_id == ticket.id, Notification.message_id.is_not(None))
        .values(ticket_id=into.id)
        .execution_options(synchronize_session=False)
    )
