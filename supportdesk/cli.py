"""The ``supportdesk`` command: a Flask CLI group over ``create_app``.

``supportdesk --help`` and ``supportdesk <command> --help`` create no app, and a
command creates the one it needs when it runs: a one-shot one (``create_app(one_shot=
True)``) for the commands that do their work and exit, such as ``ingest-email``, which
an MTA runs once per message; the whole app for ``serve``, ``worker``, ``demo`` and the
commands the app's extensions add (Flask-Migrate's ``db``, flask-smorest's ``openapi``).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo

from supportdesk.core.errors import DomainError
from supportdesk.core.settings import settings
from supportdesk.search import KINDS as SEARCH_KINDS

if TYPE_CHECKING:
    from flask import Flask

#: what the app's extensions add, listed (after ours) without creating the app
APP_COMMANDS = {
    "db": "Perform database migrations.",
    "limiter": "Flask-Limiter maintenance & utility commands",
    "openapi": "OpenAPI commands.",
}


class SupportdeskGroup(FlaskGroup):
    """Flask's CLI over ``create_app``, speaking as Supportdesk.

    Our commands are listed first, then the extensions'; Flask's ``run``/``shell``/
    ``routes`` are hidden (``serve`` runs HTTP and Socket.IO, ``run`` would not). An
    error, whether the app cannot start, the input is refused or the database says no,
    is one line on stderr and exit status 1, never a traceback.
    """

    def __init__(self) -> None:
        super().__init__(
            create_app=_create_app,
            add_version_option=False,
            help="Supportdesk: one customer, one history.",
        )
        click.version_option(  # looked up when asked for
            package_name="supportdesk", prog_name="Supportdesk", message="%(prog)s %(version)s"
        )(self)
        for command in COMMANDS:
            self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*(str(command.name) for command in COMMANDS), *APP_COMMANDS]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """Ours and Flask's own as they are; an extension's, a line for ``--help``
        (``resolve_command`` swaps in the real one, creating the app, to run it)."""
        if name in self.commands:
            return self.commands[name]
        if name in APP_COMMANDS:
            return _Listed(name, help=APP_COMMANDS[name])
        return super().get_command(ctx, name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Listed) and name:
            command = super().get_command(ctx, name)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        with errors_as_messages():  # Flask's and extensions' commands (db ...) too
            return super().invoke(ctx)


class _Listed(click.Command):
    """An extension's command as ``--help`` lists it; never run."""


