"""``GET /kb/suggest``: what a reader is offered while typing, in either language."""

from __future__ import annotations

from supportdesk.extensions import db
from tests.factories import ArticleFactory


def titles(answer) -> list[str]:
    assert answer.status_code == 200, answer.json
    return [item["title"] for item in answer.json["items"]]


def test_the_start_of_a_word_finds_the_article_with_its_address_and_a_snippet(client):
    refunds = ArticleFactory(title="Refund policy", body="We refund within 30 days.")
    ArticleFactory(title="Shipping times", body="Parcels leave within a day.")
    db.session.commit()

    answer = client.get("/api/v1/kb/suggest", query_string={"q": "refu"})

    assert titles(answer) == ["Refund policy"]
    item = answer.json["items"][0]
    assert (item["id"], item["slug"], item["locale"]) == (refunds.id, "refund-policy", "en")
    assert "<mark>" in item["snippet"]


def test_two_chinese_characters_find_their_article_and_locale_narrows(client):
    ArticleFactory(title="如何重置密码", body="打开设置，选择账户，然后重置密码。", locale="zh-CN")
    ArticleFactory(title="Reset your password", body="Open settings.", locale="en")
    db.session.commit()

    assert titles(client.get("/api/v1/kb/suggest", query_string={"q": "密码"})) == ["如何重置密码"]
    in_english = client.get("/api/v1/kb/suggest", query_string={"q": "密码", "locale": "en"})
    assert titles(in_english) == []


def test_drafts_are_never_suggested_and_five_at_most(client):
    for n in range(7):
        ArticleFactory(title=f"Router light {n}", body="The router light blinks.")
    ArticleFactory(title="Router draft", body="Not yet.", status="draft")
    db.session.commit()

    found = titles(client.get("/api/v1/kb/suggest", query_string={"q": "router"}))

    assert len(found) == 5 and "Router draft" not in found


def test_an_empty_query_or_an_unknown_locale_is_a_field_error(client):
    missing = client.get("/api/v1/kb/suggest")
    klingon = client.get("/api/v1/kb/suggest", query_string={"q": "x", "locale": "tlh"})

    assert (missing.status_code, list(missing.json["errors"])) == (422, ["q"])
    assert (klingon.status_code, list(klingon.json["errors"])) == (422, ["locale"])
