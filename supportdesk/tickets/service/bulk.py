"""Bulk actions: one change applied to many tickets, all of it or none of it.

Each ticket goes through ``update_ticket``, as if an agent had changed it alone: it records
its own events, announces ``ticket_updated`` and follows the status machine. The rules are
checked for every ticket before the first one changes, so a refusal names each ticket at
fault (``ticket_ids.3``) and the caller's transaction has nothing to undo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.service.tickets import normalize_tags, update_ticket
from supportdesk.tickets.status import Status, check_transition
from supportdesk.users.models import User

#: tickets one request may change: a screenful of selected rows, not the whole desk
MAX_TICKETS = 100

_FIELDS = ("status", "priority", "assignee_id")


def bulk_update(
    session: DbSession,
    ticket_ids: Sequence[int],
    changes: Mapping[str, Any],
    *,
    actor: User | None = None,
) -> list[Ticket]:
    """Apply ``changes`` (``status``, ``priority``, ``assignee_id``, ``tags_add``,
    ``tags_remove``) to every ticket of ``ticket_ids``; the tickets, in that order.

    Raises ``InvalidInput`` before changing anything when an id names no ticket, the
    assignee is not an active agent, or a ticket's status cannot make the move.
    """
    tickets = get_tickets(session, ticket_ids)
    adding = _tags(changes.get("tags_add", ()), "tags_add")
    removing = _tags(changes.get("tags_remove", ()), "tags_remove")
    both = [tag for tag in adding if tag in removing]
    if both:
        raise InvalidInput.field(
            "changes.tags_remove", f"Add or remove a tag, not both: {', '.join(both)}."
        )
    plain = {field: changes[field] for field in _FIELDS if field in changes}
    _check_assignee(session, plain)
    if "status" in plain:
        _check_moves(tickets, Status(plain["status"]))
    for ticket in tickets:
        per_ticket = dict(plain)
        if adding or removing:
            kept = [tag for tag in ticket.tags if tag not in removing]
            per_ticket["tags"] = kept + [tag for tag in adding if tag not in kept]
        update_ticket(session, ticket, actor=actor, **per_ticket)
    return tickets


def get_tickets(session: DbSession, ticket_ids: Sequence[int]) -> list[Ticket]:
    """The tickets, in that order, with their tags: one query for them, one for all their
    tags, however many they are. An id that names none is its ``ticket_ids.N``'s 422."""
    stmt = select(Ticket).where(Ticket.id.in_(ticket_ids)).options(selectinload(Ticket.tag_rows))
    found = {ticket.id: ticket for ticket in session.scalars(stmt)}
    missing = {
        f"ticket_ids.{index}": [f"No ticket {ticket_id}."]
        for index, ticket_id in enumerate(ticket_ids)
        if ticket_id not in found
    }
    if missing:
        raise _refusal(missing)
    return [found[ticket_id] for ticket_id in ticket_ids]


def _tags(tags: Sequence[str], field: str) -> list[str]:
    try:
        return normalize_tags(tags)
    except InvalidInput as error:  # "tags.2" is, for the caller, "changes.tags_add.2"
        errors = {
            f"changes.{field}.{key.removeprefix('tags.')}": messages
            for key, messages in (error.errors or {}).items()
        }
        raise InvalidInput(error.detail, errors=errors) from None


def _check_assignee(session: DbSession, plain: Mapping[str, Any]) -> None:
    assignee_id = plain.get("assignee_id")
    if assignee_id is None:
        return
    assignee = session.get(User, assignee_id)
    if assignee is None or not assignee.active:
        raise InvalidInput.field("changes.assignee_id", f"No active agent {assignee_id}.")


def _check_moves(tickets: Sequence[Ticket], target: Status) -> None:
    refused: dict[str, list[str]] = {}
    for index, ticket in enumerate(tickets):
        try:
            check_transition(ticket.status, target)
        except InvalidInput as error:
            refused[f"ticket_ids.{index}"] = [f"{ticket.ref}: {error.detail}"]
    if refused:
        raise _refusal(refused)


def _refusal(errors: dict[str, list[str]]) -> InvalidInput:
    """One ticket's problem as the detail; for several, how many and where to look."""
    if len(errors) == 1:
        (messages,) = errors.values()
        return InvalidInput(messages[0], errors=errors)
    return InvalidInput(
        f"{len(errors)} of the tickets cannot take this; see errors.", errors=errors
    )
