"""Making, listing and reading an agent's notifications."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, insert, select, update
from sqlalchemy.orm import joinedload

from supportdesk.core.connections import AgentStatus, Connection, live
from supportdesk.core.database import as_loaded
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.core.time import utcnow
from supportdesk.core.transaction import transaction_value
from supportdesk.notifications.models import Notification, NotificationKind
from supportdesk.notifications.signals import notification_created
from supportdesk.tickets.models import Message, Ticket
from supportdesk.users.models import User

_ONLINE_AGENTS = "supportdesk.notifications.online_agents"
_INSERT = insert(Notification.__table__).returning(
    Notification.__table__.c.id, Notification.__table__.c.user_id
)


def notify(
    session: DbSession,
    user_ids: Iterable[int],
    kind: NotificationKind,
    ticket: Ticket,
    *,
    message: Message | None = None,
    actor_name: str | None = None,
    snippet: str | None = None,
) -> list[Notification]:
    """One notification for each of ``user_ids``, each announced.

    Written with one INSERT ... RETURNING of the ids, not through the unit of work nor
    as an ORM INSERT returning whole rows: a new chat notifies every agent online, and
    those were a sixth of what a visitor's first message cost.
    """
    # one for each agent, however often named
    by_user = {
        user_id: {
            "user_id": user_id,
            "kind": kind,
            "ticket_id": ticket.id,
            "message_id": message.id if message else None,
            "actor_name": actor_name,
            "snippet": snippet,
            "created_at": utcnow(),
            "read_at": None,
        }
        for user_id in user_ids
    }
    if not by_user:
        return []
    # in the order they were made: RETURNING keeps none, yet one statement holds them all
    ids: dict[int, int] = dict(sorted(session.execute(_INSERT, list(by_user.values())).all()))
    rows = [
        as_loaded(session, Notification, {**by_user[user_id], "id": row_id}, ticket=ticket)
        for row_id, user_id in ids.items()
    ]
    for row in rows:
        notification_created.send(row)
    return rows


def online_agent_ids(session: DbSession) -> list[int]:
    """The active agents connected to ``/agent`` now and not away.

    Read once per transaction: a chat batch opens a ticket for each of its visitors'
    first messages, and each new chat notifies whoever is online.
    """
    return list(transaction_value(session, _ONLINE_AGENTS, lambda: _online_agent_ids(session)))


def _online_agent_ids(session: DbSession) -> list[int]:
    stmt = (
        select(Connection.key)
        .join(User, User.id == Connection.key)
        .where(
            Connection.kind == "agent",
            Connection.status == AgentStatus.ONLINE.value,
            live(),
            User.active,
        )
        .distinct()
    )
    return sorted(session.scalars(stmt))


@dataclass
class NotificationPage(Page[Notification]):
    #: every unread notification of the agent, not only this page's
    unread_count: int


def _unread(user_id: int) -> ColumnElement[bool]:
    return and_(Notification.user_id == user_id, Notification.read_at.is_(None))


def unread_count(session: DbSession, user_id: int) -> int:
    return session.scalar(select(func.count(Notification.id)).where(_unread(user_id))) or 0


def notifications_page(
    session: DbSession, user_id: int, page: PageRequest, *, unread: bool = False
) -> NotificationPage:
    """The agent's notifications (``unread``: those not read yet), newest first, each with
    its ticket: one statement for the page, one for the count."""
    condition = _unread(user_id) if unread else Notification.user_id == user_id
    stmt = select(Notification).where(condition).options(joinedload(Notification.ticket))
    found = keyset_page(session, stmt, (Notification.id,), page, descending=True)
    return NotificationPage(found.items, found.next_cursor, unread_count(session, user_id))


def mark_read(
    session: DbSession, user_id: int, *, ids: Sequence[int] = (), everything: bool = False
) -> int:
    """Mark the agent's notifications ``ids`` (or all of them) read; the unread left.

    An id that is not one of the agent's changes nothing (and says nothing about it);
    one read already keeps the time it was first read."""
    stmt = update(Notification).where(_unread(user_id))
    if not everything:
        stmt = stmt.where(Notification.id.in_(ids))
    session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return unread_count(session, user_id)
