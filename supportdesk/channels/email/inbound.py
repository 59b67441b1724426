"""Filing inbound mail: store the raw bytes first, then parse, thread and store.

``receive`` is the one pipeline behind the webhook, the ``ingest-email`` command and
the IMAP poller; ``reprocess`` (an agent's retry) and ``file_interrupted`` (the
sweep) file saved rows through the same steps.

The pipeline commits, twice, on purpose: the documented exception to "the edge
commits". Once the raw message is saved nothing can be lost, and whatever fails
after that leaves the message quarantined (kept, listed for agents, re-processable)
instead of failing the sender's MTA; so its callers (a view, a command, a task) do
not commit its work again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    LargeBinary,
    String,
    bindparam,
    delete,
    exists,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from supportdesk.channels.email.filing import Quarantine, SavedMail, file_mail
from supportdesk.channels.email.models import EmailDetails, InboundEmail, InboundStatus
from supportdesk.channels.email.parse import message_id_in
from supportdesk.channels.email.storable import fit
from supportdesk.core.database import get_or_not_found
from supportdesk.core.errors import Conflict, DomainError
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.tickets.models import Message

log = logging.getLogger(__name__)


class MessageTooLarge(DomainError):
    status = 413


@dataclass
class Receipt:
    inbound_id: int | None
    ticket_id: int | None
    message_id: int | None
    duplicate: bool = False
    quarantined: bool = False


# Built once, run on the session's connection (see ``filing``).

_FILED = (
    select(Message.id, Message.ticket_id, literal(None, Integer).label("kept"))
    .join(EmailDetails, Message.id == EmailDetails.message_id)
    .where(EmailDetails.rfc_message_id == bindparam("rfc_message_id"))
)
_KEPT = select(literal(None, Integer), literal(None, Integer), InboundEmail.id).where(
    InboundEmail.rfc_message_id == bindparam("rfc_message_id"),
    InboundEmail.status == InboundStatus.QUARANTINED,
)
#: a message with this Message-ID filed (or sent by us), or kept in quarantine
_ALREADY_HAVE = union_all(_FILED, _KEPT).limit(1)
_SAVE_RAW = insert(InboundEmail).returning(InboundEmail.id)
#: the raw bytes saved unless ``_ALREADY_HAVE`` has the message: one statement for the
#: two on every new message (a duplicate then costs one more, to say which it is)
_SAVE_RAW_UNLESS_HAD = (
    insert(InboundEmail)
    .from_select(
        ["source", "raw", "size", "rfc_message_id"],
        select(
            bindparam("source", type_=String),
            bindparam("raw", type_=LargeBinary),
            bindparam("size", type_=Integer),
            bindparam("rfc_message_id", type_=String),
        ).where(~exists(_FILED), ~exists(_KEPT)),
    )
    .returning(InboundEmail.id)
)
_UPDATE_INBOUND = update(InboundEmail).where(InboundEmail.id == bindparam("inbound_id"))
_FORGET_INBOUND = delete(InboundEmail).where(InboundEmail.id == bindparam("inbound_id"))


def _already_have(session: DbSession, rfc_message_id: str) -> Receipt | None:
    row = session.connection().execute(_ALREADY_HAVE, {"rfc_message_id": rfc_message_id}).first()
    if row is None:
        return None
    message_id, ticket_id, kept_id = row
    return Receipt(kept_id, ticket_id, message_id, duplicate=True, quarantined=kept_id is not None)


def receive(session: DbSession, raw: bytes, source: str) -> Receipt:
    """Save ``raw`` and file it. Raises only when the raw message itself was not saved.

    Commits twice: the raw bytes, then the filed (or quarantined) message. A message
    we have already (its Message-ID filed or kept) saves nothing: it is answered with the
    ids of the one we have.
    """
    limit = settings().email_max_bytes
    if len(raw) > limit:
        raise MessageTooLarge(f"The message is {len(raw)} bytes; the limit is {limit}.")
    rfc_message_id = message_id_in(raw)
    row = {"source": source, "raw": raw, "size": len(raw), "rfc_message_id": rfc_message_id}
    connection = session.connection()
    inbound_id = connection.execute(_SAVE_RAW_UNLESS_HAD, row).scalar()
    if inbound_id is None:  # we have it: a duplicate, unless our copy was deleted since
        assert rfc_message_id is not None
        duplicate = _already_have(session, rfc_message_id)
        if duplicate is not None:
            session.rollback()
            return duplicate
        inbound_id = connection.execute(_SAVE_RAW, row).scalar_one()
    session.commit()
    # The raw bytes come along: reading them back from the row would cost a 25 MB SELECT.
    return _file_saved(session, SavedMail(inbound_id, raw, rfc_message_id))


def get_inbound(session: DbSession, inbound_id: int) -> InboundEmail:
    return get_or_not_found(session, InboundEmail, inbound_id, "inbound e-mail")


def reprocess(session: DbSession, inbound_id: int) -> Receipt:
    """Try a saved message again (after a fix, or once a flood has passed); commits.

    A "received" row is one whose filing crashed mid-way: it may be tried again, but a
    filed one may not (it would be filed twice).
    """
    row = get_inbound(session, inbound_id)
    if row.status is InboundStatus.FILED:
        raise Conflict(f"Inbound e-mail {inbound_id} is filed already.")
    return _file_row(session, row)


def _file_row(session: DbSession, row: InboundEmail) -> Receipt:
    return _file_saved(session, SavedMail(row.id, row.raw, row.rfc_message_id))


def _file_saved(session: DbSession, saved: SavedMail) -> Receipt:
    """File a saved message and commit, or quarantine it (committed too) if that fails."""
    try:
        message = file_mail(session, saved)
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


def _filed_twin(session: DbSession, saved: SavedMail) -> Receipt | None:
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


def _quarantine(session: DbSession, saved: SavedMail, reason: str) -> Receipt:
    _update_inbound(session, saved, status=InboundStatus.QUARANTINED, error=fit(reason, 2000))
    session.commit()
    return Receipt(saved.id, None, None, quarantined=True)


def _update_inbound(session: DbSession, saved: SavedMail, **values: Any) -> None:
    """How the filing ended, with sender and subject as far as they were read."""
    if saved.sender is not None or saved.subject is not None:
        values.update(sender=saved.sender, subject=saved.subject)
    session.connection().execute(
        _UPDATE_INBOUND, {"inbound_id": saved.id, "processed_at": utcnow(), **values}
    )


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
                _file_row(session, row)
        except Exception as error:
            session.rollback()
            log.exception("inbound e-mail %s could not be filed by the sweep", inbound_id)
            _quarantine_unfiled(session, inbound_id, error)
    return len(ids)


def _quarantine_unfiled(session: DbSession, inbound_id: int, error: Exception) -> None:
    try:
        _quarantine(session, SavedMail(inbound_id, b"", None), f"{type(error).__name__}: {error}")
    except Exception:
        session.rollback()
        log.exception("inbound e-mail %s stays received for the next sweep", inbound_id)
