"""Mail the desk sends by itself, in the customer's language, marked as automatic.

It goes through the same outbound path as an agent's reply (a message on the ticket,
queued, sent by the worker), carries ``Auto-Submitted: auto-replied`` (RFC 3834) so
other robots do not answer it, and moves no ticket status.
"""

from __future__ import annotations

from flask import current_app

from supportdesk.channels.email.models import EmailDetails
from supportdesk.channels.email.templates import render
from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.tickets.models import AuthorKind, Direction, Message, Ticket
from supportdesk.tickets.service import add_message


def send_system_email(session: DbSession, ticket: Ticket, key: str, **variables: str) -> Message:
    customer = ticket.customer
    wording = render(
        session,
        key,
        customer.locale,
        customer_name=customer.name,
        ticket_ref=ticket.ref,
        ticket_subject=ticket.subject,
        **variables,
    )
    message = add_message(
        session,
        ticket,
        body=wording.body,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        author_kind=AuthorKind.SYSTEM,
        author_name=str(current_app.config["DESK_NAME"]),
        automatic=True,
    )
    details = session.get(EmailDetails, message.id)
    if details is not None:  # queued by the outbound listener; the template names it
        details.subject = wording.subject
    return message


def acknowledge_new_ticket(session: DbSession, ticket: Ticket) -> Message | None:
    if not current_app.config["EMAIL_ACKNOWLEDGE_NEW_TICKETS"]:
        return None
    return send_system_email(session, ticket, "ticket_acknowledgement")
