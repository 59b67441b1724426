"""Writing documents: one small statement per thing that changed, on the session's
connection, in the caller's transaction (a rollback takes the index back with the row).

Every write is Core (no unit of work): documents are written beside rows that signals
and flushes announce, where a flush of our own would recurse. A new row's document is
queued (``core.queued_writes``), so that a batch's documents go out in one executemany.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from supportdesk.core.models import DbSession
from supportdesk.core.queued_writes import write_later
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.models import Customer, Identity
from supportdesk.knowledge.models import Article
from supportdesk.knowledge.rendering import plain_text
from supportdesk.search import text, typos
from supportdesk.search.models import SearchArticle, SearchCustomer, SearchTicketText

#: the identities a customer is found by (a chat visitor's token is nobody's to type)
SEARCHED_IDENTITIES = (IdentityKind.EMAIL, IdentityKind.PHONE, IdentityKind.EXTERNAL)
_INSERT_TEXT = insert(SearchTicketText)
_INSERT_CUSTOMER = insert(SearchCustomer)


def article_document(
    article_id: int, title: str, body_html: str
) -> tuple[dict[str, Any], list[str]]:
    """An article's document row (its title, and the text of its rendered body), and
    the words it adds to the vocabulary."""
    title_terms = list(text.terms(title))
    body_terms = list(text.terms(plain_text(body_html)))
    row = {"article_id": article_id, "title_terms": " ".join(title_terms)}
    return {**row, "body_terms": " ".join(body_terms)}, title_terms + body_terms


def write_article(session: DbSession, article: Article) -> None:
    row, words = article_document(article.id, article.title, article.body_html)
    connection = session.connection()
    connection.execute(delete(SearchArticle).where(SearchArticle.article_id == article.id))
    connection.execute(insert(SearchArticle), row)
    typos.add_words(session, words)


def delete_article(session: DbSession, article_id: int) -> None:
    session.connection().execute(
        delete(SearchArticle).where(SearchArticle.article_id == article_id)
    )


def subject_document(ticket_id: int, subject: str) -> dict[str, Any]:
    terms = text.indexed(subject)
    return {"ticket_id": ticket_id, "message_id": None, "subject_terms": terms, "body_terms": ""}


def message_document(ticket_id: int, message_id: int, body: str) -> dict[str, Any] | None:
    """A message's document row; None when it has no word (an empty note, a lone emoji)."""
    terms = text.indexed(body)
    if not terms:
        return None
    return {
        "ticket_id": ticket_id,
        "message_id": message_id,
        "subject_terms": "",
        "body_terms": terms,
    }


def write_subject(session: DbSession, ticket_id: int, subject: str, *, new: bool) -> None:
    """A ticket's subject, as it was opened with (``new``) or as it was renamed."""
    row = subject_document(ticket_id, subject)
    if new:
        write_later(session, _INSERT_TEXT, row)
    elif not _updated(
        session.connection(),
        update(SearchTicketText)
        .where(SearchTicketText.ticket_id == ticket_id, SearchTicketText.message_id.is_(None))
        .values(subject_terms=row["subject_terms"]),
    ):
        session.connection().execute(_INSERT_TEXT, row)


def write_message(session: DbSession, ticket_id: int, message_id: int, body: str) -> None:
    """A new message's row, queued (``core.queued_writes``) with the ticket's others."""
    row = message_document(ticket_id, message_id, body)
    if row is not None:
        write_later(session, _INSERT_TEXT, row)


def move_texts(
    session: DbSession, to_ticket_id: int, *, message_id: int | None = None, from_ticket_id: int
) -> None:
    """Messages moved to another ticket: one (``message_id``) or all of a merged one's.
    The terms stay; only the ticket they are found for changes (no FTS5 work)."""
    where = (
        [SearchTicketText.message_id == message_id]
        if message_id is not None
        else [SearchTicketText.ticket_id == from_ticket_id, SearchTicketText.message_id.isnot(None)]
    )
    session.connection().execute(
        update(SearchTicketText).where(*where).values(ticket_id=to_ticket_id)
    )


def customer_document(
    customer_id: int, name: str, identities: Iterable[tuple[IdentityKind, str]]
) -> dict[str, Any]:
    """A customer's row: the name's terms, each address's words, each phone number's
    digits and endings (``search.text.phone_endings``), the external id's words."""
    terms = list(text.terms(name))
    for kind, value in identities:
        if kind is IdentityKind.PHONE:
            terms.extend(text.phone_endings(value))
        elif kind in SEARCHED_IDENTITIES:
            terms.extend(text.terms(value))
    return {"customer_id": customer_id, "terms": " ".join(terms)}


def write_new_customer(session: DbSession, customer: Customer) -> None:
    """A customer just inserted, with its identities as they are in memory."""
    row = customer_document(
        customer.id, customer.name, [(i.kind, i.value) for i in customer.identities]
    )
    write_later(session, _INSERT_CUSTOMER, row)


def write_customers(session: DbSession, customer_ids: Iterable[int]) -> None:
    """Rewrite these customers' rows from what the database holds now (after a flush);
    a customer merged into another is found as the survivor only."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    connection = session.connection()
    customers = connection.execute(
        select(Customer.id, Customer.name, Customer.merged_into_id).where(Customer.id.in_(ids))
    ).all()
    identities: dict[int, list[tuple[IdentityKind, str]]] = {}
    for customer_id, kind, value in connection.execute(
        select(Identity.customer_id, Identity.kind, Identity.value)
        .where(Identity.customer_id.in_(ids), Identity.kind.in_(SEARCHED_IDENTITIES))
        .order_by(Identity.id)
    ):
        identities.setdefault(customer_id, []).append((kind, value))
    gone = [c.id for c in customers if c.merged_into_id is not None]
    if gone:
        connection.execute(delete(SearchCustomer).where(SearchCustomer.customer_id.in_(gone)))
    for customer_id, name, merged_into_id in customers:
        if merged_into_id is not None:
            continue
        row = customer_document(customer_id, name, identities.get(customer_id, []))
        stmt = update(SearchCustomer).where(SearchCustomer.customer_id == customer_id)
        if not _updated(connection, stmt.values(terms=row["terms"])):
            connection.execute(_INSERT_CUSTOMER, row)


def _updated(connection: Connection, stmt: Any) -> bool:
    return bool(connection.execute(stmt).rowcount)


def insert_many(session: DbSession, model: type, rows: Sequence[dict[str, Any]]) -> None:
    """Rows of one document table at once (a reindex, a benchmark's data)."""
    if rows:
        session.connection().execute(insert(model), list(rows))
