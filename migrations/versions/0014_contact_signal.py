"""the merge audit reads a customer's merged events by index

The repeat-contact signal needs no schema: it reads timeline_entries through
ix_timeline_customer_kind (customer, kind, time).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_events_customer_event_id", ["customer_id", "event", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_events_customer_event_id")
