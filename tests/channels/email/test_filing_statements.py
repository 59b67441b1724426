"""What filing one e-mail costs in SQL, acknowledgement included.

The mail channel files thousands of messages an hour (tests/perf/email_ingest.py), and
the acknowledgement of a new ticket is filed with it: rendered, stored on the ticket,
queued, and (tasks running inline) delivered into the outbox. Every statement here is
paid on each message; the counts are the ones achieved, so a change that adds one fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from supportdesk.channels.email.inbound import receive
from supportdesk.channels.email.outbox import outbox_url
from supportdesk.extensions import db
from tests.channels.email.conftest import compose
from tests.factories import CustomerFactory
from tests.test_list_statements import statements_run

#: raw bytes saved unless we have the message already (commit); rate limit, customer by
#: address; ticket, its ``created`` event; message; its e-mail row; the inbound row
#: marked filed; then the timeline entries, the search rows and the self-service
#: suggestions the message settles, each kind in one executemany (``core.queued_writes``)
#: (commit)
NEW_TICKET_WITHOUT_ACKNOWLEDGEMENT = 11
#: and the acknowledgement: its wording and the customer's addresses (read before the
#: message it answers), the message, its e-mail row (its timeline entry and search row
#: go in the executemany of the message's); delivered by the task: the claim, the reply
#: with its message and ticket, its attachments (commit), sent (commit)
NEW_TICKET = NEW_TICKET_WITHOUT_ACKNOWLEDGEMENT + 8
#: raw bytes saved unless we have the message already (commit); rate limit, customer,
#: the ticket the In-Reply-To names (loaded with it); ticket touched, message,
#: suggestions, e-mail row; inbound row marked filed; search row, timeline entry (commit)
REPLY = 11


@pytest.fixture
def statements() -> Iterator[list[str]]:
    with statements_run() as seen:
        yield seen


@pytest.fixture
def outbox(app: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Mail "sent" lands in a local maildir; one message filed first, so that what is
    counted is the steady state (a connection in use, a customer known)."""
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "SMTP_URL", outbox_url(folder))
    CustomerFactory(name="Mei Lin", emails=["mei@example.com"])
    db.session.commit()
    receive(db.session, compose(subject="Warming up"), source="cli")
    return folder


def outbox_subjects(folder: Path) -> list[str]:
    return sorted(
        str(message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"])
        for path in (folder / "new").iterdir()
    )


def test_a_new_ticket_by_email_and_its_acknowledgement_cost_a_fixed_number_of_statements(
    outbox, statements
):
    receipt = receive(db.session, compose(subject="My router blinks red"), source="cli")

    assert receipt.ticket_id is not None and not receipt.quarantined
    assert len(statements) == NEW_TICKET, "\n".join(statements)
    # the acknowledgement went out, worded by its template
    assert any("We got your message: My router blinks red" in s for s in outbox_subjects(outbox))


def test_a_reply_by_email_costs_a_fixed_number_of_statements(outbox, statements):
    first = compose(subject="My router blinks red", message_id="<first@example.com>")
    ticket_id = receive(db.session, first, source="cli").ticket_id
    statements.clear()

    reply = compose(
        subject="Re: My router blinks red",
        body="It is still blinking.",
        headers={"In-Reply-To": "<first@example.com>"},
    )
    receipt = receive(db.session, reply, source="cli")

    assert receipt.ticket_id == ticket_id
    assert len(statements) == REPLY, "\n".join(statements)


def test_without_acknowledgements_a_new_ticket_costs_only_its_filing(
    app, outbox, statements, monkeypatch
):
    monkeypatch.setitem(app.config, "EMAIL_ACKNOWLEDGE_NEW_TICKETS", False)
    sent = outbox_subjects(outbox)

    receive(db.session, compose(subject="Printer jams"), source="cli")

    assert len(statements) == NEW_TICKET_WITHOUT_ACKNOWLEDGEMENT, "\n".join(statements)
    assert outbox_subjects(outbox) == sent
