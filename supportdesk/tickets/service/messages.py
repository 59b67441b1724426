"""Messages on tickets: what customers say on any channel, agents' replies and notes,
and moving a mis-threaded message. A ticket opened with its first message opens here.

A message moves its ticket's status (``tickets.status``) and, on a closed ticket, opens
the follow-up; each is announced through ``tickets.signals``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from supportdesk.core.channels import Channel
from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import Conflict, InvalidInput, fields_under, referenced
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.text import sanitize_html, text_to_html
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.models import Customer
from supportdesk.tickets import signals, uploads
from supportdesk.tickets.models import (
    Attachment,
    AuthorKind,
    Direction,
    Message,
    Priority,
    Ticket,
)
from supportdesk.tickets.service.rows import insert_row, touch
from supportdesk.tickets.service.tickets import (
    follow_up,
    get_ticket,
    move_status,
    open_ticket,
    record_event,
)
from supportdesk.tickets.status import Status, after_agent_reply, after_customer_message
from supportdesk.users.models import User


def create_ticket(
    session: DbSession,
    *,
    subject: str,
    channel: Channel | str,
    customer: Customer,
    body: str | None = None,
    priority: Priority | str | None = None,
    actor: User | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Open a ticket; ``body`` is the customer's first message, on the ticket's channel."""
    ticket = open_ticket(
        session,
        subject=subject,
        channel=channel,
        customer=customer,
        priority=priority,
        actor=actor,
        at=at,
    )
    if body:
        add_message(
            session,
            ticket,
            body=body,
            channel=ticket.channel,
            direction=Direction.INBOUND,
            author_kind=AuthorKind.CUSTOMER,
            author_customer=customer,
            created_at=ticket.created_at,
        )
    return ticket


def create_ticket_for(
    session: DbSession,
    *,
    subject: str,
    channel: Channel | str,
    customer_id: int | None = None,
    customer: Mapping[str, str] | None = None,
    body: str | None = None,
    priority: Priority | str | None = None,
    actor: User | None = None,
) -> Ticket:
    """Open a ticket for the customer ``customer_id``, or the one the ``customer`` fields
    find (by e-mail, then phone; a new one if none does).

    The fields are the caller's: an error names the one they sent (``customer_id``,
    ``customer.email``), not the one ``customers.service`` checked.
    """
    if customer_id is not None:
        owner = referenced(session, "customer_id", customers.get_customer, customer_id)
    else:
        given = customer or {}
        with fields_under("customer"):
            owner = customers.find_or_create_customer(
                session, name=given.get("name"), email=given.get("email"), phone=given.get("phone")
            )
    return create_ticket(
        session,
        subject=subject,
        channel=channel,
        customer=owner,
        body=body,
        priority=priority,
        actor=actor,
    )


def add_message(
    session: DbSession,
    ticket: Ticket,
    *,
    body: str,
    channel: Channel | str,
    direction: Direction,
    author_kind: AuthorKind,
    author_user: User | None = None,
    author_customer: Customer | None = None,
    author_name: str | None = None,
    body_html: str | None = None,
    created_at: datetime | None = None,
    automatic: bool = False,
    imported: bool = False,
    upload_ids: Sequence[int] = (),
) -> Message:
    """Store a message and move the ticket's status the way the message implies.

    A customer writing to a closed ticket starts a follow-up ticket, which the
    returned message belongs to; agents cannot write on closed tickets.
    A customer writing to a merged ticket writes to the one it was merged into.
    The status moves are stamped with the message's time. ``automatic`` messages
    (auto-replies, bounces) are kept but move nothing. ``imported`` messages are
    history that already happened elsewhere: recorded, never sent. ``upload_ids`` are
    files ``author_user`` uploaded for it (``uploads.claim``).
    """
    created_at = created_at or utcnow()
    if ticket.merged_into_id is not None and author_kind is AuthorKind.CUSTOMER:
        ticket = get_ticket(session, ticket.merged_into_id)  # the conversation went on there
    if ticket.status is Status.CLOSED and not automatic:
        if author_kind is not AuthorKind.CUSTOMER:
            raise Conflict(f"{ticket.ref} is closed; it cannot take new messages.")
        ticket = follow_up(session, ticket, Channel(channel), created_at)
    if author_name is None:
        author = author_user or author_customer
        author_name = author.name if author is not None else "Supportdesk"
    touch(session, ticket, created_at)
    message = insert_row(
        session,
        Message,
        {
            "ticket_id": ticket.id,
            "channel": Channel(channel),
            "direction": direction,
            "author_kind": author_kind,
            "author_user_id": author_user.id if author_user else None,
            "author_customer_id": author_customer.id if author_customer else None,
            "author_name": author_name,
            "body": body,
            "body_html": sanitize_html(body_html) if body_html is not None else text_to_html(body),
            "created_at": created_at,
        },
        attachments=[],  # known to be none yet: no query when its listeners read them
    )
    if upload_ids:
        assert author_user is not None, "uploads are an agent's"
        uploads.claim(session, message, author_user, upload_ids)
    signals.message_created.send(message, imported=imported)
    if automatic:
        pass  # an out-of-office reply is not the customer answering
    elif author_kind is AuthorKind.CUSTOMER:
        move_status(session, ticket, after_customer_message(ticket.status), None, created_at)
    elif direction is Direction.OUTBOUND:
        move_status(session, ticket, after_agent_reply(ticket.status), author_user, created_at)
    return message


