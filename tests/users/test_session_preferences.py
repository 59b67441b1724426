"""A workspace that signs in, or reloads, learns the agent's preferences with the session."""

from __future__ import annotations

from typing import Any

from tests.factories import PASSWORD, UserFactory


def test_the_session_carries_the_agents_preferences(browser: Any, client: Any) -> None:
    agent = UserFactory(email="mei@desk.example")
    tab = browser(agent.email)
    changes = {"locale": "zh-CN", "time_zone": "Asia/Shanghai"}
    assert tab.call("PATCH", "/me", json=changes).status_code == 200

    reloaded = tab.client.get("/api/v1/session").json["user"]
    signed_in = client.post("/api/v1/session", json={"email": agent.email, "password": PASSWORD})

    expected = {"locale": "zh-CN", "time_zone": "Asia/Shanghai", "ring": True}
    assert {key: reloaded[key] for key in expected} == expected
    assert {key: signed_in.json["user"][key] for key in expected} == expected
