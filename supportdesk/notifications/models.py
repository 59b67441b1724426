from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supportdesk.core.models import str_enum
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db
from supportdesk.tickets.models import Ticket


class NotificationKind(enum.StrEnum):
    #: someone wrote ``@handle`` in an internal note (``mentions``)
    MENTION = "mention"
    #: someone else assigned a ticket to the agent
    ASSIGNMENT = "assignment"
    #: a chat ticket started while the agent was online
    NEW_CHAT = "new_chat"


class Notification(db.Model):  # type: ignore[name-defined]
    """One thing one agent should look at; ``read_at`` is None until they have."""

    __tablename__ = "notifications"
    __table_args__ = (
        # the agent's list, newest first; and their unread ones (the list and the count)
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_id_read_at_id", "user_id", "read_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    #: the note that mentions the agent
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    #: who did it, as they were named then: an agent, or a chat's customer
    actor_name: Mapped[str | None] = mapped_column(String(200))
    #: the start of the note, as it was written
    snippet: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # the list shows each one's ticket (ref, subject): loaded with the page (``service``)
    ticket: Mapped[Ticket] = relationship(lazy="raise")
