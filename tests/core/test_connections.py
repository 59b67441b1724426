"""The presence heartbeat: it keeps this process's connections alive, until its app stops it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from supportdesk.core import connections
from supportdesk.core.connections import Connection
from supportdesk.core.time import utcnow
from supportdesk.extensions import db

BEAT = timedelta(milliseconds=20)


def _seen_at(sid: str) -> datetime:
    db.session.rollback()  # a fresh read: the beat writes from its own thread
    return db.session.scalars(select(Connection.seen_at).where(Connection.sid == sid)).one()


def _stamp(sid: str, at: datetime) -> None:
    db.session.execute(update(Connection).where(Connection.sid == sid).values(seen_at=at))
    db.session.commit()


def _eventually(check: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("the heartbeat never beat")
        time.sleep(BEAT.total_seconds())


def test_a_stopped_heartbeat_never_touches_the_database_again(app, make_app, monkeypatch):
    monkeypatch.setattr(connections, "HEARTBEAT", BEAT)
    own = make_app()
    long_ago = utcnow() - timedelta(seconds=60)  # not yet stale: the sweep leaves it
    connections.connect(db.session, "sid-1", "agent", 1)
    db.session.commit()
    _stamp("sid-1", long_ago)
    with own.app_context():
        connections.heartbeat().track("sid-1")
    _eventually(lambda: _seen_at("sid-1") > long_ago)

    connections.stop_heartbeat(own)
    _stamp("sid-1", long_ago)
    time.sleep(10 * BEAT.total_seconds())

    assert _seen_at("sid-1") == long_ago
