"""Writes that follow others (a timeline entry, a search document, a suggestion marked as
contacted) run together, in bulk.

Every message stored adds its timeline entry and its search row and marks what the
customer was suggested: one small statement each, which SQLAlchemy spends more Python
building and running than the database spends on it. A chat batch of a hundred
messages made three hundred of them. ``write_later`` puts the statement's parameters in
a queue on the connection instead; the queue goes out as one executemany per statement
(and set of parameters):

- before any statement on that connection other than an INSERT, UPDATE or DELETE of a
  table with nothing queued: so a query in the same transaction finds the rows, an
  UPDATE of a queued table finds them to change, and a savepoint's RELEASE or ROLLBACK
  TO holds them as if each had been run in place (``before_execute``);
- before the session commits (``before_commit``).

A rollback drops the queue with the rest of the transaction. A row that fails (a
foreign key, a unique index) fails at that later statement or at the commit, which
rolls the whole transaction back, as its own statement would have made the caller do.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Insert, Update, event
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from supportdesk.core.models import DbSession

_QUEUE = "supportdesk.queued_writes"
#: on the session: something was queued on its connection since it last committed
_QUEUED = "supportdesk.queued_writes"
#: parameters by (statement, their names): an executemany runs one parameter list
Queue = dict[tuple[Insert | Update, frozenset[str]], list[dict[str, Any]]]


def write_later(session: DbSession, statement: Insert | Update, params: dict[str, Any]) -> None:
    """Run ``statement`` with ``params`` before anything in this transaction could miss it.

    For writes nobody reads the result of (a row's id, a count of rows changed), to rows
    nobody holds as objects: ``statement`` is built once (a module constant), so that the
    writes of one kind meet in one executemany.
    """
    queue: Queue = session.connection().info.setdefault(_QUEUE, {})
    queue.setdefault((statement, frozenset(params)), []).append(params)
    session.info[_QUEUED] = True


def write_queued(connection: Connection) -> None:
    """Run what is queued on ``connection`` now, in the order the statements were first
    queued."""
    queue: Queue | None = connection.info.pop(_QUEUE, None)
    for (statement, _), params in (queue or {}).items():
        connection.execute(statement, params)


@event.listens_for(Engine, "before_execute")
def _before_execute(connection: Connection, statement: Any, *_: Any) -> None:
    queue: Queue | None = connection.info.get(_QUEUE)
    if queue and not _blind_to(queue, statement):
        write_queued(connection)


def _blind_to(queue: Queue, statement: Any) -> bool:
    """Whether ``statement`` changes a table with nothing queued: it cannot see the
    queued writes (the INSERT of a message, the UPDATE of its ticket) and may run first."""
    if not isinstance(statement, UpdateBase):
        return False
    queued = {queued.table for queued, _ in queue}
    return statement.table not in queued


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.info.pop(_QUEUED, False):
        write_queued(session.connection())


@event.listens_for(Engine, "rollback")
def _forget_queued(connection: Connection) -> None:
    connection.info.pop(_QUEUE, None)
