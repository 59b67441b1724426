"""Canned responses are admins' to keep: ``admin_api`` calls the API as one."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.conftest import ApiClient
from tests.factories import UserFactory


@pytest.fixture
def admin_api(client: FlaskClient) -> ApiClient:
    admin = UserFactory(role="admin", name="Ana Admin")
    token = create_token(db.session, admin)
    db.session.commit()
    return ApiClient(client, token)


@pytest.fixture
def greeting(admin_api: ApiClient) -> dict[str, Any]:
    """A canned response in both locales, as an admin made it."""
    made = admin_api.post(
        "/canned-responses",
        json={
            "title": "Greeting",
            "bodies": {
                "en": "Hello {{ customer.name }}, about {{ ticket.ref }}: {{ agent.name }}",
                "zh-CN": "{{ customer.name }}，您好！关于 {{ ticket.ref }}：{{ agent.name }}",
            },
        },
    )
    assert made.status_code == 201, made.json
    return made.json
