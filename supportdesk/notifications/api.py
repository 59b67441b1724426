"""The caller's notifications: list them, mark them read."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import PageRequest, paged
from supportdesk.extensions import db
from supportdesk.notifications import service
from supportdesk.notifications.schemas import (
    NOTIFICATIONS_READ_BODY,
    NotificationPageSchema,
    NotificationQuerySchema,
    NotificationsReadSchema,
    UnreadCountSchema,
)

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/v1/notifications", description="Notifications"
)


@blp.route("", methods=["GET"])
@agent_required
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationPageSchema)
@paged
def list_notifications(filters: dict[str, Any], page: PageRequest) -> service.NotificationPage:
    """List your notifications, newest first, with your unread count."""
    return service.notifications_page(
        db.session, current_user.id, page, unread=filters.get("unread", False)
    )


@blp.route("/read", methods=["POST"])
@agent_required
@blp.arguments(NotificationsReadSchema)
@blp.doc(requestBody={"content": {"application/json": {"schema": NOTIFICATIONS_READ_BODY}}})
@blp.response(200, UnreadCountSchema)
def mark_notifications_read(args: dict[str, Any]) -> dict[str, int]:
    """Mark some of your notifications read (``ids``), or all of them (``all: true``)."""
    left = service.mark_read(
        db.session, current_user.id, ids=args.get("ids", ()), everything=args.get("all", False)
    )
    db.session.commit()
    return {"unread_count": left}
