"""The inbox row's last word: each listed ticket's newest message that is not a note.

An agent scanning the inbox reads what the customer last said (or what was last said to
them) without opening the ticket, and how long the customer has waited since. One statement
loads it for a whole page of tickets, whatever the page holds; only the head of each body
leaves the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import marshmallow as ma
from sqlalchemy import func, select

from supportdesk.core.models import DbSession
from supportdesk.core.pagination import page_schema
from supportdesk.tickets.models import Direction, Message, Ticket
from supportdesk.tickets.schemas import TicketSchema

#: what a row shows of the body; a little more is read, for the whitespace folded away
SNIPPET_LENGTH = 160


@dataclass(frozen=True)
class LastMessage:
    id: int
    direction: Direction
    snippet: str
    created_at: datetime


def snippet(body: str) -> str:
    """The body as one line: quoted lines (``> ...``) left out, whitespace folded."""
    lines = [line for line in body.splitlines() if not line.lstrip().startswith(">")]
    folded = " ".join(" ".join(lines).split())
    return folded if len(folded) <= SNIPPET_LENGTH else folded[: SNIPPET_LENGTH - 1] + "…"


def attach_last_messages(session: DbSession, tickets: Sequence[Ticket]) -> None:
    """Sets ``ticket.last_message`` (a ``LastMessage``, or None) on every ticket, in one
    statement for all of them."""
    if not tickets:
        return
    newest = (
        select(func.max(Message.id))
        .where(
            Message.ticket_id.in_([ticket.id for ticket in tickets]),
            Message.direction != Direction.INTERNAL,
        )
        .group_by(Message.ticket_id)
    )
    rows = session.execute(
        select(
            Message.ticket_id,
            Message.id,
            Message.direction,
            func.substr(Message.body, 1, SNIPPET_LENGTH * 4),
            Message.created_at,
        ).where(Message.id.in_(newest))
    ).all()
    found = {row[0]: LastMessage(row[1], row[2], snippet(row[3]), row[4]) for row in rows}
    for ticket in tickets:
        ticket.last_message = found.get(ticket.id)


class LastMessageSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    direction = ma.fields.String(
        required=True, metadata={"enum": [Direction.INBOUND.value, Direction.OUTBOUND.value]}
    )
    snippet = ma.fields.String(
        required=True, metadata={"description": "the body's head as one line, quotes left out"}
    )
    created_at = ma.fields.DateTime(required=True)


class InboxTicketSchema(TicketSchema):
    """A ticket as the inbox lists it: with its last message (pushes carry the plain ticket)."""

    last_message = ma.fields.Nested(
        LastMessageSchema,
        allow_none=True,
        required=True,
        metadata={"description": "the newest message that is not an internal note; null: none"},
    )


InboxTicketPageSchema = page_schema(InboxTicketSchema, "InboxTicketPage")
