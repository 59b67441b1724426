"""The review queue: the articles an editor should look at, and why.

An article is in it while it has an open flag, or while readers find it unhelpful:

- ``poorly_rated``: at least ``MIN_VOTES`` counted votes, and the Wilson upper bound (95%)
  of its helpful share under one half: even at best, most readers say No;
- ``no_run``: its last ``RUN`` counted votes are all No, which a good article's record
  hides for a long time when the product changed under it.

Most used first (``Article.score``, then the newest id): a wrong article hurts in
proportion to its readers. Each item carries its open flags, its readers' latest No
comments and its figures. A page costs four statements whatever its size.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload

from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, keyset_page
from supportdesk.knowledge import flags
from supportdesk.knowledge.models import Article, ArticleFlag, ArticleVote
from supportdesk.knowledge.ranking import Z, wilson_bounds

#: fewer votes than this say too little to call an article poor
MIN_VOTES = 5
#: this many No votes in a row, the latest, call for a look
RUN = 3
#: the latest No comments shown per article
COMMENTS = 3


class ReviewReason(enum.StrEnum):
    FLAGGED = "flagged"
    POORLY_RATED = "poorly_rated"
    NO_RUN = "no_run"


@dataclass
class ReviewItem:
    article: Article
    open_flags: list[ArticleFlag]
    #: the latest counted No votes with a comment, newest first
    comments: list[ArticleVote]
    #: the latest ``RUN`` counted votes, newest first
    latest_votes: list[ArticleVote]

    @property
    def reasons(self) -> list[ReviewReason]:
        reasons = []
        if self.open_flags:
            reasons.append(ReviewReason.FLAGGED)
        if poorly_rated(self.article.helpful_count, self.article.not_helpful_count):
            reasons.append(ReviewReason.POORLY_RATED)
        if len(self.latest_votes) == RUN and not any(v.helpful for v in self.latest_votes):
            reasons.append(ReviewReason.NO_RUN)
        return reasons

    @property
    def figures(self) -> dict[str, Any]:
        article = self.article
        votes = article.helpful_count + article.not_helpful_count
        lower, upper = wilson_bounds(article.helpful_count, votes)
        return {
            "view_count": article.view_count,
            "helpful_count": article.helpful_count,
            "not_helpful_count": article.not_helpful_count,
            "helpful_ratio": article.helpful_count / votes if votes else None,
            "helpful_lower": lower,
            "helpful_upper": upper,
            "deflection_count": article.deflection_count,
            "reply_use_count": article.reply_use_count,
        }


def poorly_rated(helpful: int, not_helpful: int) -> bool:
    votes = helpful + not_helpful
    return votes >= MIN_VOTES and wilson_bounds(helpful, votes)[1] < 0.5


def review_page(
    session: DbSession,
    page: PageRequest,
    *,
    locale: str | None = None,
    category_id: int | None = None,
) -> Page[ReviewItem]:
    """A page of the queue (drafts too: agents flag those as well)."""
    stmt = (
        select(Article)
        .where(or_(_flagged(), _poorly_rated(), _no_run()))
        .options(joinedload(Article.owner))
    )
    if locale:
        stmt = stmt.where(Article.locale == locale)
    if category_id is not None:
        stmt = stmt.where(Article.category_id == category_id)
    rows = keyset_page(session, stmt, (Article.score, Article.id), page, descending=True)
    ids = [article.id for article in rows.items]
    if not ids:
        return Page([], None)
    open_flags = _by_article(session, _open_flags(ids))
    comments = _by_article(session, _latest_votes(ids, COMMENTS, with_comment=True))
    latest = _by_article(session, _latest_votes(ids, RUN))
    items = [
        ReviewItem(article, open_flags[article.id], comments[article.id], latest[article.id])
        for article in rows.items
    ]
    return Page(items, rows.next_cursor)


def _flagged() -> ColumnElement[bool]:
    return exists().where(ArticleFlag.article_id == Article.id, ArticleFlag.resolved_at.is_(None))


def _poorly_rated() -> ColumnElement[bool]:
    """``poorly_rated`` in SQL with no square root: the Wilson upper bound of h/n under
    1/2 is z·√(p(1-p)/n + z²/4n²) < 1/2 - p, which for p < 1/2 squares to
    z²·(h(n-h) + n·z²/4) < n·(n/2 - h)²."""
    h, n = Article.helpful_count, Article.helpful_count + Article.not_helpful_count
    z2 = literal(Z * Z)
    gap = n / literal(2.0) - h
    return and_(n >= MIN_VOTES, 2 * h < n, z2 * (h * (n - h) + n * z2 / 4) < n * gap * gap)


def _no_run() -> ColumnElement[bool]:
    """The No votes since the latest counted Yes (or ever) number ``RUN`` at least."""
    yes = aliased(ArticleVote)
    latest_yes = (
        select(func.max(yes.updated_at))
        .where(yes.article_id == Article.id, yes.helpful, yes.counted)
        .correlate(Article)
        .scalar_subquery()
    )
    nos_since = (
        select(func.count(ArticleVote.id))
        .where(
            ArticleVote.article_id == Article.id,
            ArticleVote.counted,
            ~ArticleVote.helpful,
            or_(latest_yes.is_(None), ArticleVote.updated_at > latest_yes),
        )
        .correlate(Article)
        .scalar_subquery()
    )
    return nos_since >= RUN


def _open_flags(ids: list[int]) -> Any:
    return (
        select(ArticleFlag)
        .where(ArticleFlag.article_id.in_(ids), ArticleFlag.resolved_at.is_(None))
        .options(*flags.SHOWN)
        .order_by(ArticleFlag.id.desc())
    )


def _latest_votes(ids: list[int], count: int, *, with_comment: bool = False) -> Any:
    """Each article's latest ``count`` counted votes (with a comment: No votes that have
    one), newest first, in one statement."""
    where = [ArticleVote.article_id.in_(ids), ArticleVote.counted]
    if with_comment:
        where += [~ArticleVote.helpful, ArticleVote.comment.is_not(None)]
    position = (
        func.row_number()
        .over(
            partition_by=ArticleVote.article_id,
            order_by=(ArticleVote.updated_at.desc(), ArticleVote.id.desc()),
        )
        .label("position")
    )
    ranked = select(ArticleVote.id, position).where(*where).subquery()
    return (
        select(ArticleVote)
        .join(ranked, ranked.c.id == ArticleVote.id)
        .where(ranked.c.position <= count)
        .order_by(ArticleVote.updated_at.desc(), ArticleVote.id.desc())
    )


def _by_article(session: DbSession, stmt: Any) -> defaultdict[int, list[Any]]:
    """The rows ``stmt`` finds, listed by their article."""
    found: defaultdict[int, list[Any]] = defaultdict(list)
    for row in session.scalars(stmt):
        found[row.article_id].append(row)
    return found
