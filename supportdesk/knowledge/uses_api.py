"""Articles agents put into replies: the composer's "Suggest articles" counts each use."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from supportdesk.core.auth import agent_required
from supportdesk.core.database import get_or_not_found
from supportdesk.extensions import db
from supportdesk.knowledge import ranking
from supportdesk.knowledge.models import Article

blp = Blueprint(
    "kb_uses", __name__, url_prefix="/api/v1", description="Knowledge base: uses in replies"
)


class ArticleUseSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    reply_use_count = ma.fields.Integer(required=True, metadata={"description": "now"})


@blp.route("/kb/articles/<id:article_id>/uses", methods=["POST"])
@agent_required
@blp.response(200, ArticleUseSchema)
def record_article_use(article_id: int) -> Article:
    """Count a use of the article in a reply (agents): the composer put in its link or text.

    Each use adds to the article's ``reply_use_count`` and its score, so that what agents
    answer with rises in the help center too.
    """
    article = get_or_not_found(db.session, Article, article_id, "article")
    ranking.record_reply_use(db.session, article)
    db.session.commit()
    return article
