"""GET /tickets/{id}/messages?order=newest: a long conversation opens at its end, and the
older pages follow, each cursor in its own order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from supportdesk.core.time import utcnow
from supportdesk.extensions import db
from supportdesk.tickets.models import AuthorKind, Direction
from tests.factories import MessageFactory, TicketFactory

PROBLEM = "application/problem+json"


def conversation(count: int) -> Any:
    """A ticket with ``count`` messages a minute apart, and a twin at the last minute (the
    tie goes by id); another ticket's message, which no page of this one may show."""
    ticket = TicketFactory(body=None)
    start = utcnow() - timedelta(hours=1)
    for minute in range(count - 1):
        MessageFactory(
            ticket=ticket, body=f"said {minute}", created_at=start + timedelta(minutes=minute)
        )
    MessageFactory(
        ticket=ticket,
        body=f"said {count - 1}",
        direction=Direction.INTERNAL,
        author_kind=AuthorKind.AGENT,
        created_at=start + timedelta(minutes=count - 2),
    )
    MessageFactory(body="someone else's")
    db.session.commit()
    return ticket


def bodies(api: Any, ticket: Any, **params: Any) -> list[str]:
    return [m["body"] for m in api.walk(f"/tickets/{ticket.id}/messages", **params)]


def test_newest_first_pages_the_same_messages_in_reverse(api):
    ticket = conversation(7)

    oldest = bodies(api, ticket, limit=3)
    newest = bodies(api, ticket, order="newest", limit=3)

    assert oldest == [f"said {n}" for n in range(7)]  # the default stays oldest first
    assert bodies(api, ticket, order="oldest", limit=2) == oldest
    assert newest == list(reversed(oldest))


def test_the_newest_page_is_the_end_of_the_conversation_and_its_cursor_goes_back(api):
    ticket = conversation(5)
    path = f"/tickets/{ticket.id}/messages"

    first = api.get(path, query_string={"order": "newest", "limit": 2}).json
    second = api.get(
        path, query_string={"order": "newest", "limit": 2, "cursor": first["next_cursor"]}
    ).json
    last = api.get(
        path, query_string={"order": "newest", "limit": 2, "cursor": second["next_cursor"]}
    ).json

    assert [m["body"] for m in first["items"]] == ["said 4", "said 3"]
    assert [m["body"] for m in second["items"]] == ["said 2", "said 1"]
    assert [m["body"] for m in last["items"]] == ["said 0"]
    assert last["next_cursor"] is None


def test_a_cursor_pages_only_the_order_it_came_from(api):
    ticket = conversation(4)
    path = f"/tickets/{ticket.id}/messages"
    oldest = api.get(path, query_string={"limit": 1}).json["next_cursor"]
    newest = api.get(path, query_string={"order": "newest", "limit": 1}).json["next_cursor"]

    for order, cursor in (("newest", oldest), ("oldest", newest)):
        response = api.get(path, query_string={"order": order, "cursor": cursor})

        assert response.status_code == 422, response.json
        assert response.mimetype == PROBLEM
        assert list(response.json["errors"]) == ["cursor"]


def test_an_unknown_order_is_a_422_naming_it(api):
    ticket = conversation(2)

    response = api.get(f"/tickets/{ticket.id}/messages", query_string={"order": "random"})

    assert response.status_code == 422, response.json
    assert response.mimetype == PROBLEM
    assert list(response.json["errors"]) == ["order"]


def test_newest_first_needs_an_agent_and_a_ticket_that_exists(client, api):
    ticket = conversation(2)

    assert client.get(f"/api/v1/tickets/{ticket.id}/messages?order=newest").status_code == 401
    missing = api.get("/tickets/999999/messages", query_string={"order": "newest"})
    assert missing.status_code == 404
    assert missing.mimetype == PROBLEM
