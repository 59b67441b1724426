"""What the help center's pages show: published articles only, in the reader's locale.

Plain functions over a session (the pages in ``pages`` commit). Lists follow the
knowledge base's ranking (``Article.score``), so what readers find useful rises by itself;
each page costs a fixed number of statements however many articles it lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from supportdesk.core.errors import NotFound
from supportdesk.core.models import DbSession
from supportdesk.core.pagination import PageRequest
from supportdesk.knowledge import categories, listing
from supportdesk.knowledge.articles import ArticleView
from supportdesk.knowledge.models import Article, ArticleStatus, Category, Section
from supportdesk.search import service as search

#: how many articles the home page's "popular" list shows
TOP_ARTICLES = 8
#: how many a category page lists (a category holds dozens, not thousands)
CATEGORY_ARTICLES = 200
#: how many results a search page shows
SEARCH_RESULTS = 30
#: the categories a help center shows (editors keep a handful)
MAX_CATEGORIES = 100


@dataclass
class SectionShelf:
    """A section of a category page with its articles, best first (``section`` None:
    the category's articles in no section)."""

    section: Section | None
    articles: list[ArticleView] = field(default_factory=list)


@dataclass
class SearchResult:
    """A search hit as the results page shows it: title and snippet are HTML (escaped
    text with the matched words in ``<mark>``), safe to put in the page as they are."""

    article: Article
    title_html: str
    snippet_html: str


def top_articles(session: DbSession, locale: str, limit: int = TOP_ARTICLES) -> list[ArticleView]:
    page = listing.articles_page(session, PageRequest(limit=limit), agent=False, locale=locale)
    return page.items


def all_categories(session: DbSession) -> list[Category]:
    return categories.categories_page(session, PageRequest(limit=MAX_CATEGORIES)).items


def category_by_slug(session: DbSession, slug: str) -> Category:
    category = session.scalar(
        select(Category).where(Category.slug == slug).options(selectinload(Category.sections))
    )
    if category is None:
        raise NotFound(f"No category {slug!r}.")
    return category


def shelves(session: DbSession, category: Category, locale: str) -> list[SectionShelf]:
    """The category's sections in the editors' order, each with its articles by score;
    the articles in no section come last. One query for all the articles."""
    page = listing.articles_page(
        session,
        PageRequest(limit=CATEGORY_ARTICLES),
        agent=False,
        locale=locale,
        category_id=category.id,
    )
    by_section: dict[int | None, list[ArticleView]] = defaultdict(list)
    for view in page.items:
        by_section[view.section_id].append(view)
    found = [SectionShelf(s, by_section.pop(s.id, [])) for s in category.sections]
    unfiled = by_section.pop(None, [])
    return [shelf for shelf in found if shelf.articles] + (
        [SectionShelf(None, unfiled)] if unfiled else []
    )


def search_results(session: DbSession, q: str, locale: str) -> list[SearchResult]:
    """The articles in ``locale`` that ``q`` finds, best first, titles and snippets marked."""
    page = listing.articles_page(
        session, PageRequest(limit=SEARCH_RESULTS), agent=False, q=q, locale=locale
    )
    return [
        SearchResult(view.article, search.highlight(view.title, q), view.snippet or "")
        for view in page.items
    ]


@dataclass
class SitemapEntry:
    """One published article's address with its published translations (hreflang)."""

    article: Article
    translations: list[Article]


def sitemap_entries(session: DbSession) -> list[SitemapEntry]:
    """Every published article, each with the other published articles of its
    translation group; one query."""
    rows = list(
        session.scalars(
            select(Article)
            .options(defer(Article.body), defer(Article.body_html))
            .where(Article.status == ArticleStatus.PUBLISHED)
            .order_by(Article.translation_group_id, Article.locale)
        )
    )
    groups: dict[int, list[Article]] = defaultdict(list)
    for article in rows:
        groups[article.translation_group_id].append(article)
    return [SitemapEntry(a, groups[a.translation_group_id]) for a in rows]
