"""One message: repair its threading (move, split) and fetch its attachments."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.downloads import download
from supportdesk.core.errors import referenced
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.schemas import (
    MessageMoveSchema,
    MessageSchema,
    MessageSplitSchema,
    TicketSchema,
)

blp = Blueprint("messages", __name__, url_prefix="/api/v1", description="Messages")


@blp.route("/messages/<id:message_id>/move", methods=["POST"])
@agent_required
@blp.arguments(MessageMoveSchema)
@blp.response(200, MessageSchema)
def move_message(args: dict[str, Any], message_id: int) -> Message:
    """Move a mis-threaded message to another ticket.

    Both tickets show the move.
    """
    message = service.get_message(db.session, message_id)
    target = referenced(db.session, "ticket_id", service.get_ticket, args["ticket_id"])
    service.move_message(db.session, message, target, actor=current_user)
    db.session.commit()
    return message


@blp.route("/messages/<id:message_id>/split", methods=["POST"])
@agent_required
@blp.arguments(MessageSplitSchema)
@blp.response(201, TicketSchema)
def split_message(args: dict[str, Any], message_id: int) -> Ticket:
    """Split a message into a new ticket of its own."""
    message = service.get_message(db.session, message_id)
    ticket = service.split_message(
        db.session, message, actor=current_user, subject=args.get("subject")
    )
    db.session.commit()
    return ticket


@blp.route("/attachments/<id:attachment_id>", methods=["GET"])
@agent_required
@blp.response(200, description="The file, as a download", content_type="application/octet-stream")
def download_attachment(attachment_id: int) -> Response:
    """Download an attachment (agents only).

    Always a download (never rendered inline), so no file can run as a page.
    """
    attachment = service.get_attachment(db.session, attachment_id)
    return download(attachment.data, attachment.content_type, attachment.filename)
