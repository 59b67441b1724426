"""Keystrokes and reads that arrive at the same moment, on SQLite and PostgreSQL: the app
served on a real socket, real threads. Whatever the interleaving, one reader shown one
article has one suggestion, one view an hour, and none of them is answered with a 500."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.knowledge.models import KbAction, KbActivity, Suggestion
from tests.factories import ArticleFactory, VisitorFactory
from tests.knowledge.test_feedback_races import all_at_once
from tests.peers import LiveServer


@pytest.fixture
def desk(app: Any) -> Any:
    with LiveServer(app) as server:
        yield server.url


def test_one_visitor_typing_in_many_tabs_at_once_has_one_suggestion_per_article(desk, app):
    ArticleFactory(title="Refund policy", body="We refund within 30 days.")
    ArticleFactory(title="Refund by card", body="Cards are refunded in 5 days.")
    token = VisitorFactory().token
    db.session.commit()
    url = f"{desk}/api/v1/kb/suggest"
    params = {"q": "refund", "surface": "widget", "visitor_token": token}

    answers = all_at_once([lambda: requests.get(url, params=params) for _ in range(10)])

    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    ids = {tuple(sorted(i["suggestion_id"] for i in a.json()["items"])) for a in answers}
    db.session.rollback()
    stored = db.session.scalars(sa.select(Suggestion.id).order_by(Suggestion.id)).all()
    assert ids == {tuple(stored)} and len(stored) == 2


def test_one_visitor_opening_an_article_in_many_tabs_at_once_viewed_it_once(desk, app):
    article = ArticleFactory(title="Refund policy")
    token = VisitorFactory().token
    db.session.commit()
    url = f"{desk}/api/v1/kb/articles/{article.id}"

    answers = all_at_once(
        [lambda: requests.get(url, params={"visitor_token": token}) for _ in range(10)]
    )

    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    db.session.rollback()
    views = db.session.scalar(
        sa.select(sa.func.count()).where(KbActivity.action == KbAction.VIEWED)
    )
    assert views == 1
