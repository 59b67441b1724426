"""The database handle every model and service shares (bound to the app in ``create_app``),
and what every database needs of it alike (a savepoint that nests on SQLite too).

It lives in ``core`` so that core's own pieces (error handlers that roll back, the
registry of connected sockets) stand on nothing above them; ``supportdesk.extensions``
hands the same object to everyone else.
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, SessionTransaction

from supportdesk.core.models import DbSession


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def savepoint(session: DbSession) -> SessionTransaction:
    """``session.begin_nested()``, nested in the session's transaction on SQLite too.

    Python's sqlite3 (before 3.12) begins its transaction at the first INSERT, UPDATE or
    DELETE only; a SAVEPOINT before any would begin a transaction of its own, and its
    RELEASE would commit it, outside the session's rollback. So the transaction is begun
    first, taking SQLite's write lock at once (which a writer needs: a lock upgraded
    later can fail where waiting for it would not).
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.in_nested_transaction():
        dbapi = connection.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    return session.begin_nested()
