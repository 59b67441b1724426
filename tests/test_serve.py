"""The README's start command, as a newcomer runs it: demo data, then a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

SUPPORTDESK = [sys.executable, "-c", "from supportdesk.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_then_serve_answers_over_http(tmp_path: Path):
    env = {**os.environ, "SUPPORTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}"}
    demo = subprocess.run([*SUPPORTDESK, "demo"], env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    port = free_port()
    server = subprocess.Popen(
        [*SUPPORTDESK, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                home = requests.get(base + "/", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
        assert home.status_code == 200 and "swagger-ui" in home.text  # the API reference
        session = requests.Session()
        signed_in = session.post(
            base + "/api/v1/session",
            json={"email": "admin@demo.supportdesk", "password": "demo-admin-password"},
            timeout=5,
        )
        assert signed_in.status_code == 200, signed_in.text
        customers = session.get(base + "/api/v1/customers", timeout=5).json()["items"]
        assert len(customers) >= 5
    finally:
        server.terminate()
        server.wait(timeout=10)
