"""Dropping a quarantined e-mail: the one way mail the desk received is ever thrown away.

Only an admin may, only a quarantined message (a filed one is part of a ticket; a
"received" one is still being filed), and every drop leaves a log line that says who
dropped what, since the raw bytes are gone afterwards.
"""

from __future__ import annotations

import logging

from supportdesk.channels.email.inbound import get_inbound
from supportdesk.channels.email.models import InboundStatus
from supportdesk.core.errors import Conflict
from supportdesk.core.models import DbSession
from supportdesk.users.models import User

log = logging.getLogger(__name__)


def discard_quarantined(session: DbSession, inbound_id: int, actor: User) -> None:
    """Delete a quarantined message, raw bytes and all; anything else is a 409."""
    row = get_inbound(session, inbound_id)
    if row.status is not InboundStatus.QUARANTINED:
        raise Conflict(f"Inbound e-mail {inbound_id} is {row.status.value}, not quarantined.")
    log.warning(
        "quarantined e-mail %s deleted by user %s <%s>: from %r, subject %r, "
        "Message-ID %r, %s bytes, quarantined for %r",
        row.id,
        actor.id,
        actor.email,
        row.sender,
        row.subject,
        row.rfc_message_id,
        row.size,
        row.error,
    )
    session.delete(row)
    session.flush()
