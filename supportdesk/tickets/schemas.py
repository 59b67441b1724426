import marshmallow as ma

from supportdesk.core.channels import ALL_CHANNELS, CUSTOMER_CHANNELS
from supportdesk.core.fields import aware_datetime, id_field, query_id, text
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.tickets.models import AuthorKind, CallDirection, Direction, Priority
from supportdesk.tickets.refs import ticket_ref
from supportdesk.tickets.service import MAX_TICKETS, InboxCounts, View
from supportdesk.tickets.status import Status

BODY_MAX = 100_000
#: the files one message may carry
MAX_ATTACHMENTS = 20


def one_of(values: list[str], **kwargs: object) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.OneOf(values), **kwargs)  # type: ignore[arg-type]


STATUSES = [s.value for s in Status]
PRIORITIES = [p.value for p in Priority]


class NamedRefSchema(ma.Schema):
    """Whom a ticket is for or with: the id, and the name an agent's list shows for it."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


def merged_ref(ticket_id: int | None) -> dict[str, object] | None:
    """``{id, ref}`` of the ticket a merged one went into: the ref needs no query."""
    return {"id": ticket_id, "ref": ticket_ref(ticket_id)} if ticket_id is not None else None


class TicketSchema(ma.Schema):
    id = ma.fields.Integer()
    ref = ma.fields.String(metadata={"example": "SD-1042"})
    subject = ma.fields.String()
    status = ma.fields.String(metadata={"enum": STATUSES})
    priority = ma.fields.String(metadata={"enum": PRIORITIES})
    channel = ma.fields.String(metadata={"enum": CUSTOMER_CHANNELS})
    customer_id = ma.fields.Integer()
    customer = ma.fields.Nested(NamedRefSchema, required=True)
    assignee_id = ma.fields.Integer(allow_none=True)
    assignee = ma.fields.Nested(
        NamedRefSchema,
        allow_none=True,
        required=True,
        metadata={"description": "The assigned agent; null while nobody is"},
    )
    follow_up_of_id = ma.fields.Integer(allow_none=True)
    merged_into_id = ma.fields.Integer(allow_none=True)
    merged_into = ma.fields.Function(
        lambda t: merged_ref(t.merged_into_id),
        allow_none=True,
        metadata={
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "ref": {"type": "string"}},
            "description": "The ticket this one was merged into, {id, ref}; null if it was not",
        },
    )
    tags = ma.fields.List(ma.fields.String())
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    first_response_due_at = ma.fields.DateTime(allow_none=True)
    resolution_due_at = ma.fields.DateTime(allow_none=True)


class TicketCustomerSchema(ma.Schema):
    name = text(max_length=200)
    email = text(max_length=320, metadata={"format": "email"})
    phone = text(max_length=40)


class TicketCreateSchema(ma.Schema):
    subject = text(required=True, min_length=1, max_length=500)
    channel = one_of(CUSTOMER_CHANNELS, required=True)
    customer_id = id_field()
    customer = ma.fields.Nested(TicketCustomerSchema)
    body = text(max_length=BODY_MAX)
    priority = one_of(PRIORITIES)

    @ma.validates_schema
    def _one_customer(self, data: dict[str, object], **_: object) -> None:
        if ("customer_id" in data) == ("customer" in data):
            raise ma.ValidationError("Give customer_id or customer, not both.", "customer_id")


def _given(field: str) -> dict[str, object]:
    """JSON Schema for "``field`` is there and not empty"."""
    return {"required": [field], "properties": {field: {"minLength": 1}}}


#: How the OpenAPI document describes a ticket to create: its fields, and what
#: ``_one_customer`` and ``find_or_create_customer`` enforce (exactly one of
#: ``customer_id`` and ``customer``; a ``customer`` with a name, e-mail or phone), which
#: JSON Schema can state and a marshmallow schema's fields cannot. Clients generated
#: from the document, and schemathesis, then make only bodies the API accepts.
TICKET_CREATE_BODY = {
    "allOf": [TicketCreateSchema],
    "oneOf": [
        {"required": ["customer_id"], "not": {"required": ["customer"]}},
        {
            "required": ["customer"],
            "not": {"required": ["customer_id"]},
            "properties": {"customer": {"anyOf": [_given(f) for f in ("name", "email", "phone")]}},
        },
    ],
}


def tag_list() -> ma.fields.List:
    """Tags in a body: what the service's tag rule takes (``service.normalize_tags``, which
    also lower-cases them and turns spaces to _)."""
    return ma.fields.List(
        text(max_length=50, metadata={"pattern": r"^[A-Za-z0-9_][A-Za-z0-9_\-:.]{0,49}$"}),
        validate=ma.validate.Length(max=50),
    )


class TicketUpdateSchema(ma.Schema):
    status = one_of(STATUSES)
    priority = one_of(PRIORITIES)
    assignee_id = id_field(allow_none=True)
    tags = tag_list()
    subject = text(min_length=1, max_length=500)


VIEWS = [v.value for v in View]


class TicketQuerySchema(PageArgsSchema):
    """Every filter given narrows the list; a view combines with the others."""

    view = one_of(
        VIEWS,
        metadata={
            "description": "mine: assigned to the caller, not solved or closed; unassigned: "
            "nobody's, new or open; open: new or open; pending: pending or on hold; "
            "solved; all: every status but closed"
        },
    )
    status = one_of(STATUSES)
    statuses = ma.fields.List(
        one_of(STATUSES),
        validate=ma.validate.Length(max=len(STATUSES)),
        metadata={"description": "any of these statuses (repeat the parameter)"},
    )
    priority = one_of(PRIORITIES)
    assignee_id = query_id()
    unassigned = ma.fields.Boolean(
        truthy={"true"},
        falsy={"false"},
        metadata={"description": "true: nobody is assigned; false: somebody is"},
    )
    channel = one_of(CUSTOMER_CHANNELS)
    customer_id = query_id()
    tag = text(max_length=50, metadata={"description": "tickets with this tag"})
    q = text(
        max_length=200,
        metadata={
            "description": "a ref such as SD-1042, words of the subject or of a message, or "
            "the customer's name, e-mail address or phone number"
        },
    )


class MessageQuerySchema(PageArgsSchema):
    order = one_of(
        ["oldest", "newest"],
        load_default="oldest",
        metadata={
            "description": "oldest: oldest first; newest: newest first, to open a long "
            "conversation at its end and page back. A cursor pages only the order it came from"
        },
    )


class ViewCountSchema(ma.Schema):
    key = ma.fields.String(required=True, metadata={"enum": VIEWS})
    count = ma.fields.Integer(required=True)


class ChannelCountSchema(ma.Schema):
    channel = ma.fields.String(required=True, metadata={"enum": CUSTOMER_CHANNELS})
    count = ma.fields.Integer(required=True)


class InboxCountsSchema(ma.Schema):
    views = ma.fields.List(ma.fields.Nested(ViewCountSchema), required=True)
    channels = ma.fields.List(
        ma.fields.Nested(ChannelCountSchema),
        required=True,
        metadata={"description": "each channel's tickets in the open view"},
    )

    @ma.pre_dump
    def _as_lists(self, counts: InboxCounts, **_: object) -> dict[str, object]:
        """In the order the inbox shows them; every view and channel, zeros too."""
        return {
            "views": [{"key": view.value, "count": n} for view, n in counts.views.items()],
            "channels": [{"channel": c, "count": n} for c, n in counts.channels.items()],
        }


class PublicAuthorSchema(ma.Schema):
    """Who wrote a message, as anyone may see it (the customer too): ``Message.author``
    dumped without the agents' and customers' ids."""

    kind = ma.fields.String(metadata={"enum": [k.value for k in AuthorKind]})
    name = ma.fields.String()


class AuthorSchema(PublicAuthorSchema):
    """Who wrote a message, as agents see it."""

    user_id = ma.fields.Integer(allow_none=True)
    customer_id = ma.fields.Integer(allow_none=True)


class AttachmentSchema(ma.Schema):
    id = ma.fields.Integer()
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Integer()
    inline = ma.fields.Boolean()
    content_id = ma.fields.String(allow_none=True)
    url = ma.fields.Function(lambda a: f"/api/v1/attachments/{a.id}", metadata={"type": "string"})


class MessageSchema(ma.Schema):
    id = ma.fields.Integer()
    ticket_id = ma.fields.Integer()
    channel = ma.fields.String(metadata={"enum": ALL_CHANNELS})
    direction = ma.fields.String(metadata={"enum": [d.value for d in Direction]})
    internal = ma.fields.Boolean()
    author = ma.fields.Nested(AuthorSchema)
    body = ma.fields.String()
    body_html = ma.fields.String(metadata={"description": "sanitized HTML"})
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))
    created_at = ma.fields.DateTime()


class MessageMoveSchema(ma.Schema):
    ticket_id = id_field(required=True)


class TicketMergeSchema(ma.Schema):
    into_id = id_field(
        required=True,
        metadata={"description": "the ticket that stays: another open ticket of the customer"},
    )


class MessageSplitSchema(ma.Schema):
    subject = text(min_length=1, max_length=500)


class MessageCreateSchema(ma.Schema):
    body = text(required=True, min_length=1, max_length=BODY_MAX)
    channel = one_of(CUSTOMER_CHANNELS)
    internal = ma.fields.Boolean(load_default=False)
    seen_message_id = id_field(
        metadata={
            "description": "the newest message of the ticket the agent had seen when they "
            "began writing: if someone else wrote since, the answer is 409 and nothing is sent"
        }
    )
    attachment_ids = ma.fields.List(
        id_field(),
        validate=ma.validate.Length(max=MAX_ATTACHMENTS),
        metadata={
            "uniqueItems": True,
            "description": "files uploaded for this message (POST /api/v1/uploads) by the "
            "caller, not yet sent with another",
        },
    )

    @ma.validates("body")
    def _not_blank(self, value: str, **_: object) -> None:
        if not value.strip():
            raise ma.ValidationError("The message is empty.")

    @ma.validates("attachment_ids")
    def _each_file_once(self, value: list[int], **_: object) -> None:
        if len(set(value)) != len(value):
            raise ma.ValidationError("Name each upload once.")


class CallSchema(ma.Schema):
    id = ma.fields.Integer()
    ticket_id = ma.fields.Integer()
    customer_id = ma.fields.Integer()
    direction = ma.fields.String(metadata={"enum": [d.value for d in CallDirection]})
    phone = ma.fields.String(allow_none=True)
    started_at = ma.fields.DateTime()
    duration_seconds = ma.fields.Integer(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    recording_url = ma.fields.String(allow_none=True)
    external_id = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class CallCreateSchema(ma.Schema):
    phone = text(max_length=40)
    customer_id = id_field()
    direction = one_of([d.value for d in CallDirection], required=True)
    started_at = aware_datetime()
    duration_seconds = ma.fields.Integer(
        strict=True, validate=ma.validate.Range(min=0, max=7 * 24 * 3600)
    )
    notes = text(max_length=BODY_MAX)
    ticket_id = id_field()
    recording_url = ma.fields.Url(
        schemes={"http", "https"},
        validate=ma.validate.Length(max=2000),
        metadata={"format": "uri", "pattern": "^https?://"},
    )
    external_id = text(
        min_length=1, max_length=100, metadata={"description": "the provider's call id"}
    )

    @ma.validates_schema
    def _someone(self, data: dict[str, object], **_: object) -> None:
        if not any(key in data for key in ("phone", "customer_id", "ticket_id")):
            raise ma.ValidationError("Give phone, customer_id or ticket_id.", "phone")


#: A call to log as the OpenAPI document describes it: with ``_someone``'s rule.
CALL_CREATE_BODY = {
    "allOf": [CallCreateSchema],
    "anyOf": [{"required": [field]} for field in ("phone", "customer_id", "ticket_id")],
}


class StaleReplyProblemSchema(ma.Schema):
    """The 409 of a reply written before someone else's newer message (documentation:
    the problem itself is built by ``core.api``)."""

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    newer_messages = ma.fields.List(
        ma.fields.Nested(MessageSchema),
        metadata={"description": "what others wrote since, oldest first (the newest 20)"},
    )


class BulkChangesSchema(ma.Schema):
    status = one_of(STATUSES)
    priority = one_of(PRIORITIES)
    assignee_id = id_field(allow_none=True)
    tags_add = tag_list()
    tags_remove = tag_list()

    @ma.validates_schema
    def _something(self, data: dict[str, object], **_: object) -> None:
        if not data:
            raise ma.ValidationError("Give at least one change.", "_schema")


class BulkUpdateSchema(ma.Schema):
    ticket_ids = ma.fields.List(
        id_field(),
        required=True,
        validate=ma.validate.Length(min=1, max=MAX_TICKETS),
        metadata={"uniqueItems": True},
    )
    changes = ma.fields.Nested(BulkChangesSchema, required=True)

    @ma.validates("ticket_ids")
    def _each_once(self, value: list[int], **_: object) -> None:
        if len(set(value)) != len(value):
            raise ma.ValidationError("Name each ticket once.")


#: The bulk body as the OpenAPI document describes it: with ``_something``'s rule.
BULK_UPDATE_BODY = {
    "allOf": [BulkUpdateSchema],
    "properties": {"changes": {"minProperties": 1}},
}


TicketListSchema = ma.Schema.from_dict(
    {"items": ma.fields.List(ma.fields.Nested(TicketSchema), required=True)}, name="TicketList"
)
MessagePageSchema = page_schema(MessageSchema, "MessagePage")
