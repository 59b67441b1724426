"""Replies by e-mail: queued with the message, sent by the worker over SMTP, retried.

The delivery state lives on the message (``EmailDetails.delivery_status``): queued,
sent, or failed with the reason, so nothing is ever dropped silently. Temporary
failures retry with exponential backoff; a periodic task picks up anything due. The
tasks (``tasks``) own the commits: ``claim``, commit, ``send_claimed``, commit.
"""

from __future__ import annotations

import logging
import mailbox
import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.channels.email.addresses import reply_address, support_address
from supportdesk.channels.email.mail_policy import new_mail
from supportdesk.channels.email.models import DeliveryStatus, EmailDetails
from supportdesk.core.database import session_of
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.tickets.models import AuthorKind, Message, Ticket, TicketEvent
from supportdesk.tickets.refs import subject_refs

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
#: the ticket event an agent's retry records (``deliveries.retry``); its ``attempts`` is the
#: count at that moment, from which the delivery has ``MAX_ATTEMPTS`` more
RETRIED_EVENT = "email_retried"
#: a worker that claimed a delivery owns it this long before another may retry it
LEASE = timedelta(minutes=5)


class PermanentFailure(Exception):
    """The server refused for good (bad address, message rejected): no retry."""


class TemporaryFailure(Exception):
    """The server said "not now" (4xx: greylisting, a full mailbox): retry later."""


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


#: ``SUPPORTDESK_SMTP_URL`` that delivers into a local maildir instead of a mail server
OUTBOX_SCHEME = "maildir"


class EmailNotSetUp(InvalidInput):
    """An agent's e-mail reply on a desk that cannot send mail."""


def require_outgoing_mail() -> None:
    """Refuse, while the agent is writing, a reply that could never be sent."""
    if not settings().smtp_url:
        raise EmailNotSetUp.field(
            "channel",
            "E-mail is not set up on this desk (no SUPPORTDESK_SMTP_URL): "
            "this reply cannot go out by e-mail. Reply on another channel, or ask an admin "
            "to set up e-mail.",
        )


#: the mail a reply answers: the ticket's latest people's mail (not our automatic mail,
#: nor a reply that never left); built once, as it is run for every mail queued. Only the
#: ids it threads by: the whole row would bring its text and HTML along.
_LATEST_ANSWERED = (
    select(EmailDetails.rfc_message_id, EmailDetails.references)
    .join(Message, Message.id == EmailDetails.message_id)
    .where(
        Message.ticket_id == bindparam("ticket_id"),
        EmailDetails.message_id != bindparam("message_id"),
        Message.author_kind != AuthorKind.SYSTEM,
        or_(
            EmailDetails.delivery_status.is_(None),
            EmailDetails.delivery_status != DeliveryStatus.FAILED,
        ),
    )
    .order_by(Message.created_at.desc(), Message.id.desc())
    .limit(1)
)


@dataclass(frozen=True)
class Answered:
    """The ids a reply threads by, of the mail it answers (``_LATEST_ANSWERED``'s row)."""

    rfc_message_id: str
    references: list[str]


_ANSWERING = "supportdesk.email.answering"


@contextmanager
def answering(session: DbSession, ticket: Ticket, mail: Answered) -> Iterator[None]:
    """Mail queued on ``ticket`` within answers ``mail``, which the caller knows to be the
    ticket's latest people's mail (the one that just opened it): ``queue_email`` does not
    look it up. The lookup would be a query between the filed message and the commit,
    which splits the writes queued for both (``core.queued_writes``) into two batches."""
    session.info[_ANSWERING] = (ticket.id, mail)
    try:
        yield
    finally:
        del session.info[_ANSWERING]


def _latest_answered(session: DbSession, message: Message) -> Answered | None:
    known: tuple[int, Answered] | None = session.info.get(_ANSWERING)
    if known is not None and known[0] == message.ticket_id:
        return known[1]
    row = session.execute(
        _LATEST_ANSWERED, {"ticket_id": message.ticket_id, "message_id": message.id}
    ).first()
    return Answered(row.rfc_message_id, row.references) if row else None


