import marshmallow as ma

from supportdesk.channels.email.deliveries import retryable
from supportdesk.core.fields import text
from supportdesk.core.pagination import page_schema


class ReceiptSchema(ma.Schema):
    ticket_id = ma.fields.Integer(allow_none=True)
    message_id = ma.fields.Integer(allow_none=True)
    inbound_id = ma.fields.Integer(allow_none=True)
    duplicate = ma.fields.Boolean()
    quarantined = ma.fields.Boolean()


class AddressSchema(ma.Schema):
    name = ma.fields.String()
    address = ma.fields.String()


class EmailDetailsSchema(ma.Schema):
    message_id = ma.fields.Integer()
    rfc_message_id = ma.fields.String()
    in_reply_to = ma.fields.String(allow_none=True)
    references = ma.fields.List(ma.fields.String())
    from_address = ma.fields.String()
    from_name = ma.fields.String()
    to = ma.fields.List(ma.fields.Nested(AddressSchema))
    cc = ma.fields.List(ma.fields.Nested(AddressSchema))
    subject = ma.fields.String()
    full_text = ma.fields.String(metadata={"description": "with quoted history and signature"})
    html = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "sanitized; images from the web are not loaded (their address is "
            "in data-src, see remote_images) unless asked for with ?images=show"
        },
    )
    remote_images = ma.fields.Boolean(
        metadata={"description": "the HTML has images from the web, held back (tracking pixels)"}
    )
    threaded_by = ma.fields.String(
        allow_none=True,
        metadata={
            "enum": ["in_reply_to", "references", "reply_address", "subject_tag", "new_ticket"]
        },
    )
    auto_reply = ma.fields.String(allow_none=True)
    delivery_status = ma.fields.String(
        allow_none=True, metadata={"enum": ["queued", "sent", "failed"]}
    )
    delivery_error = ma.fields.String(allow_none=True)
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.DateTime(allow_none=True)
    sent_at = ma.fields.DateTime(allow_none=True)


class DeliverySchema(ma.Schema):
    """Where one outbound e-mail stands: what the conversation shows beside it."""

    message_id = ma.fields.Integer(required=True)
    status = ma.fields.String(
        attribute="delivery_status", required=True, metadata={"enum": ["queued", "sent", "failed"]}
    )
    error = ma.fields.String(
        attribute="delivery_error",
        allow_none=True,
        required=True,
        metadata={"description": "why the last attempt failed; kept until the next one"},
    )
    attempts = ma.fields.Integer(
        required=True, metadata={"description": "every attempt so far, retries included"}
    )
    next_attempt_at = ma.fields.DateTime(allow_none=True, required=True)
    sent_at = ma.fields.DateTime(allow_none=True, required=True)
    to = ma.fields.List(ma.fields.Nested(AddressSchema), required=True)
    retryable = ma.fields.Function(
        retryable,
        required=True,
        metadata={
            "type": "boolean",
            "description": "failed, or queued and overdue: POST /messages/{id}/email/retry",
        },
    )


DeliveryPageSchema = page_schema(DeliverySchema, "DeliveryPage")


class QuarantinedSchema(ma.Schema):
    id = ma.fields.Integer()
    received_at = ma.fields.DateTime()
    source = ma.fields.String()
    rfc_message_id = ma.fields.String(allow_none=True)
    sender = ma.fields.String(allow_none=True)
    subject = ma.fields.String(allow_none=True)
    size = ma.fields.Integer()
    error = ma.fields.String(allow_none=True)


QuarantinePageSchema = page_schema(QuarantinedSchema, "QuarantinePage")


class EmailDetailsArgsSchema(ma.Schema):
    images = ma.fields.String(
        load_default="hold",
        validate=ma.validate.OneOf(["hold", "show"]),
        metadata={"description": "show: the HTML as sent, images from the web included"},
    )


class OutboxMailSchema(ma.Schema):
    id = ma.fields.String(metadata={"description": "the file's name in the outbox (a maildir)"})
    delivered_at = ma.fields.DateTime()
    message_id = ma.fields.String()
    sender = ma.fields.String(data_key="from")
    to = ma.fields.String()
    subject = ma.fields.String()


class OutboxMailTextSchema(OutboxMailSchema):
    text = ma.fields.String()


OutboxPageSchema = page_schema(OutboxMailSchema, "OutboxPage")


class TemplateSchema(ma.Schema):
    key = ma.fields.String()
    locale = ma.fields.String()
    subject = ma.fields.String()
    body = ma.fields.String()
    variables = ma.fields.List(ma.fields.String())
    customized = ma.fields.Boolean()


class TemplateUpdateSchema(ma.Schema):
    subject = text(required=True, min_length=1, max_length=500)
    body = text(required=True, min_length=1, max_length=20_000)


class TemplateListSchema(ma.Schema):
    """The contract's list shape; every template fits on one page."""

    items = ma.fields.List(ma.fields.Nested(TemplateSchema))
    next_cursor = ma.fields.String(allow_none=True)
