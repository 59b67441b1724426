"""Supportdesk: an omnichannel support desk where every customer has one history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(overrides: Mapping[str, Any] | None = None, *, one_shot: bool = False) -> Flask:
    """The desk's app.

    ``one_shot`` is for a console command that does its work and exits (``create-token``,
    ``ingest-email``...): the same domains, listeners and task queue, without what only
    a server or the migrations need (routes, pages, the API reference, sign-in, rate
    limits, the Socket.IO server and its namespaces, Flask-Migrate). Its pushes still
    reach agents through the message queue when ``SUPPORTDESK_REDIS_URL`` is set;
    without one, nobody could hear them.

    The libraries are imported here, not when the package is: ``supportdesk --help``
    needs none of them.
    """
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from config import Config, instance_path
    from supportdesk.core import settings as desk_settings
    from supportdesk.core import tasks
    from supportdesk.extensions import csrf, db, socketio

    app = Flask(__name__, instance_path=instance_path(), instance_relative_config=True)
    app.config.from_mapping(Config(app.instance_path).as_dict())
    if overrides:
        app.config.from_mapping(overrides)
    desk_settings.init_app(app)

    if hops := app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _use_sqlite_pragmas()
    db.init_app(app)
    csrf.init_app(app)
    if not one_shot or app.config["REDIS_URL"]:
        socketio.init_app(app, message_queue=app.config["REDIS_URL"], async_mode=_async_mode())
    tasks.init_app(app)
    _register_listeners()
    if not one_shot:
        _register_tasks()
        _register_server(app)

    from supportdesk import cli

    cli.register(app)
    return app


def _async_mode() -> str:
    """``gevent`` under gunicorn's gevent worker (which patches the standard library
    before it loads the app), else ``threading``: see docs/decisions.md ("Live chat").

    Chosen by what the process is, never by what is installed: Flask-SocketIO's own
    default would pick gevent whenever the package is present, patched or not.
    """
    from gevent import monkey

    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _register_listeners() -> None:
    """Every domain's reactions: they connect on import (once per process), so a stored
    message reaches the timeline, the tickets, the search and agents whoever stored it.

    Each module imports what its reactions use when they first run: a console command
    loads the e-mail stack, chat's conversations or the notifications only if its
    writes call for them."""
    import supportdesk.channels.chat.listeners
    import supportdesk.channels.email.listeners
    import supportdesk.channels.web.listeners
    import supportdesk.knowledge.activity
    import supportdesk.knowledge.deflection
    import supportdesk.notifications.listeners
    import supportdesk.realtime.listeners
    import supportdesk.search.listeners
    import supportdesk.tickets.listeners
    import supportdesk.timeline.listeners  # noqa: F401


def _register_tasks() -> None:
    """Every task a worker may be handed, and the periodic ones it runs, for the
    processes that run tasks (``worker``, ``serve``'s embedded one, the tests' inline
    queue). A one-shot command only enqueues: the task it enqueues is imported by the
    code that enqueues it."""
    import supportdesk.channels.email.desk_mail.tasks
    import supportdesk.channels.email.tasks
    import supportdesk.knowledge.deflection_tasks
    import supportdesk.tickets.tasks  # noqa: F401


def _register_server(app: Flask) -> None:
    """What a server answers, and the migrations: the REST API and its reference, sign-in,
    rate limits, the pages, the Socket.IO namespaces."""
    from supportdesk.core import api_docs
    from supportdesk.core.fields import IdConverter, id_converter_schema
    from supportdesk.extensions import api, db, limiter, migrate
    from supportdesk.users import auth

    migrate.init_app(app, db, directory=_migrations_directory())
    limiter.init_app(app)
    auth.init_app(app)
    app.url_map.converters["id"] = IdConverter
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": "One customer, one history: customers, tickets, messages, calls "
                "and the unified timeline. Errors are RFC 9457 problem+json."
            },
            "security": api_docs.SECURITY,
            "components": {"securitySchemes": api_docs.SECURITY_SCHEMES},
        },
    )
    api.init_app(app)
    api.register_converter(IdConverter, id_converter_schema)
    _register_domains(app)
    api_docs.init_app(app)
    _register_home(app)


def _register_domains(app: Flask) -> None:
    from supportdesk import realtime
    from supportdesk.canned.api import blp as canned_blp
    from supportdesk.channels import web as web_channel
    from supportdesk.channels.chat import runtime as chat_runtime
    from supportdesk.channels.chat.api import blp as chat_blp
    from supportdesk.channels.email.api import blp as email_blp
    from supportdesk.channels.email.api import hooks as email_hooks_blp
    from supportdesk.channels.email.desk_mail.api import blp as email_templates_blp
    from supportdesk.channels.email.discard_api import blp as email_discard_blp
    from supportdesk.channels.web.api import blp as portal_blp
    from supportdesk.core import connections
    from supportdesk.customers.api import blp as customers_blp
    from supportdesk.customers.contacts_api import blp as customer_contacts_blp
    from supportdesk.customers.identities_api import blp as customer_identities_blp
    from supportdesk.extensions import api
    from supportdesk.integrations.api import blp as integrations_blp
    from supportdesk.knowledge.activity_api import blp as kb_activity_blp
    from supportdesk.knowledge.api import blp as kb_articles_blp
    from supportdesk.knowledge.categories_api import blp as kb_categories_blp
    from supportdesk.knowledge.deflection_api import blp as kb_deflection_blp
    from supportdesk.knowledge.feedback_api import blp as kb_feedback_blp
    from supportdesk.knowledge.flags_api import blp as kb_flags_blp
    from supportdesk.knowledge.images_api import blp as kb_images_blp
    from supportdesk.knowledge.suggest_api import blp as kb_suggest_blp
    from supportdesk.knowledge.uses_api import blp as kb_uses_blp
    from supportdesk.knowledge.versions_api import blp as kb_versions_blp
    from supportdesk.notifications.api import blp as notifications_blp
    from supportdesk.tickets.api import blp as tickets_blp
    from supportdesk.tickets.calls_api import blp as calls_blp
    from supportdesk.tickets.merge_api import blp as ticket_merge_blp
    from supportdesk.tickets.messages_api import blp as messages_blp
    from supportdesk.tickets.saved_views_api import blp as saved_views_blp
    from supportdesk.tickets.uploads_api import blp as uploads_blp
    from supportdesk.timeline.api import blp as timeline_blp
    from supportdesk.users.accounts_api import blp as users_blp
    from supportdesk.users.api import blp as session_blp
    from supportdesk.users.tokens_api import blp as tokens_blp

    for blueprint in (
        session_blp,
        users_blp,
        tokens_blp,
        customers_blp,
        customer_contacts_blp,
        customer_identities_blp,
        integrations_blp,
        timeline_blp,
        tickets_blp,
        ticket_merge_blp,
        calls_blp,
        messages_blp,
        uploads_blp,
        saved_views_blp,
        canned_blp,
        notifications_blp,
        email_blp,
        email_hooks_blp,
        email_templates_blp,
        email_discard_blp,
        chat_blp,
        kb_articles_blp,
        kb_versions_blp,
        kb_categories_blp,
        kb_images_blp,
        kb_feedback_blp,
        kb_flags_blp,
        kb_uses_blp,
        kb_suggest_blp,
        kb_activity_blp,
        kb_deflection_blp,
        portal_blp,
    ):
        api.register_blueprint(blueprint)
    connections.init_app(app)
    realtime.init_app(app)
    chat_runtime.init_app(app)
    web_channel.init_app(app)


def _register_home(app: Flask) -> None:
    """The agents' workspace at ``/`` (the API reference stays at ``/api/docs``)."""
    from supportdesk import workspace

    workspace.init_app(app)


def _migrations_directory() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")


def _use_sqlite_pragmas() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite as a real database: WAL for concurrent readers, enforced foreign keys, and
    the math functions PostgreSQL has (built in since SQLite 3.35, unless left out)."""
    import math
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        options = {row[0] for row in cursor.execute("PRAGMA compile_options")}
        cursor.close()
        if "ENABLE_MATH_FUNCTIONS" not in options:  # the ranking's ln() and exp()
            for name, function in (("ln", math.log), ("exp", math.exp)):
                dbapi_connection.create_function(name, 1, function, deterministic=True)
