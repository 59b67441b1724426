"""Each article an agent puts into a reply from the composer is counted, and lifts its score."""

from __future__ import annotations

from typing import Any

from supportdesk.extensions import db
from supportdesk.knowledge.models import Article
from tests.factories import ArticleFactory


def test_an_article_put_into_a_reply_counts_as_used_and_rises(api: Any, client: Any) -> None:
    used = ArticleFactory(title="Warranty terms")
    unused = ArticleFactory(title="Warranty claims")
    db.session.commit()
    before = db.session.get(Article, used.id).score

    first = api.post(f"/kb/articles/{used.id}/uses")
    second = api.post(f"/kb/articles/{used.id}/uses")

    assert first.status_code == 200, first.text
    assert (first.json["reply_use_count"], second.json["reply_use_count"]) == (1, 2)
    article = api.get(f"/kb/articles/{used.id}").json
    assert article["reply_use_count"] == 2
    assert article["score"] > before
    assert api.get(f"/kb/articles/{unused.id}").json["reply_use_count"] == 0


def test_only_agents_count_uses_and_only_of_articles_there_are(api: Any, client: Any) -> None:
    article = ArticleFactory()
    db.session.commit()

    assert client.post(f"/api/v1/kb/articles/{article.id}/uses").status_code == 401
    missing = api.post("/kb/articles/999999/uses")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    assert api.get(f"/kb/articles/{article.id}").json["reply_use_count"] == 0
