"""Migration 0006: addresses once typed into the chat as identities become claims."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from supportdesk.channels.chat.models import Visitor
from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.customers.identities import IdentityKind
from supportdesk.customers.service import find_by_identity
from supportdesk.extensions import db


def _insert(table: str, **values: Any) -> int:
    """A row as the old schema held it (the models describe the new one)."""
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = sa.text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id")
    times = [sa.bindparam(name, type_=UTCDateTime) for name in values if name.endswith("_at")]
    return int(db.session.execute(statement.bindparams(*times), values).scalar_one())


def _customer(name: str, *emails: tuple[str, bool], visitor: bool, channel: str | None) -> int:
    now = utcnow()
    customer_id = _insert("customers", name=name, created_at=now, updated_at=now)
    for address, verified in emails:
        _insert(
            "identities",
            customer_id=customer_id,
            kind="email",
            value=address,
            verified=verified,
            created_at=now,
        )
    if visitor:
        _insert(
            "chat_visitors",
            token_hash=f"{customer_id:064d}",
            customer_id=customer_id,
            verified=False,
            created_at=now,
            last_seen_at=now,
        )
    if channel:
        _insert(
            "tickets",
            subject="s",
            channel=channel,
            customer_id=customer_id,
            status="new",
            priority="normal",
            created_at=now,
            updated_at=now,
        )
    return customer_id


def test_a_typed_address_of_a_widget_customer_becomes_a_claim(app: Any) -> None:
    db.session.remove()
    downgrade(revision="0005")
    typist = _customer("Visitor 1", ("owner@mail.example", False), visitor=True, channel="chat")
    mailer = _customer("Mei", ("mei@mail.example", False), visitor=True, channel="email")
    proven = _customer("Li", ("li@mail.example", True), visitor=True, channel="chat")
    db.session.commit()
    db.session.remove()

    upgrade()

    assert find_by_identity(db.session, IdentityKind.EMAIL, "owner@mail.example") is None
    claimed = db.session.scalar(sa.select(Visitor.claimed_email).filter_by(customer_id=typist))
    assert claimed == "owner@mail.example"
    found = find_by_identity(db.session, IdentityKind.EMAIL, "mei@mail.example")
    assert found is not None and found.id == mailer  # it wrote by e-mail: its address stays
    found = find_by_identity(db.session, IdentityKind.EMAIL, "li@mail.example")
    assert found is not None and found.id == proven
