"""an agent's locale follows their browser until they choose one

``users.locale`` becomes nullable with no default: NULL means "speak the browser's
language", which is what a new agent gets. Before, every account was made with ``en``,
and a Chinese browser opened an English workspace.

Existing rows: ``zh-CN`` (or anything but ``en``) was chosen by the agent, since nothing
else ever wrote it, and is kept. ``en`` was the default, and the schema kept no record of
whether an agent chose it: an account that picked English and one that never opened the
preferences look the same. Both become NULL. The cost is small and visible: an agent who
chose English in a Chinese browser sees Chinese once and chooses again; in an English
browser nothing changes at all. Keeping ``en`` instead would leave every Chinese-speaking
agent who never found the setting stuck in English, the very thing this change mends.

Downgrading gives NULL back the old default, ``en``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 12:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

users = sa.table("users", sa.column("locale", sa.String(length=20)))


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "locale",
            existing_type=sa.String(length=20),
            nullable=True,
            server_default=None,
            existing_server_default="en",
        )
    op.execute(users.update().where(users.c.locale == "en").values(locale=None))


def downgrade():
    op.execute(users.update().where(users.c.locale.is_(None)).values(locale="en"))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "locale",
            existing_type=sa.String(length=20),
            nullable=False,
            server_default="en",
        )
