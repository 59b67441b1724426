"""The test world: every database-backed test runs once on SQLite and once on PostgreSQL.

``SUPPORTDESK_TEST_DATABASES`` (default ``sqlite,postgresql``) picks the databases;
PostgreSQL comes from ``SUPPORTDESK_TEST_POSTGRES_URL`` (default: the local ``test``
database). Where PostgreSQL is not reachable its half of the suite is skipped,
unless ``CI`` is set, where that is an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from supportdesk import create_app
from supportdesk.core.connections import stop_heartbeat
from supportdesk.extensions import db
from tests import factories

pytest_plugins = ["tests.peers"]

POSTGRES_URL = os.environ.get(
    "SUPPORTDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASES = [
    name.strip()
    for name in os.environ.get("SUPPORTDESK_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "RATELIMIT_DEFAULT": "100000 per minute",
    "RATELIMIT_LOGIN": "100000 per minute",
    "DEFAULT_PHONE_REGION": "US",
    "TASKS_IMMEDIATE": True,
    "SUPPORT_ADDRESS": "support@desk.example",
    "INBOUND_EMAIL_TOKEN": "inbound-secret",
    "EMAIL_SENDER_RATE_LIMIT": "100000 per minute",
    "KB_VOTE_RATE_LIMIT": "100000 per minute",
    "WEB_REQUEST_RATE_LIMIT": "100000 per minute",
    "SMTP_URL": None,
}


def _scratch_postgres_database(url: str) -> str:
    """A database of this test run's own, so parallel runs never clobber each other."""
    name = f"supportdesk_test_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(
                sa.text(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
            )
    finally:
        engine.dispose()
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str, scratch_url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            name = sa.make_url(scratch_url).database
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'supportdesk.db'}"
    if request.param == "postgresql":
        try:
            scratch = _scratch_postgres_database(POSTGRES_URL)
        except sa.exc.OperationalError as error:
            problem = str(error.orig).strip().splitlines()[0]
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL is required in CI: {problem}")
            pytest.skip(f"PostgreSQL not reachable ({problem})")
        request.addfinalizer(lambda: _drop_postgres_database(POSTGRES_URL, scratch))
        return scratch
    raise ValueError(f"unknown test database {request.param!r}")


class FreshContextClient(FlaskClient):
    """Every request in its own app context, as in production.

    Tests hold an app context for factories; without this, requests would share
    its ``g`` (and so Flask-Login's cached user) and its database session.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def make_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    instance = tmp_path_factory.mktemp("instance")
    made: list[Flask] = []

    def make(*, pooled: bool = False, **overrides: Any) -> Flask:
        """An app of the test's own. Unless ``pooled``, it keeps no idle connection: its
        threads (the chat's heartbeat, its writer) outlive the test, and each idle pool
        they kept would hold a PostgreSQL connection to the end of the run."""
        pool = {} if pooled else {"SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": sa.pool.NullPool}}
        config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **pool, **overrides}
        app = create_app(config)
        app.instance_path = str(instance)
        app.test_client_class = FreshContextClient
        made.append(app)
        return app

    yield make
    for app in made:  # before their database goes: a beat after would fail, and say so
        stop_heartbeat(app)


@pytest.fixture(scope="session")
def migrated_app(make_app: Any) -> Flask:
    """The app on a database brought up by the real migrations, once per database."""
    from flask_migrate import upgrade

    app = make_app(pooled=True)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    with migrated_app.app_context():
        yield migrated_app
        db.session.rollback()
        _empty_tables()
        db.session.remove()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(sa.text(f"DELETE FROM {table}"))
    db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class ApiClient:
    """A test client that calls the API as one agent, with a bearer token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._call("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self._call("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self._call("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self._call("DELETE", path, **kwargs)

    def walk(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list endpoint, page after page."""
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = self.get(path, query_string=query)
            assert response.status_code == 200, response.json
            items.extend(response.json["items"])
            cursor = response.json["next_cursor"]
            if not cursor:
                return items


@pytest.fixture
def agent(app: Flask) -> Any:
    return factories.UserFactory(name="Ada Agent")


@pytest.fixture
def api(client: FlaskClient, agent: Any) -> ApiClient:
    from supportdesk.users.service import create_token

    token = create_token(db.session, agent)
    db.session.commit()
    return ApiClient(client, token)


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
