"""``GET /kb/suggest``: articles to offer while a reader types (the help center's search
box, the request form's subject, the widget before a chat)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint
from sqlalchemy import select

from supportdesk.core.api_docs import ANYONE_OR_AGENT
from supportdesk.core.fields import text
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.extensions import db
from supportdesk.knowledge.models import Article
from supportdesk.search import service as search

blp = Blueprint("kb_suggest", __name__, url_prefix="/api/v1", description="Knowledge base")

#: what CONTRACT promises: up to five
SUGGESTIONS = 5


class SuggestQuerySchema(ma.Schema):
    q = text(required=True, max_length=200, metadata={"description": "what was typed so far"})
    locale = ma.fields.String(
        validate=ma.validate.OneOf(DESK_LOCALES),
        metadata={"description": "the reader's language (default: every language)"},
    )
    visitor_token = text(max_length=200, metadata={"description": "the widget's visitor"})


class SuggestionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    locale = ma.fields.String(required=True, metadata={"enum": list(DESK_LOCALES)})
    snippet = ma.fields.String(
        required=True, metadata={"description": "where the words were found, with <mark>"}
    )


class SuggestionsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestionSchema), required=True)


@blp.route("/kb/suggest", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.arguments(SuggestQuerySchema, location="query")
@blp.response(200, SuggestionsSchema)
def suggest_articles(args: dict[str, Any]) -> dict[str, Any]:
    """Suggest published articles for words being typed.

    Words match by their start as well (``refu`` finds "Refund policy"; ``密码`` finds
    如何重置密码), titles first, best first; up to five. Fast enough for every keystroke.
    """
    hits = search.suggest_articles(
        db.session, args["q"], args.get("locale"), limit=SUGGESTIONS, published_only=True
    )
    rows = select(Article.id, Article.slug, Article.title, Article.locale).where(
        Article.id.in_([hit.id for hit in hits])
    )
    found = {row.id: row for row in db.session.execute(rows)}
    return {
        "items": [
            {**found[hit.id]._asdict(), "snippet": hit.snippet} for hit in hits if hit.id in found
        ]
    }
