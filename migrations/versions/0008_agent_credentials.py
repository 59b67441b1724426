"""agent sockets remember the sign-in session or token they were made with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("chat_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credential", sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table("chat_connections", schema=None) as batch_op:
        batch_op.drop_column("credential")
