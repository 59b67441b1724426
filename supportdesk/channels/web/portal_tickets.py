"""What a signed-in customer sees and does in the portal: their tickets from every
channel, each conversation without the agents' internal notes, their files, replies.

Every lookup is by the customer as well as the id, and anything not theirs is the same
``NotFound`` as what does not exist, so an id tells another customer nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from supportdesk.channels.web import requests
from supportdesk.core.channels import Channel
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.customers.models import Customer
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, Call, Direction, Message, Ticket

#: a customer's page of requests
PAGE_SIZE = 20


def requests_page(session: DbSession, customer: Customer, page: PageRequest) -> Page[Ticket]:
    """The customer's tickets, every channel, newest activity first (merged-away tickets
    live on in the one they were merged into)."""
    stmt = select(Ticket).where(Ticket.customer_id == customer.id, Ticket.merged_into_id.is_(None))
    return keyset_page(session, stmt, (Ticket.updated_at, Ticket.id), page, descending=True)


def customer_ticket(session: DbSession, customer: Customer, ticket_id: int) -> Ticket:
    """One of the customer's tickets (a merged one too: the page sends them on)."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.customer_id != customer.id:
        raise NotFound(f"No request {ticket_id} of yours.")
    return ticket


@dataclass(frozen=True)
class Entry:
    """One thing on a ticket's page, in time order: a message or a phone call."""

    at: datetime
    message: Message | None = None
    call: Call | None = None


def conversation(session: DbSession, ticket: Ticket) -> list[Entry]:
    """What was said on the ticket, oldest first, and its calls (without the agent's
    notes about them): never an internal note."""
    messages = session.scalars(
        select(Message)
        .where(Message.ticket_id == ticket.id, Message.direction != Direction.INTERNAL)
        .order_by(Message.created_at, Message.id)
    ).all()
    calls = session.scalars(
        select(Call).where(Call.ticket_id == ticket.id).order_by(Call.started_at, Call.id)
    ).all()
    entries = [Entry(m.created_at, message=m) for m in messages]
    entries += [Entry(c.started_at, call=c) for c in calls]
    return sorted(entries, key=lambda entry: entry.at)


def customer_attachment(session: DbSession, customer: Customer, attachment_id: int) -> Attachment:
    """A file of a message the customer can see (theirs, or sent to them), with its bytes."""
    attachment = tickets.customers_attachment(session, customer.id, attachment_id)
    if attachment is None:
        raise NotFound(f"No file {attachment_id} in your requests.")
    return attachment


def reply(
    session: DbSession,
    customer: Customer,
    ticket: Ticket,
    body: str,
    files: Sequence[requests.RequestFile] = (),
) -> Message:
    """The customer's reply on their ticket, channel ``web``: it moves the ticket as any
    customer message does (a solved ticket reopens; a closed one gets a follow-up, which
    the message belongs to)."""
    body = body.strip()
    if not body:
        raise InvalidInput.field("body", "Fill this in.")
    if len(body) > requests.BODY_MAX:
        raise InvalidInput.field("body", f"Write {requests.BODY_MAX} characters at most.")
    if len(files) > requests.MAX_FILES:
        raise InvalidInput.field("files", f"Attach {requests.MAX_FILES} files at most.")
    message = tickets.add_customer_message(
        session, customer, ticket=ticket, channel=Channel.WEB, body=body
    )
    requests.attach_files(session, message, files)
    return message
