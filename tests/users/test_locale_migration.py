"""Migration 0015: accounts that still hold the old default ``en`` follow their browser."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from supportdesk.core.time import UTCDateTime, utcnow
from supportdesk.extensions import db
from supportdesk.users.models import User


def _account(email: str, **preferences: str) -> None:
    """An account as schema 0014 held it (``locale`` left out takes its server default)."""
    values = {"email": email, "name": email, "role": "agent", "password_hash": "x"}
    values |= {"active": True, "created_at": utcnow(), **preferences}
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = sa.text(f"INSERT INTO users ({columns}) VALUES ({marks})")
    db.session.execute(statement.bindparams(sa.bindparam("created_at", type_=UTCDateTime)), values)


def _locales() -> dict[str, str | None]:
    return dict(db.session.execute(sa.select(User.email, User.locale)).all())


def test_the_old_default_follows_the_browser_and_a_chosen_chinese_stays(app: Any) -> None:
    db.session.remove()
    downgrade(revision="0014")
    _account("never@desk.example")
    _account("english@desk.example", locale="en")
    _account("mei@desk.example", locale="zh-CN")
    db.session.commit()
    db.session.remove()

    upgrade()

    assert _locales() == {
        "never@desk.example": None,
        "english@desk.example": None,  # the same row as "never chose": nothing told them apart
        "mei@desk.example": "zh-CN",
    }


def test_downgrading_gives_the_browsers_followers_english_again(app: Any) -> None:
    db.session.add_all(
        [
            User(email="new@desk.example", name="N", role="agent", password_hash="x"),
            User(
                email="li@desk.example", name="L", role="agent", password_hash="x", locale="zh-CN"
            ),
        ]
    )
    db.session.commit()
    db.session.remove()

    downgrade(revision="0014")

    rows = db.session.execute(sa.text("SELECT email, locale FROM users")).all()
    assert dict(rows) == {"new@desk.example": "en", "li@desk.example": "zh-CN"}
    db.session.remove()
    upgrade()
