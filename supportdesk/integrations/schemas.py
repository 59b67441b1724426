import re

import marshmallow as ma

from supportdesk.core.fields import Text, text
from supportdesk.core.pagination import page_schema

#: what an integration's URL may be: http(s), a host name or IPv4 address, a port in
#: range, then printable ASCII. The document states this same pattern, so a client knows
#: before it asks: no ``file:``, ``gopher:`` or the like, no credentials in the URL (they
#: belong in the secret), no spaces.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_URL = re.compile(rf"https?://{_LABEL}(?:\.{_LABEL})*(?::{_PORT})?(?:[/?][\x21-\x7e]*)?")
URL_PATTERN = f"^{_URL.pattern}$"
MIN_SECRET_LENGTH = 16


def _check_url(url: str) -> None:
    # fullmatch, not ``Regexp``'s match: its ``$`` would let a trailing newline through
    if not _URL.fullmatch(url):
        raise ma.ValidationError(
            "An http:// or https:// URL with a host name or IPv4 address, "
            "without credentials or spaces."
        )


def _url(**kwargs: object) -> Text:
    return Text(
        validate=[ma.validate.Length(min=1, max=2000), _check_url],
        metadata={
            "pattern": URL_PATTERN,
            "description": "Where the desk POSTs the customer (http or https only)",
        },
        **kwargs,  # type: ignore[arg-type]
    )


def _secret(**kwargs: object) -> Text:
    return text(
        min_length=MIN_SECRET_LENGTH,
        max_length=200,
        load_only=True,
        metadata={"description": "The HMAC key of the signatures; write-only"},
        **kwargs,
    )


class IntegrationSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    url = ma.fields.String()
    enabled = ma.fields.Boolean()
    secret_hint = ma.fields.String(
        metadata={"description": "The secret's last four characters; the secret is never shown"}
    )
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


IntegrationPageSchema = page_schema(IntegrationSchema, "IntegrationPage")


class IntegrationUpdateSchema(ma.Schema):
    name = text(min_length=1, max_length=100)
    url = _url()
    secret = _secret()
    enabled = ma.fields.Boolean()


class IntegrationCreateSchema(IntegrationUpdateSchema):
    name = text(min_length=1, max_length=100, required=True)
    url = _url(required=True)
    secret = _secret(required=True)
    enabled = ma.fields.Boolean(load_default=True)


class IntegrationRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class ContextCardSchema(ma.Schema):
    integration = ma.fields.Nested(IntegrationRefSchema)
    status = ma.fields.String(metadata={"enum": ["ok", "unavailable"]})
    data = ma.fields.Dict(
        allow_none=True, metadata={"description": "The integration's JSON object; null if none"}
    )
    fetched_at = ma.fields.DateTime(
        metadata={"description": "When the answer came (cached up to a minute), or the try"}
    )
    error = ma.fields.String(metadata={"description": "Why it is unavailable, in a few words"})


class CustomerContextSchema(ma.Schema):
    cards = ma.fields.List(ma.fields.Nested(ContextCardSchema))
