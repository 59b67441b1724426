"""Readers' votes as the API takes and shows them."""

from __future__ import annotations

import marshmallow as ma

from supportdesk.core.fields import text
from supportdesk.knowledge.feedback import (
    COMMENT_MAX,
    MIN_DWELL,
    PAGE_VIEW_MAX_AGE,
    page_view_token,
)

#: the widget's visitor tokens are 43 characters; anything much longer is made up
VISITOR_TOKEN_MAX = 200
VIEW_TOKEN_MAX = 200


def view_token_field() -> ma.fields.Function:
    """The article's ``view_token``, for a schema of an article a reader is shown: the
    help center's page and the article's ``GET`` carry it, and a vote sends it back."""
    return ma.fields.Function(
        lambda article: page_view_token(article.id),
        required=True,
        metadata={
            "type": "string",
            "description": "send it with this reader's vote (POST .../feedback): a vote "
            f"counts from a page shown {MIN_DWELL.seconds} seconds to "
            f"{PAGE_VIEW_MAX_AGE.days} day before, one vote per page view",
        },
    )


class VoteBodySchema(ma.Schema):
    helpful = ma.fields.Boolean(required=True, truthy={True}, falsy={False})
    comment = text(
        max_length=COMMENT_MAX,
        allow_none=True,
        metadata={"description": "plain text, with helpful: false only (422 with true)"},
    )
    voter = text(
        max_length=VISITOR_TOKEN_MAX,
        allow_none=True,
        metadata={
            "description": "the widget's visitor_token (422 if the desk never gave it out); "
            "without it the reader's cookie names them (set by the answer to a first vote)"
        },
    )
    view_token = text(
        max_length=VIEW_TOKEN_MAX,
        allow_none=True,
        metadata={"description": "the article's view_token: a vote with no voter counts with it"},
    )
    website = text(
        max_length=500,
        allow_none=True,
        metadata={
            "description": "leave it out or empty: a trap for bots (such a vote is not kept)"
        },
    )


class FeedbackQuerySchema(ma.Schema):
    visitor_token = text(
        max_length=VISITOR_TOKEN_MAX,
        metadata={"description": "the widget's visitor (or the X-Visitor-Token header)"},
    )


class VoteSchema(ma.Schema):
    helpful = ma.fields.Boolean(required=True)
    comment = ma.fields.String(required=True, allow_none=True)
    counted = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "in the counts; false for a reader's vote from no shown page, "
            "kept until they vote again from one"
        },
    )
    updated_at = ma.fields.DateTime(required=True)


class FeedbackSchema(ma.Schema):
    helpful_count = ma.fields.Integer(required=True)
    not_helpful_count = ma.fields.Integer(required=True)
    your_vote = ma.fields.Nested(
        VoteSchema, required=True, allow_none=True, metadata={"description": "null: none yet"}
    )
