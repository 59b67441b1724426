"""The database handle every model and service shares (bound to the app in ``create_app``),
what every database needs of it alike (a savepoint that nests on SQLite too, an INSERT that
skips duplicates), and how every
domain reaches rows: one by id (``get_or_not_found``), a row's session (``session_of``).

It lives in ``core`` so that core's own pieces (error handlers that roll back, the
registry of connected sockets) stand on nothing above them; ``supportdesk.extensions``
hands the same object to everyone else.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, Insert, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import (
    DeclarativeBase,
    Session,
    SessionTransaction,
    make_transient_to_detached,
    object_session,
)
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.core.errors import NotFound
from supportdesk.core.models import DbSession

M = TypeVar("M")


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def insert_ignoring_duplicates(connection: Connection, model: type[Any]) -> Insert:
    """An INSERT into ``model``'s table that skips the rows a unique index already holds
    (``ON CONFLICT DO NOTHING``, which both databases speak but SQLAlchemy spells per
    dialect): a race that loses keeps the winner's row, with no error to roll back."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


def savepoint(session: DbSession) -> SessionTransaction:
    """``session.begin_nested()``, nested in the session's transaction on SQLite too.

    Python's sqlite3 (before 3.12) begins its transaction at the first INSERT, UPDATE or
    DELETE only; a SAVEPOINT before any would begin a transaction of its own, and its
    RELEASE would commit it, outside the session's rollback. So the transaction is begun
    first, taking SQLite's write lock at once (which a writer needs: a lock upgraded
    later can fail where waiting for it would not).
    """
    if not session.connection().in_nested_transaction():
        begin_writing(session)
    return session.begin_nested()


def begin_writing(session: DbSession) -> None:
    """Make the session's transaction a writer's now, before it reads what it will write
    from (a count it will add to, a row it will replace).

    On SQLite that is ``BEGIN IMMEDIATE``: it waits for the one write lock up front, so
    what the transaction reads next no other writer changes before it commits (Python's
    sqlite3 would begin only at the first write, after those reads). A transaction that
    has written already holds the lock. Elsewhere this does nothing: PostgreSQL writers
    lock the rows they read with ``SELECT ... FOR UPDATE``.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        dbapi = connection.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_or_not_found(session: DbSession, model: type[M], ident: Any, what: str) -> M:
    """The ``model`` row with primary key ``ident``, or NotFound "No {what} {ident}.".

    Not Flask-SQLAlchemy's ``db.get_or_404``: that aborts with werkzeug's HTML 404, where
    services raise the domain's NotFound (problem+json on the API, a problem ack on a
    socket, a message on the CLI). A lookup with a rule of its own (the owner's saved
    view, a merged customer) keeps its own function and calls this first, or not at all.
    """
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"No {what} {ident}.")
    return row


def as_loaded(session: DbSession, model: type[M], values: dict[str, Any], **loaded: Any) -> M:
    """A ``model`` row just written with ``values`` (every column, its id too), attached to
    ``session`` as if a query had loaded it, its relationships ``loaded`` (so reading them
    asks nothing): for rows stored with a plain INSERT, not by the unit of work.

    Made as a query makes what it loads, not through the mapped constructor, whose
    attribute event for every column was a fifth of what a ticket's row cost.
    """
    row: M = inspect(model).class_manager.new_instance()
    row.__dict__.update(values)
    make_transient_to_detached(row)
    session.add(row)
    for key, value in loaded.items():
        set_committed_value(row, key, value)
    return row


def session_of(row: object) -> Session:
    """The session a loaded row belongs to: how a signal's listener, or a function handed
    only a row, works in the transaction that row came from."""
    session = object_session(row)
    assert session is not None, f"{type(row).__name__} is not in a session"
    return session
