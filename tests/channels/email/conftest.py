"""E-mail test world: a real SMTP server (aiosmtpd) and a way to post raw mail to the hook."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

import pytest
from aiosmtpd.controller import Controller

INBOUND_TOKEN = "inbound-secret"  # tests/conftest.py TEST_CONFIG


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
def smtp_server(app: Any) -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{server.port}"
    try:
        yield server
    finally:
        app.config["SMTP_URL"] = None
        controller.stop()


def compose(
    *,
    sender: tuple[str, str] = ("Mei Lin", "mei@example.com"),
    to: str = "support@desk.example",
    subject: str = "My router blinks red",
    body: str = "It has been blinking since this morning.",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain e-mail as a customer's client would send it."""
    mail = EmailMessage()
    mail["From"] = formataddr(sender)
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or make_msgid(domain="example.com")
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    return bytes(mail)


@pytest.fixture
def post_email(client: Any) -> Any:
    """POST raw mail to /hooks/email as the MTA or mail provider would."""

    def post(raw: bytes, token: str = INBOUND_TOKEN, **headers: str) -> Any:
        return client.post(
            "/hooks/email",
            data=raw,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "message/rfc822",
                **headers,
            },
        )

    return post
