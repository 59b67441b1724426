"""GET /customers/{id}/timeline: everything the customer told us, on every channel."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import Page, PageRequest, paged
from supportdesk.customers.service import get_customer
from supportdesk.extensions import db
from supportdesk.timeline import service
from supportdesk.timeline.models import TimelineEntry
from supportdesk.timeline.schemas import TimelinePageSchema, TimelineQuerySchema

blp = Blueprint("timeline", __name__, url_prefix="/api/v1/customers", description="Timeline")


@blp.route("/<id:customer_id>/timeline", methods=["GET"])
@agent_required
@blp.arguments(TimelineQuerySchema, location="query")
@blp.response(200, TimelinePageSchema)
@paged
def customer_timeline(
    filters: dict[str, Any], customer_id: int, page: PageRequest
) -> Page[TimelineEntry]:
    """List a customer's timeline, newest first, across all tickets and channels.

    Filter by ``channel`` and ``kind``.
    """
    customer = get_customer(db.session, customer_id)
    return service.timeline_page(db.session, customer, page, **filters)
