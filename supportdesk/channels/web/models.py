"""What the customer portal stores: the magic links it mails (``portal_links``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db


class PortalLink(db.Model):  # type: ignore[name-defined]
    """A sign-in link mailed to ``email``: whoever opens it proves they read that inbox.

    Only the SHA-256 of its token is kept (a copy of the table signs nobody in); it
    works once (``used_at``, set by a conditional UPDATE) and until ``expires_at``.
    """

    __tablename__ = "portal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the normalised address the link was mailed to
    email: Mapped[str] = mapped_column(String(320), index=True)
    #: the help center's language when it was asked for: the mail's and the link's
    locale: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: who it signed in (set when used)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
