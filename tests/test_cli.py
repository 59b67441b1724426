"""The supportdesk command: accounts and tokens for a fresh install."""

from __future__ import annotations

import os
import socket
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


def _supportdesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from supportdesk.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_deactivate_user_and_revoke_token_cut_access_at_once(app, client):
    from supportdesk.users.service import create_token
    from tests.factories import UserFactory

    UserFactory(email="boss@desk.example", role="admin")
    leaver = UserFactory(email="leaver@desk.example")
    leavers = create_token(db.session, leaver)
    integration = create_token(db.session, UserFactory(email="crm@desk.example"), "CRM")
    db.session.commit()
    runner = app.test_cli_runner()
    [integration_id] = [
        t["id"]
        for t in client.get(
            "/api/v1/tokens", headers={"Authorization": f"Bearer {integration}"}
        ).json["items"]
    ]

    gone = runner.invoke(args=["deactivate-user", "--email", "Leaver@desk.example"])
    revoked = runner.invoke(args=["revoke-token", "--id", str(integration_id)])

    assert gone.exit_code == 0, gone.output
    assert revoked.exit_code == 0, revoked.output
    for token in (leavers, integration):
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401
    again = runner.invoke(args=["revoke-token", "--id", str(integration_id)])
    assert again.exit_code == 1 and f"No token {integration_id}" in again.output


def test_the_last_admin_is_not_deactivated_from_the_console_either(app):
    from tests.factories import UserFactory

    UserFactory(email="boss@desk.example", role="admin")
    db.session.commit()

    refused = app.test_cli_runner().invoke(args=["deactivate-user", "--email", "boss@desk.example"])

    assert refused.exit_code == 1 and "last active admin" in refused.output


def test_version_is_supportdesks_and_help_lists_our_commands_first(tmp_path):
    from importlib.metadata import version

    env = {**os.environ, "SUPPORTDESK_INSTANCE_PATH": str(tmp_path)}
    shown = _supportdesk("--version", env=env)
    listed = _supportdesk("--help", env=env)

    assert shown.stdout.strip() == f"Supportdesk {version('supportdesk')}"
    commands = listed.stdout.split("Commands:")[1].split()
    names = [word for word in commands if word in {"serve", "create-user", "db", "run", "shell"}]
    assert names[:2] == ["serve", "create-user"] and names[-1] == "db"
    for flask_only in ("run", "shell", "routes"):
        assert flask_only not in names, listed.stdout
    for command in ("deactivate-user", "revoke-token", "ingest-email", "worker", "demo"):
        assert command in commands


def test_an_error_is_one_line_not_a_traceback(tmp_path):
    """A fresh install without `db upgrade`, and a setting that is wrong."""
    env = {**os.environ, "SUPPORTDESK_INSTANCE_PATH": str(tmp_path)}
    bad_url = {**env, "SUPPORTDESK_DATABASE_URL": "not a database url"}

    not_set_up = _supportdesk("create-token", "--email", "a@desk.example", env=env)
    misconfigured = _supportdesk("create-token", "--email", "a@desk.example", env=bad_url)

    for result in (not_set_up, misconfigured):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("Error: ")
    assert "supportdesk db upgrade" in not_set_up.stderr
    assert "cannot start" in misconfigured.stderr


def test_serve_reports_a_port_in_use_before_any_banner(tmp_path):
    env = {**os.environ, "SUPPORTDESK_INSTANCE_PATH": str(tmp_path)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = _supportdesk("serve", "--port", str(port), env=env)

    assert result.returncode == 1
    assert "Supportdesk on http" not in result.stdout
    assert f"Port {port} is in use" in result.stderr
    assert "Traceback" not in result.stderr
