"""``notification.created`` on ``/agent`` reaches the notified agent's sockets, and only
theirs; a new chat notifies the agents online when it starts."""

from __future__ import annotations

from tests.factories import TicketFactory, UserFactory


def test_a_mention_is_pushed_to_the_mentioned_agent_alone(api, api_as, agent_peer):
    grace = UserFactory(name="Grace Hopper", email="grace@desk.example")
    ticket = TicketFactory(subject="Refund for order 1042")
    graces_tab, graces_other_tab = agent_peer(grace), agent_peer(grace)
    ada = agent_peer()

    note = api.post(
        f"/tickets/{ticket.id}/messages",
        json={"body": "@GraceHopper can you approve this refund?", "internal": True},
    )

    assert note.status_code == 201, note.json
    for tab in (graces_tab, graces_other_tab):
        pushed = tab.wait_for("notification.created")
        assert pushed["kind"] == "mention"
        assert pushed["ticket"] == {"id": ticket.id, "ref": ticket.ref, "subject": ticket.subject}
        assert pushed["message_id"] == note.json["id"]
        assert (pushed["actor_name"], pushed["snippet"]) == (
            "Ada Agent",
            "@GraceHopper can you approve this refund?",
        )
    assert ada.quiet("notification.created") == []
    # what was pushed is what the list shows
    assert api_as(grace).walk("/notifications") == [pushed]


def test_an_assignment_is_pushed_to_the_assignee(api, agent_peer):
    grace = UserFactory(name="Grace Hopper")
    ticket = TicketFactory()
    tab = agent_peer(grace)

    assert api.patch(f"/tickets/{ticket.id}", json={"assignee_id": grace.id}).status_code == 200

    pushed = tab.wait_for("notification.created")
    assert (pushed["kind"], pushed["ticket"]["id"], pushed["actor_name"]) == (
        "assignment",
        ticket.id,
        "Ada Agent",
    )


def test_a_new_chat_notifies_the_agents_online_but_not_those_away(agent_peer, visitor, api_as):
    grace, lin = UserFactory(name="Grace Hopper"), UserFactory(name="Lin Away")
    graces_tab, lins_tab = agent_peer(grace), agent_peer(lin)
    assert lins_tab.call("presence", {"status": "away"}) == {"status": "away"}
    widget, _ = visitor()

    ack = widget.call("message", {"body": "Hello, is anyone there?", "client_id": "c-1"})

    pushed = graces_tab.wait_for("notification.created")
    assert (pushed["kind"], pushed["ticket"]["id"]) == ("new_chat", ack["ticket_id"])
    assert pushed["ticket"]["subject"] == "Hello, is anyone there?"
    assert pushed["actor_name"].startswith("Visitor")
    assert lins_tab.quiet("notification.created") == []
    # a second message in the same chat is no new chat
    widget.call("message", {"body": "Hello?", "client_id": "c-2"})
    assert graces_tab.quiet("notification.created") == []
    assert [n["kind"] for n in api_as(grace).walk("/notifications")] == ["new_chat"]
    assert api_as(lin).walk("/notifications") == []


def test_an_agent_opening_a_chat_ticket_is_not_told_of_it(api, agent_peer):
    grace = UserFactory(name="Grace Hopper")
    graces_tab, own_tab = agent_peer(grace), agent_peer()

    opened = api.post(
        "/tickets",
        json={"subject": "Callback via chat", "channel": "chat", "customer": {"name": "Mei"}},
    )

    assert opened.status_code == 201, opened.json
    assert graces_tab.wait_for("notification.created")["ticket"]["id"] == opened.json["id"]
    assert own_tab.quiet("notification.created") == []
