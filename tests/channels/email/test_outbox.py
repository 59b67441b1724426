"""The local outbox: a desk with no mail server delivers into a maildir, and admins read it.

It is what ``supportdesk demo`` sets up (tests/test_demo.py), so a newcomer can try the whole
round trip: an agent replies by e-mail, the mail lands in the outbox, the customer's answer
to it comes back in on the same ticket.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from supportdesk.channels.email.outbox import outbox_url
from supportdesk.extensions import db
from supportdesk.users.service import create_token
from tests.channels.email.conftest import compose
from tests.channels.email.test_inbound import filed, thread
from tests.conftest import ApiClient
from tests.factories import CustomerFactory, TicketFactory, UserFactory


@pytest.fixture
def outbox(app: Any, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "outbox"
    app.config["SMTP_URL"] = outbox_url(folder)
    try:
        yield folder
    finally:
        app.config["SMTP_URL"] = None


@pytest.fixture
def admin(client: Any) -> ApiClient:
    user = UserFactory(name="Alex Admin", role="admin")
    token = create_token(db.session, user)
    db.session.commit()
    return ApiClient(client, token)


def email_ticket(subject: str = "Router blinks red") -> Any:
    customer = CustomerFactory(name="Mei Lin", emails=["mei@example.com"])
    ticket = TicketFactory(channel="email", customer=customer, subject=subject, body="Help?")
    db.session.commit()
    return ticket


def reply(api: Any, ticket: Any, body: str) -> dict[str, Any]:
    response = api.post(f"/tickets/{ticket.id}/messages", json={"body": body, "channel": "email"})
    assert response.status_code == 201, response.json
    return response.json


def test_a_reply_lands_in_the_outbox_and_the_customers_answer_threads_back(
    api, admin, outbox, post_email
):
    ticket = email_ticket()

    sent = reply(api, ticket, "Please hold the reset button for ten seconds.")

    assert api.get(f"/messages/{sent['id']}/email").json["delivery_status"] == "sent"
    [listed] = admin.walk("/email/outbox")
    assert listed["to"] == "Mei Lin <mei@example.com>"
    assert ticket.ref in listed["subject"]
    mail = admin.get(f"/email/outbox/{listed['id']}").json
    assert mail["text"].strip() == "Please hold the reset button for ten seconds."
    answer = compose(
        subject=f"Re: {listed['subject']}",
        body="That worked, thank you!",
        headers={"In-Reply-To": f"<{mail['message_id']}>"},
    )
    receipt = filed(post_email(answer))
    assert receipt["ticket_id"] == ticket.id
    assert thread(api, ticket.id)[-1]["body"] == "That worked, thank you!"


def test_the_outbox_pages_newest_first_without_overlap(api, admin, outbox):
    ticket = email_ticket()
    for n in range(3):
        reply(api, ticket, f"Update {n}")

    first = admin.get("/email/outbox", query_string={"limit": 2}).json
    second = admin.get(
        "/email/outbox", query_string={"limit": 2, "cursor": first["next_cursor"]}
    ).json

    texts = [
        admin.get(f"/email/outbox/{m['id']}").json["text"].strip()
        for m in first["items"] + second["items"]
    ]
    assert texts == ["Update 2", "Update 1", "Update 0"]
    assert second["next_cursor"] is None


def test_the_outbox_is_for_admins_and_answers_problems_for_bad_input(api, admin, outbox):
    assert api.get("/email/outbox").status_code == 403
    bad_cursor = admin.get("/email/outbox", query_string={"cursor": "../../etc/passwd"})
    assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.json["errors"]
    assert admin.get("/email/outbox/..%2F..%2Fsecret_key").status_code == 404
    assert admin.get("/email/outbox/1764126760.M1P1Q1.nowhere").status_code == 404


def test_a_desk_that_sends_by_smtp_has_no_outbox(admin, smtp_server):
    response = admin.get("/email/outbox")

    assert response.status_code == 404
    assert "SMTP" in response.json["detail"]


def test_an_outbox_folder_made_beforehand_takes_the_mail(api, admin, app, tmp_path):
    folder = tmp_path / "mounted"
    folder.mkdir()  # empty, as a volume or an operator's mkdir leaves it
    app.config["SMTP_URL"] = outbox_url(folder)
    try:
        sent = reply(api, email_ticket(), "Please hold the reset button for ten seconds.")

        assert api.get(f"/messages/{sent['id']}/email").json["delivery_status"] == "sent"
        [listed] = admin.walk("/email/outbox")
        assert listed["message_id"]
    finally:
        app.config["SMTP_URL"] = None
