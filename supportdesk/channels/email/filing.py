"""From a saved raw message to a message on a ticket: read it, check it, thread it,
store it. ``inbound`` runs this inside its pipeline and owns the commits; whatever
goes wrong here ends in the quarantine there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid
from functools import lru_cache

from limits import RateLimitItem
from limits import parse as parse_limit
from sqlalchemy import bindparam, func, insert, select

from supportdesk.channels.email.desk_mail import acknowledge_new_ticket, ready_acknowledgement
from supportdesk.channels.email.models import DeliveryStatus, EmailDetails, InboundEmail
from supportdesk.channels.email.outbound import Answered
from supportdesk.channels.email.parse import ParsedEmail, parse_email
from supportdesk.channels.email.quotes import visible_text
from supportdesk.channels.email.storable import SUBJECT, TICKET_SUBJECT, fit, storable
from supportdesk.channels.email.thread import find_thread, returned_message_ids
from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.customers.language import customer_locale
from supportdesk.customers.service import find_or_create_customer
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, AuthorKind, Direction, Message


class Quarantine(Exception):
    """A message we keep but do not file; the text says why."""


@dataclass
class SavedMail:
    """A saved raw message on its way to a ticket, with what has been read of it so far:
    the quarantine keeps sender and subject for agents to triage by."""

    id: int
    raw: bytes
    rfc_message_id: str | None
    sender: str | None = None
    subject: str | None = None


# The pipeline's own statements are built once and run on the session's connection:
# building and compiling a statement per message cost more than running it.
_RECENT_FROM_SENDER = (
    select(func.count())
    .select_from(InboundEmail)
    .where(
        InboundEmail.sender == bindparam("sender"),
        InboundEmail.received_at >= bindparam("since"),
        InboundEmail.id != bindparam("inbound_id"),
    )
)
_STORE_DETAILS = insert(EmailDetails)
_STORE_ATTACHMENTS = insert(Attachment)


def file_mail(session: DbSession, saved: SavedMail) -> Message:
    """The message ``saved`` holds, on its ticket (a new one if it starts a thread).
    Raises ``Quarantine`` for mail that is kept but not filed. Flushes only."""
    started = time.perf_counter()
    parsed = storable(parse_email(saved.raw))
    saved.sender = parsed.sender.address.lower() if parsed.sender else None
    saved.subject = fit(parsed.subject, SUBJECT)
    _check_reading_time(time.perf_counter() - started)
    if parsed.sender_problem:
        raise Quarantine(parsed.sender_problem)
    if parsed.sender is None:
        raise Quarantine("The message has no sender address (From).")
    if _flooding(session, saved, saved.sender or ""):
        raise Quarantine(f"Too many messages from {parsed.sender.address}: rate limited.")
    text = visible_text(parsed.text)
    body = text or "(no text)"
    automatic = parsed.auto_reply is not None
    now = utcnow()
    acknowledgement = None
    if parsed.auto_reply == "bounce":
        # A mail server's bounce is not a customer: it is filed as the desk's own notice.
        thread = find_thread(session, parsed, None)
        if thread.ticket is None:
            raise Quarantine("A bounce for no message of ours.")
        _mark_bounced(session, parsed)
        message = tickets.add_message(
            session,
            thread.ticket,
            body=body,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            author_kind=AuthorKind.SYSTEM,
            author_name=parsed.sender.name or parsed.sender.address,
            created_at=now,
            automatic=automatic,
        )
    else:
        customer = find_or_create_customer(
            session,
            name=parsed.sender.name or None,
            email=parsed.sender.address,
            # a new customer is answered in the language they write (and so is acknowledged)
            locale_from=lambda: customer_locale(declared=parsed.language, text=text),
        )
        thread = find_thread(session, parsed, customer)
        opens_ticket = thread.ticket is None and not automatic
        acknowledgement = ready_acknowledgement(session, customer) if opens_ticket else None
        message = tickets.add_customer_message(
            session,
            customer,
            ticket=thread.ticket,
            channel=Channel.EMAIL,
            body=body,
            subject=fit(parsed.subject, TICKET_SUBJECT),
            author_name=parsed.sender.name or customer.name,
            created_at=now,
            automatic=automatic,
        )
    rfc_message_id = _store_details(session, message, parsed, saved, thread.threaded_by)
    if acknowledgement is not None:
        answered = Answered(rfc_message_id, parsed.references)
        acknowledge_new_ticket(session, acknowledgement, message, answered)
    return message


def _check_reading_time(took: float) -> None:
    """Reading is linear in the size of a message (see ``core.text.flatten``); one that
    still takes longer than the budget is kept for review, not filed at that cost."""
    budget = settings().email_parse_seconds
    if took > budget:
        raise Quarantine(
            f"Reading the message took {took:.1f} s, over the budget of {budget:g} s "
            "(SUPPORTDESK_EMAIL_PARSE_SECONDS)."
        )


@lru_cache(maxsize=8)
def _sender_limit(text: str) -> RateLimitItem:
    """The setting's limit, parsed once rather than on every message."""
    return parse_limit(text)