def add_customer_message(
    session: DbSession,
    customer: Customer,
    *,
    ticket: Ticket | None,
    channel: Channel,
    body: str,
    subject: str | None = None,
    author_name: str | None = None,
    body_html: str | None = None,
    created_at: datetime | None = None,
    automatic: bool = False,
) -> Message:
    """What a customer said on a channel: on ``ticket``, or on a new ticket of that
    channel titled ``subject`` (default: the message's first words) when it is None.

    The one way in for every channel's inbound message (an e-mail, a chat message, a
    request from the help center), so each moves statuses and opens follow-ups alike.
    """
    created_at = created_at or utcnow()
    if ticket is None:
        ticket = open_ticket(
            session,
            subject=subject if subject is not None else subject_of(body),
            channel=channel,
            customer=customer,
            at=created_at,
        )
    return add_message(
        session,
        ticket,
        body=body,
        channel=channel,
        direction=Direction.INBOUND,
        author_kind=AuthorKind.CUSTOMER,
        author_customer=customer,
        author_name=author_name,
        body_html=body_html,
        created_at=created_at,
        automatic=automatic,
    )


SUBJECT_LENGTH = 80


def subject_of(body: str) -> str:
    """A subject for a ticket that has none: the message's first words, on one line."""
    line = " ".join(body.split())
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"


def get_message(session: DbSession, message_id: int) -> Message:
    return get_or_not_found(session, Message, message_id, "message")


def move_message(
    session: DbSession, message: Message, target: Ticket, *, actor: User | None = None
) -> Message:
    """Put a mis-threaded message on the ticket it belongs to; both tickets record it."""
    source = message.ticket
    if target.id == source.id:
        raise InvalidInput.field("ticket_id", f"The message is on {source.ref} already.")
    if target.status is Status.CLOSED:
        raise Conflict(f"{target.ref} is closed; it cannot take new messages.")
    message.ticket = target
    message.ticket_id = target.id
    data: dict[str, Any] = {"message_id": message.id, "from": source.ref, "to": target.ref}
    for ticket in (source, target):
        record_event(
            session,
            customer_id=ticket.customer_id,
            event="message_moved",
            ticket=ticket,
            actor=actor,
            **data,
        )
    target.updated_at = utcnow()
    session.flush()
    signals.message_moved.send(message, source=source)
    return message


def _author_or(session: DbSession, message: Message, fallback: Customer) -> Customer:
    """The customer who wrote ``message``; ``fallback`` for an agent's or the desk's."""
    if message.author_customer_id is None:
        return fallback
    return session.get(Customer, message.author_customer_id) or fallback


def split_message(
    session: DbSession,
    message: Message,
    *,
    actor: User | None = None,
    subject: str | None = None,
) -> Ticket:
    """Give a message a ticket of its own (a new question asked in an old thread)."""
    source = message.ticket
    ticket = open_ticket(
        session,
        subject=subject or source.subject,
        channel=message.channel if message.channel is not Channel.SYSTEM else source.channel,
        customer=_author_or(session, message, source.customer),
        priority=source.priority,
        actor=actor,
    )
    move_message(session, message, ticket, actor=actor)
    return ticket


