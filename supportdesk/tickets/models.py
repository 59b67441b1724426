from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from supportdesk.core.channels import Channel
from supportdesk.core.models import JSONType, str_enum
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.customers.models import Customer
from supportdesk.extensions import db
from supportdesk.tickets.refs import REF_OFFSET, ticket_ref  # noqa: F401 (REF_OFFSET: importers)
from supportdesk.tickets.status import Status
from supportdesk.users.models import User


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    #: an agents-only note: no customer ever sees it
    INTERNAL = "internal"


class AuthorKind(enum.StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"


class CallDirection(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Ticket(db.Model):  # type: ignore[name-defined]
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_id", "status", "id"),
        Index("ix_tickets_assignee_id_id", "assignee_id", "id"),
        Index("ix_tickets_customer_id_id", "customer_id", "id"),
        # the portal's "My requests": a customer's tickets, newest activity first
        Index("ix_tickets_customer_updated_id", "customer_id", "updated_at", "id"),
        Index("ix_tickets_channel_id", "channel", "id"),
        # the inbox's priority filter (``service.inbox``), paged newest first like the others
        Index("ix_tickets_priority_id", "priority", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(500))
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.NEW)
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.NORMAL)
    #: the channel the conversation started on; its messages may use any channel
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the closed ticket this one continues
    follow_up_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    #: the ticket this one was merged into (``service.merge``): always one not merged itself
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Loaded with the ticket, in its own statement: every ticket shown names its customer
    # and assignee (``TicketSchema``), and the pushes announcing a change are built before
    # the commit from what is loaded, whichever path loaded the ticket (a page, a thread,
    # a chat), so they cost no query of their own.
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    assignee: Mapped[User | None] = relationship(lazy="joined")
    tag_rows: Mapped[list[TicketTag]] = relationship(
        cascade="all, delete-orphan", order_by="TicketTag.name"
    )

    @property
    def ref(self) -> str:
        """The human reference (``SD-1042``): derived from the id, so it never drifts."""
        return ticket_ref(self.id)

    @property
    def tags(self) -> list[str]:
        return [t.name for t in self.tag_rows]


class TicketTag(db.Model):  # type: ignore[name-defined]
    __tablename__ = "ticket_tags"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class Message(db.Model):  # type: ignore[name-defined]
    """One thing said on a ticket, on any channel (Zammad's "article")."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_ticket_created", "ticket_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction))
    author_kind: Mapped[AuthorKind] = mapped_column(str_enum(AuthorKind))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def internal(self) -> bool:
        return self.direction is Direction.INTERNAL

    @property
    def author(self) -> dict[str, Any]:
        return {
            "kind": self.author_kind.value,
            "name": self.author_name,
            "user_id": self.author_user_id,
            "customer_id": self.author_customer_id,
        }


class Attachment(db.Model):  # type: ignore[name-defined]
    """A file that came with a message (an e-mail attachment, an inline image), or an
    agent's upload that no message has claimed yet (``tickets.uploads``)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None while the file is an upload waiting for the reply it goes with
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    #: the agent who uploaded it: only they may attach it to a reply
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    #: the Content-ID an HTML body refers to as ``cid:...``
    content_id: Mapped[str | None] = mapped_column(String(255))
    inline: Mapped[bool] = mapped_column(default=False)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Call(db.Model):  # type: ignore[name-defined]
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    direction: Mapped[CallDirection] = mapped_column(str_enum(CallDirection))
    phone: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_seconds: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    recording_url: Mapped[str | None] = mapped_column(String(2000))
    #: the provider's id for the call (e.g. Twilio's CallSid): a retry updates, never duplicates
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship()


class TicketEvent(db.Model):  # type: ignore[name-defined]
    """Something that happened to a ticket (or, for ``merged``, to its customer)."""

    __tablename__ = "ticket_events"
    # a customer's events of one kind, newest first (the merge audit) without a scan of all
    __table_args__ = (Index("ix_ticket_events_customer_event_id", "customer_id", "event", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()

    @property
    def author(self) -> dict[str, Any] | None:
        """The agent who did it, shaped like ``Message.author`` (the same schemas dump
        both); None for what the desk did by itself."""
        if self.actor is None:
            return None
        return {
            "kind": AuthorKind.AGENT.value,
            "name": self.actor.name,
            "user_id": self.actor_user_id,
            "customer_id": None,
        }
