"""The inbound hook (raw MIME over HTTP) and the agents' view of e-mail: quarantine, details."""

from __future__ import annotations

import hmac
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import Response, current_app, request
from flask_smorest import Blueprint

from supportdesk.channels.email import inbound
from supportdesk.channels.email.models import EmailDetails, InboundEmail, InboundStatus
from supportdesk.channels.email.outbox import OutboxMail, outbox_folder, outbox_mail, outbox_page
from supportdesk.channels.email.schemas import (
    EmailDetailsArgsSchema,
    EmailDetailsSchema,
    OutboxMailTextSchema,
    OutboxPageSchema,
    QuarantinedSchema,
    QuarantinePageSchema,
    ReceiptSchema,
)
from supportdesk.core.auth import Unauthenticated, admin_required, agent_required
from supportdesk.core.errors import Conflict, DomainError, NotFound
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.core.text import hold_remote_images
from supportdesk.extensions import db, limiter

hooks = Blueprint("email_hook", __name__, url_prefix="/hooks", description="Inbound e-mail")
blp = Blueprint("email", __name__, url_prefix="/api/v1", description="E-mail")

RAW_TYPES = {"message/rfc822", "text/plain", "application/octet-stream"}


class UnsupportedMediaType(DomainError):
    status = 415


def _check_inbound_token() -> None:
    expected = current_app.config["INBOUND_EMAIL_TOKEN"]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        raise Unauthenticated("Send Authorization: Bearer $SUPPORTDESK_INBOUND_EMAIL_TOKEN.")
    if not hmac.compare_digest(token.strip().encode(), str(expected).encode()):
        raise Unauthenticated("That inbound e-mail token is not valid.")


@hooks.route("/email", methods=["POST"])
@limiter.limit(lambda: current_app.config["EMAIL_HOOK_RATE_LIMIT"])  # not the API's budget
@hooks.doc(
    security=[{"bearerAuth": []}],
    requestBody={
        "required": True,
        "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
    },
)
@hooks.response(202, ReceiptSchema, description="Stored (filed, or quarantined for review)")
@hooks.alt_response(200, schema=ReceiptSchema, description="Seen before: nothing new stored")
def receive_email() -> Any:
    """File one raw RFC 822 message (Mailgun/SendGrid "raw MIME" forwarding shape)."""
    _check_inbound_token()
    if request.mimetype not in RAW_TYPES:
        raise UnsupportedMediaType("Send the raw message as Content-Type: message/rfc822.")
    request.max_content_length = current_app.config["EMAIL_MAX_BYTES"]
    raw = request.get_data(cache=False)
    receipt = inbound.receive(db.session, raw, source="hook")
    return receipt, 200 if receipt.duplicate else 202


@blp.route("/email/quarantine", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, QuarantinePageSchema)
@paged
def quarantine(_: dict[str, Any], page: PageRequest) -> Page[InboundEmail]:
    """Messages kept but not filed (unparseable, no sender, rate limited, ...), newest first."""
    return inbound.quarantine_page(db.session, page)


def _inbound(inbound_id: int) -> InboundEmail:
    row = db.session.get(InboundEmail, inbound_id)
    if row is None:
        raise NotFound(f"No inbound e-mail {inbound_id}.")
    return row


@blp.route("/email/inbound/<id:inbound_id>", methods=["GET"])
@agent_required
@blp.response(200, QuarantinedSchema)
def inbound_email(inbound_id: int) -> InboundEmail:
    return _inbound(inbound_id)


@blp.route("/email/inbound/<id:inbound_id>/raw", methods=["GET"])
@agent_required
@blp.response(200, description="The message exactly as received", content_type="message/rfc822")
def inbound_raw(inbound_id: int) -> Response:
    row = _inbound(inbound_id)
    return Response(
        row.raw,
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="inbound-{row.id}.eml"'},
    )


@blp.route("/email/inbound/<id:inbound_id>/reprocess", methods=["POST"])
@agent_required
@blp.response(200, ReceiptSchema)
def reprocess(inbound_id: int) -> inbound.Receipt:
    """Try a quarantined message again (after a fix, or once a flood has passed)."""
    row = _inbound(inbound_id)
    if row.status is InboundStatus.FILED:
        # (a "received" row is one whose filing crashed mid-way: it may be tried again)
        raise Conflict(f"Inbound e-mail {inbound_id} is filed already.")
    return inbound.file_inbound(db.session, row)


@blp.route("/messages/<id:message_id>/email", methods=["GET"])
@agent_required
@blp.arguments(EmailDetailsArgsSchema, location="query")
@blp.response(200, EmailDetailsSchema)
def email_details(args: dict[str, Any], message_id: int) -> dict[str, Any]:
    """The e-mail side of a message: headers, threading, the full original, delivery.

    Images from the web in the HTML are held back (``src`` moved to ``data-src``,
    ``remote_images: true``): loading one tells its sender that, and when, the mail was
    read. ``?images=show`` answers the HTML as sent, for an agent who chose to see them.
    """
    details = db.session.get(EmailDetails, message_id)
    if details is None:
        raise NotFound(f"Message {message_id} is not an e-mail.")
    fields = set(EmailDetailsSchema().fields) - {"remote_images"}
    view = {name: getattr(details, name) for name in fields}
    html, remote = hold_remote_images(details.html) if details.html else (details.html, False)
    view.update(remote_images=remote, html=details.html if args["images"] == "show" else html)
    return view


def _outbox() -> Path | None:
    return outbox_folder(current_app.config["SMTP_URL"])


@blp.route("/email/outbox", methods=["GET"])
@admin_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, OutboxPageSchema)
@paged
def outbox(_: dict[str, Any], page: PageRequest) -> Page[OutboxMail]:
    """Mail the desk delivered into its local outbox (``SUPPORTDESK_SMTP_URL=maildir:...``,
    as ``supportdesk demo`` sets up), newest first. 404 when the desk sends by SMTP."""
    return outbox_page(_outbox(), page)


@blp.route("/email/outbox/<string:mail_id>", methods=["GET"])
@admin_required
@blp.response(200, OutboxMailTextSchema)
def outbox_message(mail_id: str) -> dict[str, Any]:
    """One message from the local outbox, with its text."""
    return asdict(outbox_mail(_outbox(), mail_id))
