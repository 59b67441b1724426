"""A real HTTP server on localhost standing in for the company's other systems."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask

from supportdesk.extensions import db
from supportdesk.integrations import service
from supportdesk.users.service import create_token
from tests.conftest import ApiClient
from tests.factories import UserFactory

SECRET = "s3cret-shared-with-the-crm"


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Behaviour:
    """What the server answers next: a status, raw bytes, after a pause, with headers."""

    status: int = 200
    body: bytes = b'{"plan": "Pro"}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class ContextPeer:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.behaviour = Behaviour()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                peer.seen.append(Seen(self.path, dict(self.headers.items()), body))
                answer = peer.behaviour
                time.sleep(answer.delay)
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", **answer.headers}
                headers.setdefault("Content-Length", str(len(answer.body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.block_on_close = False  # a slow answer still sleeping ends with the test
        self.url = f"http://127.0.0.1:{self.server.server_port}/context"

    def answer(self, body: Any = None, **behaviour: Any) -> None:
        raw = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        self.behaviour = Behaviour(**({"body": raw} if raw is not None else {}), **behaviour)


@contextmanager
def serving(peer: ContextPeer) -> Iterator[ContextPeer]:
    threading.Thread(target=peer.server.serve_forever, daemon=True).start()
    try:
        yield peer
    finally:
        peer.server.shutdown()
        peer.server.server_close()


@pytest.fixture
def context_peer() -> Iterator[ContextPeer]:
    with serving(ContextPeer()) as peer:
        yield peer


@pytest.fixture(autouse=True)
def _fresh_answer_cache(app: Flask) -> None:
    """Each test starts with nothing cached (the app, and so its cache, is the session's)."""
    service._cache().clear()


@pytest.fixture
def admin_api(api: ApiClient) -> ApiClient:
    admin = UserFactory(role="admin", name="Ana Admin")
    token = create_token(db.session, admin)
    db.session.commit()
    return ApiClient(api.client, token)


@pytest.fixture
def add_integration(admin_api: ApiClient) -> Callable[..., dict[str, Any]]:
    def add(url: str, **fields: Any) -> dict[str, Any]:
        body = {"name": "CRM", "url": url, "secret": SECRET, **fields}
        response = admin_api.post("/integrations", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return add
