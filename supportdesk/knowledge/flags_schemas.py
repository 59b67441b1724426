"""Agents' flags and the review queue as the API takes and shows them."""

from __future__ import annotations

import marshmallow as ma

from supportdesk.core.fields import id_field, query_id, text
from supportdesk.core.pagination import PageArgsSchema, page_schema
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.knowledge.flags import NOTE_MAX, FlagStatus
from supportdesk.knowledge.models import FlagReason, FlagResolution
from supportdesk.knowledge.review import ReviewReason
from supportdesk.knowledge.schemas import ArticleLinkSchema, OwnerSchema


def _note(description: str) -> ma.fields.String:
    return text(max_length=NOTE_MAX, allow_none=True, metadata={"description": description})


class FlagCreateSchema(ma.Schema):
    reason = ma.fields.Enum(FlagReason, by_value=True, required=True)
    note = _note("what is wrong, and where")
    ticket_id = id_field(
        allow_none=True, metadata={"description": "the ticket the agent was working on"}
    )


class FlagResolveSchema(ma.Schema):
    resolution = ma.fields.Enum(
        FlagResolution,
        by_value=True,
        required=True,
        metadata={"description": "fixed: the article was corrected; dismissed: it was right"},
    )
    note = _note("what was done")


class FlagQuerySchema(PageArgsSchema):
    status = ma.fields.Enum(FlagStatus, by_value=True, metadata={"description": "default: all"})
    article_id = query_id()


class FlagSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    article_id = ma.fields.Integer(required=True)
    article = ma.fields.Nested(ArticleLinkSchema, required=True)
    reason = ma.fields.Enum(FlagReason, by_value=True, required=True)
    note = ma.fields.String(required=True, allow_none=True)
    ticket_id = ma.fields.Integer(required=True, allow_none=True)
    flagged_by = ma.fields.Nested(OwnerSchema, required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    status = ma.fields.Function(
        lambda flag: (FlagStatus.OPEN if flag.resolved_at is None else FlagStatus.RESOLVED).value,
        required=True,
        metadata={"type": "string", "enum": [s.value for s in FlagStatus]},
    )
    resolved_at = ma.fields.DateTime(required=True, allow_none=True)
    resolved_by = ma.fields.Nested(OwnerSchema, required=True, allow_none=True)
    resolution = ma.fields.Enum(FlagResolution, by_value=True, required=True, allow_none=True)
    resolution_note = ma.fields.String(required=True, allow_none=True)
    fixed_in_version = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "the article's version when it was resolved as fixed"},
    )


FlagPageSchema = page_schema(FlagSchema, "ArticleFlagPage")


# -- the review queue


class ReviewQuerySchema(PageArgsSchema):
    locale = ma.fields.String(validate=ma.validate.OneOf(DESK_LOCALES))
    category_id = query_id()


class ReviewArticleSchema(ArticleLinkSchema):
    version = ma.fields.Integer(required=True)
    owner = ma.fields.Nested(OwnerSchema, required=True, allow_none=True)
    updated_at = ma.fields.DateTime(required=True)


class ReviewCommentSchema(ma.Schema):
    """A reader's No, with what they said was missing."""

    comment = ma.fields.String(required=True)
    customer_id = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "the known customer who said it"}
    )
    updated_at = ma.fields.DateTime(required=True)


class ReviewFiguresSchema(ma.Schema):
    view_count = ma.fields.Integer(required=True)
    helpful_count = ma.fields.Integer(required=True)
    not_helpful_count = ma.fields.Integer(required=True)
    helpful_ratio = ma.fields.Float(
        required=True, allow_none=True, metadata={"description": "null: no votes"}
    )
    helpful_lower = ma.fields.Float(
        required=True, metadata={"description": "the 95% Wilson interval of the helpful share"}
    )
    helpful_upper = ma.fields.Float(required=True)
    deflection_count = ma.fields.Integer(required=True)
    reply_use_count = ma.fields.Integer(required=True)


class ReviewItemSchema(ma.Schema):
    article = ma.fields.Nested(ReviewArticleSchema, required=True)
    reasons = ma.fields.List(
        ma.fields.Enum(ReviewReason, by_value=True),
        required=True,
        metadata={"description": "why it is here: one at least"},
    )
    open_flags = ma.fields.List(
        ma.fields.Nested(FlagSchema), required=True, metadata={"description": "newest first"}
    )
    comments = ma.fields.List(
        ma.fields.Nested(ReviewCommentSchema),
        required=True,
        metadata={"description": "readers' latest No comments, newest first"},
    )
    figures = ma.fields.Nested(ReviewFiguresSchema, required=True)


ReviewPageSchema = page_schema(ReviewItemSchema, "ReviewPage")
