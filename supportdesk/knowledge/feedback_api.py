"""Was this helpful? Anyone answers, once per article (a second answer replaces the first)."""

from __future__ import annotations

from typing import Any

from flask import Response, after_this_request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from supportdesk.core.settings import settings
from supportdesk.extensions import db, limiter
from supportdesk.knowledge import activity, feedback, voters
from supportdesk.knowledge.articles import get_article
from supportdesk.knowledge.feedback import Feedback
from supportdesk.knowledge.feedback_schemas import (
    FeedbackQuerySchema,
    FeedbackSchema,
    VoteBodySchema,
)

blp = Blueprint(
    "kb_feedback", __name__, url_prefix="/api/v1", description="Knowledge base: readers' votes"
)


@blp.route("/kb/articles/<id:article_id>/feedback", methods=["POST"])
@blp.doc(security=[])
@limiter.limit(lambda: settings().kb_vote_rate_limit, key_func=get_remote_address)
@blp.arguments(VoteBodySchema)
@blp.response(200, FeedbackSchema)
def vote_on_article(body: dict[str, Any], article_id: int) -> Feedback:
    """Answer "Was this helpful?" for a published article (anyone).

    One vote per voter per article: the widget's visitor (``voter``: its visitor token),
    else the reader's browser, named by a cookie the first vote's answer sets. A second
    vote replaces the first. A browser's vote counts when it sends the ``view_token`` of
    the page it was shown (a visitor's counts as it comes); without one it is kept, not
    counted (``your_vote.counted: false``), until the reader votes again from a page.
    ``comment`` goes with a No only. Rate-limited per client address
    (``SUPPORTDESK_KB_VOTE_RATE_LIMIT``). A known reader's vote joins their history.
    """
    helpful, comment = body["helpful"], body.get("comment")
    if body.get("website"):
        return feedback.trap(db.session, article_id, helpful=helpful, comment=comment)
    token = voters.visitor_token_of(body.get("voter"))
    voter = voters.request_voter(db.session, token) or voters.cookie_voter()
    answer = feedback.vote(
        db.session,
        article_id,
        voter,
        helpful=helpful,
        comment=comment,
        view_token=body.get("view_token"),
    )
    surface = voters.surface_of(token)
    activity.record_rating(
        db.session,
        voter,
        get_article(db.session, article_id),
        helpful=helpful,
        surface=surface,
        comment=comment,
    )
    db.session.commit()

    @after_this_request
    def set_cookie(response: Response) -> Response:
        voters.remember(response, voter)
        return response

    return answer


@blp.route("/kb/articles/<id:article_id>/feedback", methods=["GET"])
@blp.doc(security=[])
@blp.arguments(FeedbackQuerySchema, location="query")
@blp.response(200, FeedbackSchema)
def get_article_feedback(args: dict[str, Any], article_id: int) -> Feedback:
    """Get a published article's counts and the caller's own vote on it (anyone).

    The caller is the widget's visitor (``visitor_token``) or the browser's vote cookie;
    ``your_vote`` is null for one who has not voted.
    """
    voter = voters.request_voter(db.session, voters.visitor_token_of(args.get("visitor_token")))
    return feedback.feedback_of(db.session, article_id, voter)
