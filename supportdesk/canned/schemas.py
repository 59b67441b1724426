from typing import Any

import marshmallow as ma

from supportdesk.canned.placeholders import ALL_PLACEHOLDERS, FILTERS
from supportdesk.core.fields import text
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.customers.language import DESK_LOCALES

BODY_MAX = 20_000


#: the wording per desk locale, a field each (``zh-CN`` is a name JSON allows, Python not)
CannedBodiesSchema = ma.Schema.from_dict(
    {locale: text(min_length=1, max_length=BODY_MAX) for locale in DESK_LOCALES},
    name="CannedBodies",
)


def _some_locale(bodies: dict[str, str]) -> None:
    if not bodies:
        raise ma.ValidationError("Give the wording in one locale at least.")


def _bodies(description: str, **kwargs: Any) -> ma.fields.Nested:
    return ma.fields.Nested(
        CannedBodiesSchema,
        validate=_some_locale,
        metadata={
            "minProperties": 1,
            "description": f"{description}. Placeholders: {ALL_PLACEHOLDERS}; filters: "
            f"{', '.join(sorted(FILTERS))}; and {{% if %}} blocks",
        },
        **kwargs,
    )


class CannedResponseSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    bodies = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": list(DESK_LOCALES)}),
        values=ma.fields.String(),
        metadata={"description": "The body per locale, as written (placeholders unfilled)"},
    )
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


CannedResponsePageSchema = page_schema(CannedResponseSchema, "CannedResponsePage")


class CannedResponseQuerySchema(PageArgsSchema):
    q = text(max_length=200, metadata={"description": "words of the title"})


class CannedResponseCreateSchema(ma.Schema):
    title = text(required=True, min_length=1, max_length=200)
    bodies = _bodies("The body in each locale it is written in", required=True)


class CannedResponseUpdateSchema(ma.Schema):
    title = text(min_length=1, max_length=200)
    bodies = _bodies("Replaces every locale's body: leave a locale out to remove it")


class RenderSchema(ma.Schema):
    locale = ma.fields.String(
        validate=ma.validate.OneOf(DESK_LOCALES),
        metadata={
            "description": "default: the customer's locale if the response is written in it, "
            "else the agent's, else en, else the one it is written in"
        },
    )


class RenderedSchema(ma.Schema):
    body = ma.fields.String(required=True)
    locale = ma.fields.String(required=True, metadata={"enum": list(DESK_LOCALES)})
