"""Each agent's preferences, in GET /api/v1/me and changed with PATCH /api/v1/me."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient
from tests.factories import UserFactory

PROBLEM = "application/problem+json"
# no locale: the workspace speaks the agent's browser's language until they choose one
DEFAULTS = {"locale": None, "time_zone": "UTC", "ring": True}


def test_a_new_agent_has_the_defaults_beside_their_account(api: ApiClient, agent: Any) -> None:
    me = api.get("/me").json

    assert me == {
        "id": agent.id,
        "email": agent.email,
        "name": "Ada Agent",
        "role": "agent",
        "active": True,
        "created_at": me["created_at"],
        **DEFAULTS,
    }


def test_an_agent_changes_their_preferences_and_they_are_remembered(
    api: ApiClient, browser: Any, agent: Any
) -> None:
    changed = api.patch("/me", json={"locale": "zh-CN", "time_zone": "Asia/Shanghai"})
    quiet = api.patch("/me", json={"ring": False})

    assert changed.status_code == 200, changed.json
    assert quiet.status_code == 200, quiet.json
    wanted = {"locale": "zh-CN", "time_zone": "Asia/Shanghai", "ring": False}
    assert quiet.json == {**changed.json, **wanted}
    # remembered for the agent, in every browser they sign in with
    elsewhere = browser(agent.email)
    assert elsewhere.call("GET", "/me").json == quiet.json
    assert elsewhere.call("PATCH", "/me", json={"ring": True}).json["ring"] is True


def test_an_agent_goes_back_to_following_their_browser(api: ApiClient) -> None:
    api.patch("/me", json={"locale": "zh-CN"})

    answer = api.patch("/me", json={"locale": None})

    assert answer.status_code == 200, answer.json
    assert answer.json["locale"] is None
    assert api.get("/me").json["locale"] is None


def test_leaving_the_locale_out_keeps_the_agents_choice(api: ApiClient) -> None:
    api.patch("/me", json={"locale": "en"})

    answer = api.patch("/me", json={"ring": False})

    assert answer.json["locale"] == "en"  # English chosen is not "follow the browser"


def test_one_agents_preferences_are_theirs_alone(api: ApiClient, browser: Any) -> None:
    colleague = UserFactory(name="Cole League")
    theirs = browser(colleague.email)

    api.patch("/me", json={"locale": "zh-CN", "time_zone": "Europe/Berlin", "ring": False})

    assert {k: theirs.call("GET", "/me").json[k] for k in DEFAULTS} == DEFAULTS
    users = {u["id"]: u for u in api.get("/users").json["items"]}
    assert "time_zone" not in users[colleague.id]  # the account list shows accounts only


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"time_zone": "asia/shanghai"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"time_zone": None}, "time_zone"),
        ({"locale": "fr"}, "locale"),
        ({"locale": "zh"}, "locale"),
        ({"locale": ""}, "locale"),
        ({"locale": "browser"}, "locale"),
        ({"locale": 1}, "locale"),
        ({"ring": "loudly"}, "ring"),
        ({"role": "admin"}, "role"),
    ],
)
def test_bad_preferences_are_a_422_naming_the_field_and_change_nothing(
    api: ApiClient, change: dict[str, Any], field: str
) -> None:
    before = api.get("/me").json

    answer = api.patch("/me", json={"locale": "zh-CN", **change})

    assert answer.status_code == 422
    assert answer.content_type == PROBLEM
    assert list(answer.json["errors"]) == [field], answer.json
    assert api.get("/me").json == before


def test_a_browser_changes_them_only_with_its_csrf_token(browser: Any, agent: Any) -> None:
    signed_in = browser(agent.email)

    forged = signed_in.client.patch("/api/v1/me", json={"ring": False})

    assert forged.status_code == 403
    assert signed_in.call("GET", "/me").json["ring"] is True


def test_nobody_has_preferences_to_change(client: Any) -> None:
    answer = client.patch("/api/v1/me", json={"ring": False})

    assert answer.status_code == 401
    assert answer.content_type == PROBLEM