def queue_email(message: Message, to: tuple[str, str] | None = None) -> EmailDetails:
    """Address the message to ``to`` (name, address), by default the ticket's customer,
    and mark it queued for the worker (``listeners`` enqueue the task once the reply
    commits), or failed when there is no address to send it to.

    Replies on the e-mail channel come here; so does a chat reply whose visitor
    has left the page (to the address the visitor typed, if that is all there is).
    """
    session = session_of(message)
    ticket = message.ticket
    previous = _latest_answered(session, message)
    references = [*previous.references, previous.rfc_message_id][-20:] if previous else []
    emails = [to[1]] if to else ticket.customer.emails
    to_name = to[0] if to else ticket.customer.name
    details = EmailDetails(
        message_id=message.id,
        rfc_message_id=make_msgid(domain=support_address().partition("@")[2] or None)[1:-1],
        in_reply_to=previous.rfc_message_id if previous else None,
        references=references,
        from_address=support_address(),
        from_name=message.author_name,
        to=[{"name": to_name, "address": emails[0]}] if emails else [],
        subject=_subject(ticket),
        full_text=message.body,
        delivery_status=DeliveryStatus.QUEUED,
        next_attempt_at=message.created_at,
    )
    if not emails:
        details.delivery_status = DeliveryStatus.FAILED
        details.delivery_error = "The customer has no e-mail address."
        details.next_attempt_at = None
    session.add(details)
    # ``message.email`` is this row, as the flush will store it: known, not queried for
    # by whoever reads it next (``desk_mail.send_system_email`` words its subject)
    set_committed_value(message, "email", details)
    return details


def _subject(ticket: Ticket) -> str:
    subject = _one_line(ticket.subject)
    if ticket.ref.upper() not in (r.upper() for r in subject_refs(subject)):
        subject = f"{subject} [{ticket.ref}]"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def _one_line(value: str) -> str:
    """A header value: line breaks (an encoded-word can carry them into a subject or
    a name) would end the header, so they become spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", value).strip()


def address_header(name: str, address: str) -> Address:
    """The address as it goes on the wire: an IDN domain in its ASCII (punycode) form,
    since customers' addresses are stored with Unicode domains (``li@例子.广告``)."""
    try:
        valid = validate_email(address, check_deliverability=False)
        local, domain = valid.local_part, valid.ascii_domain
    except EmailNotValidError:
        local, _, domain = address.rpartition("@")
    return Address(display_name=_one_line(name), username=local, domain=domain)


def compose(details: EmailDetails) -> EmailMessage:
    message = details.message
    mail = new_mail()
    mail["Message-ID"] = f"<{details.rfc_message_id}>"
    mail["Date"] = format_datetime(message.created_at)
    mail["From"] = address_header(details.from_name, details.from_address)
    mail["Reply-To"] = reply_address(message.ticket.ref)
    mail["To"] = [address_header(to["name"], to["address"]) for to in details.to]
    mail["Subject"] = _one_line(details.subject)
    if details.in_reply_to:
        mail["In-Reply-To"] = f"<{details.in_reply_to}>"
    if details.references:
        mail["References"] = " ".join(f"<{ref}>" for ref in details.references)
    if message.author_kind is AuthorKind.SYSTEM:
        mail["Auto-Submitted"] = "auto-replied"  # RFC 3834: robots must not answer it
    # 7-bit safe transfer encodings: not every relay speaks 8BITMIME.
    mail.set_content(message.body, cte="quoted-printable")
    mail.add_alternative(
        f'<!doctype html><html><body><div dir="auto">{message.body_html}</div></body></html>',
        subtype="html",
        cte="quoted-printable",
    )
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        if maintype in ("multipart", "message") or not subtype:
            # a container type cannot be sent as base64 bytes: sent as the file it is
            maintype, subtype = "application", "octet-stream"
        # a non-ASCII name goes as RFC 2231's filename*=utf-8''...
        mail.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return mail


