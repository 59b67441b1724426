"""Deflection's background work: settling the suggestions whose day is over."""

from __future__ import annotations

import logging

from huey import crontab

from supportdesk.core.tasks import periodic_task
from supportdesk.extensions import db
from supportdesk.knowledge.deflection import settle

log = logging.getLogger(__name__)


@periodic_task(crontab(minute="23"))
def settle_suggestions() -> None:
    """Hourly: suggestions shown more than a day ago become deflections or not
    (``knowledge.deflection.settle``)."""
    count = settle(db.session)
    db.session.commit()
    if count:
        log.info("settled %s suggestion(s)", count)
