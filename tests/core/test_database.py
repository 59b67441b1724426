"""The embedded database is a real one: WAL for concurrent readers, foreign keys enforced."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.tickets.models import Ticket
from tests.factories import TicketFactory


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    connection = db.session.connection()

    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_ticket_cannot_point_at_a_customer_that_does_not_exist(app):
    ticket = TicketFactory()
    db.session.commit()

    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.update(Ticket).where(Ticket.id == ticket.id).values(customer_id=987654)
        )
        db.session.flush()
    db.session.rollback()
