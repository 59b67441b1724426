"""Filing inbound mail: store the raw bytes first, then parse, thread and store.

``receive`` is the one pipeline behind the webhook, the ``ingest-email`` command and
the IMAP poller. It commits twice on purpose: once the raw message is saved nothing
can be lost, and whatever fails after that leaves the message quarantined (kept,
listed for agents, re-processable) instead of failing the sender's MTA.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from flask import current_app
from huey import crontab
from limits import parse as parse_limit
from sqlalchemy import (
    Integer,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from supportdesk.channels.email.models import (
    DeliveryStatus,
    EmailDetails,
    InboundEmail,
    InboundStatus,
)
from supportdesk.channels.email.parse import (
    MAX_ID,
    EmailAddress,
    ParsedEmail,
    message_id_in,
    parse_email,
)
from supportdesk.channels.email.quotes import visible_text
from supportdesk.channels.email.system_mail import acknowledge_new_ticket
from supportdesk.channels.email.thread import find_thread, returned_message_ids
from supportdesk.core.channels import Channel
from supportdesk.core.errors import DomainError
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.tasks import periodic_task
from supportdesk.core.text import storable_text
from supportdesk.core.time import utcnow
from supportdesk.customers.language import customer_locale
from supportdesk.customers.service import find_or_create_customer
from supportdesk.extensions import db
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, AuthorKind, Direction, Message

log = logging.getLogger(__name__)


class MessageTooLarge(DomainError):
    status = 413


class Quarantine(Exception):
    """A message we keep but do not file; the text says why."""


@dataclass
class Receipt:
    inbound_id: int | None
    ticket_id: int | None
    message_id: int | None
    duplicate: bool = False
    quarantined: bool = False


#: Text columns take no NUL (PostgreSQL) nor lone surrogates (no database), and ``String(n)``
#: columns no more than n characters: what a sloppy client writes is made to fit instead
#: of failing the message.
_NAME, _ADDRESS, _SUBJECT, _TICKET_SUBJECT, _FILENAME = 200, 320, 998, 500, 255


def _fit(value: str, length: int | None = None) -> str:
    value = storable_text(value)
    return value[:length] if length else value


def _storable(parsed: ParsedEmail) -> ParsedEmail:
    """``parsed`` with every string the database will hold made storable on any database."""

    def address(a: EmailAddress) -> EmailAddress:
        return EmailAddress(name=_fit(a.name, _NAME), address=_fit(a.address, _ADDRESS))

    def ident(value: str) -> str:
        return _fit(value, MAX_ID)

    return replace(
        parsed,
        in_reply_to=[ident(i) for i in parsed.in_reply_to],
        references=[ident(i) for i in parsed.references],
        subject=_fit(parsed.subject),
        sender=address(parsed.sender) if parsed.sender else None,
        reply_to=[address(a) for a in parsed.reply_to],
        to=[address(a) for a in parsed.to],
        cc=[address(a) for a in parsed.cc],
        text=_fit(parsed.text),
        html=_fit(parsed.html) if parsed.html is not None else None,
        attachments=[
            replace(
                a,
                filename=_fit(a.filename, _FILENAME),
                content_type=_fit(a.content_type, _FILENAME),
                content_id=_fit(a.content_id, _FILENAME) if a.content_id else None,
            )
            for a in parsed.attachments
        ],
    )


# The pipeline's own statements are built once and run on the session's connection:
# building and compiling a statement per message cost more than running it.

#: a message with this Message-ID filed (or sent by us), or kept in quarantine
_ALREADY_HAVE = union_all(
    select(Message.id, Message.ticket_id, literal(None, Integer).label("kept"))
    .join(EmailDetails, Message.id == EmailDetails.message_id)
    .where(EmailDetails.rfc_message_id == bindparam("rfc_message_id")),
    select(literal(None, Integer), literal(None, Integer), InboundEmail.id).where(
        InboundEmail.rfc_message_id == bindparam("rfc_message_id"),
        InboundEmail.status == InboundStatus.QUARANTINED,
    ),
).limit(1)
_SAVE_RAW = insert(InboundEmail).returning(InboundEmail.id)
_UPDATE_INBOUND = update(InboundEmail).where(InboundEmail.id == bindparam("inbound_id"))
_FORGET_INBOUND = delete(InboundEmail).where(InboundEmail.id == bindparam("inbound_id"))
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


def _already_have(session: DbSession, rfc_message_id: str) -> Receipt | None:
    row = session.connection().execute(_ALREADY_HAVE, {"rfc_message_id": rfc_message_id}).first()
    if row is None:
        return None
    message_id, ticket_id, kept_id = row
    return Receipt(kept_id, ticket_id, message_id, duplicate=True, quarantined=kept_id is not None)


@dataclass
class _Saved:
    """A saved raw message on its way to a ticket, with what has been read of it so far:
    the quarantine keeps sender and subject for agents to triage by."""

    id: int
    raw: bytes
    rfc_message_id: str | None
    sender: str | None = None
    subject: str | None = None


def receive(session: DbSession, raw: bytes, source: str) -> Receipt:
    """Save ``raw`` and file it. Raises only when the raw message itself was not saved."""
    limit = current_app.config["EMAIL_MAX_BYTES"]
    if len(raw) > limit:
        raise MessageTooLarge(f"The message is {len(raw)} bytes; the limit is {limit}.")
    rfc_message_id = message_id_in(raw)
    if rfc_message_id:
        duplicate = _already_have(session, rfc_message_id)
        if duplicate is not None:
            return duplicate
    inbound_id = (
        session.connection()
        .execute(
            _SAVE_RAW,
            {"source": source, "raw": raw, "size": len(raw), "rfc_message_id": rfc_message_id},
        )
        .scalar_one()
    )
    session.commit()
    # The raw bytes come along: reading them back from the row would cost a 25 MB SELECT.
    return _file_saved(session, _Saved(inbound_id, raw, rfc_message_id))


def file_inbound(session: DbSession, inbound: InboundEmail) -> Receipt:
    """Parse, thread and store a saved message; quarantine it if any of that fails."""
    return _file_saved(session, _Saved(inbound.id, inbound.raw, inbound.rfc_message_id))


def _file_saved(session: DbSession, saved: _Saved) -> Receipt:
    try:
        message = _file(session, saved)
    except IntegrityError as error:
        session.rollback()
        twin = _filed_twin(session, saved)
        if twin is not None:
            return twin
        log.exception("inbound e-mail %s quarantined", saved.id)
        return _quarantine(session, saved, f"IntegrityError: {error.orig}")
    except Exception as error:  # anything at all: the message is kept, not lost
        session.rollback()
        reason = str(error) if isinstance(error, Quarantine) else f"{type(error).__name__}: {error}"
        if not isinstance(error, Quarantine):
            log.exception("inbound e-mail %s quarantined", saved.id)
        return _quarantine(session, saved, reason)
    _update_inbound(session, saved, status=InboundStatus.FILED, message_id=message.id, error=None)
    receipt = Receipt(saved.id, message.ticket_id, message.id)
    session.commit()
    return receipt


def _filed_twin(session: DbSession, saved: _Saved) -> Receipt | None:
    """A copy of this message (same Message-ID) filed by someone else while we filed ours:
    the unique Message-ID stopped ours. Ours is then the duplicate: answered with the
    twin's ids, its raw row forgotten (the twin's raw bytes are the same message)."""
    if saved.rfc_message_id is None:
        return None
    twin = _already_have(session, saved.rfc_message_id)
    if twin is None or twin.message_id is None:
        return None
    session.connection().execute(_FORGET_INBOUND, {"inbound_id": saved.id})
    session.commit()
    return twin


def _quarantine(session: DbSession, saved: _Saved, reason: str) -> Receipt:
    _update_inbound(session, saved, status=InboundStatus.QUARANTINED, error=_fit(reason, 2000))
    session.commit()
    return Receipt(saved.id, None, None, quarantined=True)


def _update_inbound(session: DbSession, saved: _Saved, **values: Any) -> None:
    """How the filing ended, with sender and subject as far as they were read."""
    if saved.sender is not None or saved.subject is not None:
        values.update(sender=saved.sender, subject=saved.subject)
    session.connection().execute(
        _UPDATE_INBOUND, {"inbound_id": saved.id, "processed_at": utcnow(), **values}
    )


def _flooding(session: DbSession, saved: _Saved, address: str) -> bool:
    """More mail from this address within the window than the limit allows?

    Counted on the inbound rows themselves (indexed by sender and time): shared by
    every process with no Redis needed, and cheaper than an in-memory limiter's timers.
    """
    limit = parse_limit(current_app.config["EMAIL_SENDER_RATE_LIMIT"])
    since = utcnow() - timedelta(seconds=limit.get_expiry())
    recent = session.connection().scalar(
        _RECENT_FROM_SENDER, {"sender": address, "since": since, "inbound_id": saved.id}
    )
    return (recent or 0) >= limit.amount


def _check_reading_time(took: float) -> None:
    """Reading is linear in the size of a message (see ``core.text.flatten``); one that
    still takes longer than the budget is kept for review, not filed at that cost."""
    budget = float(current_app.config["EMAIL_PARSE_SECONDS"])
    if took > budget:
        raise Quarantine(
            f"Reading the message took {took:.1f} s, over the budget of {budget:g} s "
            "(SUPPORTDESK_EMAIL_PARSE_SECONDS)."
        )


def _file(session: DbSession, saved: _Saved) -> Message:
    started = time.perf_counter()
    parsed = _storable(parse_email(saved.raw))
    saved.sender = parsed.sender.address.lower() if parsed.sender else None
    saved.subject = _fit(parsed.subject, _SUBJECT)
    _check_reading_time(time.perf_counter() - started)
    if parsed.sender_problem:
        raise Quarantine(parsed.sender_problem)
    if parsed.sender is None:
        raise Quarantine("The message has no sender address (From).")
    if _flooding(session, saved, saved.sender or ""):
        raise Quarantine(f"Too many messages from {parsed.sender.address}: rate limited.")
    bounce = parsed.auto_reply == "bounce"
    body = visible_text(parsed.text)
    # A mail server's bounce is not a customer: it is filed as the desk's own notice.
    customer = (
        None
        if bounce
        else find_or_create_customer(
            session,
            name=parsed.sender.name or None,
            email=parsed.sender.address,
            # a new customer is answered in the language they write (and so is acknowledged)
            locale_from=lambda: customer_locale(declared=parsed.language, text=body),
        )
    )
    thread = find_thread(session, parsed, customer)
    if bounce:
        if thread.ticket is None:
            raise Quarantine("A bounce for no message of ours.")
        _mark_bounced(session, parsed)
    now = utcnow()
    ticket = thread.ticket
    if ticket is None:
        assert customer is not None  # a bounce without a thread was quarantined above
        ticket = tickets.create_ticket(
            session,
            subject=_fit(parsed.subject, _TICKET_SUBJECT),
            channel=Channel.EMAIL,
            customer=customer,
            at=now,
        )
    message = tickets.add_message(
        session,
        ticket,
        body=body or "(no text)",
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        author_kind=AuthorKind.SYSTEM if customer is None else AuthorKind.CUSTOMER,
        author_customer=customer,
        author_name=parsed.sender.name or (customer.name if customer else parsed.sender.address),
        created_at=now,
        automatic=parsed.auto_reply is not None,
    )
    _store_details(session, message, parsed, saved, thread.threaded_by)
    if thread.ticket is None and parsed.auto_reply is None:
        acknowledge_new_ticket(session, ticket)
    return message


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
            details.delivery_error = _fit(f"Bounced: {summary}", 2000)


def _store_details(
    session: DbSession,
    message: Message,
    parsed: ParsedEmail,
    saved: _Saved,
    threaded_by: str,
) -> None:
    """The e-mail side of the message, and its attachments: rows nobody holds as objects
    while filing, so plain INSERTs (see ``_STORE_DETAILS``)."""
    assert parsed.sender is not None
    session.connection().execute(
        _STORE_DETAILS,
        {
            "message_id": message.id,
            # The id the duplicate check looks for (``receive``), so a second copy is one.
            "rfc_message_id": saved.rfc_message_id
            or parsed.message_id
            or make_msgid(domain="missing-id.supportdesk")[1:-1],
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


def quarantine_page(session: DbSession, page: PageRequest) -> Page[InboundEmail]:
    """Messages kept but not filed, newest first."""
    stmt = select(InboundEmail).where(InboundEmail.status == InboundStatus.QUARANTINED)
    return keyset_page(session, stmt, (InboundEmail.id,), page, descending=True)


#: a message still "received" this long after it came was interrupted mid-filing
STUCK_AFTER = timedelta(minutes=10)


def file_interrupted(session: DbSession) -> int:
    """File again what a crash (a killed process, a lost database) left half-done.

    Each row on its own: one that fails in a way filing does not catch is quarantined
    with the reason (or, if even that fails, left for the next sweep), and the sweep
    goes on with the others.
    """
    ids = session.scalars(
        select(InboundEmail.id)
        .where(
            InboundEmail.status == InboundStatus.RECEIVED,
            InboundEmail.received_at < utcnow() - STUCK_AFTER,
        )
        .order_by(InboundEmail.id)
    ).all()
    for inbound_id in ids:
        try:
            row = session.get(InboundEmail, inbound_id)
            if row is not None and row.status is InboundStatus.RECEIVED:
                file_inbound(session, row)
        except Exception as error:
            session.rollback()
            log.exception("inbound e-mail %s could not be filed by the sweep", inbound_id)
            _quarantine_unfiled(session, inbound_id, error)
    return len(ids)


def _quarantine_unfiled(session: DbSession, inbound_id: int, error: Exception) -> None:
    try:
        _quarantine(session, _Saved(inbound_id, b"", None), f"{type(error).__name__}: {error}")
    except Exception:
        session.rollback()
        log.exception("inbound e-mail %s stays received for the next sweep", inbound_id)


@periodic_task(crontab(minute="*/10"))
def file_interrupted_task() -> None:
    file_interrupted(db.session)
