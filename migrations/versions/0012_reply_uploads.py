"""attachments uploaded before the reply they go with

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("uploaded_by_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_attachments_uploaded_by_id", ["uploaded_by_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_attachments_uploaded_by_id_users",
            "users",
            ["uploaded_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    # uploads no reply claimed have no message to belong to
    op.execute("DELETE FROM attachments WHERE message_id IS NULL")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint("fk_attachments_uploaded_by_id_users", type_="foreignkey")
        batch_op.drop_index("ix_attachments_uploaded_by_id")
        batch_op.drop_column("uploaded_by_id")
        batch_op.alter_column("message_id", existing_type=sa.Integer(), nullable=False)
