"""Ticket operations: open, update through the status machine, add messages and calls.

Every change that people need to see later becomes a ``TicketEvent``; every row
that belongs on the customer's timeline is announced through ``tickets.signals``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, bindparam, insert, or_, select, update
from sqlalchemy.orm import make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.core.channels import Channel
from supportdesk.core.errors import Conflict, InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.text import sanitize_html, text_to_html
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer
from supportdesk.tickets import signals
from supportdesk.tickets.models import (
    AuthorKind,
    Call,
    CallDirection,
    Direction,
    Message,
    Priority,
    Ticket,
    TicketEvent,
    TicketTag,
)
from supportdesk.tickets.refs import ticket_id_from_ref
from supportdesk.tickets.status import (
    Status,
    after_agent_reply,
    after_customer_message,
    check_transition,
)
from supportdesk.users.models import User

_TAG = re.compile(r"^[\w][\w\-:.]{0,49}$")

_Row = TypeVar("_Row", Ticket, Message, TicketEvent)
_INSERTS = {model: insert(model).returning(model.id) for model in (Ticket, Message, TicketEvent)}


def _insert(session: DbSession, row: _Row) -> _Row:
    """Store a new row with one INSERT and attach it to the session as if it had been loaded.

    Tickets, their events and messages are written one at a time, with every column
    given (a KeyError names one left out: column defaults are not applied) and nothing
    of theirs to cascade yet; for one such row a unit-of-work flush costs about three
    times its INSERT. Whatever else is pending is flushed first, as before, and the row
    comes back persistent with its id, as from a flush. Only ORM insert events
    (``before_insert``, ``after_insert``) do not fire for it.
    """
    session.flush()
    columns = row.__table__.columns
    values = {column.key: row.__dict__[column.key] for column in columns if column.key != "id"}
    row.id = session.connection().execute(_INSERTS[type(row)], values).scalar_one()
    make_transient_to_detached(row)
    session.add(row)
    return row


_TOUCH = (
    update(Ticket)
    .where(Ticket.id == bindparam("ticket_id"))
    .values(updated_at=bindparam("updated_at"))
)


def _touch(session: DbSession, ticket: Ticket, at: datetime) -> None:
    """Move the ticket's ``updated_at`` to ``at`` if that is later, with one UPDATE.

    The loaded ticket takes the value as already stored, so no flush writes it again:
    a unit of work for this one column cost more than the message it came with.
    """
    if at > ticket.updated_at:
        session.connection().execute(_TOUCH, {"ticket_id": ticket.id, "updated_at": at})
        set_committed_value(ticket, "updated_at", at)


def get_ticket(session: DbSession, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"No ticket {ticket_id}.")
    return ticket


def record_event(
    session: DbSession,
    *,
    customer_id: int,
    event: str,
    ticket: Ticket | None = None,
    actor: User | None = None,
    at: datetime | None = None,
    **data: Any,
) -> TicketEvent:
    """Record what happened; ``at`` back-dates it (imports, demo data), default now."""
    row = _insert(
        session,
        TicketEvent(
            ticket_id=ticket.id if ticket else None,
            customer_id=customer_id,
            event=event,
            actor_user_id=actor.id if actor else None,
            data=data,
            created_at=at or utcnow(),
        ),
    )
    signals.ticket_event_recorded.send(row)
    return row


def normalize_tags(tags: Iterable[str]) -> list[str]:
    result: list[str] = []
    for index, raw in enumerate(tags):
        tag = raw.strip().lower().replace(" ", "_")
        if not _TAG.match(tag):
            raise InvalidInput.field(
                f"tags.{index}", "Tags are 1-50 letters, digits, _ - : or . characters."
            )
        if tag not in result:
            result.append(tag)
    return result


def create_ticket(
    session: DbSession,
    *,
    subject: str,
    channel: Channel | str,
    customer: Customer,
    body: str | None = None,
    priority: Priority | str | None = None,
    actor: User | None = None,
    follow_up_of: Ticket | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Open a ticket; ``body`` is the customer's first message, on the ticket's channel."""
    at = at or utcnow()
    ticket = Ticket(
        created_at=at,
        updated_at=at,
        subject=subject.strip() or "(no subject)",
        channel=Channel(channel),
        customer_id=customer.id,
        assignee_id=None,
        priority=Priority(priority) if priority else Priority.NORMAL,
        status=Status.NEW,
        follow_up_of_id=follow_up_of.id if follow_up_of else None,
        first_response_due_at=None,
        resolution_due_at=None,
        tag_rows=[],  # known to be none yet: no query when its listeners read the tags
    )
    _insert(session, ticket)
    extra = {"follow_up_of": follow_up_of.ref} if follow_up_of else {}
    record_event(
        session,
        customer_id=customer.id,
        event="created",
        ticket=ticket,
        actor=actor,
        at=at,
        channel=ticket.channel.value,
        **extra,
    )
    signals.ticket_created.send(ticket)
    if body:
        add_message(
            session,
            ticket,
            body=body,
            channel=ticket.channel,
            direction=Direction.INBOUND,
            author_kind=AuthorKind.CUSTOMER,
            author_customer=customer,
            created_at=at,
        )
    return ticket


