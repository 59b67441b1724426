"""What every Socket.IO namespace shares: payloads, rate limits, rooms, and socket work
that must wait for a commit (the handlers' own base is ``core.namespaces``).

Pushes, joins and disconnects are queued with ``core.transaction.after_commit``: their
payloads (or socket ids) are read just before the commit, while the rows are still
readable, and they happen right after it, so nobody hears of a row that then rolls
back. With ``SUPPORTDESK_REDIS_URL`` set, ``socketio.emit`` goes through Redis and
reaches clients of every server process.

Core stands on nothing above it: the Socket.IO server and the rate limiter that
``supportdesk.extensions`` makes are reached through the app they are bound to, the
way Flask-SocketIO's own ``emit`` does. A console command's app has no server at all
unless there is a message queue (``create_app(one_shot=True)``): every process's
listeners import this module, and Flask-SocketIO is imported only where one is bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, TypeVar

import marshmallow as ma
from flask import current_app
from sqlalchemy.exc import IntegrityError

from supportdesk.core.database import db
from supportdesk.core.errors import Conflict, TooManyRequests
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.transaction import after_commit, transaction_value

if TYPE_CHECKING:
    from flask_limiter import Limiter
    from flask_socketio import SocketIO
    from socketio import Server

T = TypeVar("T")
_JOINING = "supportdesk.sockets.joining"


def socketio() -> SocketIO:
    """The app's Socket.IO extension (``supportdesk.extensions.socketio``)."""
    return current_app.extensions["socketio"]


def _server() -> Server | None:
    """The Socket.IO server, or None where nobody can hear (a console command's app
    with no message queue binds none)."""
    extension = current_app.extensions.get("socketio")
    return extension.server if extension is not None else None


def _limiter() -> Limiter:
    (limiter,) = current_app.extensions["limiter"]  # Flask-Limiter keeps a set, of one here
    return limiter


class EventPayload(ma.Schema):
    """An event's payload, validated like the REST API's bodies."""

    class Meta:
        unknown = ma.EXCLUDE  # newer clients may send more


def again_if_raced(action: Callable[[], T]) -> T:
    """Run ``action``, which commits; if it lost a race on a unique identity (two tabs
    signing in with one new id, two visitors proving one new address at once), roll
    back and run it once more: the second time it finds the winner's row.

    The loser hears of it either from the unique index (``IntegrityError``) or, when
    the winner committed between its lookup and its insert, from the identities'
    own check (``Conflict``)."""
    try:
        return action()
    except (IntegrityError, Conflict):
        db.session.rollback()
        return action()


def throttle(limit: str, budget: str, *keys: object) -> None:
    """Spend one unit of the budget named ``budget`` for ``keys``, allowed ``limit``
    (``"5 per minute"``), on the limiter's storage (shared by processes with Redis)."""
    if not settings().rate_limits_enabled:
        return
    from limits import parse  # the rate limiter's own library: bound, so imported

    item = parse(limit)
    identifiers = [str(key) for key in keys]
    strategy = _limiter().limiter
    if not strategy.hit(item, budget, *identifiers):
        reset_at = strategy.get_window_stats(item, budget, *identifiers).reset_time
        retry_after = max(1, int(reset_at - time.time()))
        raise TooManyRequests(
            f"Slow down: try again in {retry_after} seconds.", retry_after=retry_after
        )


def ticket_room(ticket_id: int) -> str:
    """The room of a ticket's listeners: its widget tabs on ``/widget``, its viewers on
    ``/agent``."""
    return f"ticket:{ticket_id}"


def _joining(session: DbSession) -> set[tuple[str, str]]:
    """The ``(namespace, room)`` pairs this transaction puts sockets into."""
    return transaction_value(session, _JOINING, set)


def emit_after_commit(
    session: DbSession, namespace: str, event: str, room: str, build: Callable[[], Any]
) -> None:
    """Emit ``event`` to ``room`` with ``build()`` once ``session`` commits.

    A room this transaction joins sockets to is heard even if nobody is in it yet."""
    if _may_be_heard(namespace, room) or (namespace, room) in _joining(session):
        after_commit(session, _emit, namespace, event, room, prepare=build)


def join_after_commit(
    session: DbSession, namespace: str, room: str, sids: Callable[[], list[str]]
) -> None:
    """Put the sockets ``sids()`` names into ``room`` once ``session`` commits, before
    any event queued after this one is emitted to it (a new ticket's every widget tab
    hears its first message). Not before: a room joined for a ticket that then rolls
    back could be another's ticket, once its id is used again."""
    if _server() is None:
        return
    after_commit(session, _join, namespace, room, prepare=sids)
    _joining(session).add((namespace, room))


def disconnect_after_commit(
    session: DbSession, namespace: str, sids: Callable[[], list[str]]
) -> None:
    """Drop the sockets ``sids()`` names (read just before the commit) once ``session``
    commits, whichever server process holds them (the message queue carries it)."""
    if _server() is not None:
        after_commit(session, _disconnect_later, namespace, prepare=sids)


def _emit(namespace: str, event: str, room: str, payload: Any) -> None:
    socketio().emit(event, payload, namespace=namespace, to=room)


def _join(namespace: str, room: str, sids: list[str]) -> None:
    server = socketio().server
    for sid in sids:
        # a socket that left since (or a process that died) has nothing to join
        with suppress(KeyError, ValueError):
            server.enter_room(sid, room, namespace=namespace)


def _disconnect_later(namespace: str, sids: list[str]) -> None:
    # in a task of its own: the disconnect handlers commit in a session of theirs
    if sids:
        extension = socketio()
        extension.start_background_task(_disconnect, extension.server, namespace, sids)


def _disconnect(server: Any, namespace: str, sids: list[str]) -> None:
    for sid in sids:
        server.disconnect(sid, namespace=namespace)


def _may_be_heard(namespace: str, room: str) -> bool:
    """False only when nobody can hear: no server in this process, or no message queue
    to other processes and nobody in ``room`` here (``ingest-email`` run by an MTA,
    a quiet desk). Payloads are built per message, so this saves real work."""
    server = _server()
    if server is None:
        return False
    from socketio import PubSubManager  # bound, so imported already

    manager = server.manager
    if isinstance(manager, PubSubManager):
        return True  # listeners may be connected to any process
    return room in manager.rooms.get(namespace, {})
