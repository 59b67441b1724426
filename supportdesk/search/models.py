"""The search's documents: the terms of each thing found, kept beside the thing itself.

A document is the unit one write touches: an article in one locale; a ticket's subject,
and each of its messages apart (a new message on a 500-message ticket adds one row and
rewrites none); a customer with their name and every identity. Each row holds its text
already turned into terms (``search.text``), space-joined, so both databases index the
same words: SQLite through an FTS5 table over these rows (external content, kept by
triggers), PostgreSQL through a ``document`` tsvector column generated from them with a
GIN index. Neither is a model: ``migrations/versions/0017_search.py`` makes them, and
``is_database_only`` tells the models-vs-migrations comparison to look past them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.extensions import db

#: the longest term kept (a longer "word" is a hash, a URL, a base64 blob: its start will do)
MAX_TERM = 64


class SearchArticle(db.Model):  # type: ignore[name-defined]
    __tablename__ = "search_articles"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    title_terms: Mapped[str] = mapped_column(Text)
    body_terms: Mapped[str] = mapped_column(Text)


class SearchTicketText(db.Model):  # type: ignore[name-defined]
    """A ticket's subject (``message_id`` None) or one of its messages."""

    __tablename__ = "search_ticket_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    subject_terms: Mapped[str] = mapped_column(Text)
    body_terms: Mapped[str] = mapped_column(Text)


class SearchCustomer(db.Model):  # type: ignore[name-defined]
    """A customer's name and identities (e-mail addresses, phone numbers and their
    endings, external id): one row, rewritten when any of them changes."""

    __tablename__ = "search_customers"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    terms: Mapped[str] = mapped_column(Text)


class SearchTerm(db.Model):  # type: ignore[name-defined]
    """The words a misspelt query is corrected to (``search.typos``): the articles', the
    desk's own vocabulary. Only ever added to; a reindex of the articles starts it over.
    Compared byte by byte (collation C on PostgreSQL), so that a range of terms sharing a
    start is one index range on either database."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(
        String(MAX_TERM).with_variant(String(MAX_TERM, collation="C"), "postgresql"),
        primary_key=True,
    )


#: what the migration makes beside the models: the FTS5 tables (and their shadow tables)
FTS_TABLES = ("search_articles_fts", "search_ticket_texts_fts", "search_customers_fts")
#: the tsvector columns the document tables have on PostgreSQL (``title_document``: the
#: articles' titles alone), each with a GIN index named ``ix_<table>_<column>``
DOCUMENT_COLUMNS = ("document", "title_document")


def is_database_only(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Whether a reflected object is one of the search's database-only parts (an FTS5
    table or shadow table, a ``document`` column or its index), for Alembic's
    ``include_name``: they exist by the migration alone, on one database each."""
    if name is None:
        return False
    if type_ == "table":
        return name.startswith(FTS_TABLES)
    if type_ == "column":
        table = parent_names.get("table_name") or ""
        return table.startswith("search_") and name in DOCUMENT_COLUMNS
    if type_ == "index":
        return name.startswith("ix_search_") and name.endswith(DOCUMENT_COLUMNS)
    return False
