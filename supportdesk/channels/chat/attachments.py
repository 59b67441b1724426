"""Files in the chat: what the widget is told of a message's attachments, and the
download a visitor makes of one with their own widget token.

The widget authenticates with the visitor token it connects with (``identity``), sent
as ``Authorization: Bearer <visitor_token>``, never in the URL (where logs and
history keep it). A visitor may fetch the files of their customer's messages that
are not internal notes; any other id is a 404, so ids reveal nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from supportdesk.channels.chat.identity import find_visitor
from supportdesk.channels.chat.models import Visitor
from supportdesk.core.auth import Unauthenticated
from supportdesk.core.downloads import download
from supportdesk.core.errors import NotFound
from supportdesk.core.models import DbSession
from supportdesk.extensions import db
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, Message

attachments = Blueprint("widget_attachments", __name__)


def widget_attachments(message: Message) -> list[dict[str, Any]]:
    """The message's files as the widget lists them (contract section 4)."""
    return [
        {
            "id": attachment.id,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "url": f"/widget/attachments/{attachment.id}",
        }
        for attachment in message.attachments
    ]


def visitor_attachment(session: DbSession, visitor: Visitor, attachment_id: int) -> Attachment:
    """One of the files the visitor's customer was sent or sent, with its bytes."""
    attachment = (
        tickets.customers_attachment(session, visitor.customer_id, attachment_id)
        if visitor.customer_id is not None
        else None
    )
    if attachment is None:
        raise NotFound(f"No attachment {attachment_id} in your conversations.")
    return attachment


def _visitor() -> Visitor:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    visitor = find_visitor(db.session, token.strip()) if scheme.lower() == "bearer" else None
    if visitor is None:
        raise Unauthenticated("Send the widget's visitor token: Authorization: Bearer <token>.")
    return visitor


@attachments.get("/widget/attachments/<id:attachment_id>")
def download_widget_attachment(attachment_id: int) -> Response:
    """Download a file of the visitor's conversation (always a download, as for agents)."""
    attachment = visitor_attachment(db.session, _visitor(), attachment_id)
    return download(attachment.data, attachment.content_type, attachment.filename)
