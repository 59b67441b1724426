"""The tickets tests reply on e-mail tickets (the factories' default channel): they are
about what a reply does to a ticket, so their desk can send mail, into a local outbox.
(Without any way to send, an e-mail reply is refused: tests/channels/email/test_outbound.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from supportdesk.channels.email.outbox import outbox_url


@pytest.fixture(autouse=True)
def desk_sends_mail(app: Flask, tmp_path: Path) -> Iterator[None]:
    app.config["SMTP_URL"] = outbox_url(tmp_path / "outbox")
    try:
        yield
    finally:
        app.config["SMTP_URL"] = None
