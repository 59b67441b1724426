"""Articles through the API: agents write them, readers find the published ones."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from supportdesk.extensions import db
from supportdesk.knowledge.models import Article, TranslationGroup
from tests.factories import ArticleFactory, CategoryFactory, SectionFactory, UserFactory

CONTRACT_FIELDS = {
    "id", "slug", "title", "body", "body_html", "locale", "category_id", "status",
    "helpful_count", "not_helpful_count", "updated_at",
}  # fmt: skip


def test_an_agent_writes_an_article_and_a_reader_reads_it(api, client, agent):
    category = CategoryFactory()
    db.session.commit()

    created = api.post(
        "/kb/articles",
        json={
            "title": "Refund policy",
            "body": "# Refunds\n\nWithin **30 days**, in full.",
            "locale": "en",
            "category_id": category.id,
            "status": "published",
        },
    )

    assert created.status_code == 201, created.json
    article = created.json
    assert article.keys() >= CONTRACT_FIELDS
    assert article["slug"] == "refund-policy"
    assert (
        article["body_html"]
        == "<h1>Refunds</h1>\n<p>Within <strong>30 days</strong>, in full.</p>\n"
    )
    assert (article["version"], article["status"], article["category_id"]) == (
        1,
        "published",
        category.id,
    )
    assert article["owner"] == {"id": agent.id, "name": agent.name}
    assert article["published_at"] and article["description"] == "Refunds Within 30 days, in full."
    read = client.get(f"/api/v1/kb/articles/{article['id']}")
    assert read.status_code == 200
    assert read.json["title"] == "Refund policy" and read.json["owner"] is None
    assert client.get("/api/v1/kb/articles/refund-policy").json["id"] == article["id"]


def test_a_draft_is_not_there_for_the_public_but_is_for_agents(api, client):
    draft = ArticleFactory(title="Upcoming price change", status="draft")
    db.session.commit()

    for address in (str(draft.id), draft.slug):
        public = client.get(f"/api/v1/kb/articles/{address}")
        assert public.status_code == 404, address
        assert public.content_type == "application/problem+json"
        assert api.get(f"/kb/articles/{address}").json["status"] == "draft"
    assert client.get("/api/v1/kb/articles").json["items"] == []
    assert [a["id"] for a in api.get("/kb/articles").json["items"]] == [draft.id]


def test_a_chinese_title_keeps_its_words_in_the_slug(api, client):
    created = api.post(
        "/kb/articles",
        json={
            "title": "如何重置密码？",
            "body": "点击“忘记密码”。",
            "locale": "zh-CN",
            "status": "published",
        },
    )

    assert created.json["slug"] == "如何重置密码"
    read = client.get(
        f"/api/v1/kb/articles/{quote('如何重置密码')}", query_string={"locale": "zh-CN"}
    )
    assert read.status_code == 200 and read.json["id"] == created.json["id"]
    assert (
        client.get(
            f"/api/v1/kb/articles/{quote('如何重置密码')}", query_string={"locale": "en"}
        ).status_code
        == 404
    )


def test_slugs_are_unique_per_locale_numbered_when_generated_and_409_when_given(api):
    def create(**fields):
        return api.post("/kb/articles", json={"body": "x", "locale": "en", **fields})

    first = create(title="Shipping times")
    second = create(title="Shipping times!")
    chinese = create(title="Shipping times", locale="zh-CN")
    taken = create(title="Anything", slug="shipping-times")
    renamed = create(title="Anything", slug="Shipping Times 2")

    assert [first.json["slug"], second.json["slug"]] == ["shipping-times", "shipping-times-2"]
    assert chinese.json["slug"] == "shipping-times"  # another locale: free there
    assert taken.status_code == 409, taken.json
    assert renamed.status_code == 409  # made canonical, it is the second one's
    digits = create(title="Anything", slug="2024")
    assert digits.status_code == 422 and "slug" in digits.json["errors"]
    assert create(title="2024").json["slug"] == "article-2024"


def test_every_save_keeps_a_version_and_publishing_sets_published_at(api):
    article = api.post(
        "/kb/articles", json={"title": "Descaling", "body": "v1", "locale": "en"}
    ).json
    assert (article["version"], article["published_at"]) == (1, None)

    published = api.patch(f"/kb/articles/{article['id']}", json={"status": "published"}).json
    edited = api.patch(
        f"/kb/articles/{article['id']}", json={"body": "v3", "title": "Descale"}
    ).json
    unchanged = api.patch(f"/kb/articles/{article['id']}", json={"body": "v3"}).json
    drafted = api.patch(f"/kb/articles/{article['id']}", json={"status": "draft"}).json

    assert published["version"] == 2 and published["published_at"]
    assert edited["version"] == 3 and edited["published_at"] == published["published_at"]
    assert edited["slug"] == "descaling"  # the address outlives the title
    assert unchanged["version"] == 3 and unchanged["updated_at"] == edited["updated_at"]
    assert drafted["version"] == 4 and drafted["published_at"] is None
    numbers = [v["number"] for v in api.walk(f"/kb/articles/{article['id']}/versions")]
    assert numbers == [4, 3, 2, 1]


def test_a_readers_view_counts_once_and_an_agents_not_at_all(api, client):
    article = ArticleFactory()
    db.session.commit()
    saved_at = api.get(f"/kb/articles/{article.id}").json["updated_at"]

    client.get(f"/api/v1/kb/articles/{article.id}")
    client.get(f"/api/v1/kb/articles/{article.slug}")
    api.get(f"/kb/articles/{article.id}")

    after = api.get(f"/kb/articles/{article.id}").json
    assert after["view_count"] == 2
    assert after["updated_at"] == saved_at  # a view is no edit


def test_translations_are_linked_across_locales_and_one_per_locale(api, client):
    english = ArticleFactory(title="Refund policy")
    db.session.commit()

    chinese = api.post(
        "/kb/articles",
        json={
            "title": "退款政策",
            "body": "三十天内全额退款。",
            "locale": "zh-CN",
            "status": "published",
            "translation_of": english.id,
        },
    )
    again = api.post(
        "/kb/articles",
        json={"title": "退款", "body": "x", "locale": "zh-CN", "translation_of": english.id},
    )

    assert chinese.status_code == 201, chinese.json
    assert chinese.json["translations"] == [
        {
            "id": english.id,
            "locale": "en",
            "slug": "refund-policy",
            "title": "Refund policy",
            "status": "published",
        }
    ]
    assert [
        t["locale"] for t in client.get(f"/api/v1/kb/articles/{english.id}").json["translations"]
    ] == ["zh-CN"]
    assert again.status_code == 409, again.json
    # a draft translation is the agents' to see
    api.patch(f"/kb/articles/{chinese.json['id']}", json={"status": "draft"})
    assert client.get(f"/api/v1/kb/articles/{english.id}").json["translations"] == []
    assert len(api.get(f"/kb/articles/{english.id}").json["translations"]) == 1


def test_an_article_leaves_and_joins_translation_groups(api):
    english = ArticleFactory(title="Warranty")
    other = ArticleFactory(title="Garantie", locale="zh-CN")
    db.session.commit()
    lone_group = other.translation_group_id

    joined = api.patch(f"/kb/articles/{other.id}", json={"translation_of": english.id})

    assert [t["id"] for t in joined.json["translations"]] == [english.id]
    assert db.session.get(TranslationGroup, lone_group) is None  # nobody left in it
    clash = api.patch(f"/kb/articles/{other.id}", json={"locale": "en"})
    assert clash.status_code == 409
    alone = api.patch(f"/kb/articles/{other.id}", json={"translation_of": None})
    assert alone.json["translations"] == []
    assert (
        api.patch(f"/kb/articles/{other.id}", json={"translation_of": other.id}).status_code == 422
    )


def test_related_articles_show_in_order_and_readers_see_the_published_ones(api, client):
    first, second = ArticleFactory(title="Grind size"), ArticleFactory(title="Beans")
    hidden = ArticleFactory(title="Secret blend", status="draft")
    db.session.commit()

    article = api.post(
        "/kb/articles",
        json={
            "title": "Better espresso",
            "body": "Start here.",
            "locale": "en",
            "status": "published",
            "related_ids": [second.id, hidden.id, first.id, second.id],
        },
    ).json

    assert [r["title"] for r in article["related"]] == ["Beans", "Secret blend", "Grind size"]
    public = client.get(f"/api/v1/kb/articles/{article['id']}").json
    assert [r["id"] for r in public["related"]] == [second.id, first.id]
    assert set(public["related"][0]) == {"id", "slug", "title", "locale", "status"}
    itself = api.patch(f"/kb/articles/{article['id']}", json={"related_ids": [article["id"]]})
    missing = api.patch(f"/kb/articles/{article['id']}", json={"related_ids": [999_999]})
    assert (itself.status_code, missing.status_code) == (422, 422)
    assert "related_ids" in missing.json["errors"]
    cleared = api.patch(f"/kb/articles/{article['id']}", json={"related_ids": []}).json
    assert cleared["related"] == [] and cleared["version"] == 2


def test_a_section_files_the_article_in_its_category(api):
    section = SectionFactory()
    elsewhere = CategoryFactory()
    db.session.commit()

    filed = api.post(
        "/kb/articles",
        json={"title": "Pods", "body": "x", "locale": "en", "section_id": section.id},
    )
    mismatch = api.post(
        "/kb/articles",
        json={
            "title": "Pods",
            "body": "x",
            "locale": "en",
            "section_id": section.id,
            "category_id": elsewhere.id,
        },
    )
    unknown = api.post(
        "/kb/articles", json={"title": "Pods", "body": "x", "locale": "en", "category_id": 424242}
    )

    assert (filed.json["category_id"], filed.json["section_id"]) == (
        section.category_id,
        section.id,
    )
    assert mismatch.status_code == 422 and "section_id" in mismatch.json["errors"]
    assert unknown.status_code == 422 and "category_id" in unknown.json["errors"]
    moved = api.patch(f"/kb/articles/{filed.json['id']}", json={"category_id": elsewhere.id}).json
    assert (moved["category_id"], moved["section_id"]) == (elsewhere.id, None)


def test_an_owner_answers_for_the_article_and_must_be_an_active_user(api, agent):
    colleague = UserFactory(name="Cole League")
    gone = UserFactory(name="Gone Agent")
    gone.active = False
    db.session.commit()
    article = api.post("/kb/articles", json={"title": "Milk", "body": "x", "locale": "en"}).json

    handed = api.patch(f"/kb/articles/{article['id']}", json={"owner_id": colleague.id})
    refused = api.patch(f"/kb/articles/{article['id']}", json={"owner_id": gone.id})

    assert article["owner"]["id"] == agent.id
    assert handed.json["owner"] == {"id": colleague.id, "name": "Cole League"}
    assert refused.status_code == 422 and "owner_id" in refused.json["errors"]


def test_deleting_an_article_removes_it_and_its_lone_translation_group(api, client):
    article = ArticleFactory()
    db.session.commit()
    group_id = article.translation_group_id

    deleted = api.delete(f"/kb/articles/{article.id}")

    assert deleted.status_code == 204
    assert api.get(f"/kb/articles/{article.id}").status_code == 404
    assert client.get(f"/api/v1/kb/articles/{article.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(TranslationGroup, group_id) is None


def test_the_article_body_is_stored_rendered_and_sanitized(api, client):
    created = api.post(
        "/kb/articles",
        json={
            "title": "Hello",
            "body": "Hi <script>alert('x')</script><img src=x onerror=alert(1)> "
            '<a href="javascript:alert(1)">go</a>',
            "locale": "en",
            "status": "published",
        },
    ).json

    stored = db.session.get(Article, created["id"]).body_html
    assert "<script" not in stored and "onerror" not in stored and 'href="javascript:' not in stored
    assert "alert('x')" not in stored  # the script's text goes with it
    assert client.get(f"/api/v1/kb/articles/{created['id']}").json["body_html"] == stored


def test_timestamps_are_utc_with_an_offset(api):
    article = api.post("/kb/articles", json={"title": "T", "body": "x", "locale": "en"}).json

    assert datetime.fromisoformat(article["created_at"]).utcoffset().total_seconds() == 0


def test_the_editors_preview_renders_as_a_save_would(api):
    preview = api.post("/kb/render", json={"body": "**Bold** <script>x</script>"})

    assert preview.status_code == 200
    assert preview.json == {"body_html": "<p><strong>Bold</strong> </p>\n"}
