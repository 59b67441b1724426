"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from supportdesk.extensions import db
from supportdesk.search.models import is_database_only


def schema_drift() -> list:
    with db.engine.connect() as connection:
        # the search's FTS5 tables and tsvector columns exist by the migration alone
        include = {"include_name": lambda *names: not is_database_only(*names)}
        context = MigrationContext.configure(connection, opts={"compare_type": True, **include})
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app):
    assert schema_drift() == []


def test_migrations_downgrade_and_upgrade_again(app):
    db.session.remove()
    downgrade(revision="base")
    upgrade()

    assert schema_drift() == []
