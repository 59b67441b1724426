"""The help center's pages: readable without JavaScript, indexable, in both languages,
published articles only; a reader votes with a plain form and can change their mind."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from supportdesk.channels.web.words import WORDS
from supportdesk.customers.language import DESK_LOCALES
from supportdesk.extensions import db
from supportdesk.knowledge.models import Article, ArticleVote
from tests.channels.web.conftest import Shelf, aged_page, view_token


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_every_word_is_in_both_languages() -> None:
    missing = [key for key, words in WORDS.items() if set(words) != set(DESK_LOCALES)]
    assert missing == []


@pytest.mark.parametrize(
    ("accept", "home"),
    [("zh-CN,zh;q=0.9", "/help/zh-CN/"), ("en-GB", "/help/en/"), ("", "/help/en/")],
)
def test_help_sends_readers_to_their_language(client: Any, accept: str, home: str) -> None:
    response = client.get("/help", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == home


@pytest.mark.parametrize(
    ("path", "accept", "page"),
    [
        ("/help/portal", "zh-CN,zh;q=0.9", "/help/zh-CN/portal"),
        ("/help/portal/sent", "en-GB", "/help/en/portal/sent"),
        ("/help/search?q=refund", "", "/help/en/search?q=refund"),
    ],
)
def test_a_page_written_without_its_language_opens_in_the_readers(
    client: Any, path: str, accept: str, page: str
) -> None:
    response = client.get(path, headers={"Accept-Language": accept}, follow_redirects=True)

    assert response.status_code == 200
    assert response.history[-1].headers["Location"] == page


def test_an_address_that_is_no_page_in_any_language_is_the_help_centers_404(client: Any) -> None:
    for path in ("/help/no-such-page", "/help/fr/portal", "/help/en/no-such-page"):
        response = client.get(path, headers={"Accept-Language": "zh-CN"}, follow_redirects=True)

        assert response.status_code == 404, path
        assert "页面未找到" in response.get_data(as_text=True), path


def test_the_workspace_does_not_answer_for_the_help_center(client: Any, shelf: Shelf) -> None:
    page = text(client.get("/help/en/"))
    assert "How can we help?" in page and 'id="app"' not in page


def test_home_lists_top_articles_by_score_and_categories(client: Any, shelf: Shelf) -> None:
    db.session.execute(sa.update(Article).where(Article.id == shelf.refund.id).values(score=50))
    db.session.commit()
    page = text(client.get("/help/en/"))
    titles = re.findall(r'<li><a href="/help/en/articles/[^"]+">([^<]+)</a></li>', page)
    assert titles == ["Refund policy", "Reset your password"]
    assert "Billing" in page and "Payments and refunds" in page
    assert "Secret launch plans" not in page
    assert '<link rel="canonical" href="http://localhost/help/en/">' in page
    zh = text(client.get("/help/zh-CN/"))
    assert '<html lang="zh-CN">' in zh and "退款政策" in zh and "Refund policy" not in zh


def test_category_page_lists_sections_then_the_rest(client: Any, shelf: Shelf) -> None:
    page = text(client.get(f"/help/en/categories/{shelf.category.slug}"))
    assert page.index("Refunds") < page.index("Refund policy") < page.index("Reset your password")
    assert "<title>Billing · Help Center</title>" in page


def test_article_page_is_indexable_with_its_translation(client: Any, shelf: Shelf) -> None:
    page = text(client.get(f"/help/en/articles/{shelf.refund.slug}"))
    zh_url = f"/help/zh-CN/articles/{quote(shelf.refund_zh.slug)}"
    assert "<title>Refund policy · Help Center</title>" in page
    assert '<meta name="description" content="You can ask for a refund within 30 days' in page
    assert (
        f'<link rel="canonical" href="http://localhost/help/en/articles/{shelf.refund.slug}">'
        in page
    )
    assert f'hreflang="zh-CN" href="http://localhost{zh_url}"' in page
    assert (
        f'hreflang="x-default" href="http://localhost/help/en/articles/{shelf.refund.slug}"' in page
    )
    assert '<meta property="og:title" content="Refund policy · Help Center">' in page
    assert "<strong>refund</strong>" in page  # the rendered body
    # the language switch goes to the translation
    assert f'<a href="{zh_url}" hreflang="zh-CN" lang="zh-CN">简体中文</a>' in page
    # an article without a translation: no hreflang, the switch goes home
    alone = text(client.get(f"/help/en/articles/{shelf.reset.slug}"))
    assert 'hreflang="x-default"' not in alone
    assert '<a href="/help/zh-CN/" hreflang="zh-CN" lang="zh-CN">' in alone
    assert "Related articles" in alone and "Refund policy" in alone


def test_drafts_and_other_locales_answer_404(client: Any, shelf: Shelf) -> None:
    for url in (
        f"/help/en/articles/{shelf.draft.slug}",
        f"/help/zh-CN/articles/{shelf.refund.slug}",  # the English slug is not a Chinese page
        "/help/fr/",
        "/help/en/categories/nope",
        "/help/en/no/such/page",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.get_data(
            as_text=True
        ) or "页面未找到" in response.get_data(as_text=True)


def test_sitemap_lists_published_articles_with_alternates(client: Any, shelf: Shelf) -> None:
    response = client.get("/help/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    assert f"http://localhost/help/en/articles/{shelf.refund.slug}" in locs
    assert f"http://localhost/help/zh-CN/articles/{quote(shelf.refund_zh.slug)}" in locs
    assert not any(shelf.draft.slug in (loc or "") for loc in locs)
    refund = next(
        u
        for u in root.findall("s:url", ns)
        if u.findtext("s:loc", namespaces=ns).endswith(shelf.refund.slug)
    )
    assert {link.get("hreflang") for link in refund.findall("x:link", ns)} == {"en", "zh-CN"}
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Allow: /help/" in robots and "Sitemap: http://localhost/help/sitemap.xml" in robots


def test_search_page_marks_what_it_found_in_both_languages(client: Any, shelf: Shelf) -> None:
    page = text(client.get("/help/en/search?q=refund"))
    assert "<mark>Refund</mark> policy" in page
    assert '<meta name="robots" content="noindex, follow">' in page
    zh = text(client.get("/help/zh-CN/search", query_string={"q": "退款"}))
    assert "<mark>退款</mark>政策" in zh


def test_search_escapes_the_query_and_offers_the_form_when_nothing_is_found(
    client: Any, shelf: Shelf
) -> None:
    page = text(client.get("/help/en/search", query_string={"q": "<script>x</script>"}))
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert "We found nothing for" in page
    assert 'href="/help/requests/new?locale=en&amp;subject=%3Cscript%3Ex%3C/script%3E"' in page


def test_a_reader_votes_without_javascript_and_changes_their_mind(
    client: Any, shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/help/en/articles/{shelf.refund.slug}"
    token = view_token(text(aged_page(client, url, monkeypatch)))
    action = f"{url}/feedback"
    response = client.post(action, data={"helpful": "yes", "view_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("#feedback")
    page = text(client.get(url))
    assert "You found this helpful." in page
    assert '<button type="submit" name="helpful" value="yes" aria-pressed="true">' in page
    assert "1 of 1 readers found this helpful" in page

    client.post(action, data={"helpful": "no", "view_token": token, "comment": "No dates"})
    page = text(client.get(url))
    assert "You found this not helpful." in page and "Still need help?" in page
    assert ">No dates</textarea>" in page
    assert "0 of 1 readers found this helpful" in page
    db.session.rollback()
    votes = db.session.scalars(
        sa.select(ArticleVote).where(ArticleVote.article_id == shelf.refund.id)
    ).all()
    assert [(v.helpful, v.counted, v.comment) for v in votes] == [(False, True, "No dates")]


def test_the_honeypot_keeps_a_bots_vote_nowhere(
    client: Any, shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/help/en/articles/{shelf.refund.slug}"
    token = view_token(text(aged_page(client, url, monkeypatch)))
    data = {"helpful": "yes", "view_token": token, "website": "http://spam.example"}
    assert client.post(f"{url}/feedback", data=data).status_code == 303
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ArticleVote)) == 0


def test_pages_are_rate_limited_per_caller(make_app: Any, shelf: Shelf) -> None:
    client = make_app(RATELIMIT_DEFAULT="3 per minute").test_client()
    answers = [client.get("/help/en/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
