"""The mail gate, as an MTA runs it: ``supportdesk ingest-email --url`` (the real console
script) hands each message to a real ``supportdesk serve`` and tells the MTA by its exit
status what to do: 0 stored, 65 bounce it, 75 keep it and try again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.channels.email.conftest import compose
from tests.peers import SUPPORTDESK, free_port, serve_process

CONSOLE_SCRIPT = str(Path(sys.executable).with_name("supportdesk"))
TOKEN = "gate-secret"
MAX_BYTES = 20_000
EX_DATAERR, EX_TEMPFAIL = 65, 75

#: runs the console script's ``main`` (its arguments follow ``-c``), then prints on
#: stderr, as its last line, which of these modules it imported
IMPORT_PROBE = """
import atexit, json, sys
heavy = ("flask", "click", "sqlalchemy", "werkzeug", "huey", "supportdesk.cli")
atexit.register(lambda: print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr))
from supportdesk.console import main
main()
"""


@dataclass
class Desk:
    url: str
    env: dict[str, str]
    database: Path

    def inbound_rows(self) -> int:
        with sqlite3.connect(self.database) as database:
            return database.execute("SELECT count(*) FROM inbound_emails").fetchone()[0]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One running desk for the module, on its own SQLite file."""
    folder = tmp_path_factory.mktemp("mailgate")
    env = {
        **{k: v for k, v in os.environ.items() if k != "SUPPORTDESK_REDIS_URL"},
        "SUPPORTDESK_INSTANCE_PATH": str(folder / "instance"),
        "SUPPORTDESK_DATABASE_URL": f"sqlite:///{folder / 'desk.db'}",
        "SUPPORTDESK_SUPPORT_ADDRESS": "support@desk.example",
        "SUPPORTDESK_INBOUND_EMAIL_TOKEN": TOKEN,
        "SUPPORTDESK_EMAIL_MAX_BYTES": str(MAX_BYTES),
        "SUPPORTDESK_EMAIL_ACKNOWLEDGE_NEW_TICKETS": "0",
    }
    upgraded = subprocess.run([*SUPPORTDESK, "db", "upgrade"], env=env, capture_output=True)
    assert upgraded.returncode == 0, upgraded.stderr
    with serve_process(env) as url:
        yield Desk(url=url, env=env, database=folder / "desk.db")


def gate(
    desk: Desk,
    raw: bytes,
    *,
    url: str | None = None,
    token: str | None = TOKEN,
    command: tuple[str, ...] = (CONSOLE_SCRIPT,),
    settings: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The MTA's pipe: the message on stdin of ``supportdesk ingest-email --url``."""
    env = {k: v for k, v in desk.env.items() if k != "SUPPORTDESK_INBOUND_EMAIL_TOKEN"}
    env.update(settings or {})
    if token is not None:
        env["SUPPORTDESK_INBOUND_EMAIL_TOKEN"] = token
    return subprocess.run(
        [*command, "ingest-email", "--url", url or desk.url],
        input=raw.decode(),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_piped_message_is_filed_by_the_running_desk(desk):
    filed = gate(desk, compose(subject="Handed over by Postfix"))

    assert filed.returncode == 0, filed.stderr
    receipt = json.loads(filed.stdout)
    with sqlite3.connect(desk.database) as database:
        [(subject, channel)] = database.execute(
            "SELECT subject, channel FROM tickets WHERE id = ?", (receipt["ticket_id"],)
        ).fetchall()
        [(ticket_id,)] = database.execute(
            "SELECT ticket_id FROM messages WHERE id = ?", (receipt["message_id"],)
        ).fetchall()
    assert (subject, channel, ticket_id) == (
        "Handed over by Postfix",
        "email",
        receipt["ticket_id"],
    )


def test_the_same_message_again_exits_0_with_the_same_ids_and_stores_nothing_new(desk):
    raw = compose(subject="Delivered twice")
    first = gate(desk, raw)
    stored = desk.inbound_rows()

    again = gate(desk, raw)

    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert (two["ticket_id"], two["message_id"]) == (one["ticket_id"], one["message_id"])
    assert two["duplicate"] is True
    assert desk.inbound_rows() == stored


def test_the_flask_cli_hands_the_message_over_through_the_same_gate(desk):
    """``supportdesk.cli`` (what ``app.test_cli_runner`` and Flask's own CLI run) has
    ``--url`` too, and makes no app for it: not even one that could not start."""
    filed = gate(
        desk,
        compose(subject="Through click"),
        command=tuple(SUPPORTDESK),
        settings={"SUPPORTDESK_DATABASE_URL": "nosuchdatabase://"},
    )

    assert filed.returncode == 0, filed.stderr
    receipt = json.loads(filed.stdout)
    with sqlite3.connect(desk.database) as database:
        [(subject,)] = database.execute(
            "SELECT subject FROM tickets WHERE id = ?", (receipt["ticket_id"],)
        ).fetchall()
    assert subject == "Through click"


@pytest.mark.parametrize("token", ["not-the-token", None], ids=["wrong", "unset"])
def test_a_wrong_or_missing_token_keeps_the_message_queued_and_stores_nothing(desk, token):
    stored = desk.inbound_rows()

    refused = gate(desk, compose(subject="Never filed"), token=token)

    assert refused.returncode == EX_TEMPFAIL
    assert "SUPPORTDESK_INBOUND_EMAIL_TOKEN" in refused.stderr
    assert "try again" in refused.stderr
    assert desk.inbound_rows() == stored


def test_a_desk_that_is_not_running_keeps_the_message_queued(desk):
    down = gate(desk, compose(), url=f"http://127.0.0.1:{free_port()}")

    assert down.returncode == EX_TEMPFAIL
    assert "did not answer" in down.stderr


def test_a_message_over_the_desks_size_limit_bounces(desk):
    stored = desk.inbound_rows()

    bounced = gate(desk, compose(body="x" * MAX_BYTES))

    assert bounced.returncode == EX_DATAERR, bounced.stderr
    assert "too large" in bounced.stderr
    assert desk.inbound_rows() == stored


def test_the_gate_imports_neither_flask_nor_sqlalchemy(desk):
    probe = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, "ingest-email", "--url", desk.url],
        input=compose().decode(),
        env=desk.env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stderr.strip().splitlines()[-1]) == []
