import marshmallow as ma

from supportdesk.core.channels import CUSTOMER_CHANNELS
from supportdesk.core.fields import id_field, query_id, text
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.customers.identities import LOCALE_PATTERN, IdentityKind


class CustomerSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    emails = ma.fields.List(ma.fields.String())
    phones = ma.fields.List(ma.fields.String(), metadata={"description": "E.164"})
    external_id = ma.fields.String(allow_none=True)
    locale = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class CustomerUpdateSchema(ma.Schema):
    name = text(min_length=1, max_length=200)
    emails = ma.fields.List(text(max_length=320), validate=ma.validate.Length(max=20))
    phones = ma.fields.List(text(max_length=40), validate=ma.validate.Length(max=20))
    external_id = text(max_length=320, allow_none=True)
    locale = text(max_length=20, allow_none=True, metadata={"pattern": LOCALE_PATTERN})


class CustomerCreateSchema(CustomerUpdateSchema):
    name = text(min_length=1, max_length=200, required=True)


class CustomerQuerySchema(PageArgsSchema):
    q = text(max_length=200, metadata={"description": "name, e-mail or phone"})


class MergeSchema(ma.Schema):
    source_id = id_field(required=True)


CustomerPageSchema = page_schema(CustomerSchema, "CustomerPage")


# The customer panel: contacts, the repeat-contact signal, merges (docs/api.md)


class ContactsQuerySchema(ma.Schema):
    ticket_id = query_id(metadata={"description": "the ticket being viewed: gives `repeat`"})


class ContactChannelCountSchema(ma.Schema):
    channel = ma.fields.String(metadata={"enum": CUSTOMER_CHANNELS})
    total = ma.fields.Integer(metadata={"description": "contacts ever"})
    recent = ma.fields.Integer(metadata={"description": "contacts in the last `days` days"})


class RepeatSchema(ma.Schema):
    count = ma.fields.Integer(metadata={"description": "contacts about it in the window (>= 2)"})
    days = ma.fields.Integer()
    channels = ma.fields.List(
        ma.fields.String(metadata={"enum": CUSTOMER_CHANNELS}),
        metadata={"description": "each channel once, in the order first used"},
    )
    ticket_ids = ma.fields.List(ma.fields.Integer(), metadata={"description": "oldest first"})
    similar_ticket_ids = ma.fields.List(
        ma.fields.Integer(), metadata={"description": "those counted for a similar subject only"}
    )
    first_at = ma.fields.DateTime()
    last_at = ma.fields.DateTime()


class ContactSummarySchema(ma.Schema):
    customer_id = ma.fields.Integer()
    days = ma.fields.Integer(metadata={"description": "the window of `recent` and `repeat`"})
    since = ma.fields.DateTime()
    total = ma.fields.Integer()
    recent = ma.fields.Integer()
    by_channel = ma.fields.List(ma.fields.Nested(ContactChannelCountSchema))
    repeat = ma.fields.Nested(RepeatSchema, allow_none=True)


class IdentitySchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": [k.value for k in IdentityKind]})
    value = ma.fields.String()
    verified = ma.fields.Boolean(metadata={"description": "false: claimed, not proven"})


class NamedSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class MergeRecordSchema(ma.Schema):
    id = ma.fields.Integer()
    merged_at = ma.fields.DateTime()
    source = ma.fields.Nested(NamedSchema, metadata={"description": "the customer merged away"})
    into = ma.fields.Nested(NamedSchema, allow_none=True)
    actor = ma.fields.Nested(NamedSchema, allow_none=True, metadata={"description": "the agent"})
    identities = ma.fields.List(ma.fields.Nested(IdentitySchema), allow_none=True)
    tickets = ma.fields.Integer(allow_none=True, metadata={"description": "tickets moved"})


MergeRecordPageSchema = page_schema(MergeRecordSchema, "MergeRecordPage")


class MergePreviewQuerySchema(ma.Schema):
    source_id = query_id(required=True)


class MergePreviewSchema(ma.Schema):
    survivor_id = ma.fields.Integer()
    source = ma.fields.Nested(CustomerSchema)
    identities = ma.fields.List(ma.fields.Nested(IdentitySchema))
    tickets = ma.fields.Integer()
    timeline_entries = ma.fields.Integer()
