"""The two databases' ways of answering one query: SQLite's FTS5, PostgreSQL's full-text.

Both index the same terms (``search.models``) and get the same parsed ``Query``; each
renders it in its own syntax and ranks with its own function (FTS5's bm25, PostgreSQL's
ts_rank), titles and subjects weighing more than bodies. Ranks are "higher is better",
on each database's own scale: they order results, they are not compared across kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, case, func

from supportdesk.core.models import DbSession
from supportdesk.knowledge import ranking
from supportdesk.knowledge.models import Article, ArticleStatus
from supportdesk.search.query import Query

#: how many of the newest matching texts the inbox's ``q`` walks: every ticket a page
#: newest first shows, until a word is in more texts than this (then, narrow the search)
INBOX_TEXTS = 2_000
#: the matching texts a ranked ticket search ranks at most, the newest: past this a
#: word is in a tenth of the desk's history, and ranking it all costs more than it tells
RANKED_TEXTS = 20_000
#: the best texts kept to be grouped into tickets (a ticket's best text decides its place)
TICKET_TEXTS_KEPT = 500
#: how much an article's helpfulness-and-use score moves its text relevance, at most
#: (up or down): relevance decides, the score orders near-equal matches
SCORE_WEIGHT = 0.5
#: the score at which half of that is reached (the quality part alone spans -3..3)
SCORE_SCALE = 3.0


@dataclass(frozen=True)
class ArticleMatch:
    id: int
    rank: float
    title: str
    body_html: str


@dataclass(frozen=True)
class TicketMatch:
    """A ticket's best-ranked text: its subject (``message_id`` None) or one message."""

    ticket_id: int
    message_id: int | None
    rank: float


class Backend(Protocol):
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
        """``titles_only``: matches in the title alone (what a drop-down shows first, and
        a tenth of the rows to rank where a prefix is in half the bodies)."""
        ...

    def tickets(self, session: DbSession, query: Query, *, limit: int) -> list[TicketMatch]: ...

    def ticket_ids(self, query: Query) -> Select[int]:
        """The tickets of the newest ``INBOX_TEXTS`` texts matching ``query`` (a subquery,
        unranked: the inbox orders by its own keys)."""
        ...

    def customers(
        self, session: DbSession, query: Query, *, limit: int
    ) -> list[tuple[int, float]]: ...

    def customer_ids(self, query: Query) -> Select[int]: ...


def best_per_ticket(
    texts: Iterable[tuple[int, int | None, float]], limit: int
) -> list[TicketMatch]:
    """(ticket, message, rank) best first, as tickets: each once, at its best text."""
    found: dict[int, TicketMatch] = {}
    for ticket_id, message_id, rank in texts:
        if ticket_id not in found:
            found[ticket_id] = TicketMatch(ticket_id, message_id, rank)
            if len(found) == limit:
                break
    return list(found.values())


def score_factor() -> ColumnElement[Any]:
    """``1 + SCORE_WEIGHT * s / (SCORE_SCALE + |s|)``, in ``1 ± SCORE_WEIGHT``, where ``s``
    is the article's score as of now (``ranking.score_now``) with its use part floored at
    0: the stored score grows with the calendar, and as of now an article little used
    lately has a use part far below 0 (the log of a tiny decayed weight), which would rank
    it as if it were bad; what it says is only "not much used". Its quality part (the
    Wilson difference, ``(helpful - not_helpful) / (n + z²)``, times its weight) stays."""
    votes = Article.helpful_count + Article.not_helpful_count
    margin = Article.helpful_count - Article.not_helpful_count
    quality: ColumnElement[Any] = ranking.QUALITY_WEIGHT * margin / (votes + ranking.Z**2)
    use = ranking.score_now() - quality
    blended: ColumnElement[Any] = case((use > 0, use), else_=0.0) + quality
    return 1 + SCORE_WEIGHT * blended / (SCORE_SCALE + func.abs(blended))


def article_filters(locale: str | None, published_only: bool) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if locale:
        where.append(Article.locale == locale)
    if published_only:
        where.append(Article.status == ArticleStatus.PUBLISHED)
    return where


def backend_for(session: DbSession) -> Backend:
    """The backend of the database ``session`` talks to."""
    if session.get_bind().dialect.name == "postgresql":
        from supportdesk.search.backends.postgresql import POSTGRESQL

        return POSTGRESQL
    from supportdesk.search.backends.fts5 import FTS5

    return FTS5
