"""The README's start command, as a newcomer runs it: demo data, then a real server."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import requests

from tests.channels.chat.browser import built_widget_fixture  # noqa: F401 (fixture)
from tests.peers import SUPPORTDESK, serve_process


def test_demo_then_serve_answers_over_http_and_runs_the_tasks(
    tmp_path: Path, smtp_peer, built_widget: Path
):
    env = {
        **os.environ,
        "SUPPORTDESK_INSTANCE_PATH": str(tmp_path),
        "SUPPORTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}",
        "SUPPORTDESK_SMTP_URL": f"smtp://127.0.0.1:{smtp_peer.port}",
        "SUPPORTDESK_FRONTEND_DIST": str(built_widget),
    }
    demo = subprocess.run([*SUPPORTDESK, "demo"], env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    with serve_process(env) as base:
        home = requests.get(base + "/", timeout=5)
        assert home.status_code == 200 and '<div id="app">' in home.text  # the workspace
        docs = requests.get(base + "/api/docs", timeout=5)
        assert docs.status_code == 200 and "swagger-ui" in docs.text  # the API reference
        session = requests.Session()
        signed_in = session.post(
            base + "/api/v1/session",
            json={"email": "admin@demo.supportdesk", "password": "demo-admin-password"},
            timeout=5,
        )
        assert signed_in.status_code == 200, signed_in.text
        customers = session.get(base + "/api/v1/customers", timeout=5).json()["items"]
        assert len(customers) >= 5
        # An e-mail reply is sent by the task worker the server runs beside itself.
        ticket = session.get(base + "/api/v1/tickets?status=new", timeout=5).json()["items"][0]
        reply = session.post(
            base + f"/api/v1/tickets/{ticket['id']}/messages",
            json={"body": "We are on it.", "channel": "email"},
            headers={"X-CSRF-Token": signed_in.json()["csrf_token"]},
            timeout=5,
        )
        assert reply.status_code == 201, reply.text
        deadline = time.monotonic() + 20
        while not smtp_peer.received and time.monotonic() < deadline:
            time.sleep(0.2)
        [sent] = smtp_peer.messages
        assert sent.get_body(("plain",)).get_content().strip() == "We are on it."


def test_the_production_entry_point_serves_sockets_with_gevent(tmp_path: Path):
    """gunicorn's gevent worker patches the standard library before it loads the app:
    Socket.IO must then run on greenlets, not threads (see docs/decisions.md)."""
    probe = (
        "from gevent import monkey; monkey.patch_all()\n"
        "import supportdesk.wsgi\n"
        "from supportdesk.extensions import socketio\n"
        "print(socketio.async_mode)\n"
    )
    env = {**os.environ, "SUPPORTDESK_INSTANCE_PATH": str(tmp_path)}
    patched = subprocess.run([SUPPORTDESK[0], "-c", probe], env=env, capture_output=True, text=True)
    assert patched.returncode == 0, patched.stderr
    assert patched.stdout.split() == ["gevent"]
    unpatched = probe.split("\n", 1)[1]
    threads = subprocess.run(
        [SUPPORTDESK[0], "-c", unpatched], env=env, capture_output=True, text=True
    )
    assert threads.stdout.split() == ["threading"], threads.stderr
