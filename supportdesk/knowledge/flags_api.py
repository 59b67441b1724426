"""Keeping articles right (agents): flags on what is wrong, and the review queue."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.pagination import Page, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.knowledge import flags, review
from supportdesk.knowledge.flags_schemas import (
    FlagCreateSchema,
    FlagPageSchema,
    FlagQuerySchema,
    FlagResolveSchema,
    FlagSchema,
    ReviewPageSchema,
    ReviewQuerySchema,
)
from supportdesk.knowledge.models import ArticleFlag
from supportdesk.knowledge.review import ReviewItem

blp = Blueprint(
    "kb_flags", __name__, url_prefix="/api/v1", description="Knowledge base: flags and review"
)


@blp.route("/kb/articles/<id:article_id>/flags", methods=["POST"])
@agent_required
@blp.arguments(FlagCreateSchema)
@blp.response(201, FlagSchema)
def flag_article(fields: dict[str, Any], article_id: int) -> ArticleFlag:
    """Flag an article as wrong (agents), from the article or from a ticket.

    ``reason``: inaccurate, outdated, incomplete or other; ``ticket_id``: the ticket
    where it showed. The flag stays open, and the article in the review queue, until an
    agent resolves it.
    """
    flag = flags.flag_article(db.session, article_id, agent=current_user, **fields)
    db.session.commit()
    return flag


@blp.route("/kb/flags", methods=["GET"])
@agent_required
@blp.arguments(FlagQuerySchema, location="query")
@blp.response(200, FlagPageSchema)
@paged
def list_article_flags(filters: dict[str, Any], page: PageRequest) -> Page[ArticleFlag]:
    """List flags, newest first (agents): ``status=open`` or ``resolved``, one article's."""
    return flags.flags_page(db.session, page, **filters)


@blp.route("/kb/flags/<id:flag_id>/resolve", methods=["POST"])
@agent_required
@blp.arguments(FlagResolveSchema)
@blp.response(200, FlagSchema)
def resolve_article_flag(fields: dict[str, Any], flag_id: int) -> ArticleFlag:
    """Resolve an open flag (agents): ``fixed`` or ``dismissed``, with a note.

    The flag records who resolved it and when, and for ``fixed`` the article's version
    then. 409 for a flag resolved already.
    """
    flag = flags.resolve_flag(db.session, flag_id, agent=current_user, **fields)
    db.session.commit()
    return flag


@blp.route("/kb/review", methods=["GET"])
@agent_required
@blp.arguments(ReviewQuerySchema, location="query")
@blp.response(200, ReviewPageSchema)
@paged
def list_articles_to_review(filters: dict[str, Any], page: PageRequest) -> Page[ReviewItem]:
    """List the articles to review (agents): flagged, or poorly rated.

    Poorly rated: five counted votes at least and the helpful share's 95% Wilson upper
    bound under 0.5, or the latest three counted votes all No. Most used first, each with
    its open flags, readers' latest No comments and figures.
    """
    return review.review_page(db.session, page, **filters)
