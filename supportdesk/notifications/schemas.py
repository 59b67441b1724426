from __future__ import annotations

import marshmallow as ma

from supportdesk.core.fields import id_field
from supportdesk.core.pagination import PageArgsSchema
from supportdesk.notifications.models import NotificationKind

KINDS = [k.value for k in NotificationKind]
#: the notifications one request may mark read by id
MAX_IDS = 200


class NotificationTicketSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    ref = ma.fields.String(required=True, metadata={"example": "SD-1042"})
    subject = ma.fields.String(required=True)


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": KINDS})
    ticket = ma.fields.Nested(NotificationTicketSchema, required=True)
    message_id = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "the note that mentions you"}
    )
    actor_name = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "who wrote, assigned, or started the chat (its customer)"},
    )
    snippet = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "the note's first words"}
    )
    created_at = ma.fields.DateTime(required=True)
    read_at = ma.fields.DateTime(allow_none=True, required=True)


class NotificationQuerySchema(PageArgsSchema):
    unread = ma.fields.Boolean(
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "true: only the ones not read yet"},
    )


class NotificationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)
    unread_count = ma.fields.Integer(
        required=True, metadata={"description": "all your unread notifications"}
    )


class NotificationsReadSchema(ma.Schema):
    ids = ma.fields.List(
        id_field(), validate=ma.validate.Length(min=1, max=MAX_IDS), metadata={"uniqueItems": True}
    )
    all = ma.fields.Boolean(
        truthy={True}, falsy={False}, validate=ma.validate.Equal(True, error="Give all: true.")
    )

    @ma.validates_schema
    def _ids_or_all(self, data: dict[str, object], **_: object) -> None:
        if ("ids" in data) == ("all" in data):
            raise ma.ValidationError("Give ids, or all: true.", "ids")

    @ma.validates("ids")
    def _each_once(self, value: list[int], **_: object) -> None:
        if len(set(value)) != len(value):
            raise ma.ValidationError("Name each notification once.")


#: The body as the OpenAPI document describes it: ``_ids_or_all``'s rule.
NOTIFICATIONS_READ_BODY = {
    "allOf": [NotificationsReadSchema],
    "oneOf": [
        {"required": ["ids"], "not": {"required": ["all"]}},
        {"required": ["all"], "not": {"required": ["ids"]}},
    ],
}


class UnreadCountSchema(ma.Schema):
    unread_count = ma.fields.Integer(required=True)
