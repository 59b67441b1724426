"""The local outbox: a maildir that stands in for an SMTP server (``SUPPORTDESK_SMTP_URL=
maildir:/path``), so a desk without a mail server (``supportdesk demo``) can still try the
whole e-mail round trip. Admins read what was "sent" through the API."""

from __future__ import annotations

import mailbox
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from supportdesk.channels.email.outbound import OUTBOX_SCHEME, open_maildir
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.pagination import Page, PageRequest

#: a maildir file name (``time.M<usec>P<pid>Q<n>.host``, with ``/`` and ``:`` in the host
#: written ``\057`` and ``\072``): nothing that walks out of the folder
_KEY = re.compile(r"^\d+\.[A-Za-z0-9_.\\-]+$")
_USEC = re.compile(r"\.M(\d+)")


def outbox_url(folder: Path) -> str:
    """The ``SUPPORTDESK_SMTP_URL`` that delivers into ``folder``."""
    return f"{OUTBOX_SCHEME}:{quote(str(folder.resolve()))}"


def outbox_folder(smtp_url: str | None) -> Path | None:
    """The outbox ``smtp_url`` delivers into, if it names one."""
    if not smtp_url:
        return None
    parts = urlsplit(smtp_url)
    return Path(unquote(parts.path)) if parts.scheme == OUTBOX_SCHEME else None


@dataclass
class OutboxMail:
    id: str
    delivered_at: datetime
    message_id: str
    sender: str
    to: str
    subject: str
    text: str


def _order(key: str) -> tuple[int, int, str]:
    """Newest first: maildir names start with the delivery time (seconds, then µs)."""
    seconds = key.partition(".")[0]
    usec = _USEC.search(key)
    return (int(seconds), int(usec.group(1)) if usec else 0, key)


def _mail(key: str, raw: bytes) -> OutboxMail:
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    body = mail.get_body(preferencelist=("plain",))
    seconds, usec, _ = _order(key)
    return OutboxMail(
        id=key,
        delivered_at=datetime.fromtimestamp(seconds + usec / 1e6, UTC),
        message_id=str(mail.get("Message-ID", "")).strip().strip("<>"),
        sender=str(mail.get("From", "")),
        to=str(mail.get("To", "")),
        subject=str(mail.get("Subject", "")),
        text=body.get_content() if isinstance(body, EmailMessage) else "",
    )


def _box(folder: Path | None) -> mailbox.Maildir:
    if folder is None:
        raise NotFound("This desk sends by SMTP: it has no local outbox.")
    return open_maildir(folder)


def outbox_page(folder: Path | None, page: PageRequest) -> Page[OutboxMail]:
    """What the desk "sent" into the outbox, newest first, ``limit`` at a time."""
    limit, cursor = page.limit, page.cursor
    box = _box(folder)
    if cursor is not None and not _KEY.match(cursor):
        raise InvalidInput.field("cursor", "Not a cursor this API gave out.")
    keys = sorted(box.keys(), key=_order, reverse=True)
    if cursor is not None:
        after = _order(cursor)
        keys = [key for key in keys if _order(key) < after]
    shown = keys[: limit + 1]
    items = [_mail(key, box.get_bytes(key)) for key in shown[:limit]]
    return Page(items, shown[limit - 1] if len(shown) > limit else None)


def outbox_mail(folder: Path | None, key: str) -> OutboxMail:
    box = _box(folder)
    try:
        raw = box.get_bytes(key) if _KEY.match(key) else None
    except KeyError:
        raw = None
    if raw is None:
        raise NotFound(f"No message {key} in the outbox.")
    return _mail(key, raw)
