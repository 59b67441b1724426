"""Socket.IO namespace ``/agent``: the desk's live feed and collision detection.

Agents hear ``ticket.created``, ``ticket.updated`` and ``message.created`` (see
``listeners``), their own ``notification.created`` (each socket is in its agent's
``user_room``), who is online (``presence``), and, on a ticket they ``watch``,
who else is viewing or typing there (``ticket.viewers``).
"""

from __future__ import annotations

from typing import Any

from flask import request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit, join_room, leave_room

from supportdesk.core import connections
from supportdesk.core.auth import Unauthenticated
from supportdesk.core.connections import agent_typing, agents_available_changed, heartbeat
from supportdesk.core.namespaces import EventNamespace, answers_problems, load
from supportdesk.core.sockets import ticket_room
from supportdesk.extensions import db
from supportdesk.realtime import AGENTS_ROOM, NAMESPACE, presence, schemas, user_room
from supportdesk.tickets.service import get_ticket
from supportdesk.users import service as users
from supportdesk.users.auth import SESSION_KEY
from supportdesk.users.models import User


def _authenticate(auth: Any) -> tuple[User, str | None]:
    """The agent connecting, and the credential they connect with (so the socket can
    be dropped when that credential ends: see ``listeners``)."""
    token = auth.get("token") if isinstance(auth, dict) else None
    credential: str | None
    if isinstance(token, str) and token:
        user = users.user_for_token(db.session, token)
        credential = users.token_credential(token)
    else:
        user = current_user._get_current_object() if current_user.is_authenticated else None
        key = session.get(SESSION_KEY)
        credential = users.session_credential(key) if isinstance(key, str) else None
    if user is None or not user.active:
        raise ConnectionRefusedError("Sign in, or connect with auth: {token}.")
    return user, credential


def _sid() -> str:
    return request.sid  # type: ignore[attr-defined]


def _user() -> User:
    user = db.session.get(User, session.get("agent_id", 0))
    if user is None or not user.active:
        raise Unauthenticated("Your session has ended; sign in again.")
    return user


def _tell_viewers(*ticket_ids: int | None) -> None:
    for ticket_id in {t for t in ticket_ids if t}:
        viewers = presence.viewers(db.session, ticket_id)
        emit(
            "ticket.viewers",
            {"ticket_id": ticket_id, "viewers": viewers},
            namespace=NAMESPACE,
            to=ticket_room(ticket_id),
        )


def _tell_presence(user: User, agents_were_online: bool) -> None:
    """The agent's status to every agent; availability to whoever tells customers,
    when it flips."""
    status = presence.agent_status(db.session, user.id)
    emit(
        "presence",
        {"user_id": user.id, "name": user.name, "status": status.value},
        namespace=NAMESPACE,
        to=AGENTS_ROOM,
    )
    online = connections.agents_online(db.session)
    if online != agents_were_online:
        agents_available_changed.send(None, online=online)


class AgentNamespace(EventNamespace):
    def on_connect(self, auth: Any = None) -> None:
        user, credential = _authenticate(auth)
        were_online = connections.agents_online(db.session)
        connections.connect(db.session, _sid(), "agent", user.id, credential=credential)
        db.session.commit()
        heartbeat().track(_sid())
        session["agent_id"] = user.id
        join_room(AGENTS_ROOM)
        join_room(user_room(user.id))
        _tell_presence(user, were_online)

    def on_disconnect(self, reason: Any = None) -> None:
        heartbeat().forget(_sid())
        were_online = connections.agents_online(db.session)
        connection = connections.disconnect(db.session, _sid())
        db.session.commit()
        user = db.session.get(User, session.get("agent_id", 0))
        if connection is not None:
            _tell_viewers(connection.watching_ticket_id)
        if user is not None:
            _tell_presence(user, were_online)

    @answers_problems
    def on_watch(self, data: Any) -> dict[str, Any]:
        ticket = get_ticket(db.session, load(schemas.WatchIn, data)["ticket_id"])
        _user()
        connection = connections.get(db.session, _sid())
        assert connection is not None
        before = connection.watching_ticket_id
        if before and before != ticket.id:
            leave_room(ticket_room(before))
        connection.watching_ticket_id, connection.typing = ticket.id, False
        db.session.commit()
        join_room(ticket_room(ticket.id))
        _tell_viewers(before, ticket.id)
        return {"viewers": presence.viewers(db.session, ticket.id)}

    @answers_problems
    def on_unwatch(self, data: Any = None) -> dict[str, Any]:
        connection = connections.get(db.session, _sid())
        before = connection.watching_ticket_id if connection else None
        if connection is not None and before:
            connection.watching_ticket_id, connection.typing = None, False
            db.session.commit()
            leave_room(ticket_room(before))
            _tell_viewers(before)
        return {"ok": True}

    @answers_problems
    def on_typing(self, data: Any) -> None:
        data = load(schemas.AgentTypingIn, data)
        user = _user()
        connection = connections.get(db.session, _sid())
        if connection is None or connection.watching_ticket_id != data["ticket_id"]:
            self.on_watch({"ticket_id": data["ticket_id"]})
            connection = connections.get(db.session, _sid())
            assert connection is not None
        connection.typing = data["typing"]
        db.session.commit()
        _tell_viewers(data["ticket_id"])
        if not data.get("internal"):
            agent_typing.send(data["ticket_id"], typing=data["typing"], name=user.name)

    @answers_problems
    def on_presence(self, data: Any) -> dict[str, Any]:
        status = connections.AgentStatus(load(schemas.PresenceIn, data)["status"])
        user = _user()
        were_online = connections.agents_online(db.session)
        presence.set_agent_status(db.session, user.id, status)
        db.session.commit()
        _tell_presence(user, were_online)
        return {"status": presence.agent_status(db.session, user.id).value}
