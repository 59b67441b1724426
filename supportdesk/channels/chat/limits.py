"""What mail a widget visitor may make the desk send, and how much.

Anyone can open the widget, so anyone could use it to mail strangers: codes and
transcripts are budgeted per visitor, per recipient address and per client address
(on the limiter's storage, so with Redis the budgets hold across processes), and a
transcript, which carries text the visitor wrote, goes only to an address the visitor
has proven.
"""

from __future__ import annotations

from flask_limiter.util import get_remote_address

from supportdesk.channels.chat.models import Visitor
from supportdesk.core.errors import Forbidden, InvalidInput
from supportdesk.core.settings import settings
from supportdesk.core.sockets import throttle


def throttle_mail(visitor: Visitor, recipient: str | None = None) -> None:
    """Spend one mail of the visitor's, the client address's and the recipient's budgets."""
    limits = settings()
    throttle(limits.chat_email_rate_limit, "chat-email-visitor", visitor.id)
    client = get_remote_address() or "unknown"
    throttle(limits.chat_email_client_rate_limit, "chat-email-client", client)
    if recipient is not None:
        throttle(limits.chat_email_recipient_rate_limit, "chat-email-recipient", recipient)


def transcript_address(visitor: Visitor, given: str | None) -> str:
    """``given`` (or the visitor's first address) if the visitor has proven it."""
    customer = visitor.customer
    proven = customer.emails if visitor.verified and customer is not None else []
    address = given or next(iter(proven), None) or visitor.claimed_email
    if address is None:
        raise InvalidInput.field("email", "Give the e-mail address to send it to.")
    if address not in proven:
        message = "Verify this address first: we send the conversation only to your own."
        raise Forbidden(message, errors={"email": [message]}, verify_first=True)
    return address
