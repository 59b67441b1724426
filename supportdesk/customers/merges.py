"""What a merge of customers did, and what one would do, for the Customers page.

Every merge is recorded as the survivor's ``merged`` ticket event (``tickets.listeners``),
with the agent who did it and what moved; a later merge of the survivor moves those
events on, so the customer that still exists holds the whole story. These are read
models over tickets and the timeline: the customers domain writes none of their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.customers.models import Customer, Identity
from supportdesk.customers.service import check_mergeable
from supportdesk.tickets.models import Ticket, TicketEvent
from supportdesk.timeline.models import TimelineEntry

MERGED = "merged"


@dataclass
class MergeRecord:
    """One merge as the audit shows it; fields not recorded (older merges) are None."""

    id: int
    merged_at: Any
    source: dict[str, Any]
    into: dict[str, Any] | None
    actor: dict[str, Any] | None
    identities: list[dict[str, Any]] | None
    tickets: int | None

    @classmethod
    def of(cls, event: TicketEvent) -> MergeRecord:
        data = event.data
        into_id = data.get("into_id")
        return cls(
            id=event.id,
            merged_at=event.created_at,
            source={"id": data.get("source_id"), "name": data.get("source_name")},
            into={"id": into_id, "name": data.get("into_name")} if into_id else None,
            actor={"id": event.actor.id, "name": event.actor.name} if event.actor else None,
            identities=data.get("identities"),
            tickets=data.get("tickets"),
        )


def merges_page(session: DbSession, customer: Customer, page: PageRequest) -> Page[MergeRecord]:
    """The merges into ``customer`` (and, through it, into the customers merged into it),
    newest first, with their agents: one statement per page."""
    stmt = (
        select(TicketEvent)
        .where(TicketEvent.customer_id == customer.id, TicketEvent.event == MERGED)
        .options(joinedload(TicketEvent.actor))
    )
    found = keyset_page(session, stmt, (TicketEvent.id,), page, descending=True)
    return Page([MergeRecord.of(event) for event in found.items], found.next_cursor)


@dataclass
class MergePreview:
    """What ``POST /customers/{survivor}/merge`` with ``source`` would move."""

    survivor_id: int
    source: Customer
    identities: list[Identity]
    tickets: int
    timeline_entries: int


def merge_preview(session: DbSession, survivor: Customer, source: Customer) -> MergePreview:
    check_mergeable(survivor, source)
    tickets = select(func.count(Ticket.id)).where(Ticket.customer_id == source.id)
    entries = select(func.count(TimelineEntry.id)).where(TimelineEntry.customer_id == source.id)
    counts = session.execute(select(tickets.scalar_subquery(), entries.scalar_subquery())).one()
    return MergePreview(
        survivor_id=survivor.id,
        source=source,
        identities=list(source.identities),
        tickets=counts[0],
        timeline_entries=counts[1],
    )
