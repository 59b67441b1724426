"""API tokens over the API: shown once, listed with their last use, revoked at once."""

from __future__ import annotations

from supportdesk.extensions import db
from tests.factories import UserFactory


def test_an_agent_makes_a_token_sees_it_used_and_revokes_it(app, client, browser):
    UserFactory(email="mia@desk.example")
    mia = browser("mia@desk.example")

    made = mia.call("POST", "/tokens", json={"name": "CRM sync"})

    assert made.status_code == 201, made.json
    token = made.json["token"]
    assert token.startswith("sd_") and made.json["name"] == "CRM sync"
    [listed] = mia.client.get("/api/v1/tokens").json["items"]
    assert listed["id"] == made.json["id"] and "token" not in listed
    assert listed["last_used_at"] is None
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    [used] = mia.client.get("/api/v1/tokens").json["items"]
    assert used["last_used_at"] is not None

    assert mia.call("DELETE", f"/tokens/{made.json['id']}").status_code == 204

    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert mia.client.get("/api/v1/tokens").json["items"] == []


def test_tokens_are_private_to_their_owner_but_an_admin_sees_and_revokes_all(app, browser):
    from supportdesk.users.service import create_token

    mia_user = UserFactory(email="mia@desk.example")
    UserFactory(email="ola@desk.example")
    boss_user = UserFactory(email="boss@desk.example", role="admin")
    create_token(db.session, mia_user, "Mia's script")
    mia, ola, boss = (browser(f"{n}@desk.example") for n in ("mia", "ola", "boss"))
    [mias] = mia.client.get("/api/v1/tokens").json["items"]

    assert ola.client.get("/api/v1/tokens").json["items"] == []
    assert ola.call("DELETE", f"/tokens/{mias['id']}").status_code == 404
    everyone = boss.client.get("/api/v1/tokens").json["items"]
    assert [(t["id"], t["user_id"]) for t in everyone] == [(mias["id"], mia_user.id)]
    assert boss_user.id != mia_user.id
    assert boss.call("DELETE", f"/tokens/{mias['id']}").status_code == 204
    assert mia.client.get("/api/v1/tokens").json["items"] == []
    assert boss.call("DELETE", f"/tokens/{mias['id']}").status_code == 404


def test_a_token_needs_a_name(app, browser):
    UserFactory(email="mia@desk.example")
    mia = browser("mia@desk.example")

    answer = mia.call("POST", "/tokens", json={})

    assert answer.status_code == 422 and "name" in answer.json["errors"]