def update_ticket(
    session: DbSession,
    ticket: Ticket,
    *,
    actor: User | None = None,
    at: datetime | None = None,
    **changes: Any,
) -> Ticket:
    """Apply ``status``, ``priority``, ``assignee_id``, ``tags``, ``subject``.

    Each change is a ticket event; an illegal status move raises before anything changes.
    """
    if "status" in changes and changes["status"] != ticket.status:
        target = Status(changes["status"])
        check_transition(ticket.status, target)
        _record_change(session, ticket, actor, at, "status_changed", ticket.status, target)
        ticket.status = target
    if "priority" in changes and changes["priority"] != ticket.priority:
        priority = Priority(changes["priority"])
        _record_change(session, ticket, actor, at, "priority_changed", ticket.priority, priority)
        ticket.priority = priority
    if "assignee_id" in changes and changes["assignee_id"] != ticket.assignee_id:
        assignee_id = changes["assignee_id"]
        assignee = session.get(User, assignee_id) if assignee_id is not None else None
        if assignee_id is not None and (assignee is None or not assignee.active):
            raise InvalidInput.field("assignee_id", f"No active agent {assignee_id}.")
        _record_change(session, ticket, actor, at, "assigned", ticket.assignee_id, assignee_id)
        ticket.assignee_id = assignee_id
    if "tags" in changes:
        wanted = normalize_tags(changes["tags"])
        current = ticket.tags
        added = [t for t in wanted if t not in current]
        removed = [t for t in current if t not in wanted]
        if added or removed:
            ticket.tag_rows = [r for r in ticket.tag_rows if r.name in wanted] + [
                TicketTag(name=t) for t in added
            ]
            record_event(
                session,
                customer_id=ticket.customer_id,
                event="tags_changed",
                ticket=ticket,
                actor=actor,
                at=at,
                added=added,
                removed=removed,
                **{"from": current, "to": wanted},
            )
    if "subject" in changes and changes["subject"].strip() != ticket.subject:
        subject = changes["subject"].strip()
        if not subject:
            raise InvalidInput.field("subject", "The subject cannot be empty.")
        _record_change(session, ticket, actor, at, "subject_changed", ticket.subject, subject)
        ticket.subject = subject
    ticket.updated_at = at or utcnow()
    session.flush()
    signals.ticket_updated.send(ticket)
    return ticket


def _record_change(
    session: DbSession,
    ticket: Ticket,
    actor: User | None,
    at: datetime | None,
    event: str,
    old: Any,
    new: Any,
) -> None:
    record_event(
        session,
        customer_id=ticket.customer_id,
        event=event,
        ticket=ticket,
        actor=actor,
        at=at,
        **{"from": old, "to": new},
    )


