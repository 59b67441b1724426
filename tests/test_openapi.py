"""The OpenAPI document and its reference page (schemathesis fuzzing: test_schemathesis.py)."""

from __future__ import annotations


def test_openapi_document_is_served_and_names_the_contract_paths(client):
    document = client.get("/api/v1/openapi.json").json

    for path in (
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/customers/{customer_id}/merge",
        "/api/v1/customers/{customer_id}/timeline",
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/tickets/{ticket_id}/messages",
        "/api/v1/calls",
    ):
        assert path in document["paths"], path
    problem = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert "application/problem+json" in problem


def test_api_reference_page_works_offline(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert b"/api/docs/assets/swagger-ui-bundle.js" in page.data
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_the_document_declares_the_cookie_session_with_its_csrf_header(client):
    document = client.get("/api/v1/openapi.json").json
    schemes = document["components"]["securitySchemes"]

    assert schemes["cookieAuth"] == {**schemes["cookieAuth"], "in": "cookie", "name": "session"}
    assert schemes["csrfToken"] == {**schemes["csrfToken"], "in": "header", "name": "X-CSRF-Token"}
    assert {"cookieAuth": [], "csrfToken": []} in document["security"]
    assert {"bearerAuth": []} in document["security"]


def test_the_documents_texts_are_markdown_without_rst_backticks(client):
    """Swagger UI renders CommonMark: reST's ``literal`` would show its backticks."""
    text = client.get("/api/v1/openapi.json").get_data(as_text=True)

    assert "``" not in text
    assert "(`src` moved to `data-src`" in text  # a docstring's ``literal``, as Markdown


def test_summaries_are_plain_text_without_backticks(client):
    """Swagger UI shows a summary as it is: a backtick there would show."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    operations = [op for ops in paths.values() for op in ops.values() if isinstance(op, dict)]
    summaries = [op.get("summary", "") for op in operations]

    assert [s for s in summaries if "`" in s] == []
    assert any("with user_id" in s for s in summaries)  # the tokens list's first line
