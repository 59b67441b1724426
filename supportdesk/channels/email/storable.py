"""Parsed mail made to fit the database.

Text columns take no NUL (PostgreSQL) nor lone surrogates (no database), and ``String(n)``
columns no more than n characters: what a sloppy client writes is made to fit instead
of failing the message.
"""

from __future__ import annotations

from dataclasses import replace

from supportdesk.channels.email.parse import MAX_ID, EmailAddress, ParsedEmail
from supportdesk.core.text import storable_text

NAME, ADDRESS, SUBJECT, TICKET_SUBJECT, FILENAME = 200, 320, 998, 500, 255


def fit(value: str, length: int | None = None) -> str:
    value = storable_text(value)
    return value[:length] if length else value


def storable(parsed: ParsedEmail) -> ParsedEmail:
    """``parsed`` with every string the database will hold made storable on any database."""

    def address(a: EmailAddress) -> EmailAddress:
        return EmailAddress(name=fit(a.name, NAME), address=fit(a.address, ADDRESS))

    def ident(value: str) -> str:
        return fit(value, MAX_ID)

    return replace(
        parsed,
        in_reply_to=[ident(i) for i in parsed.in_reply_to],
        references=[ident(i) for i in parsed.references],
        subject=fit(parsed.subject),
        sender=address(parsed.sender) if parsed.sender else None,
        reply_to=[address(a) for a in parsed.reply_to],
        to=[address(a) for a in parsed.to],
        cc=[address(a) for a in parsed.cc],
        text=fit(parsed.text),
        html=fit(parsed.html) if parsed.html is not None else None,
        attachments=[
            replace(
                a,
                filename=fit(a.filename, FILENAME),
                content_type=fit(a.content_type, FILENAME),
                content_id=fit(a.content_id, FILENAME) if a.content_id else None,
            )
            for a in parsed.attachments
        ],
    )
