"""How often a customer got in touch, on which channels, and whether they are repeating
themselves about the ticket an agent is looking at (the customer panel's top line).

A **contact** is a time the customer reached out, read from their timeline:

- each inbound call;
- each inbound customer message that starts a conversation: the first on its ticket, one
  on another channel than the customer's previous message on that ticket, or one written
  more than ``CONTACT_GAP`` after it (a chat of forty lines, or an e-mail with the
  attachment the customer forgot, is one contact).

The **repeat-contact signal** counts the contacts of the last ``WINDOW_DAYS`` days about
"the same thing" as the viewed ticket: that ticket, the tickets linked to it by
follow-ups (either way, however far the chain goes), and the customer's tickets with a
similar subject (``customers.subjects``). It is there from the second contact on.

Cost: a constant number of statements. The counts read the customer's timeline entries
of kind message and call (index ``ix_timeline_customer_kind``) and their messages and
calls by primary key; the signal reads only the window (plus ``CONTACT_GAP`` before it,
so that a message just inside the window knows what came before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, extract, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import Over

from supportdesk.core.channels import CUSTOMER_CHANNELS, Channel
from supportdesk.core.errors import InvalidInput, referenced
from supportdesk.core.models import DbSession
from supportdesk.core.time import utcnow
from supportdesk.customers.models import Customer
from supportdesk.customers.subjects import SIMILAR, similarity, subject_tokens
from supportdesk.tickets.models import AuthorKind, Call, CallDirection, Direction, Message, Ticket
from supportdesk.tickets.service import get_ticket
from supportdesk.timeline.models import EntryKind, TimelineEntry

#: how long a customer may pause before their next message on a ticket is a new contact
CONTACT_GAP = timedelta(hours=1)
#: the window of the recent counts and of the repeat-contact signal
WINDOW_DAYS = 7

#: subjects the desk makes up ("Call from +1 415...", a blank one): they say nothing
#: about what the call was about, so they are never compared
_DESK_MADE = re.compile(r"^(?:Call (?:from|to) .*|\(no subject\))$")


@dataclass
class ChannelCount:
    channel: str
    total: int = 0
    recent: int = 0


@dataclass
class Repeat:
    """The contacts about the viewed ticket's matter in the window, oldest first."""

    count: int
    channels: list[str]
    ticket_ids: list[int]
    similar_ticket_ids: list[int]
    first_at: datetime
    last_at: datetime
    days: int = WINDOW_DAYS


@dataclass
class ContactSummary:
    customer_id: int
    since: datetime
    by_channel: list[ChannelCount]
    repeat: Repeat | None = None
    days: int = WINDOW_DAYS
    total: int = field(init=False)
    recent: int = field(init=False)

    def __post_init__(self) -> None:
        self.total = sum(c.total for c in self.by_channel)
        self.recent = sum(c.recent for c in self.by_channel)


def contact_summary(
    session: DbSession, customer: Customer, *, ticket_id: int | None = None
) -> ContactSummary:
    """The customer's contacts by channel, and the signal for ``ticket_id`` if given."""
    viewed = None
    if ticket_id is not None:
        viewed = referenced(session, "ticket_id", get_ticket, ticket_id)
        if viewed.customer_id != customer.id:
            raise InvalidInput.field("ticket_id", f"{viewed.ref} is another customer's ticket.")
    since = utcnow() - timedelta(days=WINDOW_DAYS)
    return ContactSummary(
        customer_id=customer.id,
        since=since,
        by_channel=_counts(session, customer.id, since),
        repeat=_repeat(session, viewed, since) if viewed else None,
    )


