"""Who is connected, on any namespace, shared by every server process through the database.

Visitors' connections (``/widget``) are keyed by visitor (a visitor may have no customer
yet), agents' (``/agent``) by user. A process refreshes ``seen_at`` on its own
connections every ``HEARTBEAT`` (``Heartbeat``); a connection not refreshed for
``STALE_AFTER`` is counted as gone (its process died without saying goodbye) and swept
later.

The two sides speak to each other through the signals below: the agents' side sends
them, the chat channel tells its widgets; neither imports the other.
"""

from __future__ import annotations

import enum
import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from blinker import Namespace
from flask import Flask, current_app
from sqlalchemy import Index, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.core.database import db
from supportdesk.core.models import DbSession
from supportdesk.core.time import UTCDateTime, utcnow

log = logging.getLogger(__name__)
HEARTBEAT = timedelta(seconds=30)
STALE_AFTER = timedelta(seconds=90)
_EXTENSION = "supportdesk.heartbeat"

_signals = Namespace()
#: whether an agent is there to chat flipped; ``online`` is the new answer
agents_available_changed = _signals.signal("agents-available-changed")
#: an agent started or stopped typing a reply (not an internal note) on the ticket
#: ``sender`` (its id); ``typing``, and the agent's ``name``
agent_typing = _signals.signal("agent-typing")
#: a visitor started or stopped typing on their chat ticket ``sender`` (its id); ``typing``
visitor_typing = _signals.signal("visitor-typing")


class Connection(db.Model):  # type: ignore[name-defined]
    """One live Socket.IO connection, kept in the database so that every server
    process sees who is online. Each process refreshes ``seen_at`` for its own
    connections; a row not refreshed for a while belongs to a process that died."""

    __tablename__ = "chat_connections"
    __table_args__ = (Index("ix_chat_connections_kind_key", "kind", "key", "seen_at"),)

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: ``visitor`` (key: visitor id) or ``agent`` (key: user id)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[int] = mapped_column()
    #: agents only: online or away
    status: Mapped[str] = mapped_column(String(10), default="online")
    #: agents only: the ticket being viewed, and whether they are typing on it
    watching_ticket_id: Mapped[int | None] = mapped_column(index=True)
    typing: Mapped[bool] = mapped_column(default=False)
    #: agents only: the sign-in session or API token connected with
    #: (``users.service.credential_is_live``); the socket is dropped when it ends
    credential: Mapped[str | None] = mapped_column(String(80))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgentStatus(enum.StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


def live() -> Any:
    """The filter for connections whose process is still alive."""
    return Connection.seen_at > utcnow() - STALE_AFTER


def connect(
    session: DbSession, sid: str, kind: str, key: int, *, credential: str | None = None
) -> None:
    session.add(Connection(sid=sid, kind=kind, key=key, credential=credential, seen_at=utcnow()))


def disconnect(session: DbSession, sid: str) -> Connection | None:
    connection = session.get(Connection, sid)
    if connection is not None:
        session.delete(connection)
    return connection


def get(session: DbSession, sid: str) -> Connection | None:
    return session.get(Connection, sid)


def agents_online(session: DbSession) -> bool:
    """Whether an agent is there to chat: connected and not away."""
    query = select(Connection.sid).where(
        Connection.kind == "agent", Connection.status == AgentStatus.ONLINE, live()
    )
    return session.scalars(query.limit(1)).first() is not None


def refresh(session: DbSession, sids: list[str]) -> None:
    """These connections are alive: their process says so."""
    if sids:
        session.execute(update(Connection).where(Connection.sid.in_(sids)).values(seen_at=utcnow()))


def sweep(session: DbSession) -> None:
    session.execute(delete(Connection).where(Connection.seen_at <= utcnow() - STALE_AFTER))


class Heartbeat:
    """Every ``HEARTBEAT``, re-stamp the connections this process holds, and sweep the
    ones whose process died. One per app (``heartbeat()``), started by the app's first
    connection. A server's beats as long as its process lives; an app done with sooner
    (a test's, whose database then goes away) is stopped with ``stop_heartbeat``."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._socketio = app.extensions["socketio"]  # bound before the domains register
        self._sids: set[str] = set()
        self._lock = threading.Lock()
        self._started = False
        self._beating = threading.Lock()  # held while a beat reads and writes the database
        self._stopped = threading.Event()

    def track(self, sid: str) -> None:
        with self._lock:
            self._sids.add(sid)
            if not self._started:
                self._started = True
                self._socketio.start_background_task(self._run)

    def forget(self, sid: str) -> None:
        with self._lock:
            self._sids.discard(sid)

    def stop(self) -> None:
        """No beat after this returns; a beat under way finishes first."""
        self._stopped.set()
        with self._beating:
            pass

    def _run(self) -> None:
        while True:
            self._socketio.sleep(HEARTBEAT.total_seconds())
            with self._beating:
                if self._stopped.is_set():
                    return
                self._beat()

    def _beat(self) -> None:
        with self._lock:
            sids = list(self._sids)
        try:
            with self._app.app_context():
                refresh(db.session, sids)
                sweep(db.session)
                db.session.commit()
        except Exception:  # the next beat tries again; a missed one costs nothing
            log.exception("presence heartbeat failed")


def init_app(app: Flask) -> None:
    """Give the app its heartbeat (it starts with the first connection, not now)."""
    app.extensions.setdefault(_EXTENSION, Heartbeat(app))


def heartbeat() -> Heartbeat:
    """This app's heartbeat (made by ``init_app``)."""
    return current_app.extensions[_EXTENSION]


def stop_heartbeat(app: Flask) -> None:
    """Stop ``app``'s heartbeat for good: for an app done with while its process goes on."""
    app.extensions[_EXTENSION].stop()
