"""PostgreSQL: a ``document`` tsvector on each document row, generated from its terms
with the ``simple`` configuration (no stemming, no stop words: the terms are made in
Python, the same as on SQLite), under a GIN index; titles and subjects are weight A,
bodies D, and ``ts_rank`` scores with those weights. Articles also have a
``title_document`` with its own GIN index: suggestions look in titles first, and a prefix
in half the bodies is in few titles.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal_column, select

from supportdesk.core.models import DbSession
from supportdesk.knowledge.models import Article
from supportdesk.search.backends import (
    INBOX_TEXTS,
    TICKET_TEXTS_KEPT,
    ArticleMatch,
    TicketMatch,
    article_filters,
    best_per_ticket,
    score_factor,
)
from supportdesk.search.models import SearchArticle, SearchCustomer, SearchTicketText
from supportdesk.search.query import Query, Term

#: ts_rank's normalization 1: divide by 1 + log(length), so a long text does not win by
#: its length alone
NORMALIZATION = 1


def render(query: Query) -> str:
    """``query`` as ``to_tsquery`` input: each term quoted, phrases with ``<->``."""
    return " & ".join(
        "(" + " | ".join(_term(t) for t in clause.alternatives) + ")" for clause in query.clauses
    )


def _term(term: Term) -> str:
    quoted = [f"'{token}'" for token in term.tokens]
    if term.prefix:
        quoted[-1] += ":*"
    return "(" + " <-> ".join(quoted) + ")"


def _ts(
    table: str, query: Query, *, column: str = "document"
) -> tuple[ColumnElement[float], ColumnElement[bool]]:
    """``table``'s rank for ``query`` and the condition that its ``column`` (the whole
    ``document``, or an article's ``title_document``) matches."""
    document: ColumnElement[Any] = literal_column(f"{table}.{column}")
    tsquery = func.to_tsquery(
        literal_column("'simple'::regconfig"), bindparam("q", render(query), unique=True)
    )
    rank = func.ts_rank(document, tsquery, NORMALIZATION)
    return rank, document.op("@@")(tsquery)


class PostgresFullText:
    def articles(
        self,
        session: DbSession,
        query: Query,
        *,
        locale: str | None,
        published_only: bool,
        limit: int,
        titles_only: bool = False,
    ) -> list[ArticleMatch]:
        column = "title_document" if titles_only else "document"
        rank, matches = _ts("search_articles", query, column=column)
        blended = (rank * score_factor()).label("rank")
        stmt = (
            select(Article.id, blended, Article.title, Article.body_html)
            .join_from(SearchArticle, Article, Article.id == SearchArticle.article_id)
            .where(matches, *article_filters(locale, published_only))
            .order_by(blended.desc(), Article.id)
            .limit(limit)
        )
        return [ArticleMatch(*row) for row in session.execute(stmt)]

    def tickets(self, session: DbSession, query: Query, *, limit: int) -> list[TicketMatch]:
        """Every matching text is ranked (no ``RANKED_TEXTS`` bound, as on SQLite): finding
        the newest ones would read every match once more, and reading them is the cost."""
        rank, matches = _ts("search_ticket_texts", query)
        stmt = (
            select(SearchTicketText.ticket_id, SearchTicketText.message_id, rank)
            .where(matches)
            .order_by(rank.desc(), SearchTicketText.id)
            .limit(max(TICKET_TEXTS_KEPT, 10 * limit))
        )
        return best_per_ticket(session.execute(stmt), limit)

    def ticket_ids(self, query: Query) -> Select[int]:
        _, matches = _ts("search_ticket_texts", query)
        newest = select(SearchTicketText.id).where(matches)
        newest = newest.order_by(SearchTicketText.id.desc()).limit(INBOX_TEXTS).correlate(None)
        return select(SearchTicketText.ticket_id).where(SearchTicketText.id.in_(newest))

    def customers(self, session: DbSession, query: Query, *, limit: int) -> list[tuple[int, float]]:
        rank, matches = _ts("search_customers", query)
        stmt = (
            select(SearchCustomer.customer_id, rank)
            .where(matches)
            .order_by(rank.desc(), SearchCustomer.customer_id)
            .limit(limit)
        )
        return [(customer_id, relevance) for customer_id, relevance in session.execute(stmt)]

    def customer_ids(self, query: Query) -> Select[int]:
        _, matches = _ts("search_customers", query)
        return select(SearchCustomer.customer_id).where(matches)


POSTGRESQL = PostgresFullText()
