from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, deferred, mapped_column, relationship

from supportdesk.core.models import JSONType, str_enum
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db
from supportdesk.tickets.models import Message


class InboundStatus(enum.StrEnum):
    RECEIVED = "received"
    FILED = "filed"
    QUARANTINED = "quarantined"


class InboundEmail(db.Model):  # type: ignore[name-defined]
    """Every raw message we were handed, saved before anything else is tried.

    A message that cannot be parsed, threaded or stored stays here, quarantined,
    for agents to see and re-process.
    """

    __tablename__ = "inbound_emails"
    __table_args__ = (
        Index("ix_inbound_emails_status_id", "status", "id"),
        Index("ix_inbound_emails_sender_received", "sender", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: hook, cli or imap
    source: Mapped[str] = mapped_column(String(20))
    rfc_message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(998))
    size: Mapped[int]
    raw: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    status: Mapped[InboundStatus] = mapped_column(
        str_enum(InboundStatus), default=InboundStatus.RECEIVED
    )
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class EmailDetails(db.Model):  # type: ignore[name-defined]
    """The e-mail side of a message, inbound or outbound: headers, full text, delivery."""

    __tablename__ = "email_messages"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    rfc_message_id: Mapped[str] = mapped_column(String(998), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list[str]] = mapped_column(JSONType, default=list)
    from_address: Mapped[str] = mapped_column(String(320))
    from_name: Mapped[str] = mapped_column(String(320), default="")
    to: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    cc: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    subject: Mapped[str] = mapped_column(Text, default="")
    #: the whole text as sent, quoted history and signature included
    full_text: Mapped[str] = mapped_column(Text, default="")
    #: sanitized
    html: Mapped[str | None] = mapped_column(Text)
    #: inbound: why it landed on its ticket (in_reply_to, references, reply_address, ...)
    threaded_by: Mapped[str | None] = mapped_column(String(20))
    #: inbound: why it is automatic (auto-submitted, bounce, ...), None for people
    auto_reply: Mapped[str | None] = mapped_column(String(20))
    inbound_email_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_emails.id", ondelete="SET NULL")
    )
    #: outbound: queued, sent or failed, with the last error and the retry plan
    delivery_status: Mapped[DeliveryStatus | None] = mapped_column(str_enum(DeliveryStatus))
    delivery_error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    message: Mapped[Message] = relationship(backref=backref("email", uselist=False))


class EmailTemplate(db.Model):  # type: ignore[name-defined]
    """An admin's wording of a mail the desk sends by itself; absent rows use the defaults."""

    __tablename__ = "email_templates"
    __table_args__ = (UniqueConstraint("key", "locale", name="uq_email_templates_key_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50))
    locale: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
