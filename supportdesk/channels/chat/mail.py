"""The chat's e-mails: verification codes and transcripts, in the visitor's language."""

from __future__ import annotations

from supportdesk.channels.chat.conversation import visible_messages
from supportdesk.channels.email.notices import queue_notice
from supportdesk.channels.email.templates import render
from supportdesk.core.models import DbSession
from supportdesk.tickets.models import Ticket


def send_code(session: DbSession, locale: str | None, address: str, code: str) -> None:
    """The code goes to an address nobody has proven yet, so nothing the visitor chose
    (their name) goes with it: the greeting names the address itself."""
    wording = render(session, "chat_verification_code", locale, customer_name=address, code=code)
    queue_notice(session, "", address, wording)


def transcript_text(session: DbSession, ticket: Ticket) -> str:
    lines = []
    for message in visible_messages(session, ticket, limit=None):
        stamp = message.created_at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"[{stamp}] {message.author_name}:\n{message.body}\n")
    return "\n".join(lines)


def send_transcript(session: DbSession, ticket: Ticket, address: str) -> None:
    customer = ticket.customer
    wording = render(
        session,
        "chat_transcript",
        customer.locale,
        customer_name=customer.name,
        ticket_ref=ticket.ref,
        ticket_subject=ticket.subject,
        transcript=transcript_text(session, ticket),
    )
    queue_notice(session, customer.name, address, wording)
