"""What the chat channel stores beside the tickets' messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.customers.models import Customer
from supportdesk.extensions import db


class Visitor(db.Model):  # type: ignore[name-defined]
    """A browser that opened the widget; its token brings it back to its customer.

    Only the token's SHA-256 is stored, so a database leak hands out no sessions.
    Opening the widget makes no customer: the first message, ``identify`` or
    ``offline_message`` does (``identity.customer_for``).
    """

    __tablename__ = "chat_visitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    #: an e-mail the visitor typed but did not prove: shown to agents (a possible match
    #: when someone else owns it) and where a reply may be mailed, never an identity
    claimed_email: Mapped[str | None] = mapped_column(String(320), index=True)
    #: whether the customer link is proven (widget identity hash or e-mail code)
    verified: Mapped[bool] = mapped_column(default=False)
    #: the widget's language, for the customer it makes and the mail it asks for
    locale: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer | None] = relationship()


class ClientMessageId(db.Model):  # type: ignore[name-defined]
    """The widget's own id for a message it sent: a retry acks the stored message."""

    __tablename__ = "chat_client_ids"
    __table_args__ = (UniqueConstraint("visitor_id", "client_id", name="uq_chat_client_ids"),)

    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    visitor_id: Mapped[int] = mapped_column(ForeignKey("chat_visitors.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))


class VerificationCode(db.Model):  # type: ignore[name-defined]
    """A one-time code mailed to prove an address: 10 minutes, one use, 5 attempts."""

    __tablename__ = "chat_verification_codes"
    __table_args__ = (Index("ix_chat_verification_codes_visitor", "visitor_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("chat_visitors.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    #: HMAC of the code under the desk's secret key; the code itself is only mailed
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
