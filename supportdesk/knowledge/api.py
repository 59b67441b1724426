"""Articles: anyone reads the published ones; agents write, and see drafts too."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from supportdesk.core.api_docs import ANYONE_OR_AGENT
from supportdesk.core.auth import agent_required, is_agent
from supportdesk.core.fields import query_id
from supportdesk.core.pagination import Page, PageRequest, paged
from supportdesk.extensions import db
from supportdesk.knowledge import activity, articles, deflection, listing, voters
from supportdesk.knowledge.articles import ArticleView
from supportdesk.knowledge.rendering import render_markdown
from supportdesk.knowledge.schemas import (
    ArticleCreateSchema,
    ArticlePageSchema,
    ArticleQuerySchema,
    ArticleReadQuerySchema,
    ArticleSchema,
    ArticleUpdateSchema,
    BodyRenderedSchema,
    BodyRenderSchema,
)

blp = Blueprint("kb_articles", __name__, url_prefix="/api/v1", description="Knowledge base")


class ArticleOpenQuerySchema(ArticleReadQuerySchema):
    suggestion = query_id(
        metadata={"description": "the suggestion_id of GET /kb/suggest this read opens"}
    )


@blp.route("/kb/articles", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.arguments(ArticleQuerySchema, location="query")
@blp.response(200, ArticlePageSchema)
@paged
def list_articles(filters: dict[str, Any], page: PageRequest) -> Page[ArticleView]:
    """List articles: the published ones for everyone, drafts too for agents.

    Best first by default (``sort=score``: helpfulness with confidence and use), or last
    saved first (``sort=recent``). With ``q``, the search's best match first, each item
    with a highlighted ``snippet``; a page filtered by category, section or status may
    then hold fewer than ``limit`` items: follow ``next_cursor``. ``status`` filters for
    agents only. Items carry no body: read an article for it.
    """
    token = voters.visitor_token_of(filters.pop("visitor_token", None))
    agent = is_agent()
    found = listing.articles_page(db.session, page, agent=agent, **filters)
    q = filters.get("q")
    if q and not agent and page.cursor is None:  # a search, not its next page
        reader = voters.request_reader(db.session, token)
        if reader is not None:
            activity.record_search(
                db.session,
                reader,
                q,
                len(found.items),
                surface=voters.surface_of(token),
                locale=filters.get("locale"),
            )
            db.session.commit()
    return found


@blp.route("/kb/articles", methods=["POST"])
@agent_required
@blp.arguments(ArticleCreateSchema)
@blp.response(201, ArticleSchema)
def create_article(fields: dict[str, Any]) -> ArticleView:
    """Write an article (agents); version 1 is kept.

    The slug comes from the title unless given (numbered if taken; a given one that is
    taken answers 409), in the title's own script (``如何重置密码``). ``translation_of``
    makes it that article's translation: 409 if that article has one in this locale.
    """
    article = articles.create_article(db.session, author=current_user, **fields)
    db.session.commit()
    return articles.article_view(db.session, article, agent=True)


@blp.route("/kb/articles/<id_or_slug>", methods=["GET"])
@blp.doc(security=ANYONE_OR_AGENT)
@blp.arguments(ArticleOpenQuerySchema, location="query")
@blp.response(200, ArticleSchema)
def get_article(args: dict[str, Any], id_or_slug: str) -> ArticleView:
    """Read an article by id or by slug.

    A slug is looked up in ``locale``; without one, in the first desk locale that has
    it. A draft answers 404 to everyone but agents. A reader's view counts toward the
    article's ranking; an agent's does not. A known reader's view (the widget's
    ``visitor_token``, the browser's reader cookie) joins their history; ``suggestion``
    (a ``suggestion_id`` of ``GET /kb/suggest``) marks that suggestion opened, when it
    was this reader's.
    """
    agent = is_agent()
    view = articles.read_article(db.session, id_or_slug, agent=agent, locale=args.get("locale"))
    if not agent:
        token = voters.visitor_token_of(args.get("visitor_token"))
        reader = voters.request_reader(db.session, token)
        if reader is not None:
            activity.record_view(db.session, reader, view.article, surface=voters.surface_of(token))
            if suggestion := args.get("suggestion"):
                deflection.record_opened(db.session, reader, suggestion, view.article.id)
        db.session.commit()
    return view


@blp.route("/kb/articles/<id_or_slug>", methods=["PATCH"])
@agent_required
@blp.arguments(ArticleUpdateSchema)
@blp.response(200, ArticleSchema)
def update_article(changes: dict[str, Any], id_or_slug: str) -> ArticleView:
    """Change an article (agents); a save that changes anything keeps a new version.

    ``status: published`` sets ``published_at``; back to ``draft`` takes it off the help
    center and clears it. ``related_ids`` replaces the list. The slug stays when the
    title changes, so links to the article keep working.
    """
    article = articles.find_article(db.session, id_or_slug, agent=True)
    articles.update_article(db.session, article, changes, author=current_user)
    db.session.commit()
    return articles.article_view(db.session, article, agent=True)


@blp.route("/kb/articles/<id_or_slug>", methods=["DELETE"])
@agent_required
@blp.response(204)
def delete_article(id_or_slug: str) -> None:
    """Delete an article with its versions, votes and flags (agents).

    To take it off the help center and keep it, set its status to draft instead.
    """
    articles.delete_article(db.session, articles.find_article(db.session, id_or_slug, agent=True))
    db.session.commit()


@blp.route("/kb/render", methods=["POST"])
@agent_required
@blp.arguments(BodyRenderSchema)
@blp.response(200, BodyRenderedSchema)
def render_article_body(args: dict[str, str]) -> dict[str, str]:
    """Render Markdown as a saved article's body would be (the editor's live preview).

    Sanitized as readers get it; images show only from ``/api/v1/kb/images/{id}``, any
    other image becomes a link. Nothing is stored.
    """
    return {"body_html": render_markdown(args["body"])}