#: the newer messages a stale reply's refusal shows at most (the newest of them)
STALE_SHOWN = 20


class StaleReply(Conflict):
    """Someone else wrote on the ticket since the agent last looked (Help Scout's warning)."""

    def __init__(self, ticket: Ticket, newer: list[Message]) -> None:
        super().__init__(
            f"Someone replied on {ticket.ref} since you began writing: read the newer "
            "messages, then revise, or send again without seen_message_id to send anyway."
        )
        #: what arrived since, oldest first
        self.messages = newer


def newer_messages(
    session: DbSession, ticket: Ticket, agent: User, seen_message_id: int
) -> list[Message]:
    """What others (customers, other agents) wrote on ``ticket`` after ``seen_message_id``,
    oldest first: the agent's own messages and the desk's automatic ones are news to
    nobody. Later ids arrived later, whatever time a message says it was written."""
    stmt = (
        select(Message)
        .where(
            Message.ticket_id == ticket.id,
            Message.id > seen_message_id,
            Message.author_kind != AuthorKind.SYSTEM,
            or_(Message.author_user_id.is_(None), Message.author_user_id != agent.id),
        )
        .order_by(Message.id.desc())
        .limit(STALE_SHOWN)
    )
    return list(reversed(session.scalars(stmt).all()))


def reply(
    session: DbSession,
    ticket: Ticket,
    agent: User,
    *,
    body: str,
    channel: Channel | str | None = None,
    internal: bool = False,
    created_at: datetime | None = None,
    seen_message_id: int | None = None,
    attachment_ids: Sequence[int] = (),
) -> Message:
    """An agent's reply (goes out on ``channel``, default the ticket's) or internal note,
    with the files the agent uploaded for it (``attachment_ids``).

    With ``seen_message_id`` (the newest message the agent had seen when they began
    writing), a message someone else wrote since raises ``StaleReply`` and nothing is stored.
    """
    if seen_message_id is not None:
        newer = newer_messages(session, ticket, agent, seen_message_id)
        if newer:
            raise StaleReply(ticket, newer)
    return add_message(
        session,
        ticket,
        body=body,
        channel=Channel(channel) if channel else ticket.channel,
        direction=Direction.INTERNAL if internal else Direction.OUTBOUND,
        author_kind=AuthorKind.AGENT,
        author_user=agent,
        created_at=created_at,
        upload_ids=attachment_ids,
    )


#: marks a newest-first cursor: keyset cursors carry only the last row's keys, so the same
#: cursor would page on silently in the other order. base64url has no ".": no oldest-first
#: cursor can start with it.
NEWEST_CURSOR = "n."


def messages_page(
    session: DbSession, ticket: Ticket, page: PageRequest, *, order: str = "oldest"
) -> Page[Message]:
    """The ticket's messages, oldest (or ``newest``) first, internal notes included.

    A cursor pages only the order that gave it out; the other order answers its 422.
    """
    newest = order == "newest"
    cursor = page.cursor
    if cursor and cursor.startswith(NEWEST_CURSOR) != newest:
        raise InvalidInput.field("cursor", f"Not a cursor of the {order}-first order.")
    if newest and cursor:
        page = PageRequest(page.limit, cursor.removeprefix(NEWEST_CURSOR))
    stmt = select(Message).where(Message.ticket_id == ticket.id)
    keys = (Message.created_at, Message.id)
    result = keyset_page(session, stmt, keys, page, descending=newest)
    if newest and result.next_cursor:
        result.next_cursor = NEWEST_CURSOR + result.next_cursor
    return result


def get_attachment(session: DbSession, attachment_id: int) -> Attachment:
    return get_or_not_found(session, Attachment, attachment_id, "attachment")


def customers_attachment(
    session: DbSession, customer_id: int, attachment_id: int
) -> Attachment | None:
    """The file, if it is on a message the customer may see: on one of their tickets,
    and not on an internal note. What the widget and the portal hand to a customer."""
    return session.scalar(
        select(Attachment)
        .join(Message, Message.id == Attachment.message_id)
        .join(Ticket, Ticket.id == Message.ticket_id)
        .where(
            Attachment.id == attachment_id,
            Message.direction != Direction.INTERNAL,
            Ticket.customer_id == customer_id,
        )
    )
