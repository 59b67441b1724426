"""What readers looked for and did not find (agents): the searches to write articles for."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, page_schema, paged
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.extensions import db
from supportdesk.knowledge import activity
from supportdesk.knowledge.activity import UnansweredSearch

blp = Blueprint(
    "kb_activity", __name__, url_prefix="/api/v1", description="Knowledge base: readers' activity"
)

#: the longest look back a report takes (the activity is kept as long as the timeline)
MAX_DAYS = 365


def days_field() -> ma.fields.Integer:
    """How far a report looks back, in days (30 by default)."""
    return ma.fields.Integer(
        load_default=30,
        validate=ma.validate.Range(min=1, max=MAX_DAYS),
        metadata={"description": "look back this many days"},
    )


class UnansweredQuerySchema(PageArgsSchema):
    days = days_field()
    locale = ma.fields.String(
        validate=ma.validate.OneOf(DESK_LOCALES),
        metadata={"description": "searches in this language only"},
    )


class UnansweredSearchSchema(ma.Schema):
    query = ma.fields.String(required=True, metadata={"description": "lower-cased"})
    locale = ma.fields.String(
        required=True, allow_none=True, metadata={"enum": [*DESK_LOCALES, None]}
    )
    count = ma.fields.Integer(required=True)
    last_searched_at = ma.fields.DateTime(required=True)


UnansweredPageSchema = page_schema(UnansweredSearchSchema, "UnansweredSearchPage")


@blp.route("/kb/searches/unanswered", methods=["GET"])
@agent_required
@blp.arguments(UnansweredQuerySchema, location="query")
@blp.response(200, UnansweredPageSchema)
@paged
def list_unanswered_searches(filters: dict[str, Any], page: PageRequest) -> Page[UnansweredSearch]:
    """List the searches that found nothing (agents), most searched first.

    Over the last ``days``; then the latest first; one item per query (lower-cased) and
    locale.

    Every reader's search counts (the help center, the widget, the request form, the
    portal), known or not; a run of keystrokes is one search, its last words.
    """
    return activity.unanswered_searches(db.session, page, **filters)
