"""An article's history: every save is a version to read, compare and bring back."""

from __future__ import annotations

from typing import Any

from supportdesk.extensions import db
from supportdesk.knowledge.models import ArticleVersion
from supportdesk.knowledge.versions import diff_versions
from supportdesk.users.service import create_token
from tests.factories import UserFactory


def _article_with_three_versions(api: Any) -> dict[str, Any]:
    article = api.post(
        "/kb/articles",
        json={"title": "Descaling", "body": "Step one.\nStep two.\n", "locale": "en"},
    ).json
    api.patch(f"/kb/articles/{article['id']}", json={"body": "Step one.\nStep 2, better.\n"})
    api.patch(
        f"/kb/articles/{article['id']}",
        json={"title": "Descaling, done right", "status": "published"},
    )
    return article


def test_versions_list_newest_first_with_their_authors(api, agent):
    article = _article_with_three_versions(api)

    versions = api.walk(f"/kb/articles/{article['id']}/versions", limit=2)

    assert [v["number"] for v in versions] == [3, 2, 1]
    assert [v["title"] for v in versions] == ["Descaling, done right", "Descaling", "Descaling"]
    assert [v["status"] for v in versions] == ["published", "draft", "draft"]
    assert {v["author"]["id"] for v in versions} == {agent.id}
    assert "body" not in versions[0]


def test_a_version_shows_its_text_as_it_was_and_rendered(api):
    article = _article_with_three_versions(api)

    first = api.get(f"/kb/articles/{article['id']}/versions/1")

    assert first.status_code == 200
    assert first.json["body"] == "Step one.\nStep two.\n"
    assert first.json["body_html"] == "<p>Step one.\nStep two.</p>\n"
    assert api.get(f"/kb/articles/{article['id']}/versions/9").status_code == 404


def test_a_diff_shows_what_changed_from_the_version_before_or_any_other(api):
    article = _article_with_three_versions(api)
    base = f"/kb/articles/{article['id']}/versions"

    before = api.get(f"{base}/2/diff").json
    against_first = api.get(f"{base}/3/diff", query_string={"against": 1}).json
    unknown = api.get(f"{base}/3/diff", query_string={"against": 7})

    assert (before["from"], before["to"]) == (1, 2)
    assert {"kind": "removed", "text": "Step two."} in before["lines"]
    assert {"kind": "added", "text": "Step 2, better."} in before["lines"]
    assert {"kind": "context", "text": "Step one."} in before["lines"]
    assert "-Step two.\n+Step 2, better." in before["unified"]
    assert before["unified"].startswith("--- version 1\n+++ version 2\n@@")
    assert (against_first["title_from"], against_first["title_to"]) == (
        "Descaling",
        "Descaling, done right",
    )
    assert unknown.status_code == 422 and "against" in unknown.json["errors"]


def test_restoring_an_old_version_saves_its_text_as_a_new_version(api):
    article = _article_with_three_versions(api)
    restorer = UserFactory(name="Rita Restorer")
    token = create_token(db.session, restorer)
    db.session.commit()

    restored = api.post(
        f"/kb/articles/{article['id']}/versions/1/restore",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert restored.status_code == 200, restored.json
    assert (restored.json["version"], restored.json["title"]) == (4, "Descaling")
    assert restored.json["body"] == "Step one.\nStep two.\n"
    assert restored.json["status"] == "published"  # the text comes back, not the status
    assert restored.json["body_html"] == "<p>Step one.\nStep two.</p>\n"
    newest = api.get(f"/kb/articles/{article['id']}/versions").json["items"][0]
    assert (newest["number"], newest["author"]["name"]) == (4, "Rita Restorer")
    # and the restore is history too: the version before it comes back as well
    undone = api.post(f"/kb/articles/{article['id']}/versions/3/restore").json
    assert (undone["version"], undone["body"]) == (5, "Step one.\nStep 2, better.\n")


def test_versions_of_a_missing_article_are_not_found(api):
    assert api.get("/kb/articles/424242/versions").status_code == 404
    assert api.post("/kb/articles/424242/versions/1/restore").status_code == 404


def _version(number: int, body: str) -> ArticleVersion:
    return ArticleVersion(number=number, title="Manual", body=body, status="draft")


def test_a_local_edit_in_a_long_body_shows_as_that_edit_alone():
    old = "\n".join(f"Step {n}." for n in range(5000))
    new = old.replace("Step 2500.", "Step 2500, carefully.")

    diff = diff_versions(_version(1, old), _version(2, new))

    changed = [line for line in diff.lines if line.kind in ("added", "removed")]
    assert [(line.kind, line.text) for line in changed] == [
        ("removed", "Step 2500."),
        ("added", "Step 2500, carefully."),
    ]
    assert "@@ -2498,7 +2498,7 @@" in diff.unified


def test_two_unlike_long_bodies_still_get_a_whole_diff():
    """Past the lines difflib matches in reasonable time, the diff compares the common start
    and end only: still every changed line, just not the finest alignment."""
    old = "\n".join(str(n) for n in range(20_000))
    new = "\n".join(str(n * 7) for n in range(20_000))

    diff = diff_versions(_version(1, old), _version(2, new))

    assert sum(line.kind == "added" for line in diff.lines) == 19_999  # all but the first, 0


def test_two_equal_versions_have_no_diff():
    diff = diff_versions(_version(1, "Same.\n"), _version(2, "Same.\n"))

    assert (diff.unified, diff.lines) == ("", [])