def open_maildir(folder: Path) -> mailbox.Maildir:
    """The maildir at ``folder``, its ``tmp``, ``new`` and ``cur`` made if missing.

    ``Maildir(create=True)`` makes them only when ``folder`` itself is missing: an empty
    folder made beforehand (``mkdir``, a mounted volume) failed every delivery.
    """
    for part in ("tmp", "new", "cur"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(folder, create=False)


def send_mail(mail: EmailMessage) -> None:
    url = settings().smtp_url
    if not url:
        raise PermanentFailure("No SMTP server is configured (SUPPORTDESK_SMTP_URL).")
    parts = urlsplit(url)
    if parts.scheme == OUTBOX_SCHEME:
        open_maildir(Path(unquote(parts.path))).add(mail)
        return
    options = parse_qs(parts.query)
    host, timeout = parts.hostname or "localhost", 30
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=timeout)
    with client:
        client.ehlo()
        if parts.scheme == "smtp" and options.get("starttls", ["0"])[0] in ("1", "true"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        try:
            client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            refusals = error.recipients.items()
            reason = "; ".join(
                f"{address} refused: {_reply(code, text)}" for address, (code, text) in refusals
            )
            if all(code >= 500 for code, _ in error.recipients.values()):
                raise PermanentFailure(reason) from error
            raise TemporaryFailure(reason) from error
        except smtplib.SMTPSenderRefused as error:
            reason = f"{error.sender} refused: {_reply(error.smtp_code, error.smtp_error)}"
            if error.smtp_code >= 500:
                raise PermanentFailure(reason) from error
            raise TemporaryFailure(reason) from error
        except smtplib.SMTPDataError as error:
            reason = f"The message was refused: {_reply(error.smtp_code, error.smtp_error)}"
            if error.smtp_code >= 500:
                raise PermanentFailure(reason) from error
            raise TemporaryFailure(reason) from error
        except smtplib.SMTPNotSupportedError as error:
            # A mailbox name in Unicode needs SMTPUTF8, and this server does not offer it.
            raise PermanentFailure(f"{error} (needed for {mail['To']})") from error


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"


def _compose(details: EmailDetails) -> EmailMessage:
    try:
        return compose(details)
    except Exception as error:  # waiting will not make it writable: fail it, visibly
        log.exception("e-mail %s cannot be composed", details.message_id)
        raise PermanentFailure(
            f"The e-mail could not be composed: {type(error).__name__}: {error}"
        ) from error


#: what ``compose`` reads, loaded with the claimed row (the attachments follow in one
#: statement of their own, ``Message.attachments`` being ``selectin``)
_TO_COMPOSE = (joinedload(EmailDetails.message).joinedload(Message.ticket),)


#: the lease; built once, as every delivery runs it. Sessions' copies are not updated
#: (``claim`` reads the row afresh instead).
_CLAIM = (
    update(EmailDetails)
    .where(
        EmailDetails.message_id == bindparam("claimed_id"),
        EmailDetails.delivery_status == DeliveryStatus.QUEUED,
        EmailDetails.next_attempt_at <= bindparam("now"),
    )
    .values(next_attempt_at=bindparam("lease_ends"), attempts=EmailDetails.attempts + 1)
    .execution_options(synchronize_session=False)
)


def claim(session: DbSession, message_id: int) -> EmailDetails | None:
    """Take the lease on a queued reply if it is due and nobody else is sending it,
    and load what ``compose`` reads of it.

    Flushes only: the caller commits the claim before it sends, so that another worker
    sees the lease while the SMTP conversation lasts.
    """
    now = utcnow()
    claimed = session.execute(
        _CLAIM, {"claimed_id": message_id, "now": now, "lease_ends": now + LEASE}
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    # read afresh: a copy this session holds is not what the UPDATE left
    return session.get(EmailDetails, message_id, options=_TO_COMPOSE, populate_existing=True)


def send_claimed(details: EmailDetails) -> None:
    """Send a claimed reply and record how it went on ``details`` (for the caller to
    commit): sent; failed for good; or due again after a backoff."""
    try:
        send_mail(_compose(details))
    except PermanentFailure as error:
        details.delivery_status = DeliveryStatus.FAILED
        details.delivery_error = str(error)[:2000]
        details.next_attempt_at = None
    except Exception as error:  # OSError, SMTPException, 4xx, or a surprise: retried, visibly
        reason = str(error) if isinstance(error, TemporaryFailure) else None
        details.delivery_error = (reason or f"{type(error).__name__}: {error}")[:2000]
        if details.attempts >= MAX_ATTEMPTS and details.attempts >= attempt_limit(details):
            details.delivery_status = DeliveryStatus.FAILED
            details.next_attempt_at = None
        else:
            details.next_attempt_at = utcnow() + backoff(details.attempts)
        log.warning(
            "e-mail %s not sent (attempt %s): %s", details.message_id, details.attempts, error
        )
    else:
        details.delivery_status = DeliveryStatus.SENT
        details.delivery_error = None
        details.next_attempt_at = None
        details.sent_at = utcnow()


def attempt_limit(details: EmailDetails) -> int:
    """How many attempts in all ``details`` may make before a temporary failure is final.

    ``MAX_ATTEMPTS``, and after an agent's retry ``MAX_ATTEMPTS`` more than it had made
    then: ``attempts`` counts every try for the record, so the retry's own event (with
    the count at that moment) says where the new allowance starts.
    """
    retried_after = session_of(details).scalar(
        select(func.max(TicketEvent.data["attempts"].as_integer())).where(
            TicketEvent.event == RETRIED_EVENT,
            TicketEvent.data["message_id"].as_integer() == details.message_id,
        )
    )
    return (retried_after or 0) + MAX_ATTEMPTS


def due_deliveries(session: DbSession) -> list[int]:
    return list(
        session.scalars(
            select(EmailDetails.message_id).where(
                EmailDetails.delivery_status == DeliveryStatus.QUEUED,
                EmailDetails.next_attempt_at <= utcnow(),
            )
        )
    )
