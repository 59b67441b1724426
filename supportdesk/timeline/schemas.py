"""A timeline entry as the contract shows it: common fields, then the fields of its kind."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from supportdesk.core.channels import ALL_CHANNELS
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.knowledge.models import KbAction, KbSurface
from supportdesk.knowledge.schemas import ArticleLinkSchema
from supportdesk.tickets.schemas import PublicAuthorSchema
from supportdesk.timeline.models import EntryKind, TimelineEntry

KINDS = [k.value for k in EntryKind]


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
    author = ma.fields.Nested(PublicAuthorSchema)
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
    actor = ma.fields.Nested(PublicAuthorSchema, allow_none=True)
    # kb_activity
    action = ma.fields.String(metadata={"enum": [a.value for a in KbAction]})
    query = ma.fields.String(allow_none=True, metadata={"description": "a search's words"})
    result_count = ma.fields.Integer(
        allow_none=True, metadata={"description": "what the search found (0: nothing)"}
    )
    helpful = ma.fields.Boolean(allow_none=True, metadata={"description": "a rating's answer"})
    comment = ma.fields.String(
        allow_none=True, metadata={"description": "what a reader who said not helpful missed"}
    )
    surface = ma.fields.String(metadata={"enum": [s.value for s in KbSurface]})
    article = ma.fields.Nested(
        ArticleLinkSchema,
        allow_none=True,
        metadata={"description": "viewed or rated; null for a search, or once deleted"},
    )

    @ma.pre_dump
    def _of_its_kind(self, entry: TimelineEntry, **_: Any) -> dict[str, Any]:
        return _entry_fields(entry)


def _entry_fields(entry: TimelineEntry) -> dict[str, Any]:
    """The contract's entry: common fields plus the fields of its kind.

    Its ``author`` and ``actor`` are the authors the tickets domain shapes
    (``Message.author``, ``TicketEvent.author``); the timeline shows them public
    (``PublicAuthorSchema``: kind and name).
    """
    view: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind.value,
        "channel": entry.channel.value,
        "ticket_id": entry.ticket_id,
        "occurred_at": entry.occurred_at,
    }
    if entry.message is not None:
        message = entry.message
        view.update(
            message_id=message.id,
            direction=message.direction.value,
            body=message.body,
            body_html=message.body_html,
            author=message.author,
        )
    elif entry.call is not None:
        call = entry.call
        view.update(
            call_id=call.id,
            direction=call.direction.value,
            duration_seconds=call.duration_seconds,
            notes=call.notes,
            phone=call.phone,
            recording_url=call.recording_url,
        )
    elif entry.event is not None:
        event = entry.event
        view.update(
            event=event.event,
            data=event.data,
            actor=event.author,
        )
    elif entry.kb_activity is not None:
        done = entry.kb_activity
        view.update(
            action=done.action.value,
            query=done.query,
            result_count=done.result_count,
            helpful=done.helpful,
            comment=done.comment,
            surface=done.surface.value,
            article=done.article,
        )
    return view


class TimelineQuerySchema(PageArgsSchema):
    channel = ma.fields.String(validate=ma.validate.OneOf(ALL_CHANNELS))
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))


TimelinePageSchema = page_schema(TimelineEntrySchema, "TimelinePage")
