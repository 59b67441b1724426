"""A visitor's conversation: the customer's open chat ticket and what it shows them."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, insert, select, tuple_

from supportdesk.channels.chat.attachments import widget_attachments
from supportdesk.channels.chat.identity import claim_email, customer_for
from supportdesk.channels.chat.models import ClientMessageId, Visitor
from supportdesk.channels.email import send_desk_mail
from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.core.queued_writes import write_later
from supportdesk.core.transaction import transaction_value
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Direction, Message, Ticket
from supportdesk.tickets.schemas import PublicAuthorSchema
from supportdesk.tickets.status import Status

#: how much of the conversation a (re)connecting widget is sent at once
HISTORY_LIMIT = 100
_STORED_CLIENT_IDS = "supportdesk.chat.stored_client_ids"
_INSERT_CLIENT_ID = insert(ClientMessageId)
_authors = PublicAuthorSchema()


def _open_chats(customer_ids: Collection[int]) -> Select[Ticket]:
    return select(Ticket).where(
        Ticket.customer_id.in_(customer_ids),
        Ticket.channel == Channel.CHAT,
        Ticket.status != Status.CLOSED,
    )


def open_ticket(session: DbSession, customer_id: int) -> Ticket | None:
    """The customer's latest chat that is not closed (a solved one reopens on reply)."""
    return session.scalar(_open_chats([customer_id]).order_by(Ticket.id.desc()).limit(1))


def open_tickets(session: DbSession, customer_ids: Collection[int]) -> dict[int, Ticket]:
    """``open_ticket`` for many customers in one query; those with none are left out."""
    latest: dict[int, Ticket] = {}
    for ticket in session.scalars(_open_chats(customer_ids).order_by(Ticket.id)):
        latest[ticket.customer_id] = ticket
    return latest


def visible_messages(
    session: DbSession,
    ticket: Ticket | None,
    *,
    after_id: int = 0,
    limit: int | None = HISTORY_LIMIT,
) -> list[Message]:
    """What the customer may see of the ticket, oldest first: no internal notes."""
    if ticket is None:
        return []
    query = (
        select(Message)
        .where(
            Message.ticket_id == ticket.id,
            Message.direction != Direction.INTERNAL,
            Message.id > after_id,
        )
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(reversed(session.scalars(query).all()))


def client_ids(session: DbSession, messages: list[Message]) -> dict[int, str]:
    if not messages:
        return {}
    rows = session.execute(
        select(ClientMessageId.message_id, ClientMessageId.client_id).where(
            ClientMessageId.message_id.in_([m.id for m in messages])
        )
    )
    return {message_id: client_id for message_id, client_id in rows}


def as_widget_message(message: Message, client_id: str | None = None) -> dict[str, Any]:
    """A message as the widget shows it (contract section 4)."""
    payload: dict[str, Any] = {
        "id": message.id,
        "ticket_id": message.ticket_id,
        "body": message.body,
        "author": _authors.dump(message.author),
        "created_at": message.created_at.isoformat(),
        "attachments": widget_attachments(message),
    }
    if client_id:
        payload["client_id"] = client_id
    return payload


def widget_messages(session: DbSession, messages: list[Message]) -> list[dict[str, Any]]:
    ids = client_ids(session, messages)
    return [as_widget_message(m, ids.get(m.id)) for m in messages]


def already_posted(
    session: DbSession, keys: list[tuple[int, str]]
) -> dict[tuple[int, str], Message]:
    """The stored messages for these ``(visitor_id, client_id)`` keys, in one query."""
    if not keys:
        return {}
    rows = session.execute(
        select(ClientMessageId.visitor_id, ClientMessageId.client_id, Message)
        .join(Message, Message.id == ClientMessageId.message_id)
        .where(tuple_(ClientMessageId.visitor_id, ClientMessageId.client_id).in_(keys))
    )
    return {(visitor_id, client_id): message for visitor_id, client_id, message in rows}


def store(
    session: DbSession, visitor: Visitor, body: str, client_id: str, ticket: Ticket | None
) -> Message:
    """Add the visitor's message to ``ticket``, their open chat (None: a new chat ticket).

    The caller commits, having made sure ``client_id`` is new for this visitor (see
    ``already_posted``) and looked up ``ticket`` (see ``open_tickets``).
    """
    customer = customer_for(session, visitor)
    message = tickets.add_customer_message(
        session, customer, ticket=ticket, channel=Channel.CHAT, body=body
    )
    # Queued for the batch's one executemany (``write_later``): added to the session,
    # it cost the next message's flush a unit of work (a tenth of the writer's time at
    # 500 messages/s); run on its own, a statement per message.
    write_later(
        session,
        _INSERT_CLIENT_ID,
        {"message_id": message.id, "visitor_id": visitor.id, "client_id": client_id},
    )
    # Kept for the payloads built at commit: the session's identity map holds a stored,
    # unchanged row only weakly, so asking it for the row again would cost a query.
    _stored_client_ids(session)[message.id] = client_id
    return message


def _stored_client_ids(session: DbSession) -> dict[int, str]:
    return transaction_value(session, _STORED_CLIENT_IDS, dict)


def stored_client_id(session: DbSession, message: Message) -> str | None:
    """The widget's ``client_id`` of a message ``store`` added in this transaction."""
    return _stored_client_ids(session).get(message.id)


def leave_message(
    session: DbSession,
    visitor: Visitor,
    *,
    name: str | None,
    email: str,
    body: str,
    client_id: str | None = None,
) -> Ticket:
    """No agent online: the message becomes the visitor's chat ticket.

    The address is a claim like a typed one (``claim_email``): the ticket is the
    visitor's own, whoever owns the address; agents see a possible match. A reply
    reaches the widget while it is open, else goes to that address by e-mail. The form
    sent again with its ``client_id`` (no answer came the first time) gets the ticket
    it already made, as a chat message's retry does. The caller commits.
    """
    if client_id:
        stored = already_posted(session, [(visitor.id, client_id)]).get((visitor.id, client_id))
        if stored is not None:
            return stored.ticket
    claim_email(session, visitor, email, name)
    message = store(session, visitor, body, client_id or secrets.token_hex(16), None)
    return message.ticket


def transcript_text(session: DbSession, ticket: Ticket) -> str:
    """The conversation as the customer saw it, for the transcript mail."""
    lines = []
    for message in visible_messages(session, ticket, limit=None):
        stamp = message.created_at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"[{stamp}] {message.author_name}:\n{message.body}\n")
    return "\n".join(lines)


def send_transcript(session: DbSession, ticket: Ticket, address: str) -> None:
    """Mail the conversation to ``address`` (one the visitor proved: ``limits``)."""
    customer = ticket.customer
    send_desk_mail(
        session,
        template="chat_transcript",
        locale=customer.locale,
        to_name=customer.name,
        to_address=address,
        customer_name=customer.name,
        ticket_ref=ticket.ref,
        ticket_subject=ticket.subject,
        transcript=transcript_text(session, ticket),
    )
