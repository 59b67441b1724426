"""Agents saving articles, categories or sections named alike at the same moment, on
SQLite and PostgreSQL: the app on a real socket, real threads. Every save lands, each
under its own numbered slug (the unique index settles who got the plain one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.knowledge.models import Article, Category, Section
from supportdesk.users.service import create_token
from tests.factories import CategoryFactory, UserFactory
from tests.knowledge.test_feedback_races import all_at_once
from tests.peers import LiveServer

SAVES = 4


@pytest.fixture
def desk(app: Any) -> Any:
    with LiveServer(app) as server:
        yield server.url


def article_body() -> dict[str, Any]:
    return {"title": "Refund policy", "body": "We refund.", "locale": "en"}


def category_body() -> dict[str, Any]:
    return {"names": {"en": "Refund policy", "zh-CN": "退款政策"}}


def section_body() -> dict[str, Any]:
    category = CategoryFactory()
    db.session.commit()
    return {"category_id": category.id, "names": {"en": "Refund policy"}}


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [
        ("/api/v1/kb/articles", article_body, Article),
        ("/api/v1/kb/categories", category_body, Category),
        ("/api/v1/kb/sections", section_body, Section),
    ],
    ids=["articles", "categories", "sections"],
)
def test_things_named_alike_at_the_same_moment_all_save_under_numbered_slugs(
    desk: str, path: str, body: Callable[[], dict[str, Any]], model: type[Any]
) -> None:
    tokens = [create_token(db.session, UserFactory()) for _ in range(SAVES)]
    db.session.commit()
    fields = body()

    def save(token: str) -> Callable[[], requests.Response]:
        return lambda: requests.post(
            f"{desk}{path}", json=fields, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    answers = all_at_once([save(token) for token in tokens])

    assert [a.status_code for a in answers] == [201] * SAVES, [a.text for a in answers]
    assert sorted(a.json()["slug"] for a in answers) == [
        "refund-policy",
        "refund-policy-2",
        "refund-policy-3",
        "refund-policy-4",
    ]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == SAVES
