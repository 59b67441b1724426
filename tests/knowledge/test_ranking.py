"""What rises and what sinks: the score's order on built scenarios, and its counters under load."""

from __future__ import annotations

import math
import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.knowledge import ranking
from supportdesk.knowledge.models import Article
from tests.factories import ArticleFactory
from tests.test_list_statements import statements_run

pytestmark = pytest.mark.usefixtures("app")


def built(
    title: str,
    *,
    views: int = 0,
    helpful: int = 0,
    not_helpful: int = 0,
    deflections: int = 0,
    reply_uses: int = 0,
    days_ago: float = 0,
) -> Article:
    """An article with this history: its uses ``days_ago``, its votes as they came."""
    article = ArticleFactory(title=title)
    at = utcnow() - timedelta(days=days_ago)
    for record, times in (
        (ranking.record_view, views),
        (ranking.record_deflection, deflections),
        (ranking.record_reply_use, reply_uses),
    ):
        for _ in range(times):
            record(db.session, article, at=at)
    for _ in range(helpful):
        ranking.record_votes(db.session, article, helpful=1, not_helpful=0)
    for _ in range(not_helpful):
        ranking.record_votes(db.session, article, helpful=0, not_helpful=1)
    db.session.commit()
    return article


def listed(client: Any) -> list[str]:
    """The help center's order: the public list, best first."""
    answer = client.get("/api/v1/kb/articles", query_string={"sort": "score"})
    assert answer.status_code == 200, answer.json
    return [item["title"] for item in answer.json["items"]]


def test_one_lucky_vote_does_not_beat_a_hundred_good_ones(client):
    built("Lucky", views=100, helpful=1)
    built("Proven", views=100, helpful=95, not_helpful=5)
    built("Unrated", views=100)

    assert listed(client) == ["Proven", "Lucky", "Unrated"]


def test_a_much_used_article_beats_an_unused_one_with_equal_votes(client):
    built("Unused", helpful=8, not_helpful=2)
    built("Used", views=300, helpful=8, not_helpful=2)

    assert listed(client) == ["Used", "Unused"]


def test_old_use_decays_and_scores_written_apart_compare_as_they_stand_now(client):
    built("Popular last spring", views=100, days_ago=180)
    built("Read this week", views=20, days_ago=3)
    built("Less popular last spring", views=50, days_ago=180)

    assert listed(client) == ["Read this week", "Popular last spring", "Less popular last spring"]


def test_a_use_counts_half_after_a_half_life():
    then = built("Then", views=2, days_ago=ranking.HALF_LIFE.days)
    now = built("Now", views=1)

    assert then.score == pytest.approx(now.score, abs=1e-3)
    a_half_life_ago = utcnow() - ranking.HALF_LIFE
    assert ranking.clock() - ranking.clock(a_half_life_ago) == pytest.approx(math.log(2))


def test_a_poorly_rated_article_sinks_below_less_read_ones(client):
    built("Much read, poorly rated", views=200)
    built("Read a little", views=30)
    assert listed(client) == ["Much read, poorly rated", "Read a little"]

    article = db.session.scalar(sa.select(Article).where(Article.title.startswith("Much read")))
    for _ in range(45):
        ranking.record_votes(db.session, article, helpful=0, not_helpful=1)
    ranking.record_votes(db.session, article, helpful=5, not_helpful=0)
    db.session.commit()

    assert listed(client) == ["Read a little", "Much read, poorly rated"]


def test_an_article_agents_use_in_replies_or_that_deflects_outranks_one_only_as_read(client):
    built("Only read", views=20)
    built("Used in replies", reply_uses=5)
    built("Deflects", deflections=5)

    assert listed(client)[-1] == "Only read"


def test_a_replaced_vote_moves_the_score_back_exactly():
    article = built("Replaced", views=10, helpful=3)
    before = article.score

    ranking.record_votes(db.session, article, helpful=1, not_helpful=0)
    ranking.record_votes(db.session, article, helpful=-1, not_helpful=1)
    ranking.record_votes(db.session, article, helpful=0, not_helpful=-1)
    db.session.commit()

    assert (article.helpful_count, article.not_helpful_count) == (3, 0)
    assert article.score == pytest.approx(before, abs=1e-9)


def test_a_view_is_one_update_and_the_article_reads_it_without_a_reload():
    article = built("Counted", views=1)
    db.session.expire_all()
    db.session.refresh(article)

    with statements_run() as statements:
        ranking.record_view(db.session, article)
        assert article.view_count == 2 and article.score_updated_at is not None

    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("UPDATE")


def test_views_at_once_from_many_threads_are_all_counted(app):
    article_id = built("Busy").id  # read here: the threads have sessions of their own
    at = utcnow()
    start = threading.Barrier(12)
    failures: list[BaseException] = []

    def view() -> None:
        with app.app_context():
            try:
                start.wait()
                ranking.record_view(db.session, db.session.get(Article, article_id), at=at)
                db.session.commit()
            except BaseException as error:  # reported below, on the test's thread
                failures.append(error)
                raise

    threads = [threading.Thread(target=view) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert failures == []
    db.session.expire_all()
    stored = db.session.get(Article, article_id)
    assert stored.view_count == 12
    assert stored.score == pytest.approx(math.log(1 + 12 * math.exp(ranking.clock(at))), abs=1e-9)


def test_refresh_score_reads_counters_as_if_all_use_came_now():
    counted = built("Counted one by one", views=7, deflections=2, helpful=4, not_helpful=1)
    by_hand = ArticleFactory(title="Set by hand")
    by_hand.view_count, by_hand.deflection_count = 7, 2
    by_hand.helpful_count, by_hand.not_helpful_count = 4, 1

    ranking.refresh_score(by_hand)

    assert by_hand.score == pytest.approx(counted.score, abs=1e-3)


def test_score_now_takes_the_calendar_out():
    article = built("Once", views=1)
    later = utcnow() + ranking.HALF_LIFE

    now_score = db.session.scalar(sa.select(ranking.score_now()).where(Article.id == article.id))
    later_score = db.session.scalar(
        sa.select(ranking.score_now(later)).where(Article.id == article.id)
    )

    assert now_score == pytest.approx(0.0, abs=1e-3)  # one view, just now: ln 1
    assert later_score == pytest.approx(-math.log(2), abs=1e-3)


@pytest.mark.parametrize(
    ("positive", "total", "lower", "upper"),
    [(0, 0, 0.0, 1.0), (1, 1, 0.2065, 1.0), (95, 100, 0.8883, 0.9785), (1, 10, 0.0179, 0.4042)],
)
def test_the_wilson_interval(positive, total, lower, upper):
    assert ranking.wilson_bounds(positive, total) == pytest.approx((lower, upper), abs=1e-4)


def test_no_votes_are_neutral_and_confident_no_votes_are_below_them():
    assert ranking.quality(0, 0) == 0
    assert ranking.quality(0, 50) < ranking.quality(1, 0) < ranking.quality(95, 5)
    assert ranking.quality(0, 50) < 0 < ranking.quality(1, 0)
