"""What the inbox's search box finds: a ticket by its ref, tickets by words of their
subject or of any of their messages (the search's index), or by their customer (a name,
an e-mail address, a phone number in any spelling, or part of one).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.customers.service import customer_ids_matching, whole_identity
from supportdesk.search import service as search
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.refs import ticket_id_from_ref


def ticket_search(session: DbSession, q: str) -> ColumnElement[bool]:
    """The condition for ``GET /tickets?q=``.

    This desk's ref (``SD-1042``) is that ticket alone, a primary-key lookup; a whole
    e-mail address or phone number is its customer's tickets (one identity lookup).
    Anything else is words, found through the index: in a subject or message, or in the
    customer's name and identities. Words shaped like another desk's ref (``COVID-19``,
    ``E-404``) are words.
    """
    ticket_id = ticket_id_from_ref(q)
    prefix = q.strip().partition("-")[0]
    if ticket_id is not None and prefix.upper() == settings().ticket_ref_prefix.upper():
        return Ticket.id == ticket_id
    customers = Ticket.customer_id.in_(customer_ids_matching(session, q))
    if whole_identity(q) is not None:
        return customers
    return or_(Ticket.id.in_(search.ticket_ids_matching(session, q)), customers)
