"""E-mail test world: a real SMTP server (aiosmtpd) and a way to post raw mail to the hook."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

import pytest

from tests.peers import SmtpServer

INBOUND_TOKEN = "inbound-secret"  # tests/conftest.py TEST_CONFIG


@pytest.fixture
def smtp_server(app: Any, smtp_peer: SmtpServer) -> Iterator[SmtpServer]:
    """The real SMTP server, set as the app's SMTP_URL."""
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_peer.port}"
    try:
        yield smtp_peer
    finally:
        app.config["SMTP_URL"] = None


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
