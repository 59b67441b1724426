"""SQLite: FTS5 tables over the document rows (external content, kept by triggers).

Each FTS5 table's rowid is its document's key (an article's id, a customer's id, a ticket
text's id), and its default rank is bm25 with the title or subject weighing more than the
body (set by the migration), so ``ORDER BY rank LIMIT n`` is FTS5's own top-n. The
unicode61 tokenizer only splits the stored terms at their spaces again; ``prefix='1 2
3'`` indexes the starts of terms so that what is typed so far (one Chinese character, two
letters) is a quick lookup.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)

from supportdesk.core.models import DbSession
from supportdesk.knowledge.models import Article
from supportdesk.search.backends import (
    INBOX_TEXTS,
    RANKED_TEXTS,
    TICKET_TEXTS_KEPT,
    ArticleMatch,
    TicketMatch,
    article_filters,
    best_per_ticket,
    score_factor,
)
from supportdesk.search.models import SearchTicketText
from supportdesk.search.query import Query, Term


def render(query: Query) -> str:
    """``query`` in FTS5's query syntax (every term quoted: nothing in it is an operator)."""
    return " AND ".join(
        "(" + " OR ".join(_term(t) for t in clause.alternatives) + ")" for clause in query.clauses
    )


def _term(term: Term) -> str:
    return '"' + " ".join(term.tokens).replace('"', '""') + '"' + ("*" if term.prefix else "")


def _fts(
    name: str, query: Query, *, titles_only: bool = False
) -> tuple[ColumnElement[int], ColumnElement[float], ColumnElement[bool]]:
    """An FTS5 table's rowid, its rank, and the condition that it matches ``query``
    (in the ``title_terms`` column alone, ``titles_only``)."""
    fts = table(name, column("rowid"), column("rank"))
    expression = render(query)
    if titles_only:
        expression = "{title_terms} : (" + expression + ")"
    matches = literal_column(name).op("MATCH")(bindparam("q", expression, unique=True))
    return fts.c.rowid, fts.c.rank, matches


class Fts5:
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
        rowid, rank, matches = _fts("search_articles_fts", query, titles_only=titles_only)
        blended = (-rank * score_factor()).label("rank")
        stmt = (
            select(Article.id, blended, Article.title, Article.body_html)
            .join_from(rowid.table, Article, Article.id == rowid)
            .where(matches, *article_filters(locale, published_only))
            .order_by(blended.desc(), Article.id)
            .limit(limit)
        )
        rows = session.execute(stmt)
        return [ArticleMatch(*row) for row in rows]

    def tickets(self, session: DbSession, query: Query, *, limit: int) -> list[TicketMatch]:
        rowid, rank, matches = _fts("search_ticket_texts_fts", query)
        newest, _, matches_too = _fts("search_ticket_texts_fts", query)
        oldest_ranked = (
            select(newest).where(matches_too).order_by(newest.desc())
            .offset(RANKED_TEXTS - 1).limit(1).scalar_subquery()
        )  # fmt: skip
        best = (
            select(rowid.label("id"), rank.label("rank"))
            .where(matches, rowid >= func.coalesce(oldest_ranked, 0))
            .order_by(rank)
            .limit(max(TICKET_TEXTS_KEPT, 10 * limit))
            .subquery()
        )
        stmt = (
            select(SearchTicketText.ticket_id, SearchTicketText.message_id, -best.c.rank)
            .join(best, best.c.id == SearchTicketText.id)
            .order_by(best.c.rank, SearchTicketText.id)
        )
        return best_per_ticket(session.execute(stmt), limit)

    def ticket_ids(self, query: Query) -> Select[int]:
        rowid, _, matches = _fts("search_ticket_texts_fts", query)
        # FTS5 walks a doclist backwards and stops: the newest texts cost what few do
        texts = select(rowid).where(matches).order_by(rowid.desc()).limit(INBOX_TEXTS)
        return select(SearchTicketText.ticket_id).where(SearchTicketText.id.in_(texts))

    def customers(self, session: DbSession, query: Query, *, limit: int) -> list[tuple[int, float]]:
        rowid, rank, matches = _fts("search_customers_fts", query)
        stmt = select(rowid, -rank).where(matches).order_by(rank, rowid).limit(limit)
        rows = session.execute(stmt)
        return [(customer_id, relevance) for customer_id, relevance in rows]

    def customer_ids(self, query: Query) -> Select[int]:
        rowid, _, matches = _fts("search_customers_fts", query)
        return select(rowid).where(matches)


FTS5 = Fts5()