def _flooding(session: DbSession, saved: SavedMail, address: str) -> bool:
    """More mail from this address within the window than the limit allows?

    Counted on the inbound rows themselves (indexed by sender and time): shared by
    every process with no Redis needed, and cheaper than an in-memory limiter's timers.
    """
    limit = _sender_limit(settings().email_sender_rate_limit)
    since = utcnow() - timedelta(seconds=limit.get_expiry())
    recent = session.connection().scalar(
        _RECENT_FROM_SENDER, {"sender": address, "since": since, "inbound_id": saved.id}
    )
    return (recent or 0) >= limit.amount


def _mark_bounced(session: DbSession, parsed: ParsedEmail) -> None:
    """The replies a bounce returns were not delivered after all: say so on them."""
    returned = returned_message_ids(parsed)
    if not returned:
        return
    summary = " ".join(line.strip() for line in parsed.text.splitlines() if line.strip())
    for details in session.scalars(
        select(EmailDetails).where(EmailDetails.rfc_message_id.in_(returned))
    ):
        if details.delivery_status is not None:
            details.delivery_status = DeliveryStatus.FAILED
            details.delivery_error = fit(f"Bounced: {summary}", 2000)


def _store_details(
    session: DbSession,
    message: Message,
    parsed: ParsedEmail,
    saved: SavedMail,
    threaded_by: str,
) -> str:
    """The e-mail side of the message, and its attachments: rows nobody holds as objects
    while filing, so plain INSERTs (see ``_STORE_DETAILS``). Returns its Message-ID as
    stored."""
    assert parsed.sender is not None
    # The id the duplicate check looks for (``inbound.receive``), so a second copy is one.
    rfc_message_id = (
        saved.rfc_message_id
        or parsed.message_id
        or make_msgid(domain="missing-id.supportdesk")[1:-1]
    )
    session.connection().execute(
        _STORE_DETAILS,
        {
            "message_id": message.id,
            "rfc_message_id": rfc_message_id,
            "in_reply_to": parsed.in_reply_to[0] if parsed.in_reply_to else None,
            "references": parsed.references,
            "from_address": parsed.sender.address,
            "from_name": parsed.sender.name,
            "to": [{"name": a.name, "address": a.address} for a in parsed.to],
            "cc": [{"name": a.name, "address": a.address} for a in parsed.cc],
            "subject": parsed.subject,
            "full_text": parsed.text,
            "html": parsed.html,
            "threaded_by": threaded_by,
            "auto_reply": parsed.auto_reply,
            "inbound_email_id": saved.id,
        },
    )
    if parsed.attachments:
        session.connection().execute(
            _STORE_ATTACHMENTS,
            [
                {
                    "message_id": message.id,
                    "filename": attachment.filename,
                    "content_type": attachment.content_type,
                    "size": len(attachment.data),
                    "content_id": attachment.content_id,
                    "inline": attachment.inline,
                    "data": attachment.data,
                }
                for attachment in parsed.attachments
            ],
        )
        # Listeners may read the collection before the commit (the agents' live view).
        session.expire(message, ["attachments"])
    return rfc_message_id
