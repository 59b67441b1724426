"""Article images: uploaded by agents, shown to readers once an article showing them is out."""

from __future__ import annotations

import io
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.knowledge.models import ArticleImage

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def _upload(api: Any, data: bytes, name: str = "steam-wand.png") -> Any:
    return api.post("/kb/images", data={"file": (io.BytesIO(data), name)}, json=None)


@pytest.mark.parametrize(
    ("data", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")]
)
def test_an_agent_uploads_an_image_known_by_its_bytes(api, data, kind):
    uploaded = _upload(api, data, "photo.bin")

    assert uploaded.status_code == 201, uploaded.json
    assert uploaded.json["content_type"] == kind
    assert uploaded.json["url"] == f"/api/v1/kb/images/{uploaded.json['id']}"
    assert (uploaded.json["size"], uploaded.json["article_id"]) == (len(data), None)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"%PDF-1.4",
    ],
)
def test_what_is_not_an_image_is_refused_whatever_its_name(api, data):
    refused = _upload(api, data, "innocent.png")

    assert refused.status_code == 422
    assert "file" in refused.json["errors"]
    assert db.session.query(ArticleImage).count() == 0


def test_an_image_past_the_upload_limit_answers_413(api, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 32)

    assert _upload(api, PNG).status_code == 413


def test_readers_see_an_image_once_an_article_showing_it_is_published(api, client):
    image = _upload(api, PNG).json
    url = image["url"]
    article = api.post(
        "/kb/articles",
        json={"title": "Steam wand", "body": f"![the wand]({url})", "locale": "en"},
    ).json

    assert f'<img src="{url}" alt="the wand">' in article["body_html"]
    assert client.get(url).status_code == 404  # a draft's image
    agent_view = api.get(url.removeprefix("/api/v1"))
    assert agent_view.status_code == 200 and agent_view.data == PNG
    assert agent_view.headers["Cache-Control"].startswith("private")

    api.patch(f"/kb/articles/{article['id']}", json={"status": "published"})
    public = client.get(url)

    assert public.status_code == 200 and public.data == PNG
    assert public.headers["Content-Type"] == "image/png"
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert public.headers["Cache-Control"] == "public, max-age=86400"


def test_a_published_translation_shows_its_originals_images(api, client):
    url = _upload(api, PNG).json["url"]
    english = api.post(
        "/kb/articles", json={"title": "Wand", "body": f"![wand]({url})", "locale": "en"}
    ).json
    api.post(
        "/kb/articles",
        json={
            "title": "蒸汽棒",
            "body": f"![蒸汽棒]({url})",
            "locale": "zh-CN",
            "status": "published",
            "translation_of": english["id"],
        },
    )

    assert client.get(url).status_code == 200


def test_an_image_stays_with_the_first_article_that_shows_it(api):
    image = _upload(api, PNG).json
    first = api.post(
        "/kb/articles", json={"title": "A", "body": f"![a]({image['url']})", "locale": "en"}
    ).json
    api.post("/kb/articles", json={"title": "B", "body": f"![b]({image['url']})", "locale": "en"})

    assert db.session.get(ArticleImage, image["id"]).article_id == first["id"]


def test_an_unknown_image_is_not_found(client):
    assert client.get("/api/v1/kb/images/424242").status_code == 404
