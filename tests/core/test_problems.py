"""Bad input always gets RFC 9457 problem+json with field errors, never a 500."""

from __future__ import annotations

import pytest

from supportdesk.extensions import db
from tests.factories import CustomerFactory


def assert_problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = response.json
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": 42}, "name", "Not a valid string."),
        ({"name": "Ann", "colour": "red"}, "colour", "Unknown field."),
        ({"name": ""}, "name", "Length must be between 1 and 200."),
        ({}, "name", "Missing data for required field."),
        ({"name": "Ann", "emails": "ann@example.com"}, "emails", "Not a valid list."),
        ({"name": "Ann", "emails": ["ann@example.com", "not-an-address"]}, "emails.1", None),
        ({"name": "Ann", "phones": ["12"]}, "phones.0", "Not a valid phone number."),
        ({"name": "Ann\x00"}, "name", "Must not contain NUL characters."),
        ({"name": "Ann", "locale": "english please"}, "locale", None),
    ],
)
def test_invalid_fields_are_named_in_the_problem(api, payload, field, message):
    body = assert_problem(api.post("/customers", json=payload), 422)

    assert field in body["errors"], body
    if message:
        assert message in body["errors"][field]


def test_malformed_json_is_a_400_problem(api):
    response = api.post("/customers", data="{not json", content_type="application/json")

    assert_problem(response, 400)


def test_oversize_body_is_413_and_stores_nothing(api):
    huge = {"name": "x" * (2 * 1024 * 1024)}

    assert_problem(api.post("/customers", json=huge), 413)
    assert api.get("/customers").json["items"] == []


def test_unknown_ids_and_paths_are_404_problems(api):
    assert_problem(api.get("/customers/4242"), 404)
    assert_problem(api.get("/tickets/4242"), 404)
    assert_problem(api.get("/customers/99999999999999999999"), 404)
    assert_problem(api.get("/no-such-thing"), 404)


def test_wrong_method_is_405_with_allow(api):
    response = api.delete("/customers")

    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_duplicate_identity_is_409(api):
    CustomerFactory(emails=["taken@example.com"])
    db.session.commit()

    body = assert_problem(
        api.post("/customers", json={"name": "B", "emails": ["TAKEN@example.com"]}), 409
    )
    assert "emails" in body["errors"]


def test_unexpected_errors_are_500_problems_without_internals(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False, TESTING=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")

    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in body["detail"]


def test_each_status_has_one_title_whoever_answers(make_app, app, api):
    """Werkzeug, webargs, the services and the database layer all answer problems; the
    title is the status's name (RFC 9457 with about:blank), the detail says the rest."""
    CustomerFactory(emails=["taken@example.com"])
    db.session.commit()
    small = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    answers = [
        api.post("/customers", json={"name": 42}),  # webargs: schema validation
        api.post("/customers", json={"name": "A", "phones": ["12"]}),  # the service's rule
        api.get("/customers/4242"),  # the service: no such row
        api.get("/no-such-thing"),  # Werkzeug: no such route
        api.post("/customers", json={"name": "B", "emails": ["taken@example.com"]}),
        small.post("/api/v1/customers", json={"name": "x" * 2000}, headers=api.headers),
        api.post("/customers", data="{not json", content_type="application/json"),
        api.get("/me", headers={"Authorization": "Bearer sd_wrong"}),
    ]
    titles: dict[int, set[str]] = {}
    for response in answers:
        body = assert_problem(response, response.status_code)
        titles.setdefault(body["status"], set()).add(body["title"])

    assert titles == {
        422: {"Unprocessable Content"},
        404: {"Not Found"},
        409: {"Conflict"},
        413: {"Content Too Large"},
        400: {"Bad Request"},
        401: {"Unauthorized"},
    }


def test_a_number_the_database_cannot_hold_is_a_422_not_a_500(make_app, app):
    """The net under schema bounds: the driver's "out of range" (PostgreSQL's DataError,
    sqlite3's OverflowError) is the caller's input, not our crash."""
    from supportdesk.customers.models import Customer

    loose = make_app(PROPAGATE_EXCEPTIONS=False, TESTING=False)

    @loose.get("/api/v1/unbounded/<int:ident>")
    def unbounded(ident):
        return {"found": db.session.get(Customer, ident) is not None}

    response = loose.test_client().get(f"/api/v1/unbounded/{2**70}")

    body = assert_problem(response, 422)
    assert "out of the range" in body["detail"]
