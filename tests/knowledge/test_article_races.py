"""Two agents saving articles with the same title at the same moment, on SQLite and
PostgreSQL: the app on a real socket, real threads. Both saves land, under two slugs."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.knowledge.models import Article
from supportdesk.users.service import create_token
from tests.factories import UserFactory
from tests.knowledge.test_feedback_races import all_at_once
from tests.peers import LiveServer


@pytest.fixture
def desk(app: Any) -> Any:
    with LiveServer(app) as server:
        yield server.url


def test_articles_titled_alike_at_the_same_moment_both_save_under_numbered_slugs(desk):
    tokens = [create_token(db.session, UserFactory()) for _ in range(4)]
    db.session.commit()

    def save(token: str) -> Any:
        return lambda: requests.post(
            f"{desk}/api/v1/kb/articles",
            json={"title": "Refund policy", "body": "We refund.", "locale": "en"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    answers = all_at_once([save(token) for token in tokens])

    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    assert sorted(a.json()["slug"] for a in answers) == [
        "refund-policy",
        "refund-policy-2",
        "refund-policy-3",
        "refund-policy-4",
    ]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Article)) == 4
