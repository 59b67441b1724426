"""Ticket changes pushed to browsers once their transaction commits.

Listeners queue a payload builder on the session; the builders run just before
the commit (the rows are still readable), the emits right after it (nobody hears
of a message that then rolls back). With ``SUPPORTDESK_REDIS_URL`` set,
``socketio.emit`` goes through Redis and reaches clients of every server process.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from socketio import PubSubManager
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from supportdesk.extensions import socketio

_QUEUED = "supportdesk.realtime.queued"
_READY = "supportdesk.realtime.ready"
_JOINING = "supportdesk.realtime.joining"
#: the queued "events" that put sockets into a room, or drop them, instead of emitting
_JOIN = object()
_DISCONNECT = object()

AGENTS_ROOM = "agents"

Builder = Callable[[], Any]


def ticket_room(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def after_commit(instance: object, namespace: str, name: str, room: str, build: Builder) -> None:
    """Emit ``name`` to ``room`` with ``build()`` once ``instance``'s session commits."""
    session = object_session(instance)
    assert session is not None
    if (namespace, room) in session.info.get(_JOINING, ()) or _may_be_heard(namespace, room):
        session.info.setdefault(_QUEUED, []).append((namespace, name, room, build))


def join_after_commit(
    instance: object, namespace: str, room: str, sids: Callable[[], list[str]]
) -> None:
    """Put the sockets ``sids()`` names into ``room`` once ``instance``'s session commits,
    before any event queued after this one is emitted to it (a new ticket's every
    widget tab hears its first message). Not before: a room joined for a ticket that
    then rolls back could be another's ticket, once its id is used again."""
    if socketio.server is None:
        return
    session = object_session(instance)
    assert session is not None
    session.info.setdefault(_QUEUED, []).append((namespace, _JOIN, room, sids))
    session.info.setdefault(_JOINING, set()).add((namespace, room))


def disconnect_after_commit(
    session: Session, namespace: str, sids: Callable[[], list[str]]
) -> None:
    """Drop the sockets ``sids()`` names (read just before the commit) once ``session``
    commits, whichever server process holds them (the message queue carries it)."""
    if socketio.server is not None:
        session.info.setdefault(_QUEUED, []).append((namespace, _DISCONNECT, "", sids))


def _disconnect(namespace: str, sids: list[str]) -> None:
    for sid in sids:
        socketio.server.disconnect(sid, namespace=namespace)


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
    session.info.pop(_JOINING, None)
    for namespace, name, room, payload in session.info.pop(_READY, []):
        if name is _JOIN:
            for sid in payload:
                # a socket that left since (or a process that died) has nothing to join
                with suppress(KeyError, ValueError):
                    socketio.server.enter_room(sid, room, namespace=namespace)
        elif name is _DISCONNECT:
            # in a task of its own: the disconnect handlers commit in a session of theirs
            if payload:
                socketio.start_background_task(_disconnect, namespace, payload)
        else:
            socketio.emit(name, payload, namespace=namespace, to=room)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_QUEUED, None)
    session.info.pop(_READY, None)
    session.info.pop(_JOINING, None)
