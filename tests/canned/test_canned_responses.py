"""Canned responses through /api/v1/canned-responses: admins keep them, agents find them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient

PROBLEM = "application/problem+json"


def test_an_admin_writes_one_in_both_locales_and_every_agent_reads_it_back(
    admin_api: ApiClient, api: ApiClient, greeting: dict[str, Any]
) -> None:
    listed = api.get("/canned-responses").json

    assert listed == {"items": [greeting], "next_cursor": None}
    assert greeting["title"] == "Greeting"
    assert (
        greeting["bodies"]["zh-CN"]
        == "{{ customer.name }}，您好！关于 {{ ticket.ref }}：{{ agent.name }}"
    )
    assert set(greeting) == {"id", "title", "bodies", "created_at", "updated_at"}


def test_the_picker_finds_responses_by_words_of_their_title_page_by_page(
    admin_api: ApiClient, api: ApiClient
) -> None:
    titles = ["Refund approved", "Refund denied", "Shipping delay", "退款说明", "100% off"]
    for title in titles:
        made = admin_api.post("/canned-responses", json={"title": title, "bodies": {"en": "x"}})
        assert made.status_code == 201, made.json

    def found(q: str) -> list[str]:
        return [r["title"] for r in api.walk("/canned-responses", q=q, limit=1)]

    assert found("refund") == ["Refund approved", "Refund denied"]
    assert found("退款") == ["退款说明"]
    assert found("%") == ["100% off"]  # a wildcard is a character like any other
    assert [r["title"] for r in api.walk("/canned-responses", limit=2)] == titles


def test_an_admin_renames_rewords_and_deletes_one(
    admin_api: ApiClient, api: ApiClient, greeting: dict[str, Any]
) -> None:
    path = f"/canned-responses/{greeting['id']}"

    renamed = admin_api.patch(path, json={"title": "Hello"})
    reworded = admin_api.patch(path, json={"bodies": {"zh-CN": "您好，{{ customer.name }}"}})

    assert renamed.status_code == 200, renamed.json
    assert reworded.status_code == 200, reworded.json
    # bodies replace them all: English, left out, is gone
    assert reworded.json["bodies"] == {"zh-CN": "您好，{{ customer.name }}"}
    assert reworded.json["title"] == "Hello"
    assert api.get("/canned-responses").json["items"] == [reworded.json]
    assert admin_api.delete(path).status_code == 204
    assert api.get("/canned-responses").json["items"] == []
    assert admin_api.patch(path, json={"title": "Again"}).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/canned-responses", {"title": "Mine", "bodies": {"en": "Hi"}}),
        ("patch", "/canned-responses/{id}", {"title": "Mine now"}),
        ("delete", "/canned-responses/{id}", None),
    ],
)
def test_an_agent_may_not_change_them(
    api: ApiClient,
    greeting: dict[str, Any],
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    answer = getattr(api, method)(path.format(id=greeting["id"]), json=body)

    assert answer.status_code == 403
    assert answer.content_type == PROBLEM
    assert api.get("/canned-responses").json["items"] == [greeting]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("Hi {{ customer.nickname }}", "Unknown placeholder {{ customer.nickname }}"),
        ("Hi {{ customr.name }}", "Unknown placeholder {{ customr.name }}"),
        ("Hi {{ customer }}", "Unknown placeholder {{ customer }}"),
        ("Hi {{ customer.name", "Line 1"),
        ("{% if customer.name %}Hi", "Line 1"),
        ("{% for x in ticket.subject %}{{ x }}{% endfor %}", "For is not allowed"),
        ("{{ customer.name | center(100000000) }}", "The filter center is not allowed"),
        ("{{ 'ha' * 100000000 }}", "Mul is not allowed"),
        ("{% include 'secret.txt' %}", "Include is not allowed"),
        ("{{ " + "(" * 5000 + "customer.name" + ")" * 5000 + " }}", "Nested too deeply"),
        ("{% if ticket.ref %}" * 60 + "{% endif %}" * 60, "Nested too deeply"),
        # placeholders in a branch no sample would take are checked too
        ("{% if false %}{{ ticket.secret }}{% endif %}", "{{ ticket.secret }}"),
    ],
)
def test_a_body_that_is_not_text_with_known_placeholders_is_refused_naming_its_locale(
    admin_api: ApiClient, body: str, says: str
) -> None:
    answer = admin_api.post(
        "/canned-responses", json={"title": "Bad", "bodies": {"en": "Fine", "zh-CN": body}}
    )

    assert answer.status_code == 422, answer.json
    assert answer.content_type == PROBLEM
    assert list(answer.json["errors"]) == ["bodies.zh-CN"]
    assert says in answer.json["errors"]["bodies.zh-CN"][0]
    assert admin_api.get("/canned-responses").json["items"] == []


@pytest.mark.parametrize(
    "escape",
    [
        "{{ customer.name.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ config }}",
        "{{ request.environ }}",
        "{{ self._TemplateReference__context }}",
        "{{ ticket.ref.upper() }}",
        "{{ customer['name'] }}",
        "{{ range(10) | list }}",
    ],
)
def test_no_body_reaches_past_the_placeholders(admin_api: ApiClient, escape: str) -> None:
    answer = admin_api.post("/canned-responses", json={"title": "x", "bodies": {"en": escape}})

    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == ["bodies.en"]


def test_a_bad_change_changes_nothing(admin_api: ApiClient, greeting: dict[str, Any]) -> None:
    answer = admin_api.patch(
        f"/canned-responses/{greeting['id']}",
        json={"title": "Changed", "bodies": {"en": "{{ agent.password_hash }}"}},
    )

    assert answer.status_code == 422
    assert list(answer.json["errors"]) == ["bodies.en"]
    assert admin_api.get("/canned-responses").json["items"] == [greeting]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "bodies": {}}, "bodies"),
        ({"title": "x", "bodies": {"fr": "Bonjour"}}, "bodies.fr"),
        ({"title": "x", "bodies": {"en": ""}}, "bodies.en"),
        ({"title": "", "bodies": {"en": "Hi"}}, "title"),
        ({"bodies": {"en": "Hi"}}, "title"),
        ({"title": "x"}, "bodies"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    admin_api: ApiClient, body: dict[str, Any], field: str
) -> None:
    answer = admin_api.post("/canned-responses", json=body)

    assert answer.status_code == 422
    assert field in answer.json["errors"], answer.json
