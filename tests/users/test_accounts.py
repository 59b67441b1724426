"""Admins manage the desk's accounts over the API; agents manage only their own."""

from __future__ import annotations

from supportdesk.extensions import db
from tests.factories import PASSWORD, UserFactory


def test_an_admin_adds_an_agent_who_can_then_sign_in(app, browser):
    UserFactory(email="boss@desk.example", role="admin")
    boss = browser("boss@desk.example")

    made = boss.call(
        "POST",
        "/users",
        json={
            "email": "New@Desk.example",
            "name": "Nia",
            "password": "long enough",
            "role": "agent",
        },
    )

    assert made.status_code == 201, made.json
    assert made.json["email"] == "new@desk.example"
    assert made.json["active"] is True and "password" not in made.json
    assert browser("new@desk.example", "long enough").me() == 200


def test_creating_users_refuses_duplicates_short_passwords_and_agents(app, browser):
    UserFactory(email="boss@desk.example", role="admin")
    UserFactory(email="mia@desk.example")
    boss, mia = browser("boss@desk.example"), browser("mia@desk.example")
    new = {"email": "nia@desk.example", "name": "Nia", "password": "long enough", "role": "agent"}

    duplicate = boss.call("POST", "/users", json={**new, "email": "MIA@desk.example"})
    short = boss.call("POST", "/users", json={**new, "password": "short"})
    bad_role = boss.call("POST", "/users", json={**new, "role": "owner"})
    by_agent = mia.call("POST", "/users", json=new)

    assert duplicate.status_code == 409 and "email" in duplicate.json["errors"]
    assert short.status_code == 422 and "password" in short.json["errors"]
    assert bad_role.status_code == 422 and "role" in bad_role.json["errors"]
    assert by_agent.status_code == 403
    assert by_agent.content_type == "application/problem+json"


def test_the_users_list_pages_with_a_cursor(app, api):
    for n in range(4):
        UserFactory(email=f"u{n}@desk.example")
    db.session.commit()

    first = api.get("/users", query_string={"limit": 2})

    assert first.status_code == 200
    assert len(first.json["items"]) == 2 and first.json["next_cursor"]
    everyone = api.walk("/users", limit=2)
    assert len(everyone) == 5  # the api fixture's agent too
    assert len({u["id"] for u in everyone}) == 5
    assert {"id", "email", "name", "role", "active", "created_at"} <= everyone[0].keys()


def test_an_agent_changes_their_own_name_and_password_but_nothing_else(app, browser):
    mia_user = UserFactory(email="mia@desk.example")
    other = UserFactory(email="ola@desk.example")
    mia = browser("mia@desk.example")
    me = f"/users/{mia_user.id}"

    renamed = mia.call("PATCH", me, json={"name": "Mia M."})
    promoted = mia.call("PATCH", me, json={"role": "admin"})
    others = mia.call("PATCH", f"/users/{other.id}", json={"name": "Hacked"})
    no_current = mia.call("PATCH", me, json={"password": "brand new secret"})
    wrong_current = mia.call(
        "PATCH", me, json={"password": "brand new secret", "current_password": "guess"}
    )
    too_short = mia.call("PATCH", me, json={"password": "short", "current_password": PASSWORD})

    assert renamed.status_code == 200 and renamed.json["name"] == "Mia M."
    assert promoted.status_code == 403
    assert others.status_code == 403
    assert no_current.status_code == 422 and "current_password" in no_current.json["errors"]
    assert wrong_current.status_code == 422 and "current_password" in wrong_current.json["errors"]
    assert too_short.status_code == 422 and "password" in too_short.json["errors"]
    assert browser("mia@desk.example", PASSWORD).me() == 200  # the password never changed


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(app, browser):
    boss_user = UserFactory(email="boss@desk.example", role="admin")
    boss = browser("boss@desk.example")
    me = f"/users/{boss_user.id}"

    demoted = boss.call("PATCH", me, json={"role": "agent"})
    deactivated = boss.call("PATCH", me, json={"active": False})

    assert demoted.status_code == deactivated.status_code == 409
    assert demoted.content_type == "application/problem+json"
    second = boss.call(
        "POST",
        "/users",
        json={
            "email": "two@desk.example",
            "name": "Two",
            "password": "long enough",
            "role": "admin",
        },
    ).json
    assert boss.call("PATCH", me, json={"role": "agent"}).status_code == 200
    # Now "two" is the last one.
    two = browser("two@desk.example", "long enough")
    assert two.call("PATCH", f"/users/{second['id']}", json={"active": False}).status_code == 409


def test_changing_a_user_that_does_not_exist_is_404(app, browser):
    UserFactory(email="boss@desk.example", role="admin")
    boss = browser("boss@desk.example")

    assert boss.call("PATCH", "/users/4242", json={"name": "X"}).status_code == 404
