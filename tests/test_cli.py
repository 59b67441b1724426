"""The supportdesk command: accounts and tokens for a fresh install."""

from __future__ import annotations

import subprocess
import sys

from supportdesk.extensions import db
from supportdesk.users.service import authenticate


def test_create_user_then_token_then_call_the_api(app, client):
    runner = app.test_cli_runner()

    made = runner.invoke(
        args=["create-user", "--email", "Boss@Desk.example", "--name", "Boss",
              "--password", "s3cret-enough", "--role", "admin"]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    user_id = int(made.output.strip())
    assert authenticate(db.session, "boss@desk.example", "s3cret-enough").id == user_id

    issued = runner.invoke(args=["create-token", "--email", "boss@desk.example", "--name", "CI"])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[-1]

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["role"] == "admin"


def test_cli_refuses_bad_input_with_a_message(app):
    runner = app.test_cli_runner()

    short = runner.invoke(
        args=["create-user", "--email", "a@desk.example", "--name", "A", "--password", "short"]
    )
    unknown = runner.invoke(args=["create-token", "--email", "nobody@desk.example"])

    assert short.exit_code != 0 and "8 characters" in short.output
    assert unknown.exit_code != 0 and "nobody@desk.example" in unknown.output


def test_console_script_is_a_flask_group_over_the_factory():
    result = subprocess.run(
        [sys.executable, "-c", "from supportdesk.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("db", "create-user", "create-token", "demo", "serve"):
        assert command in result.stdout
