"""Ticket changes pushed to browsers once their transaction commits.

Listeners queue a payload builder on the session; the builders run just before
the commit (the rows are still readable), the emits right after it (nobody hears
of a message that then rolls back). With ``SUPPORTDESK_REDIS_URL`` set,
``socketio.emit`` goes through Redis and reaches clients of every server process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socketio import PubSubManager
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from supportdesk.extensions import socketio

_QUEUED = "supportdesk.realtime.queued"
_READY = "supportdesk.realtime.ready"

AGENTS_ROOM = "agents"

Builder = Callable[[], Any]


def ticket_room(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def after_commit(instance: object, namespace: str, name: str, room: str, build: Builder) -> None:
    """Emit ``name`` to ``room`` with ``build()`` once ``instance``'s session commits."""
    if not _may_be_heard(namespace, room):
        return
    session = object_session(instance)
    assert session is not None
    session.info.setdefault(_QUEUED, []).append((namespace, name, room, build))


def _may_be_heard(namespace: str, room: str) -> bool:
    """False only when nobody can hear: no server in this process, or no message queue
    to other processes and nobody in ``room`` here (``ingest-email`` run by an MTA,
    a quiet desk). Payloads are built per message, so this saves real work."""
    server = socketio.server
    if server is None:
        return False
    manager = server.manager
    if isinstance(manager, PubSubManager):
        return True  # listeners may be connected to any process
    return room in manager.rooms.get(namespace, {})


@event.listens_for(Session, "before_commit")
def _build_payloads(session: Session) -> None:
    queued = session.info.pop(_QUEUED, [])
    if queued:
        ready = session.info.setdefault(_READY, [])
        ready.extend((ns, name, room, build()) for ns, name, room, build in queued)


@event.listens_for(Session, "after_commit")
def _emit(session: Session) -> None:
    for namespace, name, room, payload in session.info.pop(_READY, []):
        socketio.emit(name, payload, namespace=namespace, to=room)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_QUEUED, None)
    session.info.pop(_READY, None)
