"""The list of articles: by score or recency, page by page, filtered, searched."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from tests.factories import ArticleFactory, CategoryFactory, SectionFactory


def _scored(*scores: float, **fields: Any) -> list[Any]:
    articles = []
    for n, score in enumerate(scores):
        article = ArticleFactory(title=f"Article {n}", **fields)
        article.score = score
        articles.append(article)
    db.session.commit()
    return articles


def _walk_public(client: Any, **params: Any) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/kb/articles", query_string=query)
        assert page.status_code == 200, page.json
        items.extend(page.json["items"])
        if not (cursor := page.json["next_cursor"]):
            return items


def test_the_list_puts_the_best_scored_first_page_after_page(client):
    articles = _scored(0.2, 0.9, 0.5, 0.9, 0.0, 0.75)

    listed = _walk_public(client, limit=2)

    by_score = sorted(articles, key=lambda a: (a.score, a.id), reverse=True)
    assert [a["id"] for a in listed] == [a.id for a in by_score]
    assert [a["score"] for a in listed] == [0.9, 0.9, 0.75, 0.5, 0.2, 0.0]
    assert "body" not in listed[0] and "body_html" not in listed[0]


def test_recent_lists_the_last_saved_first(api):
    old, new, middle = _scored(1.0, 0.0, 0.5)
    now = utcnow()
    for article, days in ((old, 9), (new, 1), (middle, 5)):
        article.updated_at = now - timedelta(days=days)
    db.session.commit()

    listed = api.walk("/kb/articles", sort="recent", limit=1)

    assert [a["id"] for a in listed] == [new.id, middle.id, old.id]


def test_a_score_cursor_is_refused_by_the_recent_order(client):
    _scored(0.1, 0.2, 0.3)
    cursor = client.get("/api/v1/kb/articles", query_string={"limit": 1}).json["next_cursor"]

    mixed = client.get("/api/v1/kb/articles", query_string={"sort": "recent", "cursor": cursor})

    assert mixed.status_code == 422 and "cursor" in mixed.json["errors"]


def test_readers_list_published_articles_and_agents_filter_by_status(api, client):
    published = ArticleFactory(title="Out there")
    draft = ArticleFactory(title="Not yet", status="draft")
    db.session.commit()

    assert [a["id"] for a in _walk_public(client)] == [published.id]
    assert [a["id"] for a in _walk_public(client, status="draft")] == [published.id]
    assert {a["id"] for a in api.walk("/kb/articles")} == {published.id, draft.id}
    assert [a["id"] for a in api.walk("/kb/articles", status="draft")] == [draft.id]
    assert api.get("/kb/articles").json["items"][0]["owner"] is None  # the factory's: nobody's


def test_the_list_filters_by_locale_category_and_section(client):
    section = SectionFactory()
    english = ArticleFactory(title="Cleaning", section_id=section.id)
    chinese = ArticleFactory(title="清洁", locale="zh-CN", category_id=section.category_id)
    ArticleFactory(title="Elsewhere", category_id=CategoryFactory().id)
    db.session.commit()

    assert [a["id"] for a in _walk_public(client, locale="zh-CN")] == [chinese.id]
    in_category = _walk_public(client, category_id=section.category_id)
    assert {a["id"] for a in in_category} == {english.id, chinese.id}
    assert [a["id"] for a in _walk_public(client, section_id=section.id)] == [english.id]


def test_the_list_accepts_the_widgets_visitor_token(client):
    article = ArticleFactory()
    db.session.commit()

    listed = client.get("/api/v1/kb/articles", query_string={"visitor_token": "v-123"})

    assert [a["id"] for a in listed.json["items"]] == [article.id]


def test_words_find_articles_best_match_first_in_either_language(api, client):
    ArticleFactory(title="Shipping times", body="Orders ship in two days.")
    refund = ArticleFactory(title="Refund policy", body="We refund any order within 30 days.")
    chinese = ArticleFactory(title="退款政策", body="三十天内全额退款。", locale="zh-CN")
    ArticleFactory(title="退款草稿", body="退款", locale="zh-CN", status="draft")
    db.session.commit()

    english = client.get("/api/v1/kb/articles", query_string={"q": "refund"}).json["items"]
    found = client.get("/api/v1/kb/articles", query_string={"q": "退款"}).json["items"]

    assert english[0]["id"] == refund.id and english[0]["snippet"]
    assert [a["id"] for a in found] == [chinese.id]  # the draft is the agents'
    assert len(api.get("/kb/articles", query_string={"q": "退款"}).json["items"]) == 2


def test_search_results_page_with_a_cursor(client):
    for n in range(7):
        ArticleFactory(title=f"Descaling guide {n}", body="descale the machine monthly")
    db.session.commit()

    listed = _walk_public(client, q="descale", limit=3)

    assert len(listed) == len({a["id"] for a in listed}) == 7
