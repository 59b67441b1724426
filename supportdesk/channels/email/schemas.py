import marshmallow as ma

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
    html = ma.fields.String(allow_none=True, metadata={"description": "sanitized"})
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
