"""Polling a mailbox over IMAP (``SUPPORTDESK_IMAP_URL``), run by the worker every minute
(``tasks.poll_imap``).

``imaps://user:pass@host/INBOX`` (or ``imap://...?starttls=1``). Each message is
fetched without marking it read, handed to the same pipeline as the webhook, and
only then flagged ``$SupportdeskFiled`` (and ``\\Seen``). A crash between the two
re-fetches the message next time, where its Message-ID makes it a no-op.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from supportdesk.channels.email.inbound import receive
from supportdesk.core.models import DbSession

if TYPE_CHECKING:
    from imapclient import IMAPClient

FILED = b"$SupportdeskFiled"
BATCH = 20


def _connect(url: str) -> tuple[IMAPClient, str]:
    from imapclient import IMAPClient  # the worker's, when a mailbox is set

    parts = urlsplit(url)
    secure = parts.scheme == "imaps"
    client = IMAPClient(
        parts.hostname or "localhost",
        port=parts.port or (993 if secure else 143),
        ssl=secure,
        ssl_context=ssl.create_default_context() if secure else None,
        timeout=60,
    )
    if not secure and parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true"):
        client.starttls(ssl.create_default_context())
    client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    return client, unquote(parts.path.lstrip("/")) or "INBOX"


def poll_mailbox(session: DbSession, url: str) -> int:
    """File every message not filed yet; returns how many were handed to the pipeline."""
    client, folder = _connect(url)
    with client:
        selected = client.select_folder(folder)
        keywords = b"\\*" in selected.get(b"PERMANENTFLAGS", ())
        criteria = ["NOT", "KEYWORD", FILED.decode()] if keywords else ["UNSEEN"]
        uids = client.search(criteria)
        for start in range(0, len(uids), BATCH):
            batch = uids[start : start + BATCH]
            for uid, data in client.fetch(batch, ["BODY.PEEK[]"]).items():
                receive(session, data[b"BODY[]"], source="imap")
                client.add_flags([uid], [FILED, b"\\Seen"] if keywords else [b"\\Seen"])
        return len(uids)
