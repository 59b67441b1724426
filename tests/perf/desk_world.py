"""A desk with history, for the benchmarks that compare against the peer: bulk-inserted
customers, tickets, messages and timeline entries shaped like the peer benchmark's world.

``seed(session, tickets)`` builds, with explicit ids and one INSERT per 5,000 rows:

* ``alice@example.com``: a sixth of the tickets (the peer gives her 2,000 of 12,000), five
  messages each, and her oldest ticket a ``LONG_THREAD``-message conversation;
* ``malice@example.com``: 25 tickets (an address that contains Alice's, which a substring
  search would confuse with hers);
* the rest spread over other customers, 20 tickets each, two messages each.

Rows skip the services (no search documents, no events): the benchmarks look customers up
by a whole address, which is an identity lookup, and read lists, messages and timelines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import insert

from supportdesk.core.channels import Channel
from supportdesk.core.models import DbSession
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer, Identity
from supportdesk.tickets.models import AuthorKind, Direction, Message, Priority, Ticket
from supportdesk.tickets.status import Status
from supportdesk.timeline.models import EntryKind, TimelineEntry

ALICE = "alice@example.com"
MALICE = "malice@example.com"
LONG_THREAD = 500
BATCH = 5_000
START = datetime(2025, 1, 1, tzinfo=UTC)
EN = (
    "Hello, my order has not arrived yet, please help.",
    "Login says wrong password after two resets.",
    "The invoice header is wrong and must be reissued.",
    "The app crashes on Android, latest version.",
)
ZH = (
    "您好，我的订单还没有到账，请帮忙处理。",
    "登录时提示密码错误，已经重置过两次。",
    "发票抬头写错了，需要重新开具。",
    "应用在安卓手机上闪退，版本是最新的。",
)


@dataclass(frozen=True)
class World:
    """What the measurements open."""

    alice_id: int
    long_ticket_id: int
    tickets: int
    messages: int


def insert_rows(session: DbSession, model: type[Any], rows: Iterable[dict[str, Any]]) -> None:
    """Bulk INSERTs of ``rows`` (every column given), ``BATCH`` rows per statement."""
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        session.execute(insert(model), batch)


def ticket_row(
    ticket_id: int, customer_id: int, subject: str, channel: Channel, at: datetime
) -> dict[str, Any]:
    """An open, unassigned ticket as its row, every column given (for ``insert_rows``)."""
    return {
        "id": ticket_id,
        "subject": subject,
        "status": Status.OPEN,
        "priority": Priority.NORMAL,
        "channel": channel,
        "customer_id": customer_id,
        "assignee_id": None,
        "follow_up_of_id": None,
        "created_at": at,
        "updated_at": at,
        "first_response_due_at": None,
        "resolution_due_at": None,
    }


def _owners(tickets: int) -> Iterator[tuple[str, int, int]]:
    """``(address, tickets, messages per ticket)`` per customer, Alice first."""
    alice = max(1, tickets // 6)
    malice = min(25, max(0, tickets - alice))
    yield ALICE, alice, 5
    if malice:
        yield MALICE, malice, 2
    rest, n = tickets - alice - malice, 0
    while rest > 0:
        n += 1
        yield f"other{n}@example.org", min(20, rest), 2
        rest -= 20


def seed(session: DbSession, tickets: int) -> World:
    """``tickets`` tickets of history, committed; Alice is customer 1."""
    customers: list[dict[str, Any]] = []
    identities: list[dict[str, Any]] = []
    ticket_rows: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for customer_id, (address, count, per_ticket) in enumerate(_owners(tickets), start=1):
        customers.append(
            {
                "id": customer_id,
                "name": address.split("@")[0].title(),
                "locale": "en",
                "created_at": START,
                "updated_at": START,
                "merged_into_id": None,
            }
        )
        identities.append(
            {
                "id": customer_id,
                "customer_id": customer_id,
                "kind": IdentityKind.EMAIL,
                "value": address,
                "verified": True,
                "created_at": START,
            }
        )
        for _ in range(count):
            ticket_id = len(ticket_rows) + 1
            at = START + timedelta(minutes=ticket_id)
            ticket = ticket_row(
                ticket_id, customer_id, f"Order problem {ticket_id}", Channel.EMAIL, at
            )
            ticket_rows.append(ticket)
            length = LONG_THREAD if ticket_id == 1 else per_ticket
            for n in range(length):
                _message(ticket, at + timedelta(seconds=n), n, messages, entries)
    insert_rows(session, Customer, customers)
    insert_rows(session, Identity, identities)
    insert_rows(session, Ticket, ticket_rows)
    insert_rows(session, Message, messages)
    insert_rows(session, TimelineEntry, entries)
    session.commit()
    return World(alice_id=1, long_ticket_id=1, tickets=len(ticket_rows), messages=len(messages))


def _message(
    ticket: dict[str, Any],
    at: datetime,
    n: int,
    messages: list[dict[str, Any]],
    entries: list[dict[str, Any]],
) -> None:
    inbound = n % 2 == 0
    body = f"{EN[n % 4]} {ZH[n % 4]} ({n})"
    message_id = len(messages) + 1
    messages.append(
        {
            "id": message_id,
            "ticket_id": ticket["id"],
            "channel": ticket["channel"],
            "direction": Direction.INBOUND if inbound else Direction.OUTBOUND,
            "author_kind": AuthorKind.CUSTOMER if inbound else AuthorKind.AGENT,
            "author_user_id": None if inbound else 1,
            "author_customer_id": ticket["customer_id"] if inbound else None,
            "author_name": "Customer" if inbound else "Bench Agent",
            "body": body,
            "body_html": f"<p>{body}</p>",
            "created_at": at,
        }
    )
    entries.append(
        {
            "id": len(entries) + 1,
            "customer_id": ticket["customer_id"],
            "ticket_id": ticket["id"],
            "kind": EntryKind.MESSAGE,
            "channel": ticket["channel"],
            "occurred_at": at,
            "message_id": message_id,
            "call_id": None,
            "event_id": None,
        }
    )