def _follow_up(session: DbSession, closed: Ticket, channel: Channel, at: datetime) -> Ticket:
    follow_up = create_ticket(
        session,
        subject=closed.subject,
        channel=channel,
        customer=closed.customer,
        priority=closed.priority,
        follow_up_of=closed,
        at=at,
    )
    record_event(
        session,
        customer_id=closed.customer_id,
        event="follow_up_created",
        ticket=closed,
        at=at,
        follow_up=follow_up.ref,
        follow_up_id=follow_up.id,
    )
    return follow_up


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
) -> Message:
    """Store a message and move the ticket's status the way the message implies.

    A customer writing to a closed ticket starts a follow-up ticket, which the
    returned message belongs to; agents cannot write on closed tickets.
    The status moves are stamped with the message's time. ``automatic`` messages
    (auto-replies, bounces) are kept but move nothing. ``imported`` messages are
    history that already happened elsewhere: recorded, never sent.
    """
    created_at = created_at or utcnow()
    if ticket.status is Status.CLOSED and not automatic:
        if author_kind is not AuthorKind.CUSTOMER:
            raise Conflict(f"{ticket.ref} is closed; it cannot take new messages.")
        ticket = _follow_up(session, ticket, Channel(channel), created_at)
    if author_name is None:
        author = author_user or author_customer
        author_name = author.name if author is not None else "Supportdesk"
    message = Message(
        ticket_id=ticket.id,
        channel=Channel(channel),
        direction=direction,
        author_kind=author_kind,
        author_user_id=author_user.id if author_user else None,
        author_customer_id=author_customer.id if author_customer else None,
        author_name=author_name,
        body=body,
        body_html=sanitize_html(body_html) if body_html is not None else text_to_html(body),
        created_at=created_at,
        attachments=[],  # known to be none yet: no query when its listeners read them
    )
    _touch(session, ticket, created_at)
    _insert(session, message)
    signals.message_created.send(message, imported=imported)
    if automatic:
        pass  # an out-of-office reply is not the customer answering
    elif author_kind is AuthorKind.CUSTOMER:
        _move_status(session, ticket, after_customer_message(ticket.status), None, created_at)
    elif direction is Direction.OUTBOUND:
        _move_status(session, ticket, after_agent_reply(ticket.status), author_user, created_at)
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
        ticket = create_ticket(
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
    message = session.get(Message, message_id)
    if message is None:
        raise NotFound(f"No message {message_id}.")
    return message


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


def split_message(
    session: DbSession,
    message: Message,
    *,
    actor: User | None = None,
    subject: str | None = None,
) -> Ticket:
    """Give a message a ticket of its own (a new question asked in an old thread)."""
    source = message.ticket
    ticket = create_ticket(
        session,
        subject=subject or source.subject,
        channel=message.channel if message.channel is not Channel.SYSTEM else source.channel,
        customer=session.get(Customer, message.author_customer_id) or source.customer,
        priority=source.priority,
        actor=actor,
    )
    move_message(session, message, ticket, actor=actor)
    return ticket


def _move_status(
    session: DbSession, ticket: Ticket, target: Status, actor: User | None, at: datetime
) -> None:
    if target != ticket.status:
        update_ticket(session, ticket, actor=actor, at=at, status=target)


def reply(
    session: DbSession,
    ticket: Ticket,
    agent: User,
    *,
    body: str,
    channel: Channel | str | None = None,
    internal: bool = False,
    created_at: datetime | None = None,
) -> Message:
    """An agent's reply (goes out on ``channel``, default the ticket's) or internal note."""
    return add_message(
        session,
        ticket,
        body=body,
        channel=Channel(channel) if channel else ticket.channel,
        direction=Direction.INTERNAL if internal else Direction.OUTBOUND,
        author_kind=AuthorKind.AGENT,
        author_user=agent,
        created_at=created_at,
    )


def log_call(
    session: DbSession,
    *,
    direction: CallDirection | str,
    customer: Customer | None = None,
    phone: str | None = None,
    ticket: Ticket | None = None,
    started_at: datetime | None = None,
    duration_seconds: int | None = None,
    notes: str | None = None,
    recording_url: str | None = None,
    external_id: str | None = None,
    agent: User | None = None,
) -> tuple[Call, bool]:
    """Log a call, opening a phone ticket when none is given. Returns (call, created).

    A known ``external_id`` updates that call instead of logging it twice. The
    caller is ``customer``, else the ticket's customer, else whoever owns ``phone``
    (a new customer if nobody does).
    """
    if external_id:
        existing = session.scalar(select(Call).where(Call.external_id == external_id))
        if existing is not None:
            for field, value in {
                "duration_seconds": duration_seconds,
                "notes": notes,
                "recording_url": recording_url,
            }.items():
                if value is not None:
                    setattr(existing, field, value)
            session.flush()
            return existing, False
    direction = CallDirection(direction)
    started_at = started_at or utcnow()
    if phone:
        phone = customers.normalize_identity(IdentityKind.PHONE, phone, "phone")
    if customer is None:
        if ticket is not None:
            customer = ticket.customer
        elif phone:
            customer = customers.find_or_create_customer(session, phone=phone)
        else:
            raise InvalidInput.field("phone", "Give phone, customer_id or ticket_id.")
    if ticket is not None and ticket.customer_id != customer.id:
        raise InvalidInput.field("ticket_id", "That ticket belongs to another customer.")
    if ticket is not None and ticket.status is Status.CLOSED:
        ticket = _follow_up(session, ticket, Channel.PHONE, started_at)
    if ticket is None:
        who = phone or customer.name
        subject = f"Call from {who}" if direction is CallDirection.INBOUND else f"Call to {who}"
        ticket = create_ticket(
            session,
            subject=subject,
            channel=Channel.PHONE,
            customer=customer,
            actor=agent,
            at=started_at,
        )
    call = Call(
        ticket_id=ticket.id,
        customer_id=customer.id,
        direction=direction,
        phone=phone,
        started_at=started_at,
        duration_seconds=duration_seconds,
        notes=notes,
        recording_url=recording_url,
        external_id=external_id,
        agent_id=agent.id if agent else None,
    )
    session.add(call)
    session.flush()
    signals.call_logged.send(call)
    if direction is CallDirection.INBOUND:
        _move_status(session, ticket, after_customer_message(ticket.status), None, started_at)
    _touch(session, ticket, started_at)
    return call, True


def tickets_page(
    session: DbSession,
    page: PageRequest,
    *,
    status: str | None = None,
    assignee_id: int | None = None,
    channel: str | None = None,
    customer_id: int | None = None,
    q: str | None = None,
) -> Page[Ticket]:
    """Newest first, filtered; ``q`` is a ref or words of the subject."""
    # A page of tickets shows their tags: one query for the page, not one per ticket.
    stmt = select(Ticket).options(selectinload(Ticket.tag_rows))
    if status:
        stmt = stmt.where(Ticket.status == Status(status))
    if assignee_id is not None:
        stmt = stmt.where(Ticket.assignee_id == assignee_id)
    if channel:
        stmt = stmt.where(Ticket.channel == Channel(channel))
    if customer_id is not None:
        stmt = stmt.where(Ticket.customer_id == customer_id)
    if q:
        matches: ColumnElement[bool] = Ticket.subject.icontains(q.strip(), autoescape=True)
        # "COVID-19" is shaped like a ref too: a ref finds its ticket besides subjects.
        ticket_id = ticket_id_from_ref(q)
        if ticket_id is not None:
            matches = or_(Ticket.id == ticket_id, matches)
        stmt = stmt.where(matches)
    return keyset_page(session, stmt, (Ticket.id,), page, descending=True)


def messages_page(session: DbSession, ticket: Ticket, page: PageRequest) -> Page[Message]:
    """The ticket's messages, oldest first, internal notes included."""
    stmt = select(Message).where(Message.ticket_id == ticket.id)
    return keyset_page(session, stmt, (Message.created_at, Message.id), page, descending=False)
