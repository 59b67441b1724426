"""Mail the desk sends by itself, worded by admins per locale (``templates``).

Two kinds, both marked automatic (RFC 3834) so other robots do not answer them:

- mail to an address, on no ticket (a chat's verification code, its transcript):
  ``send_desk_mail`` renders it and queues the ``send_notice`` task after the
  caller's commit, so a rolled-back request sends nothing;
- mail on a ticket (the acknowledgement of a new one, made ready with
  ``ready_acknowledgement`` before the mail it answers is stored, then sent with
  ``acknowledge_new_ticket``): ``send_system_email`` adds it
  as the desk's own outbound message, which then takes the same path as an agent's
  reply (queued, sent by the worker, its delivery shown on the message) and moves no
  ticket status.
"""

from __future__ import annotations

from datetime import datetime

from supportdesk.channels.email.desk_mail.tasks import send_notice
from supportdesk.channels.email.desk_mail.templates import Wording, fill, nearest_wording, render
from supportdesk.channels.email.outbound import Answered, answering
from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.transaction import after_commit
from supportdesk.customers.models import Customer
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


def send_system_email(
    session: DbSession, ticket: Ticket, chosen: Wording, *, created_at: datetime | None = None
) -> Message:
    """The desk's own message on ``ticket``, worded by ``chosen`` (a template in the
    customer's language, ``templates.nearest_wording``)."""
    customer = ticket.customer
    wording = fill(
        chosen, customer_name=customer.name, ticket_ref=ticket.ref, ticket_subject=ticket.subject
    )
    message = add_message(
        session,
        ticket,
        body=wording.body,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        author_kind=AuthorKind.SYSTEM,
        author_name=settings().desk_name,
        created_at=created_at,
        automatic=True,
    )
    details = message.email
    if details is not None:  # queued by the outbound listener; the template names it
        details.subject = wording.subject
    return message


def ready_acknowledgement(session: DbSession, customer: Customer) -> Wording | None:
    """Read, before the mail that opens a ticket is stored, what acknowledging it reads
    (if the desk acknowledges): its wording in ``customer``'s language, returned, and the
    customer's addresses (where it goes). Read after that mail, each would be a query
    between it and the commit, which runs the writes queued for the two messages (their
    timeline entries and search rows, ``core.queued_writes``) in two batches, not one."""
    if not settings().email_acknowledge_new_tickets:
        return None
    chosen = nearest_wording(session, "ticket_acknowledgement", customer.locale)
    customer.emails  # noqa: B018  # loads the customer's identities, if they are not
    return chosen


def acknowledge_new_ticket(
    session: DbSession, chosen: Wording, opening: Message, answered: Answered
) -> Message:
    """Tell the customer whose mail (``opening``, threaded by the ids ``answered``) opened
    its ticket that it arrived, in ``chosen`` words (``ready_acknowledgement``): in reply
    to that mail, at the moment it was filed (so the ticket, touched by that mail, is not
    touched again)."""
    with answering(session, opening.ticket, answered):
        return send_system_email(session, opening.ticket, chosen, created_at=opening.created_at)
