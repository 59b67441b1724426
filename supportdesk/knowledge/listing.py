"""The list of articles: by score (helpfulness with confidence and use), by recency, or,
with words to look for, by the search's relevance.

Each page costs the same statements whatever its size: the page's rows, and for agents
one more for the owners. Readers see published articles only.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import defer, selectinload

from supportdesk.core.models import DbSession
from supportdesk.core.pagination import Page, PageRequest, decode_cursor, encode_cursor, keyset_page
from supportdesk.knowledge.articles import ArticleView
from supportdesk.knowledge.models import Article, ArticleStatus
from supportdesk.search import service as search


class ArticleSort(enum.StrEnum):
    #: best first: ``Article.score`` (``knowledge.ranking``), then the newest id
    SCORE = "score"
    #: last saved first
    RECENT = "recent"


def articles_page(
    session: DbSession,
    page: PageRequest,
    *,
    agent: bool,
    q: str | None = None,
    locale: str | None = None,
    category_id: int | None = None,
    section_id: int | None = None,
    status: ArticleStatus | None = None,
    sort: ArticleSort = ArticleSort.SCORE,
) -> Page[ArticleView]:
    """A page of articles; ``status`` is the agents' filter (readers get published ones).

    With ``q``, the search's best match first, ``sort`` aside.
    """
    if not agent:
        status = ArticleStatus.PUBLISHED
    stmt = select(Article).options(defer(Article.body))
    if locale:
        stmt = stmt.where(Article.locale == locale)
    if category_id is not None:
        stmt = stmt.where(Article.category_id == category_id)
    if section_id is not None:
        stmt = stmt.where(Article.section_id == section_id)
    if status is not None:
        stmt = stmt.where(Article.status == status)
    if agent:
        stmt = stmt.options(selectinload(Article.owner))
    if q and q.strip():
        return _search_page(
            session, stmt, q.strip(), page, agent=agent, locale=locale, status=status
        )
    keys = (
        (Article.score, Article.id)
        if sort is ArticleSort.SCORE
        else (Article.updated_at, Article.id)
    )
    rows = keyset_page(session, stmt, keys, page, descending=True)
    return Page([_view(a, agent) for a in rows.items], rows.next_cursor)


def _view(article: Article, agent: bool, snippet: str | None = None) -> ArticleView:
    return ArticleView(article, owner=article.owner if agent else None, snippet=snippet)


def _search_page(
    session: DbSession,
    stmt: Select[Any],
    q: str,
    page: PageRequest,
    *,
    agent: bool,
    locale: str | None,
    status: ArticleStatus | None,
) -> Page[ArticleView]:
    """The search's hits in its order, ``page.limit`` at a time, as deep as the search
    goes (``search.MAX_HITS``); the cursor is how many hits came before. The other
    filters apply to each page's hits, so a filtered page can hold fewer than ``limit``:
    follow ``next_cursor`` for the rest."""
    # an offset, checked like any key: a whole number in the range ids have
    offset = decode_cursor(page.cursor, (Article.id,))[0] if page.cursor else 0
    wanted = min(offset + page.limit + 1, search.MAX_HITS)
    hits = search.search_articles(
        session,
        q,
        locale=locale,
        published_only=status is ArticleStatus.PUBLISHED or not agent,
        limit=wanted,
    )[offset:]
    window = hits[: page.limit]
    rows = {a.id: a for a in session.scalars(stmt.where(Article.id.in_([h.id for h in window])))}
    items = [_view(rows[h.id], agent, h.snippet) for h in window if h.id in rows]
    more = len(hits) > page.limit and offset + page.limit < search.MAX_HITS
    return Page(items, encode_cursor([offset + page.limit]) if more else None)
