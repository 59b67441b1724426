"""Every list the agents' workspace reads costs the same SQL for a page of 5 as for a page of 40.

The workspace scrolls through these lists all day: a statement per row (a customer's
identities, a ticket's assignee) makes a page of 200 cost 200 round trips. Each test builds
a world of 40 varied rows and asks for a page of 5 and a page of 40, counting every
statement the request sends, the sign-in by token included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from supportdesk.extensions import db
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Attachment, AuthorKind, Direction
from supportdesk.users import service as users
from tests.conftest import ApiClient
from tests.factories import (
    CallFactory,
    CustomerFactory,
    MessageFactory,
    QuarantinedMailFactory,
    TicketFactory,
    UserFactory,
)

ROWS = 40


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL statements the block sends to the database, in order."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts made by the dozen: argon2 at its lightest (these passwords guard nothing)."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def admin_api(client: Any) -> ApiClient:
    """An admin's client: admins see every list (everyone's tokens too)."""
    admin = UserFactory(name="Ida Admin", role="admin")
    token = users.create_token(db.session, admin)
    db.session.commit()
    return ApiClient(client, token)


def pages_cost_the_same(api: ApiClient, path: str, **filters: str | int) -> list[dict[str, Any]]:
    """Ask for a page of 5 and a page of 40 (with ``filters``); both must send as many
    statements.

    Returns the page of 40, for what it shows.
    """
    api.get(path)  # a token's use is noted once a minute: on this call, not the counted ones
    counted: dict[int, list[str]] = {}
    items: list[dict[str, Any]] = []
    for limit in (5, ROWS):
        with statements_run() as statements:
            response = api.get(path, query_string={**filters, "limit": limit})
        assert response.status_code == 200, response.json
        items = response.json["items"]
        assert len(items) == limit
        counted[limit] = list(statements)
    assert len(counted[5]) == len(counted[ROWS]), "\n\n".join(counted[ROWS])
    return items


def test_a_page_of_tickets_names_customers_and_assignees_at_a_constant_cost(admin_api):
    for n in range(ROWS):
        ticket = TicketFactory(body=None)
        tickets.update_ticket(
            db.session, ticket, assignee_id=UserFactory().id, tags=[f"plan_{n}", "vip"]
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/tickets")

    assert len({t["customer"]["id"] for t in page}) == len({t["assignee"]["id"] for t in page})
    assert len({t["assignee"]["id"] for t in page}) == ROWS
    assert all(t["customer"]["id"] == t["customer_id"] and t["customer"]["name"] for t in page)
    assert all(t["assignee"]["id"] == t["assignee_id"] and t["assignee"]["name"] for t in page)
    assert all(t["tags"][-1] == "vip" for t in page)


def test_an_inbox_views_filtered_page_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        ticket = TicketFactory(body=None, priority="high", channel="chat")
        changes = {"tags": [f"plan_{n}", "vip"], "status": "open"}
        tickets.update_ticket(db.session, ticket, assignee_id=None, **changes)
        TicketFactory(body=None, priority="low", channel="chat")  # one the filters leave out
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/tickets", view="unassigned", tag="vip", priority="high")

    assert {(t["status"], t["priority"], t["assignee"]) for t in page} == {("open", "high", None)}
    assert all("vip" in t["tags"] for t in page)


def test_a_page_of_messages_lists_attachments_at_a_constant_cost(admin_api):
    ticket = TicketFactory(body=None)
    colleague = UserFactory()
    note = {"direction": Direction.INTERNAL, "author_kind": AuthorKind.AGENT}
    for n in range(ROWS):
        if n % 2:
            message = MessageFactory(ticket=ticket)
        else:
            message = MessageFactory(ticket=ticket, author_user=colleague, **note)
        message.attachments.append(
            Attachment(filename=f"photo-{n}.png", content_type="image/png", size=3, data=b"png")
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/tickets/{ticket.id}/messages")

    assert [m["attachments"][0]["filename"] for m in page] == [f"photo-{n}.png" for n in range(40)]
    assert {m["internal"] for m in page} == {True, False}


def test_a_page_of_customers_shows_every_identity_at_a_constant_cost(admin_api):
    for n in range(ROWS):
        CustomerFactory(
            emails=[f"c{n}@mail.example", f"c{n}@work.example"],
            phones=[f"+1 415 555 {100 + n:04d}"],
            external_id=f"crm-{n}",
        )
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/customers")

    newest = page[0]
    assert newest["emails"] == [f"c{ROWS - 1}@mail.example", f"c{ROWS - 1}@work.example"]
    assert newest["phones"] == [f"+1415555{100 + ROWS - 1:04d}"]
    assert newest["external_id"] == f"crm-{ROWS - 1}"


def test_a_page_of_a_customers_timeline_costs_the_same_whatever_its_entries(admin_api):
    customer = CustomerFactory()
    agent = UserFactory()
    for _ in range(ROWS // 4):  # each round: created, a message, an assignment, a call
        ticket = TicketFactory(customer=customer)
        tickets.update_ticket(db.session, ticket, actor=agent, assignee_id=agent.id)
        CallFactory(customer=customer, ticket=ticket)
    db.session.commit()

    page = pages_cost_the_same(admin_api, f"/customers/{customer.id}/timeline")

    assert {e["kind"] for e in page} == {"message", "call", "ticket_event"}
    assigned = [e for e in page if e.get("event") == "assigned"]
    assert assigned and all(e["actor"]["name"] == agent.name for e in assigned)


def test_a_page_of_users_costs_the_same_as_a_page_of_five(admin_api):
    for _ in range(ROWS):
        UserFactory()
    db.session.commit()

    pages_cost_the_same(admin_api, "/users")


def test_a_page_of_everyones_tokens_costs_the_same_as_a_page_of_five(admin_api):
    for n in range(ROWS):
        users.create_token(db.session, UserFactory(), f"integration {n}")
    db.session.commit()

    page = pages_cost_the_same(admin_api, "/tokens")

    assert len({t["user_id"] for t in page}) == ROWS


def test_a_page_of_the_email_quarantine_costs_the_same_as_a_page_of_five(admin_api):
    for _ in range(ROWS):
        QuarantinedMailFactory()

    page = pages_cost_the_same(admin_api, "/email/quarantine")

    assert all(m["error"] == "The message has no sender address (From)." for m in page)
