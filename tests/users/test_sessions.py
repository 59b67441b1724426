"""Signing out, a new password and deactivation end sessions on the server, not just
in the browser that asked: a copied cookie stops working too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import socketio
from flask import Flask

from supportdesk.extensions import db
from tests.channels.chat.conftest import eventually
from tests.factories import PASSWORD, UserFactory
from tests.peers import LiveServer
from tests.users.browsers import copy_of


def test_a_copied_cookie_stops_working_after_sign_out(app, browser):
    UserFactory(email="mia@desk.example")
    mia = browser("mia@desk.example")
    stolen = copy_of(app, mia.cookie)
    assert stolen.get("/api/v1/me").status_code == 200

    assert mia.call("DELETE", "/session").status_code == 204

    assert stolen.get("/api/v1/me").status_code == 401
    assert mia.me() == 401


def test_signing_out_in_one_browser_keeps_the_others_signed_in(app, browser):
    UserFactory(email="mia@desk.example")
    laptop, phone = browser("mia@desk.example"), browser("mia@desk.example")

    assert laptop.call("DELETE", "/session").status_code == 204

    assert phone.me() == 200


def test_deactivation_ends_the_users_sessions_and_tokens_at_once(app, client, browser):
    from supportdesk.users.service import create_token

    UserFactory(email="boss@desk.example", role="admin")
    leaver = UserFactory(email="leaver@desk.example")
    token = create_token(db.session, leaver)
    boss, theirs = browser("boss@desk.example"), browser("leaver@desk.example")
    bearer = {"Authorization": f"Bearer {token}"}

    changed = boss.call("PATCH", f"/users/{leaver.id}", json={"active": False})

    assert changed.status_code == 200 and changed.json["active"] is False
    assert theirs.me() == 401
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert (
        client.post(
            "/api/v1/session", json={"email": "leaver@desk.example", "password": PASSWORD}
        ).status_code
        == 401
    )
    # Coming back does not bring the old credentials back with them.
    assert boss.call("PATCH", f"/users/{leaver.id}", json={"active": True}).status_code == 200
    assert theirs.me() == 401
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, browser):
    UserFactory(email="mia@desk.example")
    here, elsewhere = browser("mia@desk.example"), browser("mia@desk.example")
    me = here.client.get("/api/v1/me").json["id"]

    changed = here.call(
        "PATCH",
        f"/users/{me}",
        json={"password": "a brand new secret", "current_password": PASSWORD},
    )

    assert changed.status_code == 200, changed.json
    assert here.me() == 200
    assert elsewhere.me() == 401
    assert browser("mia@desk.example", "a brand new secret").me() == 200


def test_an_admin_resetting_a_password_signs_that_user_out_everywhere(app, browser):
    UserFactory(email="boss@desk.example", role="admin")
    user = UserFactory(email="mia@desk.example")
    boss, mia = browser("boss@desk.example"), browser("mia@desk.example")

    reset = boss.call("PATCH", f"/users/{user.id}", json={"password": "temporary-secret"})

    assert reset.status_code == 200
    assert mia.me() == 401
    assert boss.me() == 200


@pytest.fixture
def live_app(app: Flask, make_app: Any) -> Flask:
    """An app of its own: the Socket.IO server is per app (see tests/channels/chat)."""
    return make_app()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    with LiveServer(live_app) as server:
        yield server.url


def _connect_agent(url: str, **kwargs: Any) -> bool:
    client = socketio.SimpleClient()
    try:
        client.connect(url, namespace="/agent", transports=["websocket"], wait_timeout=5, **kwargs)
    except socketio.exceptions.ConnectionError:
        return False
    client.disconnect()
    return True


def test_the_agent_socket_refuses_a_signed_out_cookie_and_a_revoked_token(
    live_app, browser, live_server
):
    from supportdesk.users.service import create_token

    user = UserFactory(email="mia@desk.example")
    token = create_token(db.session, user)
    mia = browser("mia@desk.example", app=live_app)
    cookie = {"Cookie": f"session={mia.cookie}"}
    assert _connect_agent(live_server, headers=cookie)
    assert _connect_agent(live_server, auth={"token": token})
    [token_id] = [t["id"] for t in mia.client.get("/api/v1/tokens").json["items"]]

    assert mia.call("DELETE", f"/tokens/{token_id}").status_code == 204
    assert mia.call("DELETE", "/session").status_code == 204

    assert not _connect_agent(live_server, headers=cookie)
    assert not _connect_agent(live_server, auth={"token": token})


def test_signing_in_forgets_the_users_sessions_older_than_a_cookie_lives(app, browser):
    import sqlalchemy as sa

    from supportdesk.core.time import utcnow
    from supportdesk.users.models import UserSession

    user = UserFactory(email="mia@desk.example")
    browser("mia@desk.example")
    db.session.execute(
        sa.update(UserSession).values(created_at=utcnow() - app.permanent_session_lifetime)
    )

    browser("mia@desk.example")

    count = sa.select(sa.func.count()).where(UserSession.user_id == user.id)
    assert db.session.scalar(count) == 1


def _agent_socket(url: str, **kwargs: Any) -> socketio.SimpleClient:
    client = socketio.SimpleClient()
    client.connect(url, namespace="/agent", transports=["websocket"], wait_timeout=5, **kwargs)
    return client


def test_open_agent_sockets_are_cut_off_when_what_they_connected_with_ends(
    live_app, browser, live_server
):
    from supportdesk.users.service import create_token

    UserFactory(email="boss@desk.example", role="admin")
    user = UserFactory(email="mia@desk.example")
    laptop_token, phone_token = create_token(db.session, user), create_token(db.session, user)
    mia = browser("mia@desk.example", app=live_app)
    boss = browser("boss@desk.example", app=live_app)
    by_cookie = _agent_socket(live_server, headers={"Cookie": f"session={mia.cookie}"})
    by_laptop_token = _agent_socket(live_server, auth={"token": laptop_token})
    by_phone_token = _agent_socket(live_server, auth={"token": phone_token})
    tokens = mia.client.get("/api/v1/tokens").json["items"]
    [laptop_token_id] = [t["id"] for t in tokens if t["id"] == min(t["id"] for t in tokens)]

    assert mia.call("DELETE", f"/tokens/{laptop_token_id}").status_code == 204
    eventually(lambda: not by_laptop_token.connected)
    assert by_cookie.connected and by_phone_token.connected

    assert mia.call("DELETE", "/session").status_code == 204
    eventually(lambda: not by_cookie.connected)
    assert by_phone_token.connected

    assert boss.call("PATCH", f"/users/{user.id}", json={"active": False}).status_code == 200
    eventually(lambda: not by_phone_token.connected)
