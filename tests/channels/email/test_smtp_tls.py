"""Replies go out over encrypted SMTP too: STARTTLS on 587 and implicit TLS (smtps) on 465."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

from supportdesk.extensions import db
from tests.factories import TicketFactory
from tests.peers import SmtpServer, free_port


@pytest.fixture
def certificate_authority(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A test CA the desk trusts, as a company's own mail relay's CA would be."""
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return ca


def tls_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def serve(**tls: Any) -> Iterator[SmtpServer]:
    """A real SMTP server with the TLS settings given (aiosmtpd Controller arguments)."""
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port, **tls)
    controller.start()
    yield server
    controller.stop()


@pytest.fixture
def starttls_server(certificate_authority: trustme.CA) -> Iterator[SmtpServer]:
    yield from serve(
        tls_context=tls_context(certificate_authority),
        require_starttls=True,
        auth_require_tls=True,
    )


@pytest.fixture
def smtps_server(certificate_authority: trustme.CA) -> Iterator[SmtpServer]:
    yield from serve(ssl_context=tls_context(certificate_authority))


def reply_by_email(api: Any) -> dict[str, Any]:
    ticket = TicketFactory(channel="chat", body="Hello?")
    db.session.commit()
    sent = api.post(f"/tickets/{ticket.id}/messages", json={"body": "Hi!", "channel": "email"})
    assert sent.status_code == 201, sent.json
    return api.get(f"/messages/{sent.json['id']}/email").json


def test_a_reply_goes_out_over_starttls(app, api, starttls_server, monkeypatch):
    monkeypatch.setitem(
        app.config, "SMTP_URL", f"smtp://127.0.0.1:{starttls_server.port}?starttls=1"
    )

    details = reply_by_email(api)

    assert details["delivery_status"] == "sent", details
    [mail] = starttls_server.messages
    assert mail.get_body(("plain",)).get_content().strip() == "Hi!"


def test_without_starttls_the_server_refuses_and_the_reply_says_so(
    app, api, starttls_server, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{starttls_server.port}")

    details = reply_by_email(api)

    assert details["delivery_status"] in {"queued", "failed"}
    assert "STARTTLS" in details["delivery_error"]
    assert starttls_server.received == []


def test_a_reply_goes_out_over_smtps(app, api, smtps_server, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtps://127.0.0.1:{smtps_server.port}")

    details = reply_by_email(api)

    assert details["delivery_status"] == "sent", details
    assert len(smtps_server.received) == 1


def test_an_untrusted_certificate_is_not_accepted(app, api, smtps_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent.pem")  # the test CA is not trusted now
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtps://127.0.0.1:{smtps_server.port}")

    details = reply_by_email(api)

    assert details["delivery_status"] == "queued"
    assert "CERTIFICATE_VERIFY_FAILED" in details["delivery_error"]
    assert smtps_server.received == []
