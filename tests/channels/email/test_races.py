"""Mail that arrives all at once: a real ``supportdesk serve`` on a free port, real threads
posting to its hook at the same moment, on SQLite and on PostgreSQL.

A provider retrying, two MX hosts delivering the same message, a customer's client sending
a burst: every copy must be answered with the same ids, and nothing left behind as junk.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from supportdesk.channels.email.models import InboundEmail
from supportdesk.customers.models import Customer
from supportdesk.extensions import db
from supportdesk.tickets.models import Message, Ticket
from tests.channels.email.conftest import INBOUND_TOKEN, compose
from tests.peers import serve_process


@pytest.fixture
def desk(app: Any, database_url: str, tmp_path: Path) -> Iterator[str]:
    """``supportdesk serve`` on this test's database (migrated, emptied after the test)."""
    env = {
        **os.environ,
        "SUPPORTDESK_DATABASE_URL": database_url,
        "SUPPORTDESK_INSTANCE_PATH": str(tmp_path),
        "SUPPORTDESK_SECRET_KEY": "test-secret",
        "SUPPORTDESK_INBOUND_EMAIL_TOKEN": INBOUND_TOKEN,
        "SUPPORTDESK_SUPPORT_ADDRESS": "support@desk.example",
        "SUPPORTDESK_EMAIL_SENDER_RATE_LIMIT": "100000 per minute",
        "SUPPORTDESK_EMAIL_HOOK_RATE_LIMIT": "100000 per minute",
        "SUPPORTDESK_TASKS_IMMEDIATE": "1",
    }
    with serve_process(env) as base:
        yield base


def post_all_at_once(base: str, mails: list[bytes]) -> list[requests.Response]:
    """Every mail posted by its own thread, released together."""
    start = threading.Barrier(len(mails))

    def post(raw: bytes) -> requests.Response:
        start.wait()
        return requests.post(
            base + "/hooks/email",
            data=raw,
            headers={
                "Authorization": f"Bearer {INBOUND_TOKEN}",
                "Content-Type": "message/rfc822",
            },
            timeout=60,
        )

    with ThreadPoolExecutor(len(mails)) as pool:
        return list(pool.map(post, mails))


def count(model: Any) -> int:
    db.session.rollback()  # see what the server committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    "sender", [("Nadia Roy", "nadia.roy@example.com"), ("李娜", "Li.Na@Example.CN")]
)
def test_eight_mails_at_once_from_a_new_sender_make_one_customer_and_file_all(desk, sender):
    mails = [compose(sender=sender, subject=f"Order {n} is late") for n in range(8)]

    responses = post_all_at_once(desk, mails)

    assert [r.status_code for r in responses] == [202] * 8, [r.text for r in responses]
    receipts = [r.json() for r in responses]
    assert [r["quarantined"] for r in receipts] == [False] * 8
    assert count(Customer) == 1
    owners = db.session.scalars(
        sa.select(Ticket.customer_id).where(Ticket.id.in_([r["ticket_id"] for r in receipts]))
    ).all()
    assert len(owners) == 8 and len(set(owners)) == 1
    assert count(InboundEmail) == 8


def test_five_copies_of_one_message_at_once_file_one_and_answer_all_with_its_ids(desk):
    raw = compose(sender=("Nadia Roy", "nadia.roy@example.com"), subject="Refund, please")

    responses = post_all_at_once(desk, [raw] * 5)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 200, 200, 200, 202], [r.text for r in responses]
    ids = {(r.json()["ticket_id"], r.json()["message_id"]) for r in responses}
    assert len(ids) == 1 and None not in next(iter(ids))
    assert not any(r.json()["quarantined"] for r in responses)
    # No junk: one raw message kept, one ticket, one customer message, one customer.
    assert count(InboundEmail) == 1
    assert count(Ticket) == 1
    db.session.rollback()
    inbound = db.session.scalars(sa.select(Message).where(Message.direction == "inbound")).all()
    assert len(inbound) == 1
    assert count(Customer) == 1
