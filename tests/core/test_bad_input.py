"""Input crafted to break the reader gets a 4xx problem on every endpoint, never a 500:
JSON nested 100,000 deep, integers past Python's digit limit, made-up cursors."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.factories import MessageFactory, UserFactory

DEEP_ARRAY = "[" * 100_000
DEEP_OBJECT = '{"a":' * 100_000
LONG_INTEGER = '{"name": ' + "9" * 5_000 + "}"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture(scope="module")
def document(migrated_app: Any) -> dict[str, Any]:
    return migrated_app.test_client().get("/api/v1/openapi.json").json


@pytest.fixture
def admin(app: Any, client: Any) -> dict[str, str]:
    """An admin's bearer token (admin-only endpoints must parse too), and some rows for
    path ids to find: 1 is a customer, a ticket, a message."""
    token = create_token(db.session, UserFactory(role="admin"))
    MessageFactory()
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _fill(path: str) -> str:
    """``/api/v1/tickets/{ticket_id}`` -> ``/api/v1/tickets/1``."""
    parts = [("1" if part.startswith("{") else part) for part in path.split("/")]
    return "/".join(parts)


def assert_client_problem(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data()[:300])
    assert response.content_type == "application/problem+json"
    return response.json


def _json_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, operation in _operations(document)
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def _paged_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, operation in _operations(document)
        if any(p["name"] == "cursor" for p in operation.get("parameters", []))
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize over the OpenAPI document's operations, as built by the app."""
    if "json_operation" not in metafunc.fixturenames and "paged_operation" not in (
        metafunc.fixturenames
    ):
        return
    from supportdesk import create_app

    with create_app({"TESTING": True, "SECRET_KEY": "x"}).test_client() as client:
        document = client.get("/api/v1/openapi.json").json
    if "json_operation" in metafunc.fixturenames:
        operations = _json_operations(document)
        metafunc.parametrize("json_operation", operations, ids=[" ".join(o) for o in operations])
    if "paged_operation" in metafunc.fixturenames:
        operations = _paged_operations(document)
        metafunc.parametrize("paged_operation", operations, ids=[" ".join(o) for o in operations])


def test_every_json_body_reader_refuses_documents_that_break_parsers(client, admin, json_operation):
    method, path = json_operation
    for body in (DEEP_ARRAY, DEEP_OBJECT, LONG_INTEGER):
        response = client.open(
            _fill(path), method=method, data=body, content_type="application/json", headers=admin
        )
        problem = assert_client_problem(response)
        assert problem["status"] == 400, (method, path, problem)


def test_signing_in_with_a_deeply_nested_body_is_a_400(client, app):
    response = client.post("/api/v1/session", data=DEEP_ARRAY, content_type="application/json")

    assert assert_client_problem(response)["detail"].startswith("The body is not valid JSON")


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


CRAFTED_CURSORS = [
    _cursor([10**30]),
    _cursor([2**40]),
    _cursor([-(2**63)]),
    _cursor(["9999-12-31T23:59:59-14:00", 1]),
    _cursor(["0001-01-01T00:00:00+14:00", 1]),
    _cursor(["9999-12-31T23:59:59+00:00", 2**31]),
    base64.urlsafe_b64encode(b"[" * 5_000).decode(),
    base64.urlsafe_b64encode(b"[" + b"9" * 5_000 + b"]").decode(),
    _cursor([[[[1]]]]),
    "%%%not base64",
]


def test_every_list_refuses_made_up_cursors(client, admin, paged_operation):
    method, path = paged_operation
    for cursor in CRAFTED_CURSORS:
        response = client.open(
            _fill(path), method=method, query_string={"cursor": cursor}, headers=admin
        )
        problem = assert_client_problem(response)
        # 404 where the list itself is not there (an outbox that is not set up)
        if problem["status"] != 404:
            assert problem["status"] == 422 and "cursor" in problem["errors"], (path, cursor)


def test_a_cursor_the_api_gave_out_still_works(client, admin):
    for _ in range(3):
        MessageFactory()
    db.session.commit()

    first = client.get("/api/v1/customers", query_string={"limit": 2}, headers=admin).json
    second = client.get(
        "/api/v1/customers",
        query_string={"limit": 2, "cursor": first["next_cursor"]},
        headers=admin,
    )

    assert second.status_code == 200 and len(second.json["items"]) == 2


def test_every_integer_input_has_a_bound_the_database_can_hold(document):
    """An integer without a maximum reaches the driver, which (on PostgreSQL) answers
    "integer out of range" with a 500: every one the document takes is bounded."""
    schemas = document["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def integers(schema: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
        schema = resolve(schema)
        found = [(where, schema)] if schema.get("type") == "integer" else []
        for name, prop in (schema.get("properties") or {}).items():
            if not prop.get("readOnly"):
                found += integers(prop, f"{where}.{name}")
        if schema.get("type") == "array":
            found += integers(schema.get("items", {}), f"{where}[]")
        return found

    unbounded = []
    for method, path, operation in _operations(document):
        inputs = [(p.get("schema", {}), p["name"]) for p in operation.get("parameters", [])]
        for content in operation.get("requestBody", {}).get("content", {}).values():
            inputs.append((content.get("schema", {}), "body"))
        for schema, where in inputs:
            for name, integer in integers(schema, where):
                if integer.get("maximum", 2**63) > 2**63 - 1:
                    unbounded.append(f"{method} {path} {name}")
    assert unbounded == []
