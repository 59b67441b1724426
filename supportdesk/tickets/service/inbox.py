"""The inbox: the ticket list, its filters and views, and what each view counts.

A view (``mine``, ``unassigned``, ``open``, ``pending``, ``solved``, ``all``) is a named
filter over status and assignee. The list (``tickets_page``) and the counts
(``inbox_counts``) read the same rules (``VIEW_RULES``), so a view's count is always the
number of tickets its list walks through.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import selectinload

from supportdesk.core.channels import CUSTOMER_CHANNELS, Channel
from supportdesk.core.errors import InvalidInput
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.tickets.models import Priority, Ticket, TicketTag
from supportdesk.tickets.search import ticket_search
from supportdesk.tickets.service.tickets import normalize_tag
from supportdesk.tickets.status import Status


class View(enum.StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"
    ALL = "all"


class Assignee(enum.Enum):
    """Whose tickets a view holds."""

    CALLER = "caller"
    NOBODY = "nobody"
    ANYONE = "anyone"


@dataclass(frozen=True)
class ViewRule:
    statuses: frozenset[Status]
    assignee: Assignee


#: what still needs someone: every status but solved and closed
ACTIVE = frozenset({Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD})
#: the ball is with us: not yet worked, or the customer answered
OPEN = frozenset({Status.NEW, Status.OPEN})

VIEW_RULES: dict[View, ViewRule] = {
    View.MINE: ViewRule(ACTIVE, Assignee.CALLER),
    View.UNASSIGNED: ViewRule(OPEN, Assignee.NOBODY),
    View.OPEN: ViewRule(OPEN, Assignee.ANYONE),
    # waiting on someone else: the customer (pending) or a third party (on hold)
    View.PENDING: ViewRule(frozenset({Status.PENDING, Status.ON_HOLD}), Assignee.ANYONE),
    View.SOLVED: ViewRule(frozenset({Status.SOLVED}), Assignee.ANYONE),
    # closed tickets are final: out of every view, still found with status=closed
    View.ALL: ViewRule(frozenset(set(Status) - {Status.CLOSED}), Assignee.ANYONE),
}

#: what the per-channel counts count: the channel's tickets in the ``open`` view
CHANNEL_VIEW = View.OPEN


def tickets_page(
    session: DbSession,
    page: PageRequest,
    *,
    caller_id: int | None = None,
    view: str | None = None,
    status: str | None = None,
    statuses: Collection[str] = (),
    priority: str | None = None,
    assignee_id: int | None = None,
    unassigned: bool | None = None,
    channel: str | None = None,
    customer_id: int | None = None,
    tag: str | None = None,
    q: str | None = None,
) -> Page[Ticket]:
    """Newest first; every filter given narrows the list (``q``: see ``tickets.search``).
    ``view=mine`` is ``caller_id``'s tickets.

    Each filter has an index that ends in ``id`` (``models.Ticket``), so a page costs the
    same on the thousandth page as on the first.
    """
    # A page of tickets shows their tags: one query for the page, not one per ticket.
    # Their customers and assignees come in the page's own statement (``Ticket``).
    stmt = select(Ticket).options(selectinload(Ticket.tag_rows))
    if view:
        stmt = stmt.where(*_view_filter(View(view), caller_id))
    if status:
        stmt = stmt.where(Ticket.status == Status(status))
    if statuses:
        stmt = stmt.where(Ticket.status.in_([Status(s) for s in statuses]))
    if priority:
        stmt = stmt.where(Ticket.priority == Priority(priority))
    if assignee_id is not None:
        stmt = stmt.where(Ticket.assignee_id == assignee_id)
    if unassigned is not None:
        nobody = Ticket.assignee_id.is_(None)
        stmt = stmt.where(nobody if unassigned else ~nobody)
    if channel:
        stmt = stmt.where(Ticket.channel == Channel(channel))
    if customer_id is not None:
        stmt = stmt.where(Ticket.customer_id == customer_id)
    if tag:
        tagged = select(TicketTag.ticket_id).where(TicketTag.name == normalize_tag(tag))
        stmt = stmt.where(Ticket.id.in_(tagged))
    if q:
        stmt = stmt.where(ticket_search(session, q))
    return keyset_page(session, stmt, (Ticket.id,), page, descending=True)


def _view_filter(view: View, caller_id: int | None) -> list[ColumnElement[bool]]:
    rule = VIEW_RULES[view]
    where: list[ColumnElement[bool]] = [Ticket.status.in_(sorted(rule.statuses))]
    if rule.assignee is Assignee.CALLER:
        if caller_id is None:
            raise InvalidInput.field("view", "Only a signed-in agent has tickets of their own.")
        where.append(Ticket.assignee_id == caller_id)
    elif rule.assignee is Assignee.NOBODY:
        where.append(Ticket.assignee_id.is_(None))
    return where


@dataclass(frozen=True)
class InboxCounts:
    """How many tickets each view holds for one agent, and each channel's open ones."""

    views: dict[View, int]
    channels: dict[str, int]


def inbox_counts(session: DbSession, caller_id: int) -> InboxCounts:
    """Every view's count and every channel's, for ``caller_id``, in one statement.

    The tickets are counted once per (status, channel), with how many of each have no
    assignee and how many are the caller's; each view then adds up the statuses its rule
    takes, so the cost does not grow with the number of views.
    """
    counted = session.execute(
        select(
            Ticket.status,
            Ticket.channel,
            func.count(),
            func.sum(case((Ticket.assignee_id.is_(None), 1), else_=0)),
            func.sum(case((Ticket.assignee_id == caller_id, 1), else_=0)),
        )
        .where(Ticket.status != Status.CLOSED)
        .group_by(Ticket.status, Ticket.channel)
    ).all()
    column = {Assignee.ANYONE: 2, Assignee.NOBODY: 3, Assignee.CALLER: 4}
    views = {
        view: sum(int(row[column[rule.assignee]]) for row in counted if row[0] in rule.statuses)
        for view, rule in VIEW_RULES.items()
    }
    channels = dict.fromkeys(CUSTOMER_CHANNELS, 0)
    open_statuses = VIEW_RULES[CHANNEL_VIEW].statuses
    for status, channel, total, *_ in counted:
        if status in open_statuses:
            channels[channel.value] = channels.get(channel.value, 0) + int(total)
    return InboxCounts(views, channels)
