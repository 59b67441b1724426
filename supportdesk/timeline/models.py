from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supportdesk.core.channels import Channel
from supportdesk.core.models import str_enum
from supportdesk.core.time import UTCDateTime
from supportdesk.extensions import db
from supportdesk.knowledge.models import KbActivity
from supportdesk.tickets.models import Call, Message, TicketEvent


class EntryKind(enum.StrEnum):
    MESSAGE = "message"
    CALL = "call"
    TICKET_EVENT = "ticket_event"
    KB_ACTIVITY = "kb_activity"
    CSAT = "csat"


class TimelineEntry(db.Model):  # type: ignore[name-defined]
    """One row per thing on a customer's timeline, pointing at the row that holds it.

    A narrow table written by every domain: the page query reads one index range
    ``(customer_id[, channel|kind], occurred_at, id)`` and then loads the page's
    sources by primary key, so its cost follows the page size, not the history.
    """

    __tablename__ = "timeline_entries"
    __table_args__ = (
        Index("ix_timeline_customer", "customer_id", "occurred_at", "id"),
        Index("ix_timeline_customer_channel", "customer_id", "channel", "occurred_at", "id"),
        Index("ix_timeline_customer_kind", "customer_id", "kind", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EntryKind] = mapped_column(str_enum(EntryKind))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), unique=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_events.id", ondelete="CASCADE"), unique=True
    )
    kb_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_activities.id", ondelete="CASCADE"), unique=True
    )

    message: Mapped[Message | None] = relationship()
    call: Mapped[Call | None] = relationship()
    event: Mapped[TicketEvent | None] = relationship()
    kb_activity: Mapped[KbActivity | None] = relationship()
