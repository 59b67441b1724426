"""the inbox filters tickets by priority, newest first

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_priority_id", ["priority", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_priority_id")
