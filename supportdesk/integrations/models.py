from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db


class Integration(db.Model):  # type: ignore[name-defined]
    """A system the desk asks about a customer (a CRM, the billing system, a device registry).

    The secret is kept as given: the desk signs each call with it, so it cannot be a hash.
    It leaves the desk only as an HMAC key, never in an answer (``secret_hint`` is shown).
    """

    __tablename__ = "integrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: moves on every change, so answers cached under the old URL or secret are never reused
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def secret_hint(self) -> str:
        """Enough of the secret to tell which one is set: its last four characters."""
        return "…" + self.secret[-4:]
