"""What every Socket.IO namespace shares: refusals as problems, payloads, rate limits,
and socket work that must wait for a commit.

Pushes, joins and disconnects are queued with ``core.transaction.after_commit``: their
payloads (or socket ids) are read just before the commit, while the rows are still
readable, and they happen right after it, so nobody hears of a row that then rolls
back. With ``SUPPORTDESK_REDIS_URL`` set, ``socketio.emit`` goes through Redis and
reaches clients of every server process.

Core stands on nothing above it: the Socket.IO server and the rate limiter that
``supportdesk.extensions`` makes are reached through the app they are bound to, the
way Flask-SocketIO's own ``emit`` does.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

import marshmallow as ma
from flask import current_app
from flask_limiter import Limiter
from flask_socketio import Namespace, SocketIO, emit
from limits import parse
from socketio import PubSubManager
from sqlalchemy.exc import IntegrityError

from supportdesk.core.api import flatten_errors, problem_body
from supportdesk.core.database import db
from supportdesk.core.errors import Conflict, DomainError, InvalidInput, TooManyRequests
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.transaction import after_commit, transaction_value

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
_JOINING = "supportdesk.sockets.joining"


def socketio() -> SocketIO:
    """The app's Socket.IO extension (``supportdesk.extensions.socketio``)."""
    return current_app.extensions["socketio"]


def _limiter() -> Limiter:
    (limiter,) = current_app.extensions["limiter"]  # Flask-Limiter keeps a set, of one here
    return limiter


class EventNamespace(Namespace):
    """Dotted event names (``verify.start``) reach ``on_verify_start``."""

    def trigger_event(self, event: str, *args: Any) -> Any:
        return super().trigger_event(event.replace(".", "_"), *args)


class EventPayload(ma.Schema):
    """An event's payload, validated like the REST API's bodies."""

    class Meta:
        unknown = ma.EXCLUDE  # newer clients may send more


def problem_of(error: DomainError) -> dict[str, Any]:
    """The RFC 9457 body for a refusal, as the REST API would answer it."""
    return problem_body(error.status, error.detail, errors=error.errors, **error.extra)


def answers_problems(handler: F) -> F:
    """A refused event acks ``{error: problem}`` and tells the client with ``problem``."""

    @functools.wraps(handler)
    def wrapper(self: Any, *args: Any) -> Any:
        try:
            return handler(self, *args)
        except DomainError as error:
            db.session.rollback()
            body = problem_of(error)
        except Exception:
            db.session.rollback()
            log.exception("socket event %s failed", handler.__name__)
            body = problem_body(500, "Something went wrong on our side. It has been logged.")
        event = handler.__name__.removeprefix("on_").replace("_", ".")
        emit("problem", {**body, "event": event})
        return {"error": body}

    return wrapper  # type: ignore[return-value]


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


def load(schema: type[ma.Schema], data: Any) -> dict[str, Any]:
    """The event's payload, or ``InvalidInput`` with the field errors."""
    try:
        return schema().load(data if data is not None else {})
    except ma.ValidationError as error:
        raise InvalidInput(
            "The event has invalid fields; see errors.", errors=flatten_errors(error.messages)
        ) from None


def throttle(limit: str, budget: str, *keys: object) -> None:
    """Spend one unit of the budget named ``budget`` for ``keys``, allowed ``limit``
    (``"5 per minute"``), on the limiter's storage (shared by processes with Redis)."""
    if not settings().rate_limits_enabled:
        return
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
    if socketio().server is None:
        return
    after_commit(session, _join, namespace, room, prepare=sids)
    _joining(session).add((namespace, room))


def disconnect_after_commit(
    session: DbSession, namespace: str, sids: Callable[[], list[str]]
) -> None:
    """Drop the sockets ``sids()`` names (read just before the commit) once ``session``
    commits, whichever server process holds them (the message queue carries it)."""
    if socketio().server is not None:
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
    server = socketio().server
    if server is None:
        return False
    manager = server.manager
    if isinstance(manager, PubSubManager):
        return True  # listeners may be connected to any process
    return room in manager.rooms.get(namespace, {})
