"""Help center requests as the API takes and answers them."""

from __future__ import annotations

import marshmallow as ma

from supportdesk.channels.web.requests import BODY_MAX, NAME_MAX, SUBJECT_MAX
from supportdesk.core.fields import id_field, text
from supportdesk.customers.identities import LOCALE_PATTERN


class PortalTicketCreateSchema(ma.Schema):
    name = text(required=True, min_length=1, max_length=NAME_MAX)
    email = text(
        required=True,
        min_length=3,
        max_length=320,
        metadata={"description": "where the answer goes; a claim, never a key to a history"},
    )
    subject = text(required=True, min_length=1, max_length=SUBJECT_MAX)
    body = text(required=True, min_length=1, max_length=BODY_MAX)
    article_id = id_field(
        allow_none=True,
        metadata={
            "description": "the published article the reader came from; the comment of "
            "their No on it (by the vote cookie) joins the request"
        },
    )
    locale = text(
        max_length=20,
        allow_none=True,
        metadata={"pattern": LOCALE_PATTERN, "description": "the language to answer in"},
    )
    website = text(
        max_length=500,
        allow_none=True,
        metadata={"description": "leave it out or empty: a trap for bots (nothing is filed)"},
    )


class PortalTicketSchema(ma.Schema):
    ref = ma.fields.String(required=True, metadata={"description": "the request's number: SD-1042"})
