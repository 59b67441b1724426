"""How tickets react to other domains' events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from supportdesk.core.database import session_of
from supportdesk.customers.signals import customers_merged

if TYPE_CHECKING:
    from supportdesk.customers.models import Customer
    from supportdesk.users.models import User


@customers_merged.connect
def move_tickets_to_survivor(
    survivor: Customer,
    *,
    source: Customer,
    actor: User | None = None,
    identities: list[dict[str, Any]] | None = None,
    **_: Any,
) -> None:
    """Move the rows, then record the merge: who did it, which customer went into which,
    what moved (the audit, ``GET /customers/{id}/merges``, reads it back)."""
    from supportdesk.tickets.models import Call, Message, Ticket, TicketEvent
    from supportdesk.tickets.service import record_event

    session = session_of(survivor)
    moved = {}
    for model, column in (
        (Ticket, Ticket.customer_id),
        (Call, Call.customer_id),
        (TicketEvent, TicketEvent.customer_id),
        (Message, Message.author_customer_id),
    ):
        result = session.execute(
            update(model).where(column == source.id).values({column: survivor.id})
        )
        moved[model] = result.rowcount  # type: ignore[attr-defined]
    record_event(
        session,
        customer_id=survivor.id,
        event="merged",
        actor=actor,
        source_id=source.id,
        source_name=source.name,
        into_id=survivor.id,
        into_name=survivor.name,
        identities=identities or [],
        tickets=moved[Ticket],
    )
