"""Readers' answers to "Was this helpful?": one vote per voter per article.

A second vote replaces the first. The vote row and the article's counters change in one
transaction that first takes the article's row lock (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite the write lock, ``BEGIN IMMEDIATE``), so votes on one article are
counted one after another: no two see the same "before", none is counted twice, and the
counters always equal the counted votes.

A vote counts at once from a proven voter (``voters``: the widget's visitor, a signed-in
customer). An anonymous reader's vote counts when it carries the token of a page view
(``page_view_token``: signed, for this article, shown at least ``MIN_DWELL`` and at most
``PAGE_VIEW_MAX_AGE`` before, and not spent on another voter's vote); without one it is
kept, uncounted, until the same reader votes again from a page they were shown. So a
script must fetch the page, wait, and spend a page view per vote, within its address's
rate limit (the API's edge); and a vote that fills in the help center's honeypot is
answered like any other and kept nowhere (``trap``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from supportdesk.core.database import begin_writing
from supportdesk.core.errors import InvalidInput, NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.settings import settings
from supportdesk.core.time import utcnow
from supportdesk.knowledge import ranking
from supportdesk.knowledge.articles import get_article
from supportdesk.knowledge.models import Article, ArticleStatus, ArticleVote
from supportdesk.knowledge.voters import Voter

#: a comment says what was missing: a paragraph, not an essay
COMMENT_MAX = 2000
#: a reader reads before they rate; a script posts at once
MIN_DWELL = timedelta(seconds=2)
#: a page left open longer than this has to be loaded again for its vote to count
PAGE_VIEW_MAX_AGE = timedelta(days=1)
_PAGE_VIEW_SALT = "supportdesk.knowledge.page-view"


@dataclass
class Feedback:
    """An article's counts, and the caller's own vote (None: they have not voted)."""

    helpful_count: int
    not_helpful_count: int
    your_vote: ArticleVote | None


def page_view_token(article_id: int) -> str:
    """What a page showing the article carries and its vote sends back as
    ``view_token``: signed with the desk's secret, it names the article, the moment, and
    a page view of its own (one vote counts per page view)."""
    return _serializer().dumps([article_id, secrets.token_urlsafe(12)])


def vote(
    session: DbSession,
    article_id: int,
    voter: Voter,
    *,
    helpful: bool,
    comment: str | None = None,
    view_token: str | None = None,
) -> Feedback:
    """Record ``voter``'s vote on the published article, replacing theirs if they voted.

    ``comment`` goes with a No only (422 with a Yes: it would be words the reader typed
    for nobody); it replaces the earlier vote's, and a Yes clears it.
    """
    comment = (comment or "").strip() or None
    if helpful and comment:
        raise InvalidInput.field("comment", "A comment goes with a No: say what was missing.")
    begin_writing(session)
    article = _published(session, article_id, lock=True)
    mine = vote_of(session, article.id, voter)
    page_view = None if voter.proven else _page_view(session, article.id, voter, view_token)
    before = _tally(mine)
    if mine is None:
        mine = ArticleVote(article_id=article.id, voter=voter.key, counted=False)
        session.add(mine)
    mine.helpful, mine.comment = helpful, comment
    mine.counted = mine.counted or voter.proven or page_view is not None
    mine.page_view_id = page_view or mine.page_view_id
    mine.customer_id = voter.customer_id or mine.customer_id
    session.flush()
    helpful_change, not_helpful_change = (a - b for a, b in zip(_tally(mine), before, strict=True))
    if helpful_change or not_helpful_change:
        ranking.record_votes(
            session, article, helpful=helpful_change, not_helpful=not_helpful_change
        )
    return Feedback(article.helpful_count, article.not_helpful_count, mine)


def trap(session: DbSession, article_id: int, *, helpful: bool, comment: str | None) -> Feedback:
    """A vote that filled in the honeypot: answered as a vote from no shown page would be
    (so a bot learns nothing), kept nowhere."""
    article = _published(session, article_id)
    unkept = ArticleVote(helpful=helpful, comment=comment, counted=False, updated_at=utcnow())
    return Feedback(article.helpful_count, article.not_helpful_count, unkept)


def feedback_of(session: DbSession, article_id: int, voter: Voter | None) -> Feedback:
    """The published article's counts and ``voter``'s vote on it (for showing "You found
    this helpful" again on a page that is loaded again)."""
    article = _published(session, article_id)
    mine = vote_of(session, article.id, voter) if voter else None
    return Feedback(article.helpful_count, article.not_helpful_count, mine)


def vote_of(session: DbSession, article_id: int, voter: Voter) -> ArticleVote | None:
    """``voter``'s vote on the article: what a "Still need help?" request carries (the
    article, and the comment of the No)."""
    return session.scalar(
        select(ArticleVote).where(
            ArticleVote.article_id == article_id, ArticleVote.voter == voter.key
        )
    )


def _published(session: DbSession, article_id: int, *, lock: bool = False) -> Article:
    """Readers rate what they can read: a draft answers as if there were none."""
    article = get_article(session, article_id, lock=lock)
    if article.status is not ArticleStatus.PUBLISHED:
        raise NotFound(f"No article {article_id}.")
    return article


def _tally(vote: ArticleVote | None) -> tuple[int, int]:
    """What ``vote`` adds to (helpful_count, not_helpful_count)."""
    if vote is None or not vote.counted:
        return 0, 0
    return (1, 0) if vote.helpful else (0, 1)


def _page_view(session: DbSession, article_id: int, voter: Voter, token: str | None) -> str | None:
    """The id of the page view ``token`` proves, if it proves one of this article, shown
    long enough and not too long ago, that no other voter's vote has spent."""
    if not token:
        return None
    try:
        payload, issued = _serializer().loads(
            token, max_age=int(PAGE_VIEW_MAX_AGE.total_seconds()), return_timestamp=True
        )
    except BadData:
        return None
    if not _names_article(payload, article_id) or utcnow() - issued < MIN_DWELL:
        return None
    page_view: str = payload[1]
    spent = session.scalar(
        select(ArticleVote.id).where(
            ArticleVote.article_id == article_id,
            ArticleVote.page_view_id == page_view,
            ArticleVote.voter != voter.key,
        )
    )
    return None if spent else page_view


def _names_article(payload: Any, article_id: int) -> bool:
    return (
        isinstance(payload, list)
        and len(payload) == 2
        and payload[0] == article_id
        and isinstance(payload[1], str)
        and 0 < len(payload[1]) <= 32
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key, salt=_PAGE_VIEW_SALT)