def _contacts(
    customer_id: int, after: datetime | None = None
) -> Select[tuple[int, str, datetime, int]]:
    """The customer's inbound messages and calls (since ``after``), each with ``starts``:
    1 when it starts a contact, else 0."""
    entry = TimelineEntry
    previous_at = _previous(entry.occurred_at)
    starts = case(
        (entry.kind == EntryKind.CALL, 1),
        (previous_at.is_(None), 1),
        (_previous(entry.channel) != entry.channel, 1),
        (
            extract("epoch", entry.occurred_at) - extract("epoch", previous_at)
            > CONTACT_GAP.total_seconds(),
            1,
        ),
        else_=0,
    )
    stmt = (
        select(entry.ticket_id, entry.channel, entry.occurred_at, starts.label("starts"))
        .outerjoin(Message, Message.id == entry.message_id)
        .outerjoin(Call, Call.id == entry.call_id)
        .where(
            entry.customer_id == customer_id,
            entry.kind.in_([EntryKind.MESSAGE, EntryKind.CALL]),
            or_(
                and_(
                    Message.direction == Direction.INBOUND,
                    Message.author_kind == AuthorKind.CUSTOMER,
                ),
                Call.direction == CallDirection.INBOUND,
            ),
        )
    )
    return stmt if after is None else stmt.where(entry.occurred_at >= after)


def _previous(column: InstrumentedAttribute[Any]) -> Over[Any]:
    """``column`` of the customer's previous row on the same ticket (NULL for the first)."""
    order = (TimelineEntry.occurred_at, TimelineEntry.id)
    return func.lag(column).over(partition_by=TimelineEntry.ticket_id, order_by=order)


def _counts(session: DbSession, customer_id: int, since: datetime) -> list[ChannelCount]:
    """Every customer channel, zeros included, in one statement."""
    contacts = _contacts(customer_id).subquery()
    rows = session.execute(
        select(
            contacts.c.channel,
            func.count(),
            func.coalesce(func.sum(case((contacts.c.occurred_at >= since, 1), else_=0)), 0),
        )
        .where(contacts.c.starts == 1)
        .group_by(contacts.c.channel)
    )
    counted = {Channel(channel).value: (total, recent) for channel, total, recent in rows}
    return [ChannelCount(channel, *counted.get(channel, (0, 0))) for channel in CUSTOMER_CHANNELS]


def _repeat(session: DbSession, viewed: Ticket, since: datetime) -> Repeat | None:
    window = _contacts(viewed.customer_id, since - CONTACT_GAP).subquery()
    rows = session.execute(
        select(window.c.ticket_id, window.c.channel, window.c.occurred_at, Ticket.subject)
        .join(Ticket, Ticket.id == window.c.ticket_id)
        .where(window.c.starts == 1, window.c.occurred_at >= since)
        .order_by(window.c.occurred_at)
    ).all()
    linked = _linked_tickets(session, viewed) if rows else set()
    viewed_tokens = None if _DESK_MADE.match(viewed.subject) else subject_tokens(viewed.subject)
    similar: set[int] = set()
    counted = []
    for ticket_id, channel, occurred_at, subject in rows:
        if ticket_id not in linked and not _similar(viewed_tokens, subject):
            continue
        if ticket_id not in linked:
            similar.add(ticket_id)
        counted.append((ticket_id, Channel(channel).value, occurred_at))
    if len(counted) < 2:
        return None
    return Repeat(
        count=len(counted),
        channels=list(dict.fromkeys(channel for _, channel, _ in counted)),
        ticket_ids=list(dict.fromkeys(ticket_id for ticket_id, _, _ in counted)),
        similar_ticket_ids=sorted(similar),
        first_at=counted[0][2],
        last_at=counted[-1][2],
    )


def _similar(viewed_tokens: frozenset[str] | None, subject: str) -> bool:
    if viewed_tokens is None or _DESK_MADE.match(subject):
        return False
    return similarity(viewed_tokens, subject_tokens(subject)) >= SIMILAR


def _linked_tickets(session: DbSession, viewed: Ticket) -> set[int]:
    """The viewed ticket and every ticket of its customer linked to it by follow-ups,
    either way and transitively: one recursive statement (UNION stops at a ticket seen)."""
    chain = (
        select(Ticket.id, Ticket.follow_up_of_id)
        .where(Ticket.id == viewed.id)
        .cte("chain", recursive=True)
    )
    linked = aliased(Ticket)
    chain = chain.union(
        select(linked.id, linked.follow_up_of_id)
        .join(
            chain,
            or_(linked.follow_up_of_id == chain.c.id, linked.id == chain.c.follow_up_of_id),
        )
        .where(linked.customer_id == viewed.customer_id)
    )
    return set(session.scalars(select(chain.c.id)))
