"""The ``browser`` fixture: sign an agent in, as a browser would."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from supportdesk.extensions import db
from tests.factories import PASSWORD
from tests.users.browsers import Browser


@pytest.fixture
def browser(app: Flask) -> Any:
    """``browser(email, password=PASSWORD)``: a fresh client, signed in (to ``app``, or
    to the app given)."""

    def sign_in(email: str, password: str = PASSWORD, app: Flask = app) -> Browser:
        db.session.commit()  # what the test made is there for the request
        client = app.test_client()
        answer = client.post("/api/v1/session", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.json
        return Browser(client, answer.json["csrf_token"])

    return sign_in
