"""The e-mail channel's background work: sending replies, polling IMAP, and filing
again what a crash interrupted.

Each task is the edge of its work and commits it. Inbound mail is the documented
exception to "one commit per edge": ``inbound.receive`` commits the raw bytes before it
files them, so that nothing received is lost (see ``inbound``).
"""

from __future__ import annotations

import logging

from huey import crontab
from sqlalchemy.orm import scoped_session

from supportdesk.channels.email.imap import poll_mailbox
from supportdesk.channels.email.inbound import file_interrupted
from supportdesk.channels.email.outbound import claim, due_deliveries, send_claimed
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.tasks import periodic_task, task
from supportdesk.extensions import db

log = logging.getLogger(__name__)


def deliver(session: DbSession, message_id: int) -> None:
    """Send one queued reply if it is due and nobody else is sending it.

    Two commits: the claim (a lease, so a second worker leaves the reply alone while
    this one talks to the mail server), then the outcome.
    """
    details = claim(session, message_id)
    _commit_keeping_loaded(session)
    if details is None:
        return
    send_claimed(details)
    session.commit()


def _commit_keeping_loaded(session: DbSession) -> None:
    """Commit the claim without expiring the claimed row: the lease keeps every other
    worker off it until the outcome is written, so what was loaded stays true, and
    reloading it only to write the outcome would cost two statements."""
    target = session.registry() if isinstance(session, scoped_session) else session
    expire, target.expire_on_commit = target.expire_on_commit, False
    try:
        target.commit()
    finally:
        target.expire_on_commit = expire


@task()
def deliver_task(message_id: int) -> None:
    deliver(db.session, message_id)


@periodic_task(crontab(minute="*"))
def retry_due_deliveries() -> None:
    for message_id in due_deliveries(db.session):
        deliver(db.session, message_id)


@periodic_task(crontab(minute="*"))
def poll_imap() -> None:
    url = settings().imap_url
    if url:
        count = poll_mailbox(db.session, url)
        if count:
            log.info("filed %s message(s) from IMAP", count)


@periodic_task(crontab(minute="*/10"))
def file_interrupted_task() -> None:
    file_interrupted(db.session)
