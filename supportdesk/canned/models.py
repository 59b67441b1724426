from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.core.models import JSONType
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db


class CannedResponse(db.Model):  # type: ignore[name-defined]
    """A reply admins keep ready. ``bodies`` holds its wording per desk locale
    (``{"en": ..., "zh-CN": ...}``, one at least): always read and written whole, never
    queried by locale, so one JSON column rather than a row per locale."""

    __tablename__ = "canned_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    bodies: Mapped[dict[str, str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
