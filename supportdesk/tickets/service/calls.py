"""Calls: each is logged on a phone ticket, opened for it if need be."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from supportdesk.core.channels import Channel
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers import service as customers
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer
from supportdesk.tickets import signals
from supportdesk.tickets.models import Call, CallDirection, Ticket
from supportdesk.tickets.service.rows import touch
from supportdesk.tickets.service.tickets import follow_up, move_status, open_ticket
from supportdesk.tickets.status import Status, after_customer_message
from supportdesk.users.models import User


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
        ticket = follow_up(session, ticket, Channel.PHONE, started_at)
    if ticket is None:
        who = phone or customer.name
        subject = f"Call from {who}" if direction is CallDirection.INBOUND else f"Call to {who}"
        ticket = open_ticket(
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
        move_status(session, ticket, after_customer_message(ticket.status), None, started_at)
    touch(session, ticket, started_at)
    return call, True
