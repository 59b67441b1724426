"""An article's versions (agents): list, read, compare, restore."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.errors import InvalidInput
from supportdesk.core.pagination import Page, PageArgsSchema, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.knowledge import articles, versions
from supportdesk.knowledge.articles import ArticleView
from supportdesk.knowledge.models import ArticleVersion
from supportdesk.knowledge.schemas import (
    ArticleSchema,
    DiffQuerySchema,
    VersionDetailSchema,
    VersionDiffSchema,
    VersionPageSchema,
)

blp = Blueprint(
    "kb_versions", __name__, url_prefix="/api/v1", description="Knowledge base: versions"
)


@blp.route("/kb/articles/<id:article_id>/versions", methods=["GET"])
@agent_required
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, VersionPageSchema)
@paged
def list_article_versions(
    _filters: dict[str, Any], article_id: int, page: PageRequest
) -> Page[ArticleVersion]:
    """List an article's versions, newest first (agents); every save kept one."""
    article = articles.get_article(db.session, article_id)
    return versions.versions_page(db.session, article, page)


@blp.route("/kb/articles/<id:article_id>/versions/<id:number>", methods=["GET"])
@agent_required
@blp.response(200, VersionDetailSchema)
def get_article_version(article_id: int, number: int) -> ArticleVersion:
    """Read one version of an article, its body rendered as it would show (agents)."""
    article = articles.get_article(db.session, article_id)
    return versions.get_version(db.session, article, number)


@blp.route("/kb/articles/<id:article_id>/versions/<id:number>/diff", methods=["GET"])
@agent_required
@blp.arguments(DiffQuerySchema, location="query")
@blp.response(200, VersionDiffSchema)
def get_article_version_diff(
    args: dict[str, int], article_id: int, number: int
) -> versions.VersionDiff:
    """Show what changed from another version to this one (agents).

    ``against`` is the other version (default: the one before).
    ``unified`` is the bodies' diff as ``diff -u`` prints it; ``lines`` is the same line
    by line, for a side-by-side view. Version 1 with no ``against`` compares with itself.
    """
    article = articles.get_article(db.session, article_id)
    version = versions.get_version(db.session, article, number)
    against = args.get("against", max(number - 1, 1))
    if against == number and "against" in args:
        raise InvalidInput.field("against", "Compare with another version.")
    other = versions.get_version(db.session, article, against, field="against")
    return versions.diff_versions(other, version)


@blp.route("/kb/articles/<id:article_id>/versions/<id:number>/restore", methods=["POST"])
@agent_required
@blp.response(200, ArticleSchema)
def restore_article_version(article_id: int, number: int) -> ArticleView:
    """Bring back a version's title and body as a new version (agents).

    The status, slug and filing stay as they are; the history only grows, so a restore
    can itself be undone by restoring the version before it.
    """
    article = articles.get_article(db.session, article_id)
    version = versions.get_version(db.session, article, number)
    versions.restore_version(db.session, article, version, author=current_user)
    db.session.commit()
    return articles.article_view(db.session, article, agent=True)
