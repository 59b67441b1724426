"""Filing inbound mail: store the raw bytes first, then parse, thread and store.

``receive`` is the one pipeline behind the webhook, the ``ingest-email`` command and
the IMAP poller. It commits twice on purpose: once the raw message is saved nothing
can be lost, and whatever fails after that leaves the message quarantined (kept,
listed for agents, re-processable) instead of failing the sender's MTA.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import make_msgid

from flask import current_app
from limits import parse as parse_limit
from sqlalchemy import select

from supportdesk.channels.email.models import EmailDetails, InboundEmail, InboundStatus
from supportdesk.channels.email.parse import ParsedEmail, parse_email
from supportdesk.channels.email.quotes import visible_text
from supportdesk.channels.email.system_mail import acknowledge_new_ticket
from supportdesk.channels.email.thread import find_thread
from supportdesk.core.channels import Channel
from supportdesk.core.errors import DomainError
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers.service import find_or_create_customer
from supportdesk.extensions import limiter
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, AuthorKind, Direction, Message

log = logging.getLogger(__name__)


class MessageTooLarge(DomainError):
    status = 413
    title = "Content too large"


class Quarantine(Exception):
    """A message we keep but do not file; the text says why."""


@dataclass
class Receipt:
    inbound_id: int | None
    ticket_id: int | None
    message_id: int | None
    duplicate: bool = False
    quarantined: bool = False


def _header_message_id(raw: bytes) -> str | None:
    headers = BytesHeaderParser().parsebytes(raw[:65536])
    value = (headers.get("Message-ID") or "").strip()
    return value.strip("<>").strip() or None


def _already_have(session: DbSession, rfc_message_id: str) -> Receipt | None:
    filed = session.execute(
        select(EmailDetails.message_id, Message.ticket_id)
        .join(Message, Message.id == EmailDetails.message_id)
        .where(EmailDetails.rfc_message_id == rfc_message_id)
    ).first()
    if filed is not None:
        return Receipt(None, filed.ticket_id, filed.message_id, duplicate=True)
    kept = session.scalar(
        select(InboundEmail.id).where(
            InboundEmail.rfc_message_id == rfc_message_id,
            InboundEmail.status == InboundStatus.QUARANTINED,
        )
    )
    if kept is not None:
        return Receipt(kept, None, None, duplicate=True, quarantined=True)
    return None


def receive(session: DbSession, raw: bytes, source: str) -> Receipt:
    """Save ``raw`` and file it. Raises only when the raw message itself was not saved."""
    limit = current_app.config["EMAIL_MAX_BYTES"]
    if len(raw) > limit:
        raise MessageTooLarge(f"The message is {len(raw)} bytes; the limit is {limit}.")
    rfc_message_id = _header_message_id(raw)
    if rfc_message_id:
        duplicate = _already_have(session, rfc_message_id)
        if duplicate is not None:
            return duplicate
    inbound = InboundEmail(source=source, raw=raw, size=len(raw), rfc_message_id=rfc_message_id)
    session.add(inbound)
    session.commit()
    return file_inbound(session, inbound)


def file_inbound(session: DbSession, inbound: InboundEmail) -> Receipt:
    """Parse, thread and store a saved message; quarantine it if any of that fails."""
    inbound_id = inbound.id
    try:
        message = _file(session, inbound)
    except Exception as error:  # anything at all: the message is kept, not lost
        session.rollback()
        reason = str(error) if isinstance(error, Quarantine) else f"{type(error).__name__}: {error}"
        if not isinstance(error, Quarantine):
            log.exception("inbound e-mail %s quarantined", inbound_id)
        kept = session.get(InboundEmail, inbound_id)
        assert kept is not None
        kept.status = InboundStatus.QUARANTINED
        kept.error = reason[:2000]
        kept.processed_at = utcnow()
        session.commit()
        return Receipt(inbound_id, None, None, quarantined=True)
    session.commit()
    return Receipt(inbound_id, message.ticket_id, message.id)


def _flooding(address: str) -> bool:
    limit = parse_limit(current_app.config["EMAIL_SENDER_RATE_LIMIT"])
    return not limiter.limiter.hit(limit, "inbound-email", address.lower())


def _file(session: DbSession, inbound: InboundEmail) -> Message:
    parsed = parse_email(inbound.raw)
    inbound.sender = parsed.sender.address[:320] if parsed.sender else None
    inbound.subject = parsed.subject[:998]
    if parsed.sender is None:
        raise Quarantine("The message has no sender address (From).")
    if _flooding(parsed.sender.address):
        raise Quarantine(f"Too many messages from {parsed.sender.address}: rate limited.")
    customer = find_or_create_customer(
        session, name=parsed.sender.name or None, email=parsed.sender.address
    )
    thread = find_thread(session, parsed, customer)
    now = utcnow()
    ticket = thread.ticket or tickets.create_ticket(
        session, subject=parsed.subject, channel=Channel.EMAIL, customer=customer, at=now
    )
    message = tickets.add_message(
        session,
        ticket,
        body=visible_text(parsed.text) or "(no text)",
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        author_kind=AuthorKind.CUSTOMER,
        author_customer=customer,
        author_name=parsed.sender.name or customer.name,
        created_at=now,
        automatic=parsed.auto_reply is not None,
    )
    _store_details(session, message, parsed, inbound, thread.threaded_by)
    if thread.ticket is None and parsed.auto_reply is None:
        acknowledge_new_ticket(session, ticket)
    inbound.status = InboundStatus.FILED
    inbound.message_id = message.id
    inbound.error = None
    inbound.processed_at = now
    session.flush()
    return message


def _store_details(
    session: DbSession,
    message: Message,
    parsed: ParsedEmail,
    inbound: InboundEmail,
    threaded_by: str,
) -> None:
    assert parsed.sender is not None
    session.add(
        EmailDetails(
            message_id=message.id,
            rfc_message_id=parsed.message_id or make_msgid(domain="missing-id.supportdesk")[1:-1],
            in_reply_to=parsed.in_reply_to[0] if parsed.in_reply_to else None,
            references=parsed.references,
            from_address=parsed.sender.address,
            from_name=parsed.sender.name,
            to=[{"name": a.name, "address": a.address} for a in parsed.to],
            cc=[{"name": a.name, "address": a.address} for a in parsed.cc],
            subject=parsed.subject,
            full_text=parsed.text,
            html=parsed.html,
            threaded_by=threaded_by,
            auto_reply=parsed.auto_reply,
            inbound_email_id=inbound.id,
        )
    )
    for attachment in parsed.attachments:
        message.attachments.append(
            Attachment(
                filename=attachment.filename[:255],
                content_type=attachment.content_type[:255],
                size=len(attachment.data),
                content_id=attachment.content_id,
                inline=attachment.inline,
                data=attachment.data,
            )
        )
