import marshmallow as ma

from supportdesk.core.fields import id_field, text
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.customers.identities import LOCALE_PATTERN


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
