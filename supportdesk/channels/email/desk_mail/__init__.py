"""Mail the desk sends by itself, worded by admins per locale (``templates``).

Two kinds, both marked automatic (RFC 3834) so other robots do not answer them:

- mail to an address, on no ticket (a chat's verification code, its transcript):
  ``send_desk_mail`` renders it and queues the ``send_notice`` task after the
  caller's commit, so a rolled-back request sends nothing;
- mail on a ticket (the acknowledgement of a new one): ``send_system_email`` adds it
  as the desk's own outbound message, which then takes the same path as an agent's
  reply (queued, sent by the worker, its delivery shown on the message) and moves no
  ticket status.
"""

from __future__ import annotations

from supportdesk.channels.email.desk_mail.tasks import send_notice
from supportdesk.channels.email.desk_mail.templates import render
from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.transaction import after_commit
from supportdesk.tickets.models import AuthorKind, Direction, Message, Ticket
from supportdesk.tickets.service import add_message


def send_desk_mail(
    session: DbSession,
    *,
    template: str,
    locale: str | None,
    to_name: str,
    to_address: str,
    **variables: str,
) -> None:
    """Render ``template`` in (the nearest wording to) ``locale`` and send it to
    ``to_address`` once ``session`` commits."""
    wording = render(session, template, locale, **variables)
    after_commit(session, send_notice, to_name, to_address, wording.subject, wording.body)


def send_system_email(session: DbSession, ticket: Ticket, key: str, **variables: str) -> Message:
    """The desk's own message on ``ticket``, worded by template ``key`` in the
    customer's language."""
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
        author_name=settings().desk_name,
        automatic=True,
    )
    details = message.email
    if details is not None:  # queued by the outbound listener; the template names it
        details.subject = wording.subject
    return message


def acknowledge_new_ticket(session: DbSession, ticket: Ticket) -> Message | None:
    """Tell a customer whose mail opened a ticket that it arrived (if the desk does)."""
    if not settings().email_acknowledge_new_tickets:
        return None
    return send_system_email(session, ticket, "ticket_acknowledgement")
