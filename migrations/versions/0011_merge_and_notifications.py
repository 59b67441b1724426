"""ticket merge and agent notifications

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KINDS = sa.Enum(
    "mention", "assignment", "new_chat", name="notificationkind", native_enum=False, length=20
)


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_tickets_merged_into_id", ["merged_into_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_tickets_merged_into_id_tickets",
            "tickets",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", KINDS, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("snippet", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user_id_id", ["user_id", "id"], unique=False)
        batch_op.create_index(
            "ix_notifications_user_id_read_at_id", ["user_id", "read_at", "id"], unique=False
        )
        batch_op.create_index("ix_notifications_ticket_id", ["ticket_id"], unique=False)
        batch_op.create_index("ix_notifications_message_id", ["message_id"], unique=False)


def downgrade():
    op.drop_table("notifications")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint("fk_tickets_merged_into_id_tickets", type_="foreignkey")
        batch_op.drop_index("ix_tickets_merged_into_id")
        batch_op.drop_column("merged_into_id")