class Command(click.Command):
    """Our commands: refusals and database errors are messages, however they are run
    (the console script, or ``app.test_cli_runner``, which skips the group), inside
    the app (made now, unless the caller has one).

    ``one_shot`` commands do their work and exit, and get ``create_app(one_shot=True)``.
    """

    def __init__(self, *args: Any, one_shot: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.one_shot = one_shot

    def invoke(self, ctx: click.Context) -> Any:
        with errors_as_messages():
            if not current_app:
                script = ctx.ensure_object(ScriptInfo)
                app = _made_uncollected(script) if self.one_shot else script.load_app()
                ctx.with_resource(app.app_context())
            return super().invoke(ctx)


def main() -> None:
    SupportdeskGroup()()


def _made_uncollected(script: ScriptInfo) -> Flask:
    """The app, made with the cyclic garbage collector off, then frozen.

    Start-up makes what lives until exit (modules, classes, mappers), which every
    collection would walk again: 10% of ``create-token``'s instructions (callgrind), the
    last collection at exit included. Frozen, it is never walked; what the command
    itself leaves behind is collected as usual.
    """
    gc.disable()
    try:
        return script.load_app()
    finally:
        gc.freeze()
        gc.enable()


def _create_app() -> Flask:
    """The app the running command needs (see ``Command.one_shot``)."""
    from supportdesk import create_app

    running = click.get_current_context(silent=True)
    one_shot = running is not None and getattr(running.command, "one_shot", False)
    try:
        return create_app(one_shot=one_shot)
    except Exception as error:  # a setting is wrong: the operator needs the message only
        raise click.ClickException(f"Supportdesk cannot start: {error}") from None


@contextmanager
def errors_as_messages() -> Iterator[None]:
    try:
        yield
    except DomainError as error:
        raise _refusal(error) from None
    except Exception as error:
        if not _is_database_error(error):
            raise
        raise click.ClickException(_database_problem(error)) from None


def _is_database_error(error: Exception) -> bool:
    """Without importing SQLAlchemy: where it was never imported, it raised nothing."""
    exceptions = sys.modules.get("sqlalchemy.exc")
    return exceptions is not None and isinstance(error, exceptions.SQLAlchemyError)


def _refusal(error: DomainError) -> click.ClickException:
    detail = error.detail
    if error.errors:
        detail += " " + "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
    return click.ClickException(detail)


def _database_problem(error: Exception) -> str:
    cause = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if "no such table" in cause or ("relation" in cause and "does not exist" in cause):
        return f"The database is not set up ({cause}). Run `supportdesk db upgrade` first."
    return f"The database refused: {cause}"


@click.command("create-user", cls=Command)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--role", type=click.Choice(["admin", "agent"]), default="agent", show_default=True)
def create_user_command(email: str, name: str, password: str, role: str) -> None:
    """Create an agent account and print its id."""
    from supportdesk.extensions import db
    from supportdesk.users.service import create_user

    user = create_user(db.session, email=email, name=name, password=password, role=role)
    db.session.commit()
    click.echo(user.id)


@click.command("create-token", cls=Command)
@click.option("--email", required=True, help="The user the token acts as")
@click.option("--name", default="API token", show_default=True, help="A label for the token")
def create_token_command(email: str, name: str) -> None:
    """Print a new API token; it is shown this once and stored only as a hash."""
    from supportdesk.extensions import db
    from supportdesk.users.service import create_token, user_by_email

    token = create_token(db.session, user_by_email(db.session, email), name)
    db.session.commit()
    click.echo(token)


@click.command("deactivate-user", cls=Command)
@click.option("--email", required=True)
def deactivate_user_command(email: str) -> None:
    """Cut an agent off at once: sessions end, tokens are revoked, sign-in is refused."""
    from supportdesk.extensions import db
    from supportdesk.users.service import update_user, user_by_email

    user = update_user(db.session, user_by_email(db.session, email), {"active": False}, actor=None)
    db.session.commit()
    click.echo(f"{user.email} is deactivated.")


@click.command("revoke-token", cls=Command)
@click.option("--id", "token_id", required=True, type=int, help="The token's id (GET /tokens)")
def revoke_token_command(token_id: int) -> None:
    """Revoke an API token at once."""
    from supportdesk.extensions import db
    from supportdesk.users.service import revoke_token

    revoke_token(db.session, token_id, actor=None)
    db.session.commit()
    click.echo(f"Token {token_id} is revoked.")


@click.command("demo", cls=Command, one_shot=False)
def demo_command() -> None:
    """Bring the database up to date and load demo data (once)."""
    from flask_migrate import upgrade

    from supportdesk.demo import load_demo, use_local_outbox
    from supportdesk.extensions import db

    upgrade()
    click.echo(load_demo(db.session))
    instance = Path(current_app.instance_path)
    click.echo(use_local_outbox(instance, settings().smtp_url))


class _IngestCommand(Command):
    """With ``--url`` the running desk files the message: no app is made here."""

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.params.get("url"):
            return click.Command.invoke(self, ctx)
        return super().invoke(ctx)


@click.command("ingest-email", cls=_IngestCommand)
@click.option("--file", "path", type=click.Path(dir_okay=False, exists=True), help="default: stdin")
@click.option(
    "--url",
    metavar="URL",
    help="The running desk's address (http://127.0.0.1:5000): hand the message to its "
    "inbound hook with the token in SUPPORTDESK_INBOUND_EMAIL_TOKEN",
)
def ingest_email_command(path: str | None, url: str | None) -> None:
    """File one RFC 822 message (for MTA pipe delivery); exit 0 once it is stored.

    Two ways: in this process (simple, no server needed; the desk starts up for each
    message), or with --url through the running desk's inbound hook (for busy desks:
    a small client, a tenth of the CPU a message; needs the desk running). Either
    prints the receipt as JSON.

    Exit 75 (EX_TEMPFAIL) when it could not be stored, so the MTA tries again (with
    --url also when the desk is down or refuses the token); 65 (EX_DATAERR) when it is
    over the size limit, so the MTA bounces it.
    """
    raw = Path(path).read_bytes() if path else sys.stdin.buffer.read()
    if url:
        from supportdesk.channels.email.mailgate import deliver

        sys.exit(deliver(raw, url))
    from supportdesk.channels.email.inbound import MessageTooLarge, receive
    from supportdesk.extensions import db

    try:
        receipt = receive(db.session, raw, source="cli")
    except MessageTooLarge as error:
        click.echo(error.detail, err=True)
        sys.exit(os.EX_DATAERR)
    except Exception as error:  # the MTA keeps the message and retries
        click.echo(f"Could not store the message: {error}", err=True)
        sys.exit(os.EX_TEMPFAIL)
    click.echo(json.dumps(asdict(receipt)))


@click.command("worker", cls=Command, one_shot=False)
@click.option("--workers", default=2, show_default=True, help="threads running tasks")
def worker_command(workers: int) -> None:
    """Run background tasks: e-mail delivery and its retries, polling."""
    from supportdesk.core.collector import tune_for_serving
    from supportdesk.core.tasks import huey

    if huey.immediate:
        raise click.ClickException("Tasks run inline here (TASKS_IMMEDIATE); no worker needed.")
    tune_for_serving()
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@click.command("serve", cls=Command, one_shot=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve HTTP and Socket.IO in one process (threads; WebSockets via simple-websocket).

    Without SUPPORTDESK_REDIS_URL the background tasks run in this process too;
    with it, run `supportdesk worker` beside the servers.
    """
    # socketio.run() would call app.run(), which Flask ignores inside its own CLI;
    # in threading mode it amounts to this threaded Werkzeug server.
    from werkzeug.serving import make_server

    from supportdesk.core.collector import tune_for_serving
    from supportdesk.core.tasks import start_embedded_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Bound before the banner: a port in use is reported (by Werkzeug) and nothing else.
    server = make_server(host, port, app, threaded=True)
    click.echo(f"Supportdesk on http://{host}:{port}/ (API reference: /api/docs)")
    worker = start_embedded_worker(app)
    tune_for_serving()
    try:
        server.serve_forever()
    finally:
        if worker is not None:
            worker.stop(graceful=True)


@click.group("search")
def search_group() -> None:
    """The search's indexes of articles, tickets and customers."""


@search_group.command("reindex", cls=Command)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(SEARCH_KINDS),
    help="Only these (repeat for more); default: all",
)
def search_reindex_command(kinds: tuple[str, ...]) -> None:
    """Rebuild the search indexes from the rows they index, in one transaction."""
    from supportdesk.extensions import db
    from supportdesk.search.reindex import reindex

    for kind, count in reindex(db.session, kinds or SEARCH_KINDS).items():
        click.echo(f"{kind}: {count} documents")
    db.session.commit()


#: in the order `supportdesk --help` lists them
COMMANDS = (
    serve_command,
    worker_command,
    demo_command,
    create_user_command,
    create_token_command,
    deactivate_user_command,
    revoke_token_command,
    ingest_email_command,
    search_group,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
