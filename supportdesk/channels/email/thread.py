"""Which ticket an inbound message belongs to, and why (``threaded_by``).

In order: ``In-Reply-To``, then ``References`` (newest first), against every
Message-ID we stored or sent; then, for a bounce (a delivery status report), the
Message-ID of the returned message it carries, counted as ``in_reply_to``; then our
reply address in To/Cc; then a ``[SD-1042]`` tag in the subject, but only from the
ticket's own customer, so that nobody can write into someone else's ticket by guessing
its number. Otherwise: a new ticket.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from supportdesk.channels.email.addresses import ref_from_reply_address
from supportdesk.channels.email.models import EmailDetails
from supportdesk.channels.email.parse import ParsedEmail, message_id_in
from supportdesk.core.models import DbSession
from supportdesk.customers.models import Customer
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.refs import subject_refs, ticket_id_from_ref


@dataclass
class Thread:
    ticket: Ticket | None
    threaded_by: str


#: built once (see ``inbound``): the tickets that hold the messages with these
#: Message-IDs, loaded in the same query (a reply's ticket is what filing needs next)
_TICKETS_BY_MESSAGE_IDS = (
    select(EmailDetails.rfc_message_id, Ticket)
    .join(Message, Message.id == EmailDetails.message_id)
    .join(Ticket, Ticket.id == Message.ticket_id)
    .where(EmailDetails.rfc_message_id.in_(bindparam("ids", expanding=True)))
)


def _ticket_by_message_ids(session: DbSession, ids: list[str]) -> Ticket | None:
    """The ticket of the first of ``ids`` we know (they come in order of preference)."""
    if not ids:
        return None
    by_id = {
        message_id: ticket
        for message_id, ticket in session.execute(_TICKETS_BY_MESSAGE_IDS, {"ids": ids})
    }
    return next((by_id[message_id] for message_id in ids if message_id in by_id), None)


#: where a delivery status report (RFC 3464) or a returned message carries the original
_RETURNED_TYPES = {
    "message/rfc822",
    "text/rfc822-headers",
    "message/rfc822-headers",
    "message/global",
    "message/global-headers",
}


def returned_message_ids(parsed: ParsedEmail) -> list[str]:
    """The Message-IDs of the messages a bounce returns (DSNs carry no In-Reply-To)."""
    if parsed.auto_reply != "bounce":
        return []
    found = (message_id_in(a.data) for a in parsed.attachments if a.content_type in _RETURNED_TYPES)
    return [ident for ident in found if ident]


def _ticket_by_ref(session: DbSession, ref: str) -> Ticket | None:
    ticket_id = ticket_id_from_ref(ref)
    return session.get(Ticket, ticket_id) if ticket_id and ticket_id > 0 else None


def find_thread(session: DbSession, parsed: ParsedEmail, sender: Customer | None) -> Thread:
    ticket = _ticket_by_message_ids(session, parsed.in_reply_to)
    if ticket is not None:
        return Thread(ticket, "in_reply_to")
    ticket = _ticket_by_message_ids(session, list(reversed(parsed.references)))
    if ticket is not None:
        return Thread(ticket, "references")
    ticket = _ticket_by_message_ids(session, returned_message_ids(parsed))
    if ticket is not None:
        return Thread(ticket, "in_reply_to")
    for recipient in parsed.to + parsed.cc:
        ref = ref_from_reply_address(recipient.address)
        ticket = _ticket_by_ref(session, ref) if ref else None
        if ticket is not None:
            return Thread(ticket, "reply_address")
    for ref in subject_refs(parsed.subject):
        ticket = _ticket_by_ref(session, ref)
        if ticket is not None and sender is not None and ticket.customer_id == sender.id:
            return Thread(ticket, "subject_tag")
    return Thread(None, "new_ticket")
