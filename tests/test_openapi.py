"""The OpenAPI document and its reference page (schemathesis fuzzing: test_schemathesis.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_smorest import Blueprint

from supportdesk.core.api import ProblemApi
from supportdesk.core.api_docs import DuplicateOperationIdError, operation_id

#: what the workspace's generated client and integrators' SDKs can use as a function's name
CAMEL_CASE = re.compile(r"[a-z]+(?:[A-Z][a-z0-9]*)*")


def operations(client: FlaskClient) -> dict[str, dict[str, Any]]:
    """Every operation of the served document, by "METHOD /path"."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    return {
        f"{method.upper()} {path}": operation
        for path, item in paths.items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    }


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
    summaries = [op.get("summary", "") for op in operations(client).values()]

    assert [s for s in summaries if "`" in s] == []
    assert any("with user_id" in s for s in summaries)  # the tokens list's first line


def test_every_operation_has_a_one_line_summary(client):
    """Swagger UI and generated clients show the summary as the operation's title."""
    found = operations(client)

    assert [name for name, op in found.items() if not op.get("summary", "").strip()] == []
    assert [name for name, op in found.items() if "\n" in op["summary"]] == []
    assert found["GET /api/v1/tickets"]["summary"] == "List the tickets, newest first."
    assert found["GET /api/v1/tickets/{ticket_id}"]["summary"] == "Get a ticket."


def test_every_operation_has_a_unique_camel_case_operation_id(client):
    """Generated clients name their functions after the ids: none missing, none twice."""
    ids = {name: op.get("operationId") for name, op in operations(client).items()}

    assert [name for name, identifier in ids.items() if not identifier] == []
    assert [i for i in ids.values() if not CAMEL_CASE.fullmatch(i)] == []
    assert len(set(ids.values())) == len(ids) > 30


def test_operation_ids_say_what_each_view_does(client):
    ids = {name: op["operationId"] for name, op in operations(client).items()}

    assert ids["GET /api/v1/tickets"] == "listTickets"
    assert ids["POST /api/v1/tickets"] == "createTicket"
    assert ids["PATCH /api/v1/tickets/{ticket_id}"] == "updateTicket"
    assert ids["POST /api/v1/session"] == "signIn"
    # GET views named by what they answer read as "get" it
    assert ids["GET /api/v1/customers/{customer_id}/timeline"] == "getCustomerTimeline"
    assert ids["GET /api/v1/me"] == "getMe"


@pytest.mark.parametrize(
    ("view_name", "method", "expected"),
    [
        ("list_tickets", "get", "listTickets"),
        ("download_attachment", "GET", "downloadAttachment"),
        ("outbox", "get", "getOutbox"),
        ("reprocess", "post", "reprocess"),
        ("sign_in", "post", "signIn"),
        ("TicketList", "get", "getTicketList"),  # a MethodView's class
    ],
)
def test_operation_id_rule(view_name, method, expected):
    assert operation_id(view_name, method) == expected


def _bare_api() -> ProblemApi:
    """An app of its own: the desk's blueprints already hold their names."""
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = ProblemApi()
    api.init_app(app)
    return api


def _blueprint(name: str, **doc: Any) -> Blueprint:
    blp = Blueprint(name, __name__, url_prefix=f"/{name}")

    @blp.route("/<int:customer_id>")
    @blp.doc(**doc)
    def get_customer(customer_id: int) -> dict[str, int]:
        """Get a customer."""
        return {"id": customer_id}

    return blp


def test_two_views_of_one_name_stop_the_document_build():
    """Two blueprints' get_customer would both be getCustomer: say so, never guess."""
    api = _bare_api()
    api.register_blueprint(_blueprint("crm"))

    with pytest.raises(DuplicateOperationIdError, match=r"getCustomer.*GET /chat/.*GET /crm/"):
        api.register_blueprint(_blueprint("chat"))


def test_an_explicit_operation_id_wins_and_resolves_a_clash():
    api = _bare_api()
    api.register_blueprint(_blueprint("crm"))
    api.register_blueprint(_blueprint("chat", operationId="getChatCustomer"))

    assert api.spec is not None
    paths = api.spec.to_dict()["paths"]
    assert paths["/crm/{customer_id}"]["get"]["operationId"] == "getCustomer"
    assert paths["/chat/{customer_id}"]["get"]["operationId"] == "getChatCustomer"
