"""The agents' side: who is online, and who is looking at or typing on a ticket."""

from __future__ import annotations

from typing import Any

import pytest
import socketio

from supportdesk.extensions import db
from tests.factories import TicketFactory, UserFactory
from tests.test_list_statements import statements_run


def test_agents_must_sign_in(server: Any) -> None:
    for auth in (None, {"token": "not-a-token"}):
        client = socketio.SimpleClient()
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, namespace="/agent", auth=auth, transports=["websocket"])


def test_a_session_cookie_signs_an_agent_in(server: Any, agent: Any) -> None:
    import requests

    UserFactory(email="cookie@desk.example", password="cookie-password-1", name="Cookie")
    db.session.commit()
    http = requests.Session()
    signed_in = http.post(
        f"{server.url}/api/v1/session",
        json={"email": "cookie@desk.example", "password": "cookie-password-1"},
    )
    assert signed_in.status_code == 200
    client = socketio.SimpleClient()
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    client.connect(
        server.url, namespace="/agent", headers={"Cookie": cookie}, transports=["websocket"]
    )
    event, status = client.receive(timeout=5)
    assert (event, status["name"], status["status"]) == ("presence", "Cookie", "online")
    client.disconnect()


def test_presence_online_away_offline(agent_peer: Any) -> None:
    watcher = agent_peer()
    grace = UserFactory(name="Grace")
    other = agent_peer(grace)

    assert watcher.wait_for("presence", lambda p: p["name"] == "Grace")["status"] == "online"
    assert other.call("presence", {"status": "away"}) == {"status": "away"}
    assert watcher.wait_for("presence", lambda p: p["name"] == "Grace")["status"] == "away"
    other.close()
    assert watcher.wait_for("presence", lambda p: p["name"] == "Grace")["status"] == "offline"


def test_two_agents_on_one_ticket_see_each_other_and_who_is_typing(agent_peer: Any) -> None:
    ticket = TicketFactory(channel="chat")
    ada = agent_peer()
    grace = agent_peer(UserFactory(name="Grace"))

    first = ada.call("watch", {"ticket_id": ticket.id})
    assert [v["name"] for v in first["viewers"]] == ["Ada Agent"]
    grace.call("watch", {"ticket_id": ticket.id})
    seen = ada.wait_for("ticket.viewers", lambda v: len(v["viewers"]) == 2)
    assert seen["ticket_id"] == ticket.id

    grace.emit("typing", {"ticket_id": ticket.id, "typing": True})
    typing = ada.wait_for("ticket.viewers", lambda v: any(x["typing"] for x in v["viewers"]))
    assert [(v["name"], v["typing"]) for v in typing["viewers"]] == [
        ("Ada Agent", False),
        ("Grace", True),
    ]
    grace.call("unwatch")
    alone = ada.wait_for("ticket.viewers", lambda v: len(v["viewers"]) == 1)
    assert alone["viewers"][0]["name"] == "Ada Agent"
    assert ada.call("watch", {"ticket_id": 999999})["error"]["status"] == 404


def test_agents_hear_tickets_with_their_customers_and_assignees_names(
    agent_peer: Any, api: Any, agent: Any
) -> None:
    desk = agent_peer()

    created = api.post(
        "/tickets",
        json={
            "subject": "Where is my order?",
            "channel": "email",
            "customer": {"name": "Mei Chen", "email": "mei@mail.example"},
        },
    )
    assert created.status_code == 201, created.json
    new = desk.wait_for("ticket.created", lambda t: t["id"] == created.json["id"])
    api.patch(f"/tickets/{new['id']}", json={"assignee_id": agent.id})
    assigned = desk.wait_for("ticket.updated", lambda t: t["id"] == new["id"])

    assert new["customer"] == {"id": created.json["customer_id"], "name": "Mei Chen"}
    assert new["assignee"] is None
    assert assigned["assignee"] == {"id": agent.id, "name": "Ada Agent"}


def test_announcing_a_ticket_change_to_agents_costs_no_statement(agent_peer: Any, api: Any) -> None:
    """The push is built before the commit from the rows the change loaded: the same
    change costs as many statements with an agent listening as with nobody."""
    grace = UserFactory(name="Grace")
    unheard_ticket, heard_ticket = TicketFactory(), TicketFactory()
    db.session.commit()
    change = {"assignee_id": grace.id, "tags": ["vip"], "status": "pending"}
    api.get("/me")  # a token's use is noted once a minute: on this call, not the counted ones

    with statements_run() as unheard:
        assert api.patch(f"/tickets/{unheard_ticket.id}", json=change).status_code == 200
    desk = agent_peer()
    with statements_run() as heard:
        assert api.patch(f"/tickets/{heard_ticket.id}", json=change).status_code == 200
    pushed = desk.wait_for("ticket.updated", lambda t: t["id"] == heard_ticket.id)

    assert (pushed["assignee"]["name"], pushed["tags"]) == ("Grace", ["vip"])
    assert pushed["customer"]["id"] == heard_ticket.customer_id
    assert len(heard) == len(unheard), "\n\n".join(heard)
