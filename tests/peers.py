"""Real protocol peers the tests talk to: an SMTP server (aiosmtpd) on localhost, the app
served on a real socket in a thread, and ``supportdesk serve`` itself as a separate process."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from flask import Flask
from werkzeug.serving import make_server

SUPPORTDESK = [sys.executable, "-c", "from supportdesk.cli import main; main()"]


@dataclass
class SmtpServer:
    """What a real SMTP server on localhost received; ``refuse`` makes it answer 550."""

    port: int
    received: list[bytes] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: bool = False

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for raw in self.received]  # type: ignore[misc]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_peer() -> Iterator[SmtpServer]:
    """A real SMTP server on a free localhost port."""
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


class LiveServer:
    """The app served in a thread of this process on a free port (``with LiveServer(app)``)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._thread.join(5)


def serve_command(port: int) -> list[str]:
    """The single-process command (threads): what the README's start command runs."""
    return [*SUPPORTDESK, "serve", "--port", str(port)]


def gunicorn_command(port: int) -> list[str]:
    """The README's production command: gunicorn's gevent worker, one per process."""
    return [sys.executable, "-m", "gunicorn", "--worker-class", "gevent", "--workers", "1",
            "--worker-connections", "4000", "--bind", f"127.0.0.1:{port}",
            "supportdesk.wsgi:app"]  # fmt: skip


def wait_until_answering(url: str, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Until ``url`` answers at all. A refused connection and a slow answer (a first request
    that warms the app up past the probe's timeout) both mean "not yet", not a failure."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(url, timeout=2)
            return
        except (requests.ConnectionError, requests.Timeout):
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(0.2)


@contextmanager
def serve_process(
    env: Mapping[str, str], command: Callable[[int], list[str]] = serve_command
) -> Iterator[str]:
    """A server process on a free port, as an operator starts it; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        command(port), env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/api/v1/openapi.json", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
