"""The supportdesk command starts light: ``--help`` creates no app, and a command that
does its work and exits (``create-token``, ``ingest-email``, run by an MTA once per
message) loads neither the Socket.IO server, the migrations nor the API reference,
and still does everything it did."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import click
import pytest
from flask.cli import FlaskGroup, ScriptInfo

from supportdesk.cli import APP_COMMANDS, COMMANDS, SupportdeskGroup

#: what only a server, the migrations or the e-mail parsing need
HEAVY = ("flask_socketio", "socketio", "engineio", "alembic", "flask_migrate", "flask_smorest")
#: Flask's development commands: still there, unlisted (``serve`` is the one to use)
FLASKS_OWN = ("run", "shell", "routes")
#: what ``--help`` needs none of: the database and the e-mail stack too
HELP_HEAVY = (*HEAVY, "sqlalchemy", "huey", "mailparser_reply", "argon2")
#: what filing an e-mail needs none of: polling IMAP, rendering articles, chat's conversations,
#: phone numbers, and on SQLite what huey would import for a PostgreSQL queue and greenlet
#: workers
NOT_FOR_MAIL = (
    "imapclient", "markdown_it", "supportdesk.channels.chat.conversation", "phonenumbers",
    "psycopg", "gevent",
)  # fmt: skip
#: what making a token needs none of: the e-mail stack (reading mail, sending it)
NOT_FOR_TOKEN = (*NOT_FOR_MAIL, "mailparser_reply", "smtplib", "supportdesk.channels.email.inbound")
#: every module the probe looks for
WATCHED = (*HELP_HEAVY, *NOT_FOR_TOKEN)

#: runs ``supportdesk`` (the console script's ``main``; its arguments follow ``-c``), then
#: reports on stderr, as its last line, which apps it created and which heavy modules it
#: imported
PROBE = f"""
import atexit, json, sys
import supportdesk
made = []
create_app = supportdesk.create_app
def counted(*args, **kwargs):
    made.append(kwargs)
    return create_app(*args, **kwargs)
supportdesk.create_app = counted
report = lambda: print(json.dumps({{
    "apps": made, "heavy": [m for m in {WATCHED!r} if m in sys.modules]}}), file=sys.stderr)
atexit.register(report)
from supportdesk.console import main
main()
"""


def supportdesk(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=120
    )
    return result, json.loads(result.stderr.strip().splitlines()[-1])


@pytest.fixture
def desk(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh install on its own SQLite file."""
    return {
        **{k: v for k, v in os.environ.items() if k != "SUPPORTDESK_REDIS_URL"},
        "SUPPORTDESK_INSTANCE_PATH": str(tmp_path / "instance"),
        "SUPPORTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}",
        "SUPPORTDESK_SUPPORT_ADDRESS": "support@desk.example",
    }


def test_help_lists_every_command_without_creating_the_app(desk):
    listed, probe = supportdesk("--help", env=desk)

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.split("Commands:")[1].splitlines()
    commands = [line.split()[0] for line in lines if line]
    assert commands == [
        "serve", "worker", "demo", "create-user", "create-token", "deactivate-user",
        "revoke-token", "ingest-email", "search", "db", "limiter", "openapi",
    ]  # fmt: skip
    assert probe == {"apps": [], "heavy": []}


@pytest.mark.parametrize("command", ["create-token", "ingest-email", "serve", "search"])
def test_a_commands_help_creates_no_app_either(desk, command):
    shown, probe = supportdesk(command, "--help", env=desk)

    assert shown.returncode == 0, shown.stderr
    assert f" {command} [OPTIONS]" in shown.stdout.splitlines()[0]
    assert probe == {"apps": [], "heavy": []}


def test_the_extensions_commands_run_in_the_whole_app(desk):
    shown, probe = supportdesk("db", "--help", env=desk)

    assert shown.returncode == 0, shown.stderr
    assert "upgrade" in shown.stdout and "downgrade" in shown.stdout
    assert probe["apps"] == [{"one_shot": False}]


def test_an_mta_delivery_is_filed_acknowledged_and_indexed_by_a_light_process(desk, tmp_path):
    upgraded, _ = supportdesk("db", "upgrade", env=desk)
    assert upgraded.returncode == 0, upgraded.stderr
    mail = EmailMessage()
    mail["From"] = "Carol <carol@example.com>"
    mail["To"] = "support@desk.example"
    mail["Subject"] = "The router blinks red"
    mail["Message-ID"] = "<blinks@example.com>"
    mail.set_content("Since this morning.")
    (tmp_path / "blinks.eml").write_bytes(mail.as_bytes())

    filed, probe = supportdesk("ingest-email", "--file", str(tmp_path / "blinks.eml"), env=desk)

    assert filed.returncode == 0, filed.stderr
    assert probe["apps"] == [{"one_shot": True}]
    assert not set(probe["heavy"]) & {*HEAVY, *NOT_FOR_MAIL}
    ticket_id = json.loads(filed.stdout)["ticket_id"]
    database = sqlite3.connect(tmp_path / "desk.db")
    [(subject, channel)] = database.execute(
        "SELECT subject, channel FROM tickets WHERE id = ?", (ticket_id,)
    ).fetchall()
    assert (subject, channel) == ("The router blinks red", "email")
    assert database.execute(  # on the customer's timeline, and found by the search
        "SELECT count(*) FROM timeline_entries WHERE ticket_id = ?", (ticket_id,)
    ).fetchone()[0]
    assert database.execute("SELECT count(*) FROM search_ticket_texts").fetchone()[0]
    assert _queued_tasks(tmp_path / "instance" / "tasks.db") == ["deliver_task"]  # the ack


def test_a_token_is_made_without_the_servers_or_the_mail_stack(desk):
    supportdesk("db", "upgrade", env=desk)
    made, _ = supportdesk(
        "create-user", "--email", "boss@desk.example", "--name", "Boss",
        "--password", "s3cret-enough", "--role", "admin", env=desk,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    issued, probe = supportdesk("create-token", "--email", "boss@desk.example", env=desk)

    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.strip().splitlines()[-1].startswith("sd_")
    assert probe["apps"] == [{"one_shot": True}]
    assert not set(probe["heavy"]) & {*HEAVY, *NOT_FOR_TOKEN}


def _queued_tasks(path: Path) -> list[str]:
    """The names of the tasks waiting in the default (SQLite) task queue."""
    with sqlite3.connect(path) as queue:
        rows = queue.execute("SELECT data FROM task ORDER BY id").fetchall()
    return [pickle.loads(data).name.rsplit(".", 1)[-1] for (data,) in rows]


def test_help_lists_what_the_apps_extensions_add_as_they_describe_it(app):
    """``--help`` names the extensions' commands without creating the app: the list
    must follow when an extension adds, drops or rewords one."""
    group = SupportdeskGroup()
    context = click.Context(group, obj=ScriptInfo(create_app=lambda: app))
    ours = [str(command.name) for command in COMMANDS]
    every = FlaskGroup.list_commands(group, context)  # creates the app, finds them all
    extensions = {
        name: FlaskGroup.get_command(group, context, name)
        for name in every
        if name not in {*ours, *FLASKS_OWN}
    }

    assert group.list_commands(context) == [*ours, *sorted(extensions)]
    assert {
        name: command.get_short_help_str(limit=200) for name, command in extensions.items()
    } == APP_COMMANDS
