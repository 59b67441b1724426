"""The inbound hook (raw MIME over HTTP) and the agents' view of e-mail: quarantine, details."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, request
from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.channels.email import deliveries, inbound
from supportdesk.channels.email.details import email_view
from supportdesk.channels.email.hook import check_inbound_token, check_raw_type
from supportdesk.channels.email.models import EmailDetails, InboundEmail
from supportdesk.channels.email.outbox import OutboxMail, outbox_folder, outbox_mail, outbox_page
from supportdesk.channels.email.schemas import (
    DeliveryPageSchema,
    DeliverySchema,
    EmailDetailsArgsSchema,
    EmailDetailsSchema,
    OutboxMailTextSchema,
    OutboxPageSchema,
    QuarantinedSchema,
    QuarantinePageSchema,
    ReceiptSchema,
)
from supportdesk.core.auth import admin_required, agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.core.settings import settings
from supportdesk.extensions import db, limiter
from supportdesk.tickets import service as tickets

hooks = Blueprint("email_hook", __name__, url_prefix="/hooks", description="Inbound e-mail")
blp = Blueprint("email", __name__, url_prefix="/api/v1", description="E-mail")


@hooks.route("/email", methods=["POST"])
@limiter.limit(lambda: settings().email_hook_rate_limit)  # not the API's budget
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
    """Receive one raw RFC 822 message and file it.

    The shape of Mailgun's and SendGrid's "raw MIME" forwarding.
    """
    check_inbound_token(request.headers.get("Authorization", ""), settings().inbound_email_token)
    check_raw_type(request.mimetype)
    request.max_content_length = settings().email_max_bytes
    raw = request.get_data(cache=False)
    receipt = inbound.receive(db.session, raw, source="hook")
    return receipt, 200 if receipt.duplicate else 202


@blp.route("/email/quarantine", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, QuarantinePageSchema)
@paged
def list_quarantine(_: dict[str, Any], page: PageRequest) -> Page[InboundEmail]:
    """List the e-mail quarantine, newest first.

    Messages kept but not filed: unparseable, no sender, rate limited, ...
    """
    return inbound.quarantine_page(db.session, page)


@blp.route("/email/inbound/<id:inbound_id>", methods=["GET"])
@agent_required
@blp.response(200, QuarantinedSchema)
def get_inbound_email(inbound_id: int) -> InboundEmail:
    """Get one inbound e-mail as stored (filed or quarantined), with its error if any."""
    return inbound.get_inbound(db.session, inbound_id)


@blp.route("/email/inbound/<id:inbound_id>/raw", methods=["GET"])
@agent_required
@blp.response(200, description="The message exactly as received", content_type="message/rfc822")
def get_inbound_raw(inbound_id: int) -> Response:
    """Download an inbound e-mail exactly as received (message/rfc822)."""
    row = inbound.get_inbound(db.session, inbound_id)
    return Response(
        row.raw,
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="inbound-{row.id}.eml"'},
    )


@blp.route("/email/inbound/<id:inbound_id>/reprocess", methods=["POST"])
@agent_required
@blp.response(200, ReceiptSchema)
def reprocess_inbound_email(inbound_id: int) -> inbound.Receipt:
    """Reprocess a quarantined e-mail (after a fix, or once a flood has passed)."""
    return inbound.reprocess(db.session, inbound_id)


@blp.route("/messages/<id:message_id>/email", methods=["GET"])
@agent_required
@blp.arguments(EmailDetailsArgsSchema, location="query")
@blp.response(200, EmailDetailsSchema)
def get_email_details(args: dict[str, Any], message_id: int) -> dict[str, Any]:
    """Get the e-mail side of a message: headers, threading, the original, delivery.

    Images from the web in the HTML are held back (``src`` moved to ``data-src``,
    ``remote_images: true``): loading one tells its sender that, and when, the mail was
    read. ``?images=show`` answers the HTML as sent, for an agent who chose to see them.
    """
    return email_view(db.session, message_id, show_images=args["images"] == "show")


@blp.route("/messages/<id:message_id>/email/retry", methods=["POST"])
@agent_required
@blp.response(202, DeliverySchema, description="Queued again, due now")
def retry_email_delivery(message_id: int) -> EmailDetails:
    """Retry a failed (or overdue) outbound e-mail now.

    409 for mail already sent or still on its way, 422 when the desk cannot send mail.
    The attempts keep counting; the delivery has as many more as a new one.
    """
    message = tickets.get_message(db.session, message_id)
    details = deliveries.retry(db.session, message, actor=current_user)
    db.session.commit()
    return details


@blp.route("/tickets/<id:ticket_id>/deliveries", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, DeliveryPageSchema)
@paged
def list_ticket_deliveries(
    _: dict[str, Any], ticket_id: int, page: PageRequest
) -> Page[EmailDetails]:
    """List the delivery state of a ticket's outbound e-mails, oldest first."""
    ticket = tickets.get_ticket(db.session, ticket_id)
    return deliveries.deliveries_page(db.session, ticket, page)


@blp.route("/email/outbox", methods=["GET"])
@admin_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, OutboxPageSchema)
@paged
def list_outbox(_: dict[str, Any], page: PageRequest) -> Page[OutboxMail]:
    """List the mail in the desk's local outbox, newest first (admins only).

    The mail the desk delivered into its local outbox (``SUPPORTDESK_SMTP_URL=maildir:...``,
    as ``supportdesk demo`` sets up). 404 when the desk sends by SMTP.
    """
    return outbox_page(outbox_folder(settings().smtp_url), page)


@blp.route("/email/outbox/<string:mail_id>", methods=["GET"])
@admin_required
@blp.response(200, OutboxMailTextSchema)
def get_outbox_message(mail_id: str) -> dict[str, Any]:
    """Get one message from the local outbox, with its text (admins only)."""
    return asdict(outbox_mail(outbox_folder(settings().smtp_url), mail_id))
