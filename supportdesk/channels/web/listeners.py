"""How the web channel reacts to tickets: a reply to a help center request is mailed to
the address its form gave (the channel itself has no way to reach the reader yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from supportdesk.core.channels import Channel
from supportdesk.core.database import session_of
from supportdesk.tickets.signals import message_created, reply_needs_email

if TYPE_CHECKING:
    from supportdesk.tickets.models import Message


@message_created.connect
def mail_reply(message: Message, *, imported: bool = False, **_: Any) -> None:
    """An agent's reply on channel ``web`` goes by e-mail: to the customer's own address
    if they have one, else to the claimed one, with no name beside it (a name the form
    gave never goes to an address nobody proved), as chat does."""
    from supportdesk.tickets.models import Direction

    if imported or message.direction is not Direction.OUTBOUND:
        return
    if message.channel is not Channel.WEB:
        return
    customer = message.ticket.customer
    if customer.emails:
        reply_needs_email.send(message, to=(customer.name, customer.emails[0]))
        return
    from supportdesk.channels.web.requests import claimed_email

    address = claimed_email(session_of(message), message.ticket)
    if address:
        reply_needs_email.send(message, to=("", address))
