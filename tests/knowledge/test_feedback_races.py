"""Votes that arrive at the same moment, on SQLite and PostgreSQL: the app served on a real
socket, real threads posting together. Whatever the interleaving, every vote counts once
and the article's counters equal its votes table."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.knowledge import feedback
from supportdesk.knowledge.models import Article, ArticleVote
from tests.factories import ArticleFactory
from tests.knowledge.test_feedback import shown, visitor_token
from tests.peers import LiveServer


@pytest.fixture
def desk(app: Any) -> Any:
    with LiveServer(app) as server:
        yield server.url


def all_at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Every call on its own thread, released together."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> requests.Response:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def counters_and_votes(article_id: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(the article's counters, what its counted votes add up to)."""
    db.session.rollback()  # see what the server committed
    counters = db.session.execute(
        sa.select(Article.helpful_count, Article.not_helpful_count).where(Article.id == article_id)
    ).one()
    votes = db.session.execute(
        sa.select(
            sa.func.count().filter(ArticleVote.helpful),
            sa.func.count().filter(~ArticleVote.helpful),
        ).where(ArticleVote.article_id == article_id, ArticleVote.counted)
    ).one()
    return tuple(counters), tuple(votes)


@pytest.fixture
def article(app: Any) -> Any:
    made = ArticleFactory(title="Resetting the router")
    db.session.commit()
    return made


def test_twelve_readers_voting_at_once_are_all_counted(desk, article, monkeypatch):
    url = f"{desk}/api/v1/kb/articles/{article.id}/feedback"
    visitors = [visitor_token() for _ in range(6)]
    page_views = [shown(article.id, monkeypatch) for _ in range(6)]  # six browsers' pages

    def by_visitor(n: int) -> Callable[[], requests.Response]:
        return lambda: requests.post(url, json={"helpful": n % 3 != 0, "voter": visitors[n]})

    def by_browser(n: int) -> Callable[[], requests.Response]:
        body = {"helpful": n % 2 == 0, "view_token": page_views[n]}
        return lambda: requests.Session().post(url, json=body)

    answers = all_at_once([by_visitor(n) for n in range(6)] + [by_browser(n) for n in range(6)])

    assert [a.status_code for a in answers] == [200] * 12, [a.text for a in answers]
    counters, votes = counters_and_votes(article.id)
    assert counters == votes == (4 + 3, 2 + 3)


def test_one_reader_flipping_yes_and_no_at_once_leaves_one_vote_counted_once(
    desk, article, monkeypatch
):
    url = f"{desk}/api/v1/kb/articles/{article.id}/feedback"
    token = visitor_token()

    answers = all_at_once(
        [
            lambda n=n: requests.post(url, json={"helpful": n % 2 == 0, "voter": token})
            for n in range(16)
        ]
    )

    assert [a.status_code for a in answers] == [200] * 16, [a.text for a in answers]
    counters, votes = counters_and_votes(article.id)
    assert counters == votes and sum(counters) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ArticleVote)) == 1


def test_a_browser_flipping_its_vote_from_many_tabs_counts_once(desk, article, monkeypatch):
    """One cookie (the first vote set it), many tabs each with a page of its own."""
    url = f"{desk}/api/v1/kb/articles/{article.id}/feedback"
    browser = requests.Session()
    assert browser.post(url, json={"helpful": True}).status_code == 200  # gets the cookie
    tabs = [shown(article.id, monkeypatch) for _ in range(10)]

    answers = all_at_once(
        [
            lambda n=n: browser.post(url, json={"helpful": n % 2 == 1, "view_token": tabs[n]})
            for n in range(10)
        ]
    )

    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    counters, votes = counters_and_votes(article.id)
    assert counters == votes and sum(counters) == 1


def test_many_readers_changing_their_minds_at_once_keep_counters_equal_to_votes(desk, article):
    url = f"{desk}/api/v1/kb/articles/{article.id}/feedback"
    readers = [visitor_token() for _ in range(4)]
    calls = [
        lambda token=token, n=n: requests.post(url, json={"helpful": n % 2 == 0, "voter": token})
        for token in readers
        for n in range(4)
    ]

    answers = all_at_once(calls)

    assert [a.status_code for a in answers] == [200] * 16, [a.text for a in answers]
    counters, votes = counters_and_votes(article.id)
    assert counters == votes and sum(counters) == 4
    assert feedback.feedback_of(db.session, article.id, None).helpful_count == counters[0]
