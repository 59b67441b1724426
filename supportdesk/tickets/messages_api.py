"""One message: repair its threading (move, split) and fetch its attachments."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.errors import NotFound, referenced
from supportdesk.extensions import db
from supportdesk.tickets import service
from supportdesk.tickets.models import Attachment, Message, Ticket
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
    """Move a mis-threaded message to another ticket; both tickets show the move."""
    message = service.get_message(db.session, message_id)
    target = referenced("ticket_id", service.get_ticket, args["ticket_id"])
    service.move_message(db.session, message, target, actor=current_user)
    db.session.commit()
    return message


@blp.route("/messages/<id:message_id>/split", methods=["POST"])
@agent_required
@blp.arguments(MessageSplitSchema)
@blp.response(201, TicketSchema)
def split_message(args: dict[str, Any], message_id: int) -> Ticket:
    """Give a message a new ticket of its own."""
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
    """Agents only. Always a download (never rendered inline), so no file can run as a page."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"No attachment {attachment_id}.")
    response = Response(attachment.data, mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = _disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def _disposition(filename: str) -> str:
    """Both spellings of the name; a control character (a CR/LF would end the header)
    becomes ``_`` in the plain one and is percent-encoded in ``filename*``."""
    import re
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    ascii_name = re.sub(r"[\x00-\x1f\x7f]", "_", ascii_name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
