import marshmallow as ma

from supportdesk.core.channels import ALL_CHANNELS
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.timeline.models import EntryKind

KINDS = [k.value for k in EntryKind]


class TimelineAuthorSchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": ["agent", "customer", "system"]})
    name = ma.fields.String()


class TimelineEntrySchema(ma.Schema):
    """Common fields, then the fields of the entry's ``kind``."""

    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": KINDS})
    channel = ma.fields.String(required=True, metadata={"enum": ALL_CHANNELS})
    ticket_id = ma.fields.Integer(allow_none=True, required=True)
    occurred_at = ma.fields.DateTime(required=True)
    # message and call
    direction = ma.fields.String(metadata={"enum": ["inbound", "outbound", "internal"]})
    # message
    message_id = ma.fields.Integer()
    body = ma.fields.String()
    body_html = ma.fields.String()
    author = ma.fields.Nested(TimelineAuthorSchema)
    # call
    call_id = ma.fields.Integer()
    duration_seconds = ma.fields.Integer(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    recording_url = ma.fields.String(allow_none=True)
    # ticket_event
    event = ma.fields.String(
        metadata={"description": "created, status_changed, assigned, merged, ..."}
    )
    data = ma.fields.Dict()
    actor = ma.fields.Nested(TimelineAuthorSchema, allow_none=True)


class TimelineQuerySchema(PageArgsSchema):
    channel = ma.fields.String(validate=ma.validate.OneOf(ALL_CHANNELS))
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))


TimelinePageSchema = page_schema(TimelineEntrySchema, "TimelinePage")
