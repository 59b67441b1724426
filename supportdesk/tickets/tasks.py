"""Tickets' background work: clearing away the uploads no reply took."""

from __future__ import annotations

import logging

from huey import crontab

from supportdesk.core.tasks import periodic_task
from supportdesk.extensions import db
from supportdesk.tickets.uploads import purge_unclaimed

log = logging.getLogger(__name__)


@periodic_task(crontab(minute="17"))
def purge_unclaimed_uploads() -> None:
    """Hourly: uploads older than a day that no message claimed (``tickets.uploads``)."""
    count = purge_unclaimed(db.session)
    db.session.commit()
    if count:
        log.info("purged %s unclaimed upload(s)", count)
