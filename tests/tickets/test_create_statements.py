"""What opening a ticket through the API costs in SQL, and that the cheap answer is the true one.

Integrators open tickets by the thousand (tests/perf/ticket_create.py): every statement
here is paid on each. The counts are the ones achieved; a change that adds one fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from supportdesk.extensions import db
from tests.factories import CustomerFactory
from tests.test_list_statements import statements_run

#: token (with its user), customer by e-mail; the ticket, its ``created`` event, the
#: message; then, queued to go out together (``core.queued_writes``), the event's and the
#: message's timeline entries in one executemany, the subject's and the message's search
#: rows in another, the self-service suggestions the message settles. The answer is the
#: rows as written: no reload.
EXISTING_CUSTOMER = 8
#: and a new customer: its row, its identity, its search row (in a SAVEPOINT, and on
#: SQLite the BEGIN that the first write opens)
NEW_CUSTOMER = {"sqlite": EXISTING_CUSTOMER + 6, "postgresql": EXISTING_CUSTOMER + 5}


@pytest.fixture
def statements() -> Iterator[list[str]]:
    with statements_run() as seen:
        yield seen


def body(email: str) -> dict[str, Any]:
    return {
        "subject": "路由器总是断线",
        "channel": "web",
        "customer": {"email": email, "name": "Mei Chen"},
        "body": "我的路由器每天晚上八点左右就会断线。",
    }


@pytest.fixture
def warm_api(api: Any) -> Any:
    """The token used once: its ``last_used_at`` moves on the first call of a minute only."""
    CustomerFactory(name="Warm Up", emails=["warm@mail.example"])
    db.session.commit()
    assert api.post("/tickets", json=body("warm@mail.example")).status_code == 201
    return api


def test_a_ticket_for_a_known_customer_costs_a_fixed_number_of_statements(warm_api, statements):
    CustomerFactory(name="Mei Chen", emails=["mei@mail.example"])
    db.session.commit()
    statements.clear()

    response = warm_api.post("/tickets", json=body("mei@mail.example"))

    assert response.status_code == 201, response.json
    assert len(statements) == EXISTING_CUSTOMER, statements


def test_a_ticket_for_a_new_customer_costs_a_fixed_number_of_statements(warm_api, statements):
    response = warm_api.post("/tickets", json=body("new@mail.example"))

    assert response.status_code == 201, response.json
    assert len(statements) == NEW_CUSTOMER[db.engine.dialect.name], statements


@pytest.mark.parametrize("email", ["mei@mail.example", "new@mail.example"])
def test_the_answer_is_what_reading_the_ticket_back_answers(warm_api, email):
    CustomerFactory(name="Mei Chen", emails=["mei@mail.example"])
    db.session.commit()

    created = warm_api.post("/tickets", json={**body(email), "priority": "high"})

    assert created.status_code == 201, created.json
    read = warm_api.get(f"/tickets/{created.json['id']}")
    assert read.status_code == 200
    assert created.json == read.json
    messages = warm_api.get(f"/tickets/{created.json['id']}/messages").json["items"]
    assert [m["body"] for m in messages] == ["我的路由器每天晚上八点左右就会断线。"]
