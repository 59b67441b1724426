"""Admins set integrations up; the secret goes in and never comes out; agents keep out."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient
from tests.integrations.conftest import SECRET


def test_an_admin_adds_lists_changes_and_removes_an_integration(admin_api: ApiClient) -> None:
    created = admin_api.post(
        "/integrations",
        json={"name": "Billing", "url": "https://billing.example/context", "secret": SECRET},
    )
    assert created.status_code == 201, created.json
    integration = created.json
    assert integration["name"] == "Billing"
    assert integration["url"] == "https://billing.example/context"
    assert integration["enabled"] is True
    assert integration["secret_hint"] == "…" + SECRET[-4:]

    changed = admin_api.patch(
        f"/integrations/{integration['id']}",
        json={"name": "Billing (EU)", "enabled": False, "secret": "another-secret-of-length"},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "Billing (EU)" and changed.json["enabled"] is False
    assert changed.json["secret_hint"] == "…ngth"
    assert admin_api.walk("/integrations") == [changed.json]

    assert admin_api.delete(f"/integrations/{integration['id']}").status_code == 204
    assert admin_api.walk("/integrations") == []
    gone = admin_api.patch(f"/integrations/{integration['id']}", json={"name": "x"})
    assert gone.status_code == 404 and gone.content_type == "application/problem+json"


def test_the_list_pages_oldest_first(admin_api: ApiClient) -> None:
    for n in range(3):
        admin_api.post(
            "/integrations",
            json={"name": f"System {n}", "url": f"http://s{n}.example/", "secret": SECRET},
        )
    first = admin_api.get("/integrations", query_string={"limit": 2}).json

    assert [i["name"] for i in first["items"]] == ["System 0", "System 1"]
    assert [i["name"] for i in admin_api.walk("/integrations", limit=2)] == [
        "System 0",
        "System 1",
        "System 2",
    ]


def test_the_secret_is_in_no_answer(admin_api: ApiClient, add_integration: Any) -> None:
    integration = add_integration("http://crm.example/context")
    changed = admin_api.patch(f"/integrations/{integration['id']}", json={"url": "http://b.c/"})
    listed = admin_api.get("/integrations")

    for response_text in (str(integration), changed.get_data(as_text=True), listed.get_data(True)):
        assert SECRET not in response_text
    assert "secret" not in integration and "secret" not in changed.json


def test_agents_may_not_see_or_touch_integrations(
    api: ApiClient, add_integration: Any, admin_api: ApiClient
) -> None:
    integration = add_integration("http://crm.example/context")
    path = f"/integrations/{integration['id']}"

    refused = [
        api.get("/integrations"),
        api.post("/integrations", json={"name": "Mine", "url": "http://e.vil/", "secret": SECRET}),
        api.patch(path, json={"url": "http://e.vil/"}),
        api.delete(path),
    ]

    assert [r.status_code for r in refused] == [403] * 4
    assert all(SECRET not in r.get_data(as_text=True) for r in refused)
    assert admin_api.walk("/integrations") == [integration]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://crm.example/",
        "ftp://crm.example/",
        "javascript:alert(1)",
        "crm.example/context",
        "http://",
        "http://user:password@crm.example/",
        "http://crm.example:99999/",
        "http://crm example/",
        "http://crm.example/a path",
        "http://[::1]/",
        "http://crm.example/\n",
        "",
    ],
)
def test_only_http_and_https_urls_to_a_host_are_taken(admin_api: ApiClient, url: str) -> None:
    response = admin_api.post("/integrations", json={"name": "X", "url": url, "secret": SECRET})

    assert response.status_code == 422, response.json
    assert "url" in response.json["errors"]
    assert admin_api.walk("/integrations") == []


def test_bad_fields_are_named(admin_api: ApiClient, add_integration: Any) -> None:
    short = admin_api.post(
        "/integrations", json={"name": "", "url": "http://a.example/", "secret": "short"}
    )
    assert short.status_code == 422
    assert set(short.json["errors"]) == {"name", "secret"}

    integration = add_integration("http://crm.example/context")
    patched = admin_api.patch(f"/integrations/{integration['id']}", json={"url": "file:///x"})
    assert patched.status_code == 422 and "url" in patched.json["errors"]
    assert admin_api.walk("/integrations")[0]["url"] == "http://crm.example/context"


def test_http_urls_with_ports_paths_and_queries_are_taken(admin_api: ApiClient) -> None:
    for url in ("http://127.0.0.1:8765/context", "https://crm.internal/api/v2/context?src=desk"):
        response = admin_api.post("/integrations", json={"name": "X", "url": url, "secret": SECRET})
        assert response.status_code == 201, response.json
        assert response.json["url"] == url
