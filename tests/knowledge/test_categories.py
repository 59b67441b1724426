"""Categories and sections: the help center's shelves, in the order editors give them."""

from __future__ import annotations

from supportdesk.extensions import db
from supportdesk.knowledge import categories
from supportdesk.knowledge.models import Article, Section
from tests.factories import ArticleFactory, CategoryFactory, SectionFactory


def test_agents_make_categories_that_anyone_lists_in_order(api, client):
    first = api.post("/kb/categories", json={"names": {"en": "Billing", "zh-CN": "账单"}})
    second = api.post("/kb/categories", json={"names": {"zh-CN": "退款与退货"}})
    top = api.post("/kb/categories", json={"names": {"en": "Start here"}, "position": 0})

    assert first.status_code == 201, first.json
    assert (first.json["slug"], first.json["position"]) == ("billing", 0)
    assert (second.json["slug"], second.json["position"]) == ("退款与退货", 1)
    assert first.json["names"] == {"en": "Billing", "zh-CN": "账单"}
    listed = client.get("/api/v1/kb/categories").json["items"]
    # position, then id: the one put at 0 later comes after the first at 0
    assert [c["id"] for c in listed] == [first.json["id"], top.json["id"], second.json["id"]]
    assert client.get(f"/api/v1/kb/categories/{first.json['id']}").json["sections"] == []
    assert client.post("/api/v1/kb/categories", json={"names": {"en": "X"}}).status_code == 401


def test_a_category_needs_a_name_and_a_free_slug(api):
    api.post("/kb/categories", json={"names": {"en": "Billing"}})

    nameless = api.post("/kb/categories", json={"names": {}})
    numbered = api.post("/kb/categories", json={"names": {"en": "Billing"}})
    taken = api.post("/kb/categories", json={"names": {"en": "Other"}, "slug": "billing"})

    assert nameless.status_code == 422
    assert numbered.json["slug"] == "billing-2"
    assert taken.status_code == 409


def test_sections_list_in_order_within_their_category(api, client):
    category = CategoryFactory()
    db.session.commit()

    later = api.post("/kb/sections", json={"category_id": category.id, "names": {"en": "Returns"}})
    first = api.post(
        "/kb/sections", json={"category_id": category.id, "names": {"en": "Refunds"}, "position": 0}
    )
    api.patch(f"/kb/sections/{later.json['id']}", json={"position": 5})
    unknown = api.post("/kb/sections", json={"category_id": 424242, "names": {"en": "X"}})

    assert later.status_code == 201, later.json
    listed = client.get("/api/v1/kb/sections", query_string={"category_id": category.id}).json
    assert [s["names"]["en"] for s in listed["items"]] == ["Refunds", "Returns"]
    shown = client.get(f"/api/v1/kb/categories/{category.id}").json["sections"]
    assert [s["id"] for s in shown] == [first.json["id"], later.json["id"]]
    assert unknown.status_code == 422 and "category_id" in unknown.json["errors"]


def test_a_section_slug_is_unique_in_its_category_only(api):
    one, two = CategoryFactory(), CategoryFactory()
    db.session.commit()

    def add(category_id, **fields):
        return api.post(
            "/kb/sections", json={"category_id": category_id, "names": {"en": "FAQ"}, **fields}
        )

    assert [add(one.id).json["slug"], add(one.id).json["slug"]] == ["faq", "faq-2"]
    assert add(two.id).json["slug"] == "faq"
    assert add(two.id, slug="faq").status_code == 409


def test_moving_a_section_takes_its_articles_to_the_new_category(api):
    section = SectionFactory()
    target = CategoryFactory()
    article = ArticleFactory(section_id=section.id)
    db.session.commit()

    moved = api.patch(f"/kb/sections/{section.id}", json={"category_id": target.id})

    assert moved.json["category_id"] == target.id
    db.session.expire_all()
    assert db.session.get(Article, article.id).category_id == target.id


def test_removing_a_category_removes_its_sections_and_unfiles_its_articles(api, client):
    section = SectionFactory()
    article = ArticleFactory(section_id=section.id)
    db.session.commit()

    removed = api.delete(f"/kb/categories/{section.category_id}")

    assert removed.status_code == 204
    assert client.get(f"/api/v1/kb/sections/{section.id}").status_code == 404
    read = client.get(f"/api/v1/kb/articles/{article.id}").json
    assert (read["category_id"], read["section_id"]) == (None, None)


def test_renaming_replaces_the_names_whole(api):
    category = api.post("/kb/categories", json={"names": {"en": "Billing", "zh-CN": "账单"}}).json

    renamed = api.patch(f"/kb/categories/{category['id']}", json={"names": {"en": "Payments"}})

    assert renamed.json["names"] == {"en": "Payments"}
    assert renamed.json["slug"] == "billing"  # the address stays
    section = api.post("/kb/sections", json={"category_id": category["id"], "names": {"en": "A"}})
    deleted = api.delete(f"/kb/sections/{section.json['id']}")
    assert deleted.status_code == 204


def test_a_category_whose_sections_were_read_is_removed_with_them(app):
    section = SectionFactory()
    db.session.commit()
    category = categories.get_category(db.session, section.category_id)
    assert [s.id for s in category.sections] == [section.id]  # loaded in the session

    categories.delete_category(db.session, category)
    db.session.commit()

    assert db.session.get(Section, section.id) is None
