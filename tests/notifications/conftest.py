"""Notifications tests call the API as several agents, and listen as them on ``/agent``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.channels.chat.conftest import (  # noqa: F401 (fixtures)
    _quick_websocket_close,
    agent_peer,
    chat_app,
    peers,
    server,
    visitor,
)
from tests.conftest import ApiClient
from tests.tickets.conftest import desk_sends_mail  # noqa: F401 (autouse: replies go out)


@pytest.fixture
def api_as(client: FlaskClient) -> Callable[[Any], ApiClient]:
    """The API as ``user``, with a token of theirs."""

    def make(user: Any) -> ApiClient:
        token = create_token(db.session, user)
        db.session.commit()
        return ApiClient(client, token)

    return make
