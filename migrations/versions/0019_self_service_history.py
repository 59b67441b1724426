"""self-service in the history: readers' knowledge-base activity on the timeline, and
the suggestions shown before a contact (deflection)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


ACTION = sa.Enum("searched", "viewed", "rated", name="kbaction", native_enum=False, length=20)
SURFACE = sa.Enum(
    "help_center",
    "widget",
    "request_form",
    "portal",
    name="kbsurface",
    native_enum=False,
    length=20,
)
OPEN = sa.text("settled_at IS NULL")


def upgrade():
    op.create_table(
        "kb_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(length=100), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("action", ACTION, nullable=False),
        sa.Column("query", sa.String(length=200), nullable=True),
        sa.Column("result_count", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("locale", sa.String(length=20), nullable=True),
        sa.Column("surface", SURFACE, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("typed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("view_hour", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reader", "article_id", "view_hour"),
    )
    with op.batch_alter_table("kb_activities", schema=None) as batch_op:
        batch_op.create_index("ix_kb_activities_customer_id", ["customer_id"])
        batch_op.create_index("ix_kb_activities_article_id", ["article_id"])
        batch_op.create_index("ix_kb_activities_reader", ["reader", "occurred_at"])
        batch_op.create_index(
            "ix_kb_activities_unanswered", ["action", "result_count", "occurred_at"]
        )

    op.create_table(
        "kb_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(length=100), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("surface", SURFACE, nullable=False),
        sa.Column("query", sa.String(length=200), nullable=True),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            "ux_kb_suggestions_open",
            ["reader", "article_id", "surface"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )
        batch_op.create_index("ix_kb_suggestions_reader", ["reader", "shown_at"])
        batch_op.create_index("ix_kb_suggestions_customer", ["customer_id", "shown_at"])
        batch_op.create_index("ix_kb_suggestions_settle", ["settled_at", "shown_at"])
        batch_op.create_index("ix_kb_suggestions_report", ["shown_at", "article_id"])

    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kb_activity_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_timeline_entries_kb_activity_id", ["kb_activity_id"])
        batch_op.create_foreign_key(
            "fk_timeline_entries_kb_activity_id_kb_activities",
            "kb_activities",
            ["kb_activity_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    op.execute("DELETE FROM timeline_entries WHERE kb_activity_id IS NOT NULL")
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_timeline_entries_kb_activity_id_kb_activities", type_="foreignkey"
        )
        batch_op.drop_constraint("uq_timeline_entries_kb_activity_id", type_="unique")
        batch_op.drop_column("kb_activity_id")
    op.drop_table("kb_suggestions")
    op.drop_table("kb_activities")
