"""A live server on a free port, and real Socket.IO clients (visitors and agents)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import socketio
import websocket
from flask import Flask
from flask.testing import FlaskClient

from supportdesk.extensions import db
from supportdesk.tickets.models import Message
from supportdesk.users.service import create_token
from tests.peers import LiveServer

WIDGET_SECRET = "widget-secret"
TIMEOUT = 5


class Peer:
    """One real Socket.IO client on one namespace; it keeps every event it hears."""

    def __init__(self, url: str, namespace: str, auth: dict[str, Any] | None) -> None:
        self.namespace = namespace
        self.client = socketio.SimpleClient()
        self.client.connect(
            url, namespace=namespace, auth=auth, transports=["websocket"], wait_timeout=TIMEOUT
        )
        self.heard: list[tuple[str, Any]] = []

    def call(self, event: str, data: Any = None) -> Any:
        return self.client.call(event, data, timeout=TIMEOUT)

    def emit(self, event: str, data: Any = None) -> None:
        self.client.emit(event, data)

    def wait_for(self, event: str, where: Callable[[Any], bool] = lambda _: True) -> Any:
        """The first (not yet taken) ``event`` whose payload passes ``where``."""
        for index, (name, payload) in enumerate(self.heard):
            if name == event and where(payload):
                del self.heard[index]
                return payload
        while True:
            name, *args = self.client.receive(timeout=TIMEOUT)
            payload = args[0] if args else None
            if name == event and where(payload):
                return payload
            self.heard.append((name, payload))

    def quiet(self, event: str, seconds: float = 0.5) -> list[Any]:
        """Every ``event`` heard within ``seconds``: for checking what must NOT arrive."""
        found = [payload for name, payload in self.heard if name == event]
        try:
            while True:
                name, *args = self.client.receive(timeout=seconds)
                if name == event:
                    found.append(args[0] if args else None)
                else:
                    self.heard.append((name, args[0] if args else None))
        except socketio.exceptions.TimeoutError:
            return found

    def close(self) -> None:
        self.client.disconnect()


def sign(value: str) -> str:
    return hmac.new(WIDGET_SECRET.encode(), value.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def chat_app(app: Flask, make_app: Any, smtp_peer: Any) -> Flask:
    """An app of its own: the Socket.IO server is per app, and the last one made emits."""
    return make_app(
        WIDGET_SECRET=WIDGET_SECRET,
        SMTP_URL=f"smtp://127.0.0.1:{smtp_peer.port}",
        CHAT_MESSAGE_RATE_LIMIT="5 per minute",
        CHAT_EMAIL_RATE_LIMIT="100 per minute",
        CHAT_EMAIL_RECIPIENT_RATE_LIMIT="3 per minute",
        CHAT_EMAIL_CLIENT_RATE_LIMIT="8 per minute",
    )


@pytest.fixture
def client(chat_app: Flask) -> FlaskClient:
    """REST calls go to the same app as the sockets (its SMTP server, its limits)."""
    return chat_app.test_client()


def customer_of(ack: dict[str, Any]) -> int:
    """The customer a widget message (by its ack) was filed under."""
    db.session.rollback()  # a fresh snapshot: the server just wrote it
    message = db.session.get(Message, ack["id"])
    assert message is not None, ack
    return message.ticket.customer_id


def mailed_code(smtp_peer: Any, address: str) -> str:
    """The 6-digit code in the latest mail to ``address``."""
    mail = next(m for m in reversed(smtp_peer.messages) if address in m["To"])
    match = re.search(
        r"\b(\d{6})\b",
        mail.get_content() if not mail.is_multipart() else mail.get_body(("plain",)).get_content(),
    )
    assert match, mail
    return match.group(1)


def eventually(check: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Wait for the server to have done something the client cannot be told about."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        db.session.rollback()  # a fresh snapshot each time
        time.sleep(0.02)


@pytest.fixture
def server(chat_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(chat_app) as live:
        yield live


@pytest.fixture
def peers(server: LiveServer) -> Iterator[Callable[..., Peer]]:
    opened: list[Peer] = []

    def connect(namespace: str, auth: dict[str, Any] | None = None) -> Peer:
        db.session.commit()  # what the test made is there for the server (and no lock held)
        peer = Peer(server.url, namespace, auth)
        opened.append(peer)
        return peer

    yield connect
    for peer in opened:
        peer.close()


@pytest.fixture(autouse=True)
def _quick_websocket_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """websocket-client waits 3 s for the close frame Werkzeug's server never sends
    back (the connection is already over on its side); the tests need not wait."""
    close = websocket.WebSocket.close
    monkeypatch.setattr(
        websocket.WebSocket,
        "close",
        lambda self, status=1000, reason=b"", timeout=3: close(self, status, reason, 0.05),
    )


@pytest.fixture
def visitor(peers: Callable[..., Peer]) -> Callable[..., tuple[Peer, dict[str, Any]]]:
    """A widget visitor: the connected client and the ``session`` it was given."""

    def connect(**auth: Any) -> tuple[Peer, dict[str, Any]]:
        peer = peers("/widget", auth)
        return peer, peer.wait_for("session")

    return connect


@pytest.fixture
def agent_peer(peers: Callable[..., Peer], agent: Any) -> Callable[..., Peer]:
    def connect(user: Any = None) -> Peer:
        token = create_token(db.session, user or agent)
        db.session.commit()
        return peers("/agent", {"token": token})

    return connect
