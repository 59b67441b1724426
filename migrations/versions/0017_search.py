"""the search: document tables, and SQLite FTS5 tables or PostgreSQL tsvector + GIN over them

The document rows hold terms made in Python (supportdesk.search.text). On SQLite an FTS5
table indexes each (external content: triggers keep it in step with its rows); on
PostgreSQL a generated ``document`` tsvector column with a GIN index does (and a
``title_document`` for articles' titles alone). Neither is a model
(supportdesk.search.models.is_database_only).

Existing rows are not indexed here: run ``supportdesk search reindex`` once after
upgrading a desk that has data (the demo and new desks need nothing).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: (document table, its key column, its term columns with FTS5 bm25 weights and
#: PostgreSQL weights, FTS5 prefix index lengths)
DOCUMENTS = (
    ("search_articles", "article_id", (("title_terms", 4.0, "A"), ("body_terms", 1.0, "D")), "1 2 3"),
    ("search_ticket_texts", "id", (("subject_terms", 3.0, "A"), ("body_terms", 1.0, "D")), "2 3"),
    ("search_customers", "customer_id", (("terms", 1.0, "A"),), "1 2 3"),
)


def upgrade():
    op.create_table(
        "search_articles",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_table(
        "search_ticket_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("subject_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_search_ticket_texts_ticket_id", "search_ticket_texts", ["ticket_id"])
    op.create_table(
        "search_customers",
        sa.Column("customer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_terms",
        sa.Column(
            "term", sa.String(length=64, collation="C" if postgresql else None), nullable=False
        ),
        sa.PrimaryKeyConstraint("term"),
    )
    for table, key, columns, prefix in DOCUMENTS:
        if postgresql:
            _tsvector(table, columns)
        else:
            _fts5(table, key, columns, prefix)


def _tsvector(table, columns):
    vector = " || ".join(
        f"setweight(to_tsvector('simple'::regconfig, {name}), '{weight}')"
        for name, _, weight in columns
    )
    _generated(table, "document", vector)
    if table == "search_articles":  # suggestions look in titles first
        _generated(table, "title_document", "to_tsvector('simple'::regconfig, title_terms)")


def _generated(table, column, vector):
    op.execute(
        f"ALTER TABLE {table} ADD COLUMN {column} tsvector GENERATED ALWAYS AS ({vector}) STORED"
    )
    op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} USING gin ({column})")


def _fts5(table, key, columns, prefix):
    fts = f"{table}_fts"
    names = ", ".join(name for name, _, _ in columns)
    new = ", ".join(f"new.{name}" for name, _, _ in columns)
    old = ", ".join(f"old.{name}" for name, _, _ in columns)
    weights = ", ".join(str(weight) for _, weight, _ in columns)
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='{key}', tokenize='unicode61 remove_diacritics 0', prefix='{prefix}')"
    )
    op.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', 'bm25({weights})')")
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.{key}, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{key}, {old});"
    op.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {delete} {insert} END"
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, _, _, _ in DOCUMENTS:
            for trigger in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    for table in ("search_terms", "search_customers", "search_ticket_texts", "search_articles"):
        op.drop_table(table)
