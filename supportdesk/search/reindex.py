"""Rebuilding the indexes from the rows they index (``supportdesk search reindex``): after
an upgrade to a desk with data, or when a change to how text becomes terms needs every
document made again. Reads and writes in batches of ``BATCH`` rows by id, in the caller's
transaction (the command commits once: a failed rebuild leaves the old index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Row, Select, delete, select, text

from supportdesk.core.models import DbSession
from supportdesk.customers.models import Customer, Identity
from supportdesk.knowledge.models import Article
from supportdesk.search import KINDS, indexing, typos
from supportdesk.search.indexing import SEARCHED_IDENTITIES
from supportdesk.search.models import (
    FTS_TABLES,
    SearchArticle,
    SearchCustomer,
    SearchTerm,
    SearchTicketText,
)
from supportdesk.tickets.models import Message, Ticket

BATCH = 2000


def reindex(session: DbSession, kinds: Sequence[str] = KINDS) -> dict[str, int]:
    """Rebuild each kind's documents; how many each now has. The vocabulary of
    corrections (the articles' words) starts over with the articles."""
    if "articles" in kinds:
        session.execute(delete(SearchTerm))
    counts = {kind: _REBUILD[kind](session) for kind in kinds}
    if session.get_bind().dialect.name == "sqlite":
        for fts in FTS_TABLES:  # one segment per index: what a query reads is one b-tree
            session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('optimize')"))
    return counts


def _batches(
    session: DbSession, stmt: Select[*tuple[Any, ...]], key: Any
) -> Iterator[Sequence[Row[*tuple[Any, ...]]]]:
    """``stmt``'s rows, ``BATCH`` at a time, walking ``key`` (an id) upwards."""
    last = 0
    while True:
        rows = session.execute(stmt.where(key > last).order_by(key).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _articles(session: DbSession) -> int:
    session.execute(delete(SearchArticle))
    count = 0
    stmt = select(Article.id, Article.title, Article.body_html)
    for rows in _batches(session, stmt, Article.id):
        documents = [indexing.article_document(*row) for row in rows]
        indexing.insert_many(session, SearchArticle, [row for row, _ in documents])
        typos.add_words(session, [word for _, words in documents for word in words])
        count += len(rows)
    return count


def _tickets(session: DbSession) -> int:
    session.execute(delete(SearchTicketText))
    count = 0
    for rows in _batches(session, select(Ticket.id, Ticket.subject), Ticket.id):
        subjects = [indexing.subject_document(*row) for row in rows]
        indexing.insert_many(session, SearchTicketText, subjects)
        count += len(rows)
    stmt = select(Message.id, Message.ticket_id, Message.body)
    for rows in _batches(session, stmt, Message.id):
        made = (indexing.message_document(ticket_id, id_, body) for id_, ticket_id, body in rows)
        texts = [row for row in made if row is not None]
        indexing.insert_many(session, SearchTicketText, texts)
        count += len(texts)
    return count


def _customers(session: DbSession) -> int:
    session.execute(delete(SearchCustomer))
    count = 0
    stmt = select(Customer.id, Customer.name).where(Customer.merged_into_id.is_(None))
    for rows in _batches(session, stmt, Customer.id):
        identities: dict[int, list[Any]] = {}
        for customer_id, kind, value in session.execute(
            select(Identity.customer_id, Identity.kind, Identity.value)
            .where(
                Identity.customer_id.in_([row[0] for row in rows]),
                Identity.kind.in_(SEARCHED_IDENTITIES),
            )
            .order_by(Identity.id)
        ):
            identities.setdefault(customer_id, []).append((kind, value))
        documents = [indexing.customer_document(i, name, identities.get(i, [])) for i, name in rows]
        indexing.insert_many(session, SearchCustomer, documents)
        count += len(rows)
    return count


_REBUILD: dict[str, Callable[[DbSession], int]] = {
    "articles": _articles,
    "tickets": _tickets,
    "customers": _customers,
}
