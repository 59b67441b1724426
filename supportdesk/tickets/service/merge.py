"""Merging a ticket into another of the same customer: one conversation told twice.

The merged ticket's messages and calls move to the survivor (their timeline entries
follow: ``tickets_merged``), its follow-ups continue the survivor, and it is closed,
pointing at the survivor (``merged_into_id``). Both tickets record a ``ticket_merged``
event, so both timelines say so.

Two agents merging at once: both tickets' rows are locked (in id order, so two merges
of one pair wait for each other instead of deadlocking) and read again before the rules
are checked, and the merge itself is a conditional UPDATE: the second merge of a ticket
finds it merged and is refused; A into B and B into A at once cannot both happen.
"""

from __future__ import annotations

from sqlalchemy import select, update

from supportdesk.core.errors import Conflict, InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.tickets import signals
from supportdesk.tickets.models import Call, Message, Ticket
from supportdesk.tickets.refs import ticket_ref
from supportdesk.tickets.service.tickets import record_event
from supportdesk.tickets.status import Status
from supportdesk.users.models import User

MERGED = "ticket_merged"


def _lock(session: DbSession, *tickets: Ticket) -> None:
    """Lock the tickets' rows (PostgreSQL; SQLite writes one at a time anyway) and read
    what another merge committed meanwhile."""
    stmt = (
        select(Ticket)
        .where(Ticket.id.in_([t.id for t in tickets]))
        .order_by(Ticket.id)
        .with_for_update(of=Ticket)
        .execution_options(populate_existing=True)
    )
    session.scalars(stmt).all()


def _check(ticket: Ticket, into: Ticket) -> None:
    if ticket.merged_into_id is not None:
        raise Conflict(f"{ticket.ref} was merged into {ticket_ref(ticket.merged_into_id)} already.")
    if into.id == ticket.id:
        raise InvalidInput.field("into_id", "A ticket cannot be merged into itself.")
    if into.customer_id != ticket.customer_id:
        raise InvalidInput.field(
            "into_id",
            f"{ticket.ref} and {into.ref} are different customers' tickets: merge the "
            "customers first, then their tickets.",
        )
    if into.merged_into_id is not None:
        raise InvalidInput.field(
            "into_id",
            f"{into.ref} was merged into {ticket_ref(into.merged_into_id)}; merge into that one.",
        )
    if into.status is Status.CLOSED:
        raise InvalidInput.field("into_id", f"{into.ref} is closed; it cannot take messages.")


def merge_ticket(
    session: DbSession, ticket: Ticket, into: Ticket, *, actor: User | None = None
) -> Ticket:
    """Merge ``ticket`` into ``into`` (the survivor, returned) in the caller's transaction."""
    _lock(session, ticket, into)
    _check(ticket, into)
    claimed = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.merged_into_id.is_(None))
        .values(merged_into_id=into.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"{ticket.ref} was merged by someone else a moment ago.")
    ticket.merged_into_id = into.id
    moved = {}
    for model in (Message, Call):
        result = session.execute(
            update(model).where(model.ticket_id == ticket.id).values(ticket_id=into.id)
        )
        moved[model] = result.rowcount  # type: ignore[attr-defined]
    # what pointed at the merged ticket points at the survivor: follow-ups continue it,
    # and tickets merged into this one earlier are in the survivor now
    for column in (Ticket.follow_up_of_id, Ticket.merged_into_id):
        session.execute(
            update(Ticket)
            .where(column == ticket.id, Ticket.id != into.id)
            .values({column: into.id})
            .execution_options(synchronize_session="fetch")
        )
    now = utcnow()
    if ticket.status is not Status.CLOSED:
        record_event(
            session,
            customer_id=ticket.customer_id,
            event="status_changed",
            ticket=ticket,
            actor=actor,
            at=now,
            **{"from": ticket.status, "to": Status.CLOSED},
        )
        ticket.status = Status.CLOSED
    data = {
        "from": ticket.ref,
        "to": into.ref,
        "from_id": ticket.id,
        "to_id": into.id,
        "messages": moved[Message],
        "calls": moved[Call],
    }
    for side in (ticket, into):
        record_event(
            session, customer_id=side.customer_id, event=MERGED, ticket=side, actor=actor, **data
        )
        side.updated_at = now
    session.flush()
    signals.tickets_merged.send(ticket, into=into)
    for side in (ticket, into):
        signals.ticket_updated.send(side)
    return into
