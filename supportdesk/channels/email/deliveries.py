"""The delivery state of the desk's outbound mail as agents read it and act on it.

The workspace shows, beside each e-mail of a conversation, whether it is queued, sent or
failed (and why), for a whole ticket in one request (``deliveries_page``); an agent whose
reply failed sends it again with ``retry`` once the cause is fixed (the server back up,
the address corrected), instead of copying the text into a new reply.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from supportdesk.channels.email.models import DeliveryStatus, EmailDetails
from supportdesk.channels.email.outbound import RETRIED_EVENT, require_outgoing_mail
from supportdesk.channels.email.tasks import deliver_task
from supportdesk.core.errors import Conflict, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.time import utcnow
from supportdesk.core.transaction import after_commit
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Message, Ticket
from supportdesk.users.models import User

#: how much of the failure's reason the retry's event keeps for the ticket's history
_REASON_IN_EVENT = 500


def retryable(details: EmailDetails, now: datetime | None = None) -> bool:
    """Failed, or queued and overdue (no worker took it up): nobody is sending it now.

    A queued mail that is not due yet is either waiting out its backoff or leased by a
    worker talking to the mail server; sending it again could send it twice.
    """
    if details.delivery_status is DeliveryStatus.FAILED:
        return True
    return (
        details.delivery_status is DeliveryStatus.QUEUED
        and details.next_attempt_at is not None
        and details.next_attempt_at <= (now or utcnow())
    )


def _outbound_email(session: DbSession, message: Message) -> EmailDetails:
    details = session.get(EmailDetails, message.id)
    if details is None:
        raise NotFound(f"Message {message.id} is not an e-mail: it has no delivery to retry.")
    if details.delivery_status is None:
        raise Conflict(
            f"Message {message.id} is an e-mail the desk received: only the desk's own "
            "mail is delivered, and retried."
        )
    return details


def _not_now(details: EmailDetails) -> Conflict:
    """Why a delivery cannot be retried, in the agent's terms."""
    if details.delivery_status is DeliveryStatus.SENT:
        sent = f" at {details.sent_at.isoformat()}" if details.sent_at else ""
        return Conflict(f"Message {details.message_id} was sent{sent}: there is nothing to retry.")
    due = details.next_attempt_at.isoformat() if details.next_attempt_at else "soon"
    return Conflict(
        f"Message {details.message_id} is queued: its next attempt is at {due}, or it is "
        "being sent right now. Retry once it has failed or is overdue."
    )


def _address(details: EmailDetails, ticket: Ticket) -> None:
    """A reply that failed for want of an address goes to the one the customer has now."""
    if details.to:
        return
    customer = ticket.customer
    if not customer.emails:
        raise Conflict(
            f"{customer.name or 'The customer'} has no e-mail address: add one to the "
            "customer, then retry."
        )
    details.to = [{"name": customer.name, "address": customer.emails[0]}]


def retry(session: DbSession, message: Message, *, actor: User) -> EmailDetails:
    """Queue a failed (or overdue) outbound e-mail again, due now, and send it once the
    caller commits.

    ``attempts`` keeps counting for the record; the delivery has ``MAX_ATTEMPTS`` more
    from here (``outbound.attempt_limit``). ``delivery_error`` stays until the next
    attempt replaces or clears it. The ticket records ``email_retried`` (who, when, the
    attempts and the reason so far), so its history and the customer's timeline say so.
    Flushes only.
    """
    details = _outbound_email(session, message)
    if details.delivery_status is DeliveryStatus.SENT:
        raise _not_now(details)
    require_outgoing_mail()
    _address(details, message.ticket)
    now = utcnow()
    # One conditional UPDATE: a worker's claim (a lease) in the meantime makes it miss.
    queued = session.execute(
        update(EmailDetails)
        .where(
            EmailDetails.message_id == message.id,
            or_(
                EmailDetails.delivery_status == DeliveryStatus.FAILED,
                and_(
                    EmailDetails.delivery_status == DeliveryStatus.QUEUED,
                    EmailDetails.next_attempt_at <= now,
                ),
            ),
        )
        .values(delivery_status=DeliveryStatus.QUEUED, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(details)
    if queued.rowcount != 1:  # type: ignore[attr-defined]
        raise _not_now(details)
    ticket = message.ticket
    tickets.record_event(
        session,
        customer_id=ticket.customer_id,
        event=RETRIED_EVENT,
        ticket=ticket,
        actor=actor,
        message_id=message.id,
        attempts=details.attempts,
        error=(details.delivery_error or "")[:_REASON_IN_EVENT] or None,
    )
    after_commit(session, deliver_task, message.id)
    return details


def deliveries_page(session: DbSession, ticket: Ticket, page: PageRequest) -> Page[EmailDetails]:
    """The delivery state of the ticket's outbound e-mails, in conversation order (by
    message id): one statement per page, whatever the page holds."""
    stmt = (
        select(EmailDetails)
        .join(Message, Message.id == EmailDetails.message_id)
        .where(Message.ticket_id == ticket.id, EmailDetails.delivery_status.is_not(None))
    )
    return keyset_page(session, stmt, (EmailDetails.message_id,), page, descending=False)
