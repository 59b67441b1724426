"""Writing a ticket's rows at the cost of their SQL: one INSERT, one UPDATE, no unit of work,
and a commit that does not read them back.

Tickets, messages, calls and events are written once per thing a customer or an agent
does, on every channel; these are what all of them share.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.core.database import as_loaded
from supportdesk.core.models import DbSession
from supportdesk.tickets.models import Message, Ticket, TicketEvent

_Row = TypeVar("_Row", Ticket, Message, TicketEvent)
_MODELS = (Ticket, Message, TicketEvent)
_INSERTS = {model: insert(model).returning(model.id) for model in _MODELS}
#: what each INSERT is given: every column but the id it returns
_COLUMNS = {
    model: frozenset(column.key for column in model.__table__.columns if column.key != "id")
    for model in _MODELS
}


def insert_row(
    session: DbSession, model: type[_Row], values: dict[str, Any], **loaded: Any
) -> _Row:
    """Store a new ``model`` row of ``values`` with one INSERT and return it attached to
    the session as if a query had loaded it, with its relationships ``loaded`` (the
    ticket's customer, its tags known to be none yet) so that reading them asks nothing.

    Tickets, their events and messages are written one at a time, with nothing of theirs
    to cascade yet; for one such row a unit-of-work flush costs about three times its
    INSERT. ``values`` names every column but the id (a ValueError says which: column
    defaults are not applied). Whatever else is pending is flushed first, as before, and
    the row comes back persistent with its id, as from a flush (``as_loaded``). Only ORM
    insert events (``before_insert``, ``after_insert``) and the constructor's ``init`` do
    not fire for it.
    """
    if values.keys() != _COLUMNS[model]:
        wrong = sorted(values.keys() ^ _COLUMNS[model])
        raise ValueError(f"{model.__name__} rows give every column but the id: {wrong}")
    session.flush()
    row_id = session.connection().execute(_INSERTS[model], values).scalar_one()
    return as_loaded(session, model, {**values, "id": row_id}, **loaded)


_TOUCH = (
    update(Ticket)
    .where(Ticket.id == bindparam("ticket_id"))
    .values(updated_at=bindparam("updated_at"))
)


def touch(session: DbSession, ticket: Ticket, at: datetime) -> None:
    """Move the ticket's ``updated_at`` to ``at`` if that is later, with one UPDATE.

    The loaded ticket takes the value as already stored, so no flush writes it again:
    a unit of work for this one column cost more than the message it came with.
    """
    if at > ticket.updated_at:
        session.connection().execute(_TOUCH, {"ticket_id": ticket.id, "updated_at": at})
        set_committed_value(ticket, "updated_at", at)


def commit_as_written(session: DbSession) -> None:
    """Commit, keeping the session's objects as they are instead of expiring them.

    For an edge that answers with rows its own transaction just wrote: the ORM and
    ``insert_row``/``touch`` keep them as stored, so reading them back after the commit
    (the ticket with its customer and assignee, then its tags: two SELECTs and their
    loading, a tenth of the Python a new ticket cost) would only fetch what is there.
    """
    target = session() if isinstance(session, scoped_session) else session
    expire = target.expire_on_commit
    target.expire_on_commit = False
    try:
        target.commit()
    finally:
        target.expire_on_commit = expire
