"""What the connection registry (``core.connections``) says about agents: their status,
who is viewing a ticket, and whose sockets outlived their sign-in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select, update

from supportdesk.core.connections import AgentStatus, Connection, live
from supportdesk.core.models import DbSession
from supportdesk.users.models import User


def agent_status(session: DbSession, user_id: int) -> AgentStatus:
    statuses = set(
        session.scalars(
            select(Connection.status).where(
                Connection.kind == "agent", Connection.key == user_id, live()
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
        .where(Connection.kind == "agent", Connection.watching_ticket_id == ticket_id, live())
        .group_by(User.id, User.name)
        .order_by(User.name, User.id)
    )
    return [{"id": id_, "name": name, "typing": bool(typing)} for id_, name, typing in rows]


def ended_agent_sids(session: DbSession, user: User) -> list[str]:
    """The user's ``/agent`` sockets whose sign-in session or token has ended."""
    rows = session.execute(
        select(Connection.sid, Connection.credential).where(
            Connection.kind == "agent", Connection.key == user.id
        )
    )
    from supportdesk.users.service import credential_is_live  # argon2, only when asked

    return [sid for sid, credential in rows if not credential_is_live(session, user, credential)]
