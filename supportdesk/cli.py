"""The ``supportdesk`` command: a Flask CLI group over ``create_app``."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from werkzeug.serving import run_simple

from supportdesk.core.errors import DomainError
from supportdesk.extensions import db


def main() -> None:
    FlaskGroup(create_app=_create_app, help="Supportdesk: one customer, one history.")()


def _create_app() -> Flask:
    from supportdesk import create_app

    return create_app()


def _fail(error: DomainError) -> click.ClickException:
    detail = error.detail
    if error.errors:
        detail += " " + "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
    return click.ClickException(detail)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--role", type=click.Choice(["admin", "agent"]), default="agent", show_default=True)
def create_user_command(email: str, name: str, password: str, role: str) -> None:
    """Create an agent account and print its id."""
    from supportdesk.users.service import create_user

    try:
        user = create_user(db.session, email=email, name=name, password=password, role=role)
    except DomainError as error:
        raise _fail(error) from None
    db.session.commit()
    click.echo(user.id)


@click.command("create-token")
@click.option("--email", required=True, help="The user the token acts as")
@click.option("--name", default="API token", show_default=True, help="A label for the token")
def create_token_command(email: str, name: str) -> None:
    """Print a new API token; it is shown this once and stored only as a hash."""
    from supportdesk.users.service import create_token, user_by_email

    try:
        user = user_by_email(db.session, email)
    except DomainError as error:
        raise _fail(error) from None
    token = create_token(db.session, user, name)
    db.session.commit()
    click.echo(token)


@click.command("demo")
def demo_command() -> None:
    """Bring the database up to date and load demo data (once)."""
    from flask_migrate import upgrade

    from supportdesk.demo import load_demo

    upgrade()
    click.echo(load_demo(db.session))


@click.command("ingest-email")
@click.option("--file", "path", type=click.Path(dir_okay=False, exists=True), help="default: stdin")
def ingest_email_command(path: str | None) -> None:
    """File one RFC 822 message (for MTA pipe delivery); exit 0 once it is stored.

    Exit 75 (EX_TEMPFAIL) when it could not be stored, so the MTA tries again;
    65 (EX_DATAERR) when it is over the size limit, so the MTA bounces it.
    """
    from supportdesk.channels.email.inbound import MessageTooLarge, receive

    raw = Path(path).read_bytes() if path else sys.stdin.buffer.read()
    try:
        receipt = receive(db.session, raw, source="cli")
    except MessageTooLarge as error:
        click.echo(error.detail, err=True)
        sys.exit(65)
    except Exception as error:  # the MTA keeps the message and retries
        click.echo(f"Could not store the message: {error}", err=True)
        sys.exit(75)
    click.echo(json.dumps(asdict(receipt)))


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="threads running tasks")
def worker_command(workers: int) -> None:
    """Run background tasks: e-mail delivery and its retries, polling."""
    from supportdesk.extensions import huey

    if huey.immediate:
        raise click.ClickException("Tasks run inline here (TASKS_IMMEDIATE); no worker needed.")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve HTTP and Socket.IO in one process (threads; WebSockets via simple-websocket).

    Without SUPPORTDESK_REDIS_URL the background tasks run in this process too;
    with it, run `supportdesk worker` beside the servers.
    """
    click.echo(f"Supportdesk on http://{host}:{port}/ (API reference: /api/docs)")
    # socketio.run() would call app.run(), which Flask ignores inside its own CLI;
    # in threading mode it amounts to this threaded Werkzeug server.
    from supportdesk.core.tasks import start_embedded_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = start_embedded_worker(app)
    try:
        run_simple(host, port, app, threaded=True)
    finally:
        if worker is not None:
            worker.stop(graceful=True)


def register(app: Flask) -> None:
    for command in (
        create_user_command,
        create_token_command,
        demo_command,
        serve_command,
        ingest_email_command,
        worker_command,
    ):
        app.cli.add_command(command)
