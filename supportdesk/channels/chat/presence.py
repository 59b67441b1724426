"""Who is connected, shared by every server process through the database.

Visitors' connections are keyed by visitor (a visitor may have no customer yet),
agents' by user. A process refreshes ``seen_at`` on its own connections every
``HEARTBEAT``; a connection not refreshed for ``STALE_AFTER`` is counted as gone (its
process died without saying goodbye) and swept later.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Any

from sqlalchemy import case, delete, func, select, update

from supportdesk.channels.chat.models import Connection, Visitor
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.users.models import User
from supportdesk.users.service import credential_is_live

HEARTBEAT = timedelta(seconds=30)
STALE_AFTER = timedelta(seconds=90)


class AgentStatus(enum.StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


def _live() -> Any:
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


def _customer_widgets(customer_id: int) -> Any:
    return (
        select(Connection.sid)
        .join(Visitor, Visitor.id == Connection.key)
        .where(Connection.kind == "visitor", Visitor.customer_id == customer_id, _live())
    )


def customer_online(session: DbSession, customer_id: int) -> bool:
    """Whether the customer has a widget open (any tab of any of their visitors)."""
    return session.scalars(_customer_widgets(customer_id).limit(1)).first() is not None


def widget_sids(session: DbSession, customer_id: int) -> list[str]:
    """The customer's open widgets' sockets."""
    return list(session.scalars(_customer_widgets(customer_id)))


def ended_agent_sids(session: DbSession, user: User) -> list[str]:
    """The user's ``/agent`` sockets whose sign-in session or token has ended."""
    rows = session.execute(
        select(Connection.sid, Connection.credential).where(
            Connection.kind == "agent", Connection.key == user.id
        )
    )
    return [sid for sid, credential in rows if not credential_is_live(session, user, credential)]


def agents_online(session: DbSession) -> bool:
    """Whether an agent is there to chat: connected and not away."""
    query = select(Connection.sid).where(
        Connection.kind == "agent", Connection.status == AgentStatus.ONLINE, _live()
    )
    return session.scalars(query.limit(1)).first() is not None


def agent_status(session: DbSession, user_id: int) -> AgentStatus:
    statuses = set(
        session.scalars(
            select(Connection.status).where(
                Connection.kind == "agent", Connection.key == user_id, _live()
            )
        )
    )
    if not statuses:
        return AgentStatus.OFFLINE
    return AgentStatus.ONLINE if AgentStatus.ONLINE in statuses else AgentStatus.AWAY


def set_agent_status(session: DbSession, user_id: int, status: AgentStatus) -> None:
    """Away or back, on every tab the agent has open."""
    session.execute(
        update(Connection)
        .where(Connection.kind == "agent", Connection.key == user_id)
        .values(status=status.value)
    )


def viewers(session: DbSession, ticket_id: int) -> list[dict[str, Any]]:
    """The agents looking at a ticket, each once, typing if any of their tabs is."""
    rows = session.execute(
        select(User.id, User.name, func.max(case((Connection.typing, 1), else_=0)))
        .join(User, User.id == Connection.key)
        .where(Connection.kind == "agent", Connection.watching_ticket_id == ticket_id, _live())
        .group_by(User.id, User.name)
        .order_by(User.name, User.id)
    )
    return [{"id": id_, "name": name, "typing": bool(typing)} for id_, name, typing in rows]


def heartbeat(session: DbSession, sids: list[str]) -> None:
    if sids:
        session.execute(update(Connection).where(Connection.sid.in_(sids)).values(seen_at=utcnow()))


def sweep(session: DbSession) -> None:
    session.execute(delete(Connection).where(Connection.seen_at <= utcnow() - STALE_AFTER))
