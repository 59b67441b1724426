"""What the inbox's search box finds: a ticket by its ref, words of its subject or of any of
its messages, or its customer (a name, an e-mail address, a phone number in any spelling).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_

from supportdesk.customers.service import customer_ids_matching
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.refs import ticket_id_from_ref


def ticket_search(q: str) -> ColumnElement[bool]:
    """The condition for ``GET /tickets?q=``; ``%`` and ``_`` are letters, not wildcards."""
    needle = q.strip()
    matches: list[ColumnElement[bool]] = [
        Ticket.subject.icontains(needle, autoescape=True),
        Ticket.customer_id.in_(customer_ids_matching(needle)),
        exists().where(
            Message.ticket_id == Ticket.id, Message.body.icontains(needle, autoescape=True)
        ),
    ]
    # "COVID-19" is shaped like a ref too: a ref finds its ticket besides the words.
    ticket_id = ticket_id_from_ref(q)
    if ticket_id is not None:
        matches.append(Ticket.id == ticket_id)
    return or_(*matches)
