"""Schemathesis fuzzes every operation of /api/v1/openapi.json: no 5xx, no answer off-schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from supportdesk.extensions import db
from tests.factories import CallFactory, MessageFactory


@pytest.fixture
def api_schema(app, api):
    # Some real rows, so generated ids sometimes hit and the happy paths run too.
    for _ in range(3):
        MessageFactory()
        CallFactory()
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", FreshContextApp(app))


class FreshContextApp:
    """The app as a WSGI callable that runs each request in its own app context."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with self.app.app_context():
            return self.app(environ, start_response)


# The inbound e-mail hook takes raw bytes; send generated bodies as they are.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_survives_generated_requests(case, api):
    # Schemathesis makes up credentials from the security schemes; use real ones.
    inbound = {"Authorization": "Bearer inbound-secret"}  # TEST_CONFIG's hook token
    case.headers = {
        **(case.headers or {}),
        **(inbound if case.path.startswith("/hooks/") else api.headers),
    }
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            response_headers_conformance,
        ],
    )


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
