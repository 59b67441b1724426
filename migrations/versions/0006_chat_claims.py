"""chat claims: a visitor may exist before its customer; typed addresses become claims

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_visitors = sa.table(
    "chat_visitors",
    sa.column("customer_id", sa.Integer),
    sa.column("claimed_email", sa.String),
    sa.column("verified", sa.Boolean),
)
_identities = sa.table(
    "identities",
    sa.column("id", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("value", sa.String),
    sa.column("verified", sa.Boolean),
)
_tickets = sa.table(
    "tickets", sa.column("customer_id", sa.Integer), sa.column("channel", sa.String)
)
_customers = sa.table("customers", sa.column("id", sa.Integer))


def _widget_made_customers() -> sa.Select:
    """Customers only the widget knows: visitors none of whom proved anything or holds
    a claim already, no identity but unverified addresses (typed into the chat), no
    ticket but chats."""
    c = _customers.c
    v = _visitors.c
    return sa.select(c.id).where(
        sa.exists().where(v.customer_id == c.id),
        ~sa.exists().where(
            v.customer_id == c.id, sa.or_(v.verified == sa.true(), v.claimed_email.is_not(None))
        ),
        ~sa.exists().where(
            _identities.c.customer_id == c.id,
            sa.or_(_identities.c.kind != "email", _identities.c.verified == sa.true()),
        ),
        ~sa.exists().where(_tickets.c.customer_id == c.id, _tickets.c.channel != "chat"),
    )


def upgrade():
    with op.batch_alter_table("chat_visitors", schema=None) as batch_op:
        batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("locale", sa.String(length=20), nullable=True))

    # Addresses typed into the chat used to become (unverified) identities, which a later
    # proof by the address's owner resolved to. They become what they are: claims.
    widget_made = list(op.get_bind().scalars(_widget_made_customers()))
    typed = (
        sa.select(_identities.c.value)
        .where(
            _identities.c.customer_id == _visitors.c.customer_id,
            _identities.c.kind == "email",
        )
        .order_by(_identities.c.id)
        .limit(1)
        .scalar_subquery()
    )
    for start in range(0, len(widget_made), 500):
        chunk = widget_made[start : start + 500]
        op.execute(
            _visitors.update().where(_visitors.c.customer_id.in_(chunk)).values(claimed_email=typed)
        )
        op.execute(
            _identities.delete().where(
                _identities.c.kind == "email", _identities.c.customer_id.in_(chunk)
            )
        )


def downgrade():
    # visitors who never wrote have no customer to go back to: they simply start anew
    op.execute(_visitors.delete().where(_visitors.c.customer_id.is_(None)))
    with op.batch_alter_table("chat_visitors", schema=None) as batch_op:
        batch_op.drop_column("locale")
        batch_op.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
