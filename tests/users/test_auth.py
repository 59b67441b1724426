"""Agents sign in with a cookie session plus CSRF header; integrations with bearer tokens."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from supportdesk.extensions import db
from supportdesk.users.models import ApiToken, User
from tests.factories import PASSWORD, UserFactory


def sign_in(client, email, password=PASSWORD):
    return client.post("/api/v1/session", json={"email": email, "password": password})


def test_agent_signs_in_and_writes_with_the_csrf_header(client, app):
    user = UserFactory(email="mia@desk.example")
    db.session.commit()

    response = sign_in(client, "MIA@desk.example")
    assert response.status_code == 200
    assert response.json["user"]["email"] == "mia@desk.example"
    assert response.json["user"]["role"] == "agent"
    assert "password" not in response.json["user"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = response.json["csrf_token"]

    assert client.get("/api/v1/me").json["id"] == user.id
    without = client.post("/api/v1/customers", json={"name": "Zoe"})
    assert without.status_code == 403
    assert without.content_type == "application/problem+json"
    assert "X-CSRF-Token" in without.json["detail"]
    forged = client.post("/api/v1/customers", json={"name": "Zoe"}, headers={"X-CSRF-Token": "x"})
    assert forged.status_code == 403
    created = client.post(
        "/api/v1/customers", json={"name": "Zoe"}, headers={"X-CSRF-Token": token}
    )
    assert created.status_code == 201


def test_sign_out_ends_the_session(client, app):
    UserFactory(email="mia@desk.example")
    db.session.commit()
    token = sign_in(client, "mia@desk.example").json["csrf_token"]

    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_and_unknown_email_answer_the_same_401(client, app):
    UserFactory(email="mia@desk.example")
    db.session.commit()

    wrong = sign_in(client, "mia@desk.example", "not the password")
    unknown = sign_in(client, "nobody@desk.example")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert wrong.content_type == "application/problem+json"
    assert client.get("/api/v1/me").status_code == 401


def test_deactivated_agent_cannot_sign_in(client, app):
    user = UserFactory(email="gone@desk.example")
    user.active = False
    db.session.commit()

    assert sign_in(client, "gone@desk.example").status_code == 401


def test_bearer_token_works_without_cookie_or_csrf(client, app):
    from supportdesk.users.service import create_token

    user = UserFactory()
    token = create_token(db.session, user, "CRM sync")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    response = client.post("/api/v1/customers", json={"name": "Zoe"}, headers=headers)

    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/v1/me", headers=headers).json["id"] == user.id


def test_tokens_are_stored_hashed_and_bad_tokens_are_refused(client, app):
    from supportdesk.users.service import create_token

    token = create_token(db.session, UserFactory())
    db.session.commit()

    stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    for header in (f"Bearer {token}x", "Bearer ", "Basic dXNlcjpwYXNz"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.content_type == "application/problem+json"


def test_revoked_token_is_refused(client, app):
    from supportdesk.core.time import utcnow
    from supportdesk.users.service import create_token

    token = create_token(db.session, UserFactory())
    db.session.execute(sa.update(ApiToken).values(revoked_at=utcnow()))
    db.session.commit()

    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_passwords_are_stored_as_argon2_hashes(app):
    UserFactory(email="mia@desk.example")
    db.session.commit()

    stored = db.session.scalar(sa.select(User.password_hash))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_sign_in_is_rate_limited_with_retry_after(make_app):
    app = make_app(RATELIMIT_LOGIN="3 per minute")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.77"

    answers = [
        client.post("/api/v1/session", json={"email": "x@y.example", "password": "nope"})
        for _ in range(4)
    ]

    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    limited = answers[-1]
    assert limited.content_type == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0


def test_every_api_call_is_rate_limited(make_app):
    from flask_limiter import Limiter  # noqa: F401  (the limiter is what answers)

    app = make_app()
    rule_count = sum(1 for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/"))
    client = app.test_client()
    response = client.get("/api/v1/me")
    assert rule_count > 5
    assert "X-RateLimit-Limit" in response.headers


@pytest.mark.parametrize(("hops", "limited"), [(0, [401, 401, 429]), (1, [401, 401, 401])])
def test_behind_a_proxy_each_client_has_its_own_limit(make_app, hops, limited):
    """Through nginx every request comes from the proxy's address; with PROXY_HOPS
    the limit follows X-Forwarded-For, without it the header is not trusted."""
    app = make_app(RATELIMIT_LOGIN="2 per minute", PROXY_HOPS=hops)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"

    answers = [
        client.post(
            "/api/v1/session",
            json={"email": "x@y.example", "password": "nope"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == limited
