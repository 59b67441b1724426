"""How often the articles suggested before a contact answered the question (agents)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.knowledge import deflection
from supportdesk.knowledge.activity_api import days_field
from supportdesk.knowledge.deflection import DeflectionReport
from supportdesk.knowledge.schemas import ArticleLinkSchema

blp = Blueprint(
    "kb_deflection", __name__, url_prefix="/api/v1", description="Knowledge base: deflection"
)


class DeflectionQuerySchema(PageArgsSchema):
    days = days_field()


class FiguresSchema(ma.Schema):
    shown = ma.fields.Integer(required=True, metadata={"description": "suggestions shown"})
    opened = ma.fields.Integer(required=True, metadata={"description": "of them, opened"})
    contacted = ma.fields.Integer(
        required=True, metadata={"description": "of them, the reader contacted us within a day"}
    )
    settled = ma.fields.Integer(
        required=True, metadata={"description": "of them, whose day is over"}
    )
    deflected = ma.fields.Integer(
        required=True, metadata={"description": "settled, opened, and no contact within a day"}
    )
    rate = ma.fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "deflected / settled, 0..1; null while none is settled"},
    )


class ArticleFiguresSchema(FiguresSchema):
    article = ma.fields.Nested(
        ArticleLinkSchema, required=True, allow_none=True, metadata={"description": "null: deleted"}
    )


class DeflectionReportSchema(ma.Schema):
    overall = ma.fields.Nested(FiguresSchema, required=True)
    items = ma.fields.List(ma.fields.Nested(ArticleFiguresSchema), required=True)
    next_cursor = ma.fields.String(required=True, allow_none=True)


@blp.route("/kb/deflection", methods=["GET"])
@agent_required
@blp.arguments(DeflectionQuerySchema, location="query")
@blp.response(200, DeflectionReportSchema)
@paged
def get_deflection(filters: dict[str, Any], page: PageRequest) -> DeflectionReport:
    """Report how often suggestions deflected a contact (agents).

    Over the suggestions shown in the last ``days``: overall, and per article, most
    shown first.

    A suggestion is an article shown to a reader as they typed in the widget (before a
    chat), the request form or the portal (the same article again, one suggestion). It
    is *contacted* when the reader still wrote to us within a day of it (a chat, an
    e-mail, a request), *settled* once that day is over, and *deflected* when settled,
    opened and not contacted. ``rate = deflected / settled``: the suggestions of the
    last day are in ``shown`` but not yet in the rate.
    """
    return deflection.deflection_report(db.session, page, **filters)
