"""Tickets: open, look up, update through the status machine, follow up.

The list and its views are ``service.inbox``.

Every change that people need to see later becomes a ``TicketEvent`` (``record_event``);
each is announced through ``tickets.signals`` for whoever keeps a timeline of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from supportdesk.core.channels import Channel
from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers.models import Customer
from supportdesk.tickets import signals
from supportdesk.tickets.models import Priority, Ticket, TicketEvent, TicketTag
from supportdesk.tickets.service.rows import insert_row
from supportdesk.tickets.status import Status, check_transition
from supportdesk.users.models import User

_TAG = re.compile(r"^[\w][\w\-:.]{0,49}$")


def get_ticket(session: DbSession, ticket_id: int) -> Ticket:
    return get_or_not_found(session, Ticket, ticket_id, "ticket")


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
    row = insert_row(
        session,
        TicketEvent,
        {
            "ticket_id": ticket.id if ticket else None,
            "customer_id": customer_id,
            "event": event,
            "actor_user_id": actor.id if actor else None,
            "data": data,
            "created_at": at or utcnow(),
        },
    )
    signals.ticket_event_recorded.send(row)
    return row


def normalize_tag(tag: str) -> str:
    """A tag as it is stored: what an agent types ("Billing issue") finds ``billing_issue``."""
    return tag.strip().lower().replace(" ", "_")


def normalize_tags(tags: Iterable[str]) -> list[str]:
    result: list[str] = []
    for index, raw in enumerate(tags):
        tag = normalize_tag(raw)
        if not _TAG.match(tag):
            raise InvalidInput.field(
                f"tags.{index}", "Tags are 1-50 letters, digits, _ - : or . characters."
            )
        if tag not in result:
            result.append(tag)
    return result


def open_ticket(
    session: DbSession,
    *,
    subject: str,
    channel: Channel | str,
    customer: Customer,
    priority: Priority | str | None = None,
    actor: User | None = None,
    follow_up_of: Ticket | None = None,
    at: datetime | None = None,
) -> Ticket:
    """The ticket alone, with its ``created`` event; ``create_ticket`` (``service.messages``)
    opens one with the customer's first message."""
    at = at or utcnow()
    ticket = insert_row(
        session,
        Ticket,
        {
            "created_at": at,
            "updated_at": at,
            "subject": subject.strip() or "(no subject)",
            "channel": Channel(channel),
            "customer_id": customer.id,
            "assignee_id": None,
            "priority": Priority(priority) if priority else Priority.NORMAL,
            "status": Status.NEW,
            "follow_up_of_id": follow_up_of.id if follow_up_of else None,
            "merged_into_id": None,
            "first_response_due_at": None,
            "resolution_due_at": None,
        },
        # Known without a query: the pushes and listeners that name them read these.
        customer=customer,
        assignee=None,
        tag_rows=[],
    )
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
        ticket.assignee = assignee  # the loaded one, not the previous: the push names it
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


def follow_up(session: DbSession, closed: Ticket, channel: Channel, at: datetime) -> Ticket:
    """The ticket that continues ``closed`` when its customer writes or calls again."""
    ticket = open_ticket(
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
        follow_up=ticket.ref,
        follow_up_id=ticket.id,
    )
    return ticket


def move_status(
    session: DbSession, ticket: Ticket, target: Status, actor: User | None, at: datetime
) -> None:
    """Where a message or a call moves the ticket (``tickets.status``), if anywhere."""
    if target != ticket.status:
        update_ticket(session, ticket, actor=actor, at=at, status=target)
