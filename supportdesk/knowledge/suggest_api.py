"""``GET /kb/suggest``: articles to offer while a reader types (the help center's search
box, the request form's subject, the widget before a chat, the portal).

A known reader's keystrokes are one search on their history (``activity``); what the
widget, the request form and the portal show them is recorded for deflection
(``deflection``), each item with its ``suggestion_id`` to send back on opening it.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import after_this_request
from flask_smorest import Blueprint
from sqlalchemy import select

from supportdesk.core.api_docs import ANYONE_OR_AGENT
from supportdesk.core.auth import is_agent
from supportdesk.core.fields import text
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.extensions import db
from supportdesk.knowledge import activity, deflection, voters
from supportdesk.knowledge.models import Article, KbSurface
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
    visitor_token = text(
        max_length=200,
        metadata={"description": "the widget's visitor (or the X-Visitor-Token header)"},
    )
    surface = ma.fields.Enum(
        KbSurface,
        by_value=True,
        metadata={
            "description": "where the reader types (default: widget with a visitor_token, "
            "else help_center); widget, request_form and portal record what is shown"
        },
    )


class SuggestionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    locale = ma.fields.String(required=True, metadata={"enum": list(DESK_LOCALES)})
    snippet = ma.fields.String(
        required=True, metadata={"description": "where the words were found, with <mark>"}
    )
    suggestion_id = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "send it back on reading the article (?suggestion=): it was opened; "
            "null where nothing is recorded"
        },
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
    shown = [hit for hit in hits if hit.id in found]
    suggestion_ids = {} if is_agent() else _record(args, [hit.id for hit in shown])
    return {
        "items": [
            {
                **found[hit.id]._asdict(),
                "snippet": hit.snippet,
                "suggestion_id": suggestion_ids.get(hit.id),
            }
            for hit in shown
        ]
    }


def _record(args: dict[str, Any], article_ids: list[int]) -> dict[int, int]:
    """A reader's search on their history, and the suggestions they were shown; the
    suggestions' ids by article. A browser without the reader cookie (the help center's
    pages give one) is given it and nothing is kept: as on the pages, only a cookie sent
    back names a reader, so a client that keeps none leaves no rows."""
    token = voters.visitor_token_of(args.get("visitor_token"))
    surface = args.get("surface") or voters.surface_of(token)
    reader = voters.request_reader(db.session, token)
    if reader is None:
        if not token:
            after_this_request(voters.remember_browser)
        return {}
    activity.record_search(
        db.session, reader, args["q"], len(article_ids), surface=surface, locale=args.get("locale")
    )
    shown = deflection.record_shown(
        db.session, reader, article_ids, surface=surface, query=args["q"]
    )
    db.session.commit()
    return shown
